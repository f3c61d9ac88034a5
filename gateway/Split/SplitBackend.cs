namespace MeshPortal.Gateway.Split;

/// <summary>One weighted target of a route, as the split knows it.</summary>
internal sealed record SplitBackend(string Service, string Subset, int Weight)
{
    public override string ToString() => $"{Service}/{Subset}={Weight}";
}
