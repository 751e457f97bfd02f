using System.Text;
using Xunit.Sdk;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// Exact comparison against files in Planning/Golden. A missing file, or UPDATE_GOLDEN=1, (re)writes the file in the
/// source tree and fails so that the new output gets reviewed before it is committed.
/// </summary>
internal static class GoldenFile
{
    private const string SolutionFile = "WebConsole.sln";
    private const string RelativeFolder = "tests/MeshConsole.Domain.Tests/Planning/Golden";

    /// <summary>The copy next to the test assembly (CopyToOutputDirectory).</summary>
    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "Planning", "Golden");

    public static string SourceFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return Path.Combine(dir.FullName, RelativeFolder);
            throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
        }
    }

    public static bool UpdateRequested => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static IEnumerable<string> SourceFiles(string pattern) =>
        Directory.EnumerateFiles(SourceFolder, pattern).Order(StringComparer.Ordinal);

    public static void AssertMatches(string fileName, string actual)
    {
        var expectedPath = Path.Combine(OutputFolder, fileName);
        if (UpdateRequested || !File.Exists(expectedPath))
        {
            var sourcePath = Path.Combine(SourceFolder, fileName);
            var previous = File.Exists(sourcePath) ? File.ReadAllText(sourcePath) : null;
            Directory.CreateDirectory(SourceFolder);
            File.WriteAllText(sourcePath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            if (previous == actual && UpdateRequested) return; // nothing changed: an update run stays green for this file
            throw new XunitException(
                $"Golden file {fileName} was {(previous is null ? "written" : "rewritten")} at {sourcePath}. " +
                "Review it, then run the tests again without UPDATE_GOLDEN.");
        }

        var expected = File.ReadAllText(expectedPath);
        if (expected == actual) return;
        throw new XunitException($"Output differs from golden file {fileName} (rerun with UPDATE_GOLDEN=1 to accept):\n{Diff(expected, actual)}");
    }

    /// <summary>The first differing lines with some context, in a unified-diff-like layout.</summary>
    internal static string Diff(string expected, string actual, int context = 3, int maxLines = 20)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var first = 0;
        while (first < e.Length && first < a.Length && e[first] == a[first]) first++;
        var tailE = e.Length - 1;
        var tailA = a.Length - 1;
        while (tailE >= first && tailA >= first && e[tailE] == a[tailA]) { tailE--; tailA--; }

        var from = Math.Max(0, first - context);
        var diff = new StringBuilder()
            .Append("--- golden\n+++ actual\n")
            .Append($"@@ -{from + 1},{tailE - from + 1} +{from + 1},{tailA - from + 1} @@\n");
        for (var i = from; i < first; i++) diff.Append(' ').Append(e[i]).Append('\n');
        for (var i = first; i <= tailE && i < first + maxLines; i++) diff.Append('-').Append(Visible(e[i])).Append('\n');
        if (tailE - first + 1 > maxLines) diff.Append($"-... ({tailE - first + 1 - maxLines} more)\n");
        for (var i = first; i <= tailA && i < first + maxLines; i++) diff.Append('+').Append(Visible(a[i])).Append('\n');
        if (tailA - first + 1 > maxLines) diff.Append($"+... ({tailA - first + 1 - maxLines} more)\n");
        return diff.ToString();
    }

    private static string Visible(string line) => line.Replace("\r", "\\r", StringComparison.Ordinal);
}
