namespace MeshPortal.E2ETests.Infrastructure;

/// <summary>Where the built programs are: the same configuration as this test assembly.</summary>
public static class Paths
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("MESH_ROOT") ?? FindRoot();

    private static string Configuration { get; } =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";

    public static string Portal => Dll("portal", "MeshPortal.Portal");
    public static string Gateway => Dll("gateway", "MeshPortal.Gateway");
    public static string Shop => Dll("samples/Shop", "MeshPortal.Samples.Shop");

    public static string Screenshots => Directory.CreateDirectory(Path.Combine(Root, "e2e-tests", "screenshots")).FullName;

    private static string Dll(string project, string name)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", name + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: run ./mesh test");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MeshPortal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find MeshPortal.sln above the test assembly; set MESH_ROOT");
    }
}
