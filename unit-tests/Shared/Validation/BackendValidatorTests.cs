using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.UnitTests.Shared.Validation;

public sealed class BackendValidatorTests
{
    private static IReadOnlyList<ValidationError> Validate(params (string Service, string Subset, int Weight)[] backends)
    {
        var errors = new ErrorCollector();
        BackendValidator.Validate(TestConfigs.Route("r", backends).Backends, TestConfigs.Demo(), errors);
        return errors.Errors;
    }

    [Fact]
    public void Validate_KnownSubsetsPositiveWeights_NoErrors() =>
        Assert.Empty(Validate(("catalog", "v1", 90), ("catalog", "v2", 10)));

    [Fact]
    public void Validate_OneWeightZero_Allowed() =>
        Assert.Empty(Validate(("catalog", "v1", 100), ("catalog", "v2", 0)));

    [Fact]
    public void Validate_UnknownSubset_NamesFieldAndKnownSubsets()
    {
        var error = Assert.Single(Validate(("catalog", "v9", 100)));
        Assert.Equal("backends[0].subset", error.Field);
        Assert.Contains("'v9'", error.Message);
        Assert.Contains("known: v1, v2", error.Message);
    }

    [Fact]
    public void Validate_UnknownService_NamesServiceField() =>
        Assert.Equal("backends[1].service", Assert.Single(Validate(("catalog", "v1", 1), ("nosuch", "v1", 1))).Field);

    [Fact]
    public void Validate_AllWeightsZero_Refused() =>
        Assert.Equal("backends", Assert.Single(Validate(("catalog", "v1", 0), ("catalog", "v2", 0))).Field);

    [Fact]
    public void Validate_NegativeWeight_NamesWeightField() =>
        Assert.Equal("backends[0].weight", Assert.Single(Validate(("catalog", "v1", -1), ("catalog", "v2", 10))).Field);

    [Fact]
    public void Validate_NoBackends_Refused()
    {
        var errors = new ErrorCollector();
        BackendValidator.Validate([], TestConfigs.Demo(), errors);
        Assert.Equal("backends", Assert.Single(errors.Errors).Field);
    }

    [Fact]
    public void Validate_SameSubsetTwice_Refused() =>
        Assert.Contains(Validate(("catalog", "v1", 1), ("catalog", "v1", 1)), e => e.Field == "backends[1].subset");
}
