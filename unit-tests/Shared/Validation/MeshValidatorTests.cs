using MeshPortal.Shared.Config;
using MeshPortal.Shared.Validation;

namespace MeshPortal.UnitTests.Shared.Validation;

public sealed class MeshValidatorTests
{
    [Fact]
    public void Validate_DemoMesh_NoErrors() => Assert.Empty(MeshValidator.Validate(TestConfigs.Demo()));

    [Fact]
    public void Validate_DuplicateRouteIds_Refused()
    {
        var demo = TestConfigs.Demo();
        var config = demo with { Routes = [.. demo.Routes, demo.Routes[0] with { Order = 5 }] };
        Assert.Contains(MeshValidator.Validate(config), e => e.Field == "routes[catalog].id" && e.Message.Contains("duplicate"));
    }

    [Fact]
    public void Validate_TwoRoutesSameMatchAndOrder_Refused()
    {
        var demo = TestConfigs.Demo();
        var shadow = demo.Routes[1] with { Match = demo.Routes[0].Match };
        var errors = MeshValidator.Validate(demo with { Routes = [demo.Routes[0], shadow] });
        Assert.Contains(errors, e => e.Field == "routes[inventory].match" && e.Message.Contains("'catalog'"));
    }

    [Fact]
    public void ValidateRoute_MatchOfAnotherRoute_RefusedAsValidateDoes()
    {
        var demo = TestConfigs.Demo();
        var index = demo.Routes.ToDictionary(MeshValidator.MatchKey, r => r.Id);
        var shadow = demo.Routes[1] with { Match = demo.Routes[0].Match };

        var errors = MeshValidator.ValidateRoute(shadow, demo.ServicesByName(), index);

        Assert.Contains(errors, e => e.Field == "routes[inventory].match" && e.Message.Contains("'catalog'"));
        Assert.Empty(MeshValidator.ValidateRoute(demo.Routes[0] with { Order = 0 }, demo.ServicesByName(), index));
    }

    [Fact]
    public void ValidateRoute_UnknownSubset_KeyedAsValidateKeysIt()
    {
        var demo = TestConfigs.Demo();
        var route = TestConfigs.Route("catalog", ("catalog", "v7", 100));

        var errors = MeshValidator.ValidateRoute(route, demo.ServicesByName(), new Dictionary<string, string>());

        Assert.Contains(errors, e => e.Field == "routes[catalog].backends[0].subset");
    }

    [Theory]
    [InlineData("Catalog")]
    [InlineData("cat_alog")]
    [InlineData("-catalog")]
    [InlineData("")]
    public void Validate_ServiceNameNotDnsLabel_Refused(string name)
    {
        var config = new MeshConfig { Services = [TestConfigs.Service(name, "v1")] };
        Assert.Contains(MeshValidator.Validate(config), e => e.Field == $"services[{name}].name");
    }

    [Fact]
    public void Validate_InstanceAddressNotUrl_NamesInstance()
    {
        var service = TestConfigs.Service("catalog", "v1");
        service = service with { Subsets = [service.Subsets[0] with { Instances = [new InstanceConfig { Id = "x", Address = "localhost:80" }] }] };
        var error = Assert.Single(MeshValidator.Validate(new MeshConfig { Services = [service] }));
        Assert.Equal("services[catalog].subsets[0].instances[0].address", error.Field);
    }

    [Fact]
    public void Validate_InvalidHeaderRegex_NamesHeaderValue()
    {
        var demo = TestConfigs.Demo();
        var route = demo.Routes[0] with { Match = new RouteMatch { Hosts = ["catalog"], Headers = [new HeaderMatch { Name = "x-user", Value = "(", Regex = true }] } };
        var error = Assert.Single(MeshValidator.Validate(demo with { Routes = [route] }));
        Assert.Equal("routes[catalog].match.headers[0].value", error.Field);
    }

    [Fact]
    public void Validate_RouteValidatedBeforeThenItsServiceRemoved_RefusesTheBackend()
    {
        var demo = TestConfigs.Demo();
        Assert.Empty(MeshValidator.Validate(demo));

        var errors = MeshValidator.Validate(demo with { Services = [.. demo.Services.Where(s => s.Name != "inventory")] });

        Assert.Contains(errors, e => e.Field == "routes[inventory].backends[0].service");
    }

    [Fact]
    public void Validate_SameRoutesValidatedTwice_ShadowingStillRefused()
    {
        var demo = TestConfigs.Demo();
        var twin = demo.Routes[0] with { Id = "twin" };
        Assert.Empty(MeshValidator.Validate(demo));
        Assert.Empty(MeshValidator.Validate(demo with { Routes = [twin, demo.Routes[1]] }));

        var errors = MeshValidator.Validate(demo with { Routes = [.. demo.Routes, twin] });

        Assert.Contains(errors, e => e.Field == "routes[twin].match");
    }
}
