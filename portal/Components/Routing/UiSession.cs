using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MeshPortal.Portal.Components.Routing;

/// <summary>Who is at the other end of a browser circuit, for the metadata of the events it appends.</summary>
public sealed class UiSession
{
    public string? ClientAddress { get; set; }
}

/// <summary>Notes the browser's address when its circuit connects (the only moment an HttpContext exists).</summary>
public sealed class UiSessionCircuitHandler(UiSession session, IHttpContextAccessor http) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        session.ClientAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? session.ClientAddress;
        return Task.CompletedTask;
    }
}
