namespace MeshPortal.Gateway.Hosting;

/// <summary>
/// A token kept in a file, as a mounted Kubernetes Secret is: the content trimmed (a Secret written
/// with a trailing newline is the same token). Errors name the setting and the path, never the content.
/// </summary>
internal static class SecretFile
{
    /// <summary>Why <paramref name="path"/> cannot serve as setting <paramref name="setting"/>, or null when it holds a token.</summary>
    public static string? Problem(string setting, string path)
    {
        if (!File.Exists(path))
        {
            return $"{setting} file '{path}' does not exist (env {Env(setting)}).";
        }

        try
        {
            return Read(path) is null ? $"{setting} file '{path}' is empty (env {Env(setting)})." : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{setting} file '{path}' cannot be read (env {Env(setting)}): {ex.Message}";
        }
    }

    /// <summary>The trimmed token, or null when the file holds only white space; throws when it is missing or unreadable.</summary>
    public static string? Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// Writes <paramref name="token"/> readable by this user only (0600), atomically: a crash
    /// mid-write leaves no half token, and the file is never readable by others, not even briefly.
    /// </summary>
    public static void Write(string path, string token)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.Delete(temporary);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(token);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Env(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);
}
