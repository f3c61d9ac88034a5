using System.Net;
using MeshPortal.Shared.Config;
using MeshPortal.UnitTests.Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace MeshPortal.UnitTests.Gateway.Health;

/// <summary>The circuit breaker and active health checks through a real gateway, on a virtual clock.</summary>
public sealed class CircuitBreakerTests
{
    private const string FailingHealthy = "mesh_gateway_destination_healthy{route=\"catalog\",service=\"catalog\",subset=\"v1\",instance=\"failing\"} ";

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Get_InstanceFailsTwiceInARow_EjectedUntilEjectTimePasses()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate>
            {
                ["failing"] = context => { context.Response.StatusCode = 500; return Task.CompletedTask; },
                ["good"] = context => context.Response.WriteAsync("good"),
            },
            addresses => GatewayTestData.OneSubset(addresses, new RoutePolicies
            {
                CircuitBreaker = new CircuitBreakerPolicy { ConsecutiveFailures = 2, EjectSeconds = 30 },
            }),
            _time);

        var failures = 0;
        while (failures < 1)
        {
            failures += (await host.Proxy.SendAsync(Catalog())).StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        Assert.Contains(FailingHealthy + "1\n", await host.Admin.GetStringAsync("/metrics"));

        // YARP takes the instance out just after the ejection, on another thread: a request or two may still reach it.
        for (var i = 0; i < 50 && !(await host.Admin.GetStringAsync("/metrics")).Contains(FailingHealthy + "0\n"); i++)
        {
            failures += (await host.Proxy.SendAsync(Catalog())).StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        // Round-robin over both instances would fail every other request: 20 good answers in a row need the ejection.
        var streak = 0;
        for (var i = 0; i < 100 && streak < 20; i++)
        {
            streak = (await host.Proxy.SendAsync(Catalog())).StatusCode == HttpStatusCode.OK ? streak + 1 : 0;
        }

        Assert.True(failures >= 2, $"{failures} failures");
        Assert.Equal(20, streak);
        Assert.Contains("mesh_gateway_ejections_total{route=\"catalog\"} 1\n", await host.Admin.GetStringAsync("/metrics"));

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Contains(FailingHealthy + "1\n", await host.Admin.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Get_InstanceFailsItsHealthProbe_TakenOutOfRotation()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, RequestDelegate>
            {
                ["failing"] = context =>
                {
                    context.Response.StatusCode = context.Request.Path == "/healthz" ? 503 : 200;
                    return context.Response.WriteAsync("failing");
                },
                ["good"] = context => context.Response.WriteAsync("good"),
            },
            addresses => GatewayTestData.OneSubset(addresses, new RoutePolicies
            {
                HealthCheck = new HealthCheckPolicy { Path = "/healthz", IntervalSeconds = 1, UnhealthyThreshold = 1 },
            }),
            _time);

        // The first probes go out as soon as the config is applied; later ones follow the virtual clock.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await host.Admin.GetStringAsync("/metrics")).Contains(FailingHealthy + "0\n") && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        // YARP marks the destination before it recomputes the cluster's available destinations, so
        // the gauge can read 0 a moment before routing follows: judge the rotation by the answers.
        var answers = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            answers.Clear();
            for (var i = 0; i < 10; i++)
            {
                using var response = await host.Proxy.SendAsync(Catalog());
                answers.Add(await response.Content.ReadAsStringAsync());
            }

            if (answers.All(a => a == "good"))
            {
                break;
            }
        }

        Assert.All(answers, a => Assert.Equal("good", a));
    }

    private static HttpRequestMessage Catalog() => new(HttpMethod.Get, "/") { Headers = { Host = "catalog" } };
}
