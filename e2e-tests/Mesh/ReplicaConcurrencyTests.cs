using System.Text.Json;
using MeshPortal.E2ETests.Infrastructure;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;
using MeshPortal.Shared.Validation;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>Two portals on one database, writing at the same time: one revision sequence, never an invalid mesh.</summary>
[Collection(MeshCollection.Name)]
public sealed class ReplicaConcurrencyTests(MeshFixture mesh)
{
    private static string ServiceJson(string name) =>
        $$"""{"name":"{{name}}","subsets":[{"name":"v1","instances":[{"id":"{{name}}-1","address":"http://127.0.0.1:9","node":"n1"}]}]}""";

    private static readonly TimeSpan Writers = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task FiftyWriters_TwoReplicas_RevisionsGapFreeAndIdenticalOnBoth()
    {
        var (replicaUrl, replica) = await mesh.StartPortalReplicaAsync();
        using var other = new MeshApi(replicaUrl, mesh.ApiKey);

        // What is checked is order, not speed: in the full suite the 50 racing writes commit at about
        // two a second (each loser re-validates and retries), so the last waits longer than 15 s.
        using var patientA = new MeshApi(mesh.PortalUrl, mesh.ApiKey, Writers);
        using var patientB = new MeshApi(replicaUrl, mesh.ApiKey, Writers);
        try
        {
            var head = (await mesh.Api.RevisionAsync()).Revision;

            var revisions = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
            {
                var api = i % 2 == 0 ? patientA : patientB;
                using var response = await api.SendAsync(HttpMethod.Post, "/api/services", ServiceJson($"load-{i}"));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"writer {i}: {(int)response.StatusCode} {body}\n{replica.Output[^Math.Min(4000, replica.Output.Length)..]}");
                return JsonDocument.Parse(body).RootElement.GetProperty("revision").GetInt64();
            }));

            Assert.Equal(Enumerable.Range(1, 50).Select(i => head + i), revisions.Order());
            await Poll.UntilAsync(async () => (await other.RevisionAsync()).Revision == head + 50, TimeSpan.FromSeconds(5), () => replica.Output);
            Assert.Equal((head + 50, (await mesh.Api.RevisionAsync()).Hash), ((await other.RevisionAsync()).Revision, (await other.RevisionAsync()).Hash));
            foreach (var revision in revisions)
            {
                Assert.Equal(await HashAtAsync(mesh.Api, revision), await HashAtAsync(other, revision));
            }

            var history = "/api/history?limit=50";
            using var mine = await mesh.Api.Http.GetAsync(history);
            using var theirs = await other.Http.GetAsync(history);
            Assert.True(mine.IsSuccessStatusCode && theirs.IsSuccessStatusCode, $"{mine.StatusCode} {theirs.StatusCode}\n{mesh.Logs()[^Math.Min(6000, mesh.Logs().Length)..]}");
            Assert.Equal(await mine.Content.ReadAsStringAsync(), await theirs.Content.ReadAsStringAsync());
        }
        finally
        {
            foreach (var i in Enumerable.Range(0, 50))
            {
                using var _ = await mesh.Api.Http.DeleteAsync($"/api/services/load-{i}?confirm=true");
            }

            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task RemoveServiceAndAddRouteToIt_OnTwoReplicasAtOnce_NeverAnInvalidHead()
    {
        var (replicaUrl, replica) = await mesh.StartPortalReplicaAsync();
        using var other = new MeshApi(replicaUrl, mesh.ApiKey);
        try
        {
            for (var round = 0; round < 200; round++)
            {
                await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/services", ServiceJson("race"));
                var attempts = await Task.WhenAll(
                    Task.Run(() => mesh.Api.Http.DeleteAsync("/api/services/race?confirm=true")),
                    Task.Run(() => other.SendAsync(HttpMethod.Post, "/api/routes",
                        """{"id":"race","match":{"hosts":["race.mesh"]},"backends":[{"service":"race","subset":"v1","weight":100}]}""")));
                var answers = await Task.WhenAll(attempts.Select(async a => $"{(int)a.StatusCode} {await a.Content.ReadAsStringAsync()}"));
                var succeeded = attempts.Count(a => a.IsSuccessStatusCode);
                attempts.ToList().ForEach(a => a.Dispose());

                Assert.True(succeeded == 1, $"round {round}: {string.Join(" | ", answers)}");
                var head = Math.Max((await mesh.Api.RevisionAsync()).Revision, (await other.RevisionAsync()).Revision);
                var config = await ConfigAtAsync(other, head);
                await ConfigAtAsync(mesh.Api, head);
                Assert.Equal(await HashAtAsync(other, head), await HashAtAsync(mesh.Api, head));
                Assert.Empty(MeshValidator.Validate(config));

                if (config.Routes.Any(r => r.Id == "race"))
                {
                    using var removed = await mesh.Api.Http.DeleteAsync("/api/routes/race?confirm=true");
                    Assert.True(removed.IsSuccessStatusCode, $"round {round}: removing the route answered {removed.StatusCode}");
                }
            }

            using (var cleanup = await mesh.Api.Http.DeleteAsync("/api/services/race?confirm=true"))
            {
                Assert.True(cleanup.IsSuccessStatusCode || cleanup.StatusCode == System.Net.HttpStatusCode.NotFound, $"cleanup: {cleanup.StatusCode}");
            }

            var final = (await mesh.Api.RevisionAsync()).Revision;
            await mesh.WaitAllSyncedAsync(final);
            // Gateways other tests of this mesh stopped stay listed as DISCONNECTED for a while: every live one is SYNCED.
            Assert.All((await mesh.Api.GatewaysAsync()).Where(g => g.State != "DISCONNECTED"),
                g => Assert.Equal(("SYNCED", null, final), (g.State, g.LastError, g.AppliedRevision)));
        }
        finally
        {
            await replica.DisposeAsync();
        }
    }

    private static async Task<string?> HashAtAsync(MeshApi api, long revision) =>
        JsonDocument.Parse(await api.Http.GetStringAsync($"/api/revisions/{revision}")).RootElement.GetProperty("hash").GetString();

    private static async Task<MeshConfig> ConfigAtAsync(MeshApi api, long revision)
    {
        await Poll.UntilAsync(async () => (await api.RevisionAsync()).Revision >= revision, TimeSpan.FromSeconds(5), () => "replica lagging");
        var at = JsonDocument.Parse(await api.Http.GetStringAsync($"/api/revisions/{revision}")).RootElement;
        return at.GetProperty("config").Deserialize<MeshConfig>(MeshJson.Options)!;
    }
}
