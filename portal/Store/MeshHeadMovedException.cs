namespace MeshPortal.Portal.Store;

/// <summary>
/// The mesh revision moved past the head a writer validated against, through streams the writer
/// did not touch: revalidate at the new head and try again.
/// </summary>
public sealed class MeshHeadMovedException(long expectedHead)
    : Exception($"the mesh moved past revision {expectedHead} while the change was being committed")
{
    public long ExpectedHead { get; } = expectedHead;
}
