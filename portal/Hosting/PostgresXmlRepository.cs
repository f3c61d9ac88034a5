using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace MeshPortal.Portal.Hosting;

/// <summary>
/// Data Protection keys in PostgreSQL, so every portal replica can read the login cookies the
/// others issued (the default key folder is per machine).
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var cmd = dataSource.CreateCommand("SELECT xml FROM mesh_dataprotection_keys ORDER BY name");
        using var reader = cmd.ExecuteReader();
        var result = new List<XElement>();
        while (reader.Read())
        {
            result.Add(XElement.Parse(reader.GetString(0)));
        }

        return result;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = dataSource.CreateCommand(
            "INSERT INTO mesh_dataprotection_keys (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET xml = excluded.xml");
        cmd.Parameters.AddWithValue(friendlyName);
        cmd.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        cmd.ExecuteNonQuery();
    }
}
