using System.Globalization;
using DiffPlex;

namespace MeshConsole.Domain.Cluster;

public enum DiffLineKind
{
    Context,
    Added,
    Removed,
    /// <summary>Unchanged lines left out; <see cref="DiffLine.Text"/> is how many, in invariant digits.</summary>
    Gap,
}

public sealed record DiffLine(DiffLineKind Kind, string Text);

/// <summary>No changes: <see cref="Lines"/> is empty.</summary>
public sealed record ObjectDiffResult(bool HasChanges, IReadOnlyList<DiffLine> Lines);

public static class ObjectDiff
{
    /// <summary>
    /// A unified diff by line: each change with up to <paramref name="context"/> unchanged lines around it, and a
    /// <see cref="DiffLineKind.Gap"/> wherever unchanged lines are left out. Line ends (\n or \r\n) do not count.
    /// </summary>
    public static ObjectDiffResult Unified(string before, string after, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfNegative(context);

        var diff = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, WholeLineChunker.Instance);
        if (diff.DiffBlocks.Count == 0) return new ObjectDiffResult(false, []);

        var all = new List<DiffLine>();
        int oldIndex = 0, newIndex = 0;
        foreach (var block in diff.DiffBlocks.OrderBy(b => b.DeleteStartA))
        {
            while (oldIndex < block.DeleteStartA)
            {
                all.Add(new DiffLine(DiffLineKind.Context, diff.PiecesOld[oldIndex++]));
                newIndex++;
            }
            for (var i = 0; i < block.DeleteCountA; i++) all.Add(new DiffLine(DiffLineKind.Removed, diff.PiecesOld[oldIndex++]));
            for (var i = 0; i < block.InsertCountB; i++) all.Add(new DiffLine(DiffLineKind.Added, diff.PiecesNew[newIndex++]));
        }
        while (oldIndex < diff.PiecesOld.Count) all.Add(new DiffLine(DiffLineKind.Context, diff.PiecesOld[oldIndex++]));

        return new ObjectDiffResult(true, Collapse(all, context));
    }

    private static List<DiffLine> Collapse(List<DiffLine> all, int context)
    {
        var keep = new bool[all.Count];
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].Kind == DiffLineKind.Context) continue;
            for (var j = Math.Max(0, i - context); j <= Math.Min(all.Count - 1, i + context); j++) keep[j] = true;
        }
        var lines = new List<DiffLine>();
        var skipped = 0;
        for (var i = 0; i < all.Count; i++)
        {
            if (!keep[i])
            {
                skipped++;
                continue;
            }
            if (skipped > 0) lines.Add(Gap(skipped));
            skipped = 0;
            lines.Add(all[i]);
        }
        if (skipped > 0) lines.Add(Gap(skipped));
        return lines;
    }

    private static DiffLine Gap(int count) => new(DiffLineKind.Gap, count.ToString(CultureInfo.InvariantCulture));

    /// <summary>Lines without their ends; an empty text has no lines and a final line end opens no empty last line.</summary>
    private sealed class WholeLineChunker : IChunker
    {
        public static readonly WholeLineChunker Instance = new();

        public IReadOnlyList<string> Chunk(string text)
        {
            if (text.Length == 0) return [];
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            return lines[^1].Length == 0 ? lines[..^1] : lines;
        }
    }
}
