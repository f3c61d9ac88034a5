using System.Net;
using System.Text.RegularExpressions;
using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Mesh;

[Collection(MeshCollection.Name)]
public sealed partial class PortalMetricsTests(MeshFixture mesh)
{
    [Fact]
    public async Task Metrics_ScrapedWithApiKey_HeadRevisionAndSyncedGatewaysAsApiSaysThem()
    {
        await mesh.WaitAllSyncedAsync();
        var head = (await mesh.Api.RevisionAsync()).Revision;

        var text = await mesh.Api.Http.GetStringAsync("/metrics");

        Assert.Equal(head, long.Parse(HeadRevision().Match(text).Groups[1].Value));
        Assert.True(int.Parse(SyncedGateways().Match(text).Groups[1].Value) >= mesh.Gateways.Count, text);
        foreach (var gateway in mesh.Gateways)
        {
            Assert.Contains($"mesh_portal_gateway_applied_revision{{node=\"{gateway.Node}\"", text);
        }
    }

    [Fact]
    public async Task Metrics_NoCredentials_401NotTheLoginPage()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync($"{mesh.PortalUrl}/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [GeneratedRegex(@"^mesh_portal_head_revision (\d+)$", RegexOptions.Multiline)]
    private static partial Regex HeadRevision();

    [GeneratedRegex(@"^mesh_portal_gateways\{state=""synced""\} (\d+)$", RegexOptions.Multiline)]
    private static partial Regex SyncedGateways();
}
