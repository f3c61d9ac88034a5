using MeshPortal.Portal.Api;
using MeshPortal.Portal.Auth;
using MeshPortal.Portal.Commands;
using MeshPortal.Portal.Components;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Fleet;
using MeshPortal.Portal.Hosting;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Security;
using MeshPortal.Portal.Security.Tls;
using MeshPortal.Portal.Store;
using MeshPortal.Portal.Telemetry;
using MeshPortal.Shared.Fleet;
using MeshPortal.Shared.Serialization;
using MeshPortal.Shared.Observability;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using MeshPortal.Portal.Lists;
using Microsoft.AspNetCore.ResponseCompression;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseStaticWebAssets();

builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
var connectionString = builder.Configuration.GetConnectionString("Mesh")
    ?? throw new InvalidOperationException("ConnectionStrings:Mesh is not set (env ConnectionStrings__Mesh): the portal needs PostgreSQL.");
var maxBody = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>()?.MaxRequestBodyBytes ?? new PortalOptions().MaxRequestBodyBytes;
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOtlpExport(builder.Configuration, "meshportal-portal", "Npgsql", "Marten");
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Services.AddMeshStore();
builder.Services.AddSingleton<EventStore>();
builder.Services.AddSingleton<MeshStateCache>();
builder.Services.AddSingleton<SnapshotStore>();
builder.Services.AddSingleton<LegacyEventImport>();
builder.Services.AddSingleton<MeshHistory>();
builder.Services.AddSingleton<EventLogTailer>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EventLogTailer>());
builder.Services.AddSingleton<MeshCommands>();
builder.Services.AddFleet();

builder.Services.AddMeshAuth();
builder.Services.AddTrustedProxies(builder.Configuration);
builder.Services.AddPortalTls();
builder.Services.AddDataProtection().SetApplicationName("MeshPortal");
builder.Services.AddMeshKeyProtection(builder.Configuration, builder.Environment);
builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
    .Configure<Marten.IDocumentStore>((o, store) => o.XmlRepository = new PostgresXmlRepository(store));
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(o => MeshJson.Configure(o.SerializerOptions));
builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 4 * 1024 * 1024)
    .AddJsonProtocol(o => MeshJson.Configure(o.PayloadSerializerOptions))
    .AddFleetHubOptions();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices(o => o.SnackbarConfiguration.VisibleStateDuration = 8000);
builder.Services.AddSingleton<MeshLists>();
// JSON only: the Blazor circuit and the fleet hub stay uncompressed (see UseWhen below).
builder.Services.AddResponseCompression(o =>
{
    o.EnableForHttps = true;
    o.MimeTypes = ["application/json", "application/problem+json"];
    o.Providers.Add<BrotliCompressionProvider>();
    o.Providers.Add<GzipCompressionProvider>();
});
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<UiSession>();
builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, UiSessionCircuitHandler>();

var app = builder.Build();
if (args.Contains(PortalStartup.ApplySchemaSwitch))
{
    await PortalStartup.ApplySchemaAsync(app.Services, CancellationToken.None);
    Console.WriteLine("schema applied");
    return;
}

await PortalStartup.RunAsync(app.Services, app.Lifetime.ApplicationStopping);

app.UseTrustedProxies();
app.UsePortalHsts();
app.UseSecurityHeaders();
// Only reads of the API are compressed: they echo no secret next to user input (BREACH), and the
// Blazor circuit and SignalR hubs must not be compressed at all.
app.UseWhen(http => HttpMethods.IsGet(http.Request.Method) && http.Request.Path.StartsWithSegments("/api"), a => a.UseResponseCompression());
app.UseStatusCodePages();
app.UseMiddleware<CrossSiteRequestGuard>();
app.UseStoreUnavailableAnswer();
// Before authentication: a refused enrollment costs no database look-up of its token.
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseRequestTextGuard();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthEndpoints();
app.MapHub<FleetHub>(FleetProtocol.HubPath);
app.MapFleetApi();
app.MapEnrollmentApi();
app.MapRoutesApi();
app.MapServicesApi();
app.MapHistoryApi();
app.MapConfigApi();
app.MapUsersApi();
app.MapTopologyApi();
app.MapMetricsApi();
app.MapOpenApi().RequireAuthorization(Policies.Read);
app.MapPost("/logout", async (HttpContext http, SignInService signIn) =>
{
    await signIn.SignOutAsync(http);
    return Results.LocalRedirect("/login");
});
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
