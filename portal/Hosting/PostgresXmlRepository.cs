using System.Xml.Linq;
using Marten;
using MeshPortal.Portal.Auth;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MeshPortal.Portal.Hosting;

/// <summary>
/// Data Protection keys as Marten documents, so every portal replica can read the login cookies
/// the others issued (the default key folder is per machine). The elements arrive already
/// encrypted by <see cref="AesGcmXmlEncryptor"/> when a key is configured.
/// </summary>
public sealed class PostgresXmlRepository(IDocumentStore store) : IXmlRepository
{
    // The interface is synchronous and Marten 9 accesses data only asynchronously; the key manager
    // calls these rarely (key ring refresh, key creation), never from a synchronization context.
    public IReadOnlyCollection<XElement> GetAllElements() => GetAllAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> GetAllAsync()
    {
        await using var session = store.QuerySession();
        var keys = await session.Query<DataProtectionKeyDoc>().OrderBy(k => k.Id).ToListAsync();
        return keys.Select(k => XElement.Parse(k.Xml)).ToList();
    }

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        await using var session = store.LightweightSession();
        session.Store(new DataProtectionKeyDoc { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        await session.SaveChangesAsync();
    }
}
