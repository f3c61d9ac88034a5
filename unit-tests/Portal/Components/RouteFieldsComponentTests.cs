using Bunit;
using MeshPortal.Portal.Components.Routing;
using MeshPortal.Portal.Projections;
using MeshPortal.Portal.Store;
using MeshPortal.Shared.Config;
using MudBlazor;
using MudBlazor.Services;

namespace MeshPortal.UnitTests.Portal.Components;

/// <summary>The editor's validation: the shared validators' errors on the draft, shown under the field they name.</summary>
public sealed class RouteFieldsComponentTests : IAsyncLifetime
{
    private static readonly RouteConfig Route = new()
    {
        Id = "catalog",
        Match = new RouteMatch { Hosts = ["catalog"] },
        Backends = [new BackendRef { Service = "catalog", Subset = "v1", Weight = 100 }],
    };

    private static readonly MeshState State = MeshState.Empty
        .Apply(new ServiceDefined(new ServiceConfig
        {
            Name = "catalog",
            Subsets = [new SubsetConfig { Name = "v1", Instances = [new InstanceConfig { Id = "c1", Address = "http://127.0.0.1:9", Node = "n1" }] }],
        }))
        .Apply(new RouteDefined(Route));

    private readonly BunitContext _context = new();

    public RouteFieldsComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Render<MudPopoverProvider>();
    }

    [Fact]
    public void Draft_PathWithoutSlash_ErrorUnderPathPrefixField()
    {
        var form = RouteForm.From(Route);
        form.PathPrefix = "api";
        var draft = RouteDraft.Of(State, Route, form);

        var fields = _context.Render<RouteFields>(p => p.Add(f => f.Form, form).Add(f => f.Errors, draft.Errors));

        var path = fields.Find("input[aria-label='Path prefix']");
        Assert.Equal("true", path.GetAttribute("aria-invalid"));
        Assert.Contains("must start with '/'", fields.Find(".mud-input-error").TextContent);
        Assert.Equal("false", fields.Find("input[aria-label='Hosts']").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void Draft_UnknownMethod_ErrorUnderMethodsOnly()
    {
        var form = RouteForm.From(Route);
        form.Methods = "GET, FETCH";
        var draft = RouteDraft.Of(State, Route, form);

        var fields = _context.Render<RouteFields>(p => p.Add(f => f.Form, form).Add(f => f.Errors, draft.Errors));

        Assert.Equal("true", fields.Find("input[aria-label='Methods']").GetAttribute("aria-invalid"));
        Assert.Equal("false", fields.Find("input[aria-label='Path prefix']").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void Draft_ValidChange_NoErrorsAndPreviewNamesTheField()
    {
        var form = RouteForm.From(Route);
        form.Hosts = "catalog, shop";

        var draft = RouteDraft.Of(State, Route, form);

        Assert.Empty(draft.Errors);
        Assert.Contains(draft.Preview, d => d.Path.Contains("hosts", StringComparison.Ordinal));
    }

    [Fact]
    public void TypeInField_Hosts_FormUpdatedAndChangedRaised()
    {
        var form = RouteForm.From(Route);
        var changes = 0;
        var fields = _context.Render<RouteFields>(p => p.Add(f => f.Form, form).Add(f => f.Changed, () => changes++));

        fields.Find("input[aria-label='Hosts']").Change("shop");

        Assert.Equal("shop", form.Hosts);
        Assert.Equal(1, changes);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-disposable only.
    public async Task DisposeAsync() => await _context.DisposeAsync();
}
