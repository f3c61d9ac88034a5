using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MeshPortal.E2ETests.Infrastructure;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>
/// A bounded fuzz run of the YAML import and the JSON writes against the real portal: generated
/// hostile documents never get a 5xx, every refusal is problem+json and changes nothing, and the
/// portal neither dies nor grows. The seed is printed; MESH_FUZZ_SEED replays a run.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class InputFuzzTests(MeshFixture mesh, ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);
    private const long MaxGrowthBytes = 100L * 1024 * 1024;

    [Fact]
    public async Task Fuzz_GeneratedYamlAndJson_No5xxProblemJsonRevisionStillPortalBounded()
    {
        var seed = Environment.GetEnvironmentVariable("MESH_FUZZ_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay with MESH_FUZZ_SEED={seed})");
        var original = await mesh.Api.Http.GetStringAsync("/api/config");
        var route = await mesh.Api.Http.GetStringAsync("/api/routes/catalog");
        var routeJson = System.Text.Json.JsonDocument.Parse(route).RootElement.GetProperty("route").GetRawText();
        var serviceJson = await mesh.Api.Http.GetStringAsync("/api/services/catalog");
        var fuzzer = new InputFuzzer(new Random(seed), original, routeJson, serviceJson);
        var rssBefore = mesh.Portal.ResidentBytes;
        var counts = new Dictionary<int, int>();
        var changed = false;
        var times = new Dictionary<string, TimeSpan>();
        var watch = Stopwatch.StartNew();
        try
        {
            for (var i = 0; watch.Elapsed < Budget; i++)
            {
                var started = watch.Elapsed;
                var input = fuzzer.Next();
                var before = await mesh.Api.RevisionAsync();
                using var request = new HttpRequestMessage(input.Method, input.Path) { Content = new StringContent(input.Body, Encoding.UTF8, input.ContentType) };
                using var response = await mesh.Api.Http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                times[input.Kind.Split(' ')[0]] = times.GetValueOrDefault(input.Kind.Split(' ')[0]) + watch.Elapsed - started;
                counts[status] = counts.GetValueOrDefault(status) + 1;
                var what = $"seed {seed}, input {i} ({input.Kind}, {input.Body.Length} chars) → {status}: {Cut(body)}\n--- body ---\n{Cut(input.Body)}";

                Assert.True(status < 500, $"{what}\n--- portal ---\n{Tail(mesh.Portal.Output)}");
                Assert.False(mesh.Portal.HasExited, what);
                if (response.IsSuccessStatusCode)
                {
                    changed = true;
                    continue;
                }

                Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Conflict
                    or HttpStatusCode.RequestEntityTooLarge, what);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(before == await mesh.Api.RevisionAsync(), $"revision moved on a refusal: {what}");
            }
        }
        finally
        {
            if (changed)
            {
                using var restore = await mesh.Api.Http.PutAsync("/api/config?reason=fuzz%20restore&confirm=true", new StringContent(original, Encoding.UTF8, "application/yaml"));
                Assert.True(restore.IsSuccessStatusCode, await restore.Content.ReadAsStringAsync());
            }
        }

        var growth = mesh.Portal.ResidentBytes - rssBefore;
        output.WriteLine($"{counts.Values.Sum()} inputs: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value}× {c.Key}"))}; portal RSS grew {growth / 1024 / 1024} MB");
        output.WriteLine(string.Join(", ", times.Select(t => $"{t.Key} {t.Value.TotalMilliseconds:F0} ms")));
        Assert.False(mesh.Portal.HasExited);
        Assert.True(growth < MaxGrowthBytes, $"seed {seed}: portal RSS grew {growth / 1024 / 1024} MB");
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    private static string Cut(string text) => text.Length <= 600 ? text : text[..600] + $"… ({text.Length} chars)";
}
