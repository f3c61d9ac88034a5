using MeshPortal.Gateway.State;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.UnitTests.Gateway.State;

public sealed class LastKnownGoodStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mesh-lkg-{Guid.NewGuid():N}");

    [Fact]
    public void Load_NothingSaved_Null()
    {
        Assert.Null(new LastKnownGoodStore(_directory).Load());
    }

    [Fact]
    public void Save_ThenLoad_SameRevisionHashAndConfig()
    {
        var store = new LastKnownGoodStore(Path.Combine(_directory, "nested"));
        var snapshot = GatewayTestData.Snapshot(42);

        store.Save(snapshot);
        var loaded = new LastKnownGoodStore(Path.Combine(_directory, "nested")).Load();

        Assert.NotNull(loaded);
        Assert.Equal(42, loaded.Revision);
        Assert.Equal(snapshot.Hash, loaded.Hash);
        Assert.Equal(snapshot.Hash, CanonicalJson.Hash(loaded.Config));
    }

    [Fact]
    public void Save_Twice_LatestWinsAndNoTemporaryFileLeft()
    {
        var store = new LastKnownGoodStore(_directory);

        store.Save(GatewayTestData.Snapshot(1));
        store.Save(GatewayTestData.Snapshot(2, GatewayTestData.Config(50, 50)));

        Assert.Equal(2, store.Load()!.Revision);
        Assert.Equal([LastKnownGoodStore.FileName], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Load_CorruptFile_Throws()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, LastKnownGoodStore.FileName), "{ not json");

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => new LastKnownGoodStore(_directory).Load());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
