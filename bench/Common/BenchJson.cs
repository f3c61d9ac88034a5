using System.Text.Json;
using MeshPortal.Shared.Serialization;

namespace MeshPortal.Bench.Common;

/// <summary>How the bench programs hand their figures to the runner: one JSON file each.</summary>
public static class BenchJson
{
    public static async Task WriteAsync<T>(string path, T value) =>
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(value, MeshJson.Options));

    public static async Task<T> ReadAsync<T>(string path) =>
        JsonSerializer.Deserialize<T>(await File.ReadAllTextAsync(path), MeshJson.Options)
            ?? throw new InvalidDataException($"{path} holds no result");
}
