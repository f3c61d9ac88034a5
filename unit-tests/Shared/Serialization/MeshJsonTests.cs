using System.Text.Json;
using MeshPortal.Shared.Config;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.UnitTests.Shared.Serialization;

public sealed class MeshJsonTests
{
    [Fact]
    public void Deserialize_DuplicateKey_RefusedWithPath()
    {
        var ex = Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<BackendRef>("""{"service":"a","subset":"v1","weight":1,"weight":2}""", MeshJson.Options));

        Assert.Equal("$.weight", ex.Path);
    }

    [Fact]
    public void Deserialize_NumberAsString_RefusedWithPath()
    {
        var ex = Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<BackendRef>("""{"service":"a","subset":"v1","weight":"5"}""", MeshJson.Options));

        Assert.Equal("$.weight", ex.Path);
    }

    [Fact]
    public void Deserialize_DeeperThanMaxDepth_Refused()
    {
        var json = new string('[', 100) + new string(']', 100);

        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<JsonElement>(json, MeshJson.Options));

        Assert.Contains($"depth of {MeshJson.MaxDepth}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_Snapshot_StillReadsWhatItWrites()
    {
        var snapshot = MeshSnapshot.Create(7, TestConfigs.Demo());

        var read = JsonSerializer.Deserialize<MeshSnapshot>(JsonSerializer.Serialize(snapshot, MeshJson.Options), MeshJson.Options)!;

        Assert.Equal(snapshot.Hash, read.Hash);
        Assert.Equal(CanonicalJson.Hash(snapshot.Config), CanonicalJson.Hash(read.Config));
    }
}
