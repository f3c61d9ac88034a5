namespace MeshPortal.Bench.Runner.DataPlane;

/// <summary>What wrk is pointed at; <see cref="Pid"/> is the proxy charged for CPU (none for the backend itself).</summary>
internal sealed record Target(string Name, string Url, int? Pid);
