using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.UnitTests.Shared.Validation;

public sealed class PolicyValidatorTests
{
    private static IReadOnlyList<ValidationError> Validate(RoutePolicies policies)
    {
        var errors = new ErrorCollector("policies");
        PolicyValidator.Validate(policies, errors);
        return errors.Errors;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3_600_001)]
    public void Validate_TimeoutOutOfRange_Refused(int timeout) =>
        Assert.Equal("policies.timeoutMs", Assert.Single(Validate(new RoutePolicies { TimeoutMs = timeout })).Field);

    [Fact]
    public void Validate_MoreThanTenRetries_Refused() =>
        Assert.Equal("policies.retries.attempts", Assert.Single(Validate(new RoutePolicies { Retries = new RetryPolicy { Attempts = 11 } })).Field);

    [Fact]
    public void Validate_UnknownLoadBalancing_ListsKnownPolicies() =>
        Assert.Contains("PowerOfTwoChoices", Assert.Single(Validate(new RoutePolicies { LoadBalancing = "Fastest" })).Message);

    [Fact]
    public void Validate_AllPoliciesSensible_NoErrors() => Assert.Empty(Validate(new RoutePolicies
    {
        TimeoutMs = 2000,
        Retries = new RetryPolicy { Attempts = 3, PerTryTimeoutMs = 500 },
        CircuitBreaker = new CircuitBreakerPolicy { ConsecutiveFailures = 5, EjectSeconds = 10 },
        RateLimit = new RateLimitPolicy { RequestsPerSecond = 10, Burst = 5 },
        Fault = new FaultPolicy { DelayMs = 100, DelayPercent = 10, AbortStatus = 503, AbortPercent = 1 },
    }));
}
