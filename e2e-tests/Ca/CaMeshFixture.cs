using MeshPortal.E2ETests.Infrastructure;

namespace MeshPortal.E2ETests.Ca;

/// <summary>
/// A mesh of its own whose gateway certificates live <see cref="Lifetime"/> only, so renewals
/// happen every few seconds while the tests watch; the shared mesh keeps the 24 h default.
/// </summary>
public sealed class CaMeshFixture : IAsyncLifetime
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(6);

    public MeshFixture Mesh { get; } = new(new Dictionary<string, string>(), ("Portal__MeshCa__CertificateLifetime", Lifetime.ToString()));

    public Task InitializeAsync() => Mesh.InitializeAsync();

    public Task DisposeAsync() => Mesh.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class CaMeshCollection : ICollectionFixture<CaMeshFixture>
{
    public const string Name = "ca-mesh";
}
