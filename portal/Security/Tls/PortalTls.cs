using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MeshPortal.Portal.Security.Tls;

/// <summary>
/// HTTPS for the portal's https:// URLs from <see cref="PortalTlsOptions"/>, with HSTS. Behind an
/// ingress that terminates TLS the portal keeps plain HTTP and learns the scheme from the trusted
/// proxies' X-Forwarded-Proto, and HSTS follows that.
/// </summary>
public static class PortalTls
{
    public static IServiceCollection AddPortalTls(this IServiceCollection services)
    {
        services.AddOptions<PortalTlsOptions>().BindConfiguration(PortalTlsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalTlsOptions>, PortalTlsOptionsValidation>();
        services.AddSingleton<ServerCertificate>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<PortalTlsOptions>, IServiceProvider>((kestrel, tls, sp) =>
        {
            if (!tls.Value.Enabled)
            {
                return;
            }

            var certificate = sp.GetRequiredService<ServerCertificate>();
            kestrel.ConfigureHttpsDefaults(https =>
            {
                // Kestrel needs a certificate source to accept the endpoint; each handshake then takes
                // the current context, which also carries the intermediates of the certificate file.
                https.ServerCertificateSelector = (_, _) => certificate.Certificate;
                https.OnAuthenticate = (_, ssl) =>
                {
                    ssl.ServerCertificateSelectionCallback = null;
                    ssl.ServerCertificate = null;
                    ssl.ServerCertificateContext = certificate.Context;
                };
            });
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>
    /// Strict-Transport-Security on https responses (never on plain ones, and never for localhost or a
    /// loopback address, where other local services answer on http).
    /// </summary>
    public static IApplicationBuilder UsePortalHsts(this WebApplication app) =>
        app.Environment.IsDevelopment() ? app : app.UseHsts();
}
