using System.ComponentModel.DataAnnotations;
using MeshPortal.Shared.Fleet;

namespace MeshPortal.Portal.Fleet;

/// <summary>How traffic between nodes travels in this mesh (section <c>Portal:Mesh</c>, env <c>Portal__Mesh__TransportMode</c>).</summary>
public sealed class TransportOptions
{
    public const string Section = "Portal:Mesh";

    /// <summary>
    /// strict (the default): a request that leaves its node goes only over mTLS between gateways.
    /// permissive: to a node whose gateway takes no hops it goes in plain, straight to the instance (for migrating).
    /// </summary>
    [AllowedValues(TransportModes.Strict, TransportModes.Permissive)]
    public string TransportMode { get; set; } = TransportModes.Strict;
}
