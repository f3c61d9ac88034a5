using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.UnitTests.Shared.Validation;

public sealed class AccessValidatorTests
{
    private static IReadOnlyList<ValidationError> Validate(params string[] allow)
    {
        var errors = new ErrorCollector("access");
        AccessValidator.Validate(new AccessPolicy { Allow = allow }, errors);
        return errors.Errors;
    }

    [Theory]
    [InlineData("*")]
    [InlineData("catalog")]
    [InlineData("catalog", "external")]
    public void Validate_ServiceNamesOrEveryone_NoErrors(params string[] allow) => Assert.Empty(Validate(allow));

    [Fact]
    public void Validate_Nobody_NoErrors() => Assert.Empty(Validate());

    [Fact]
    public void Validate_EveryoneWithNames_NamesTheEntry()
    {
        var error = Assert.Single(Validate("catalog", "*"));

        Assert.Equal("access.allow[1]", error.Field);
        Assert.Contains("stands alone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadAndRepeatedNames_EachNamed()
    {
        var errors = Validate("Catalog!", "cart", "cart");

        Assert.Equal(["access.allow[0]", "access.allow[2]"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_TooManyCallers_OneError()
    {
        var error = Assert.Single(Validate([.. Enumerable.Range(0, AccessValidator.MaxCallers + 1).Select(i => $"svc-{i}")]));

        Assert.Equal("access.allow", error.Field);
    }

    [Fact]
    public void For_EveryoneOrUnsorted_DefaultOrSortedDistinct()
    {
        Assert.Null(AccessPolicy.For(["*"]));
        Assert.Equal(["a", "b"], AccessPolicy.For(["b", "a", "b"])!.Allow);
        Assert.Empty(AccessPolicy.For([])!.Allow);
    }
}
