using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace MeshPortal.E2ETests.Gateway;

[Collection(GatewayMeshCollection.Name)]
public sealed class RateLimitTests(GatewayMeshFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task TenPerSecondLimit_FortyPerSecondSent_TenPerSecondPassRestGet429WithRetryAfter()
    {
        var mesh = fixture.Mesh;
        var created = await mesh.Api.SendOkAsync(HttpMethod.Post, "/api/routes",
            """{"id":"limited","match":{"hosts":["limited"]},"backends":[{"service":"inventory","subset":"v1","weight":100}],"policies":{"rateLimit":{"requestsPerSecond":10}}}""");
        await mesh.WaitAllSyncedAsync(created.GetProperty("revision").GetInt64());
        try
        {
            using var http = new HttpClient();
            var answers = new List<(HttpStatusCode Status, TimeSpan? RetryAfter)>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 120; i++)
            {
                // 40 requests/s for 3 s, paced.
                var wait = TimeSpan.FromMilliseconds(25 * i) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, $"{mesh.Gateways[0].ProxyUrl}/") { Headers = { Host = "limited" } };
                using var response = await http.SendAsync(request);
                answers.Add((response.StatusCode, response.Headers.RetryAfter?.Delta));
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var passed = answers.Count(a => a.Status == HttpStatusCode.OK);
            var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
            output.WriteLine($"{answers.Count} requests in {seconds:0.00} s: {passed} passed ({passed / seconds:0.0}/s, a bucket of 10 included), " +
                $"{limited.Count} answered 429 with Retry-After {string.Join(",", limited.Select(a => a.RetryAfter?.TotalSeconds).Distinct())} s");
            Assert.Equal(answers.Count, passed + limited.Count);
            Assert.InRange(passed, (int)(10 * seconds) - 2, (int)(10 * seconds) + 10 + 2);
            Assert.All(limited, a => Assert.True(a.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {a.RetryAfter}"));
        }
        finally
        {
            var deleted = await mesh.Api.SendOkAsync(HttpMethod.Delete, "/api/routes/limited?confirm=true", "{}");
            await mesh.WaitAllSyncedAsync(deleted.GetProperty("revision").GetInt64());
        }
    }
}
