using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Portal.Hosting;

public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The URL people and gateways use to reach this portal; printed with the credentials.</summary>
    [Required, Url]
    public string PublicUrl { get; set; } = "http://127.0.0.1:5000";

    /// <summary>Where the first admin's credentials are written (mode 600) when they are created.</summary>
    public string? CredentialsFile { get; set; }

    [Required, RegularExpression("^[a-z][a-z0-9_-]{1,31}$")]
    public string AdminUser { get; set; } = "admin";

    /// <summary>Largest accepted request body; bigger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
