using MeshConsole.Domain.Cluster;

namespace MeshConsole.Domain.Tests.Cluster;

public class ObjectDiffTests
{
    /// <summary>Lines as "kind text": " x" context, "+x" added, "-x" removed, "@N" a gap of N lines.</summary>
    private static string Render(ObjectDiffResult diff) => string.Join("|", diff.Lines.Select(l => l.Kind switch
    {
        DiffLineKind.Context => " " + l.Text,
        DiffLineKind.Added => "+" + l.Text,
        DiffLineKind.Removed => "-" + l.Text,
        _ => "@" + l.Text,
    }));

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    private static readonly string[] Alphabet = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"];

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        { "one change in the middle, 3 lines of context", Lines(Alphabet), Lines([.. Alphabet[..7], "H", .. Alphabet[8..]]), 3,
          "@4| e| f| g|-h|+H| i| j| k|@5" },
        { "context 1", Lines(Alphabet), Lines([.. Alphabet[..7], "H", .. Alphabet[8..]]), 1,
          "@6| g|-h|+H| i|@7" },
        { "context 0", Lines(Alphabet), Lines([.. Alphabet[..7], "H", .. Alphabet[8..]]), 0,
          "@7|-h|+H|@8" },
        { "changes near each other share one hunk", Lines(Alphabet), Lines([.. Alphabet[..3], "D", .. Alphabet[4..9], "J", .. Alphabet[10..]]), 3,
          " a| b| c|-d|+D| e| f| g| h| i|-j|+J| k| l| m|@3" },
        { "changes far apart get a gap between hunks", Lines(Alphabet), Lines(["A", .. Alphabet[1..15], "P"]), 2,
          "-a|+A| b| c|@10| n| o|-p|+P" },
        { "an exact 2×context run between changes is shown whole", Lines(Alphabet[..8]), Lines(["A", .. Alphabet[1..7], "H"]), 3,
          "-a|+A| b| c| d| e| f| g|-h|+H" },
        { "added at the end", Lines("a", "b", "c", "d", "e"), Lines("a", "b", "c", "d", "e", "f"), 2,
          "@3| d| e|+f" },
        { "removed at the start", Lines("a", "b", "c", "d", "e"), Lines("b", "c", "d", "e"), 2,
          "-a| b| c|@2" },
        { "creation: everything added", "", Lines("apiVersion: v1", "kind: Secret"), 3,
          "+apiVersion: v1|+kind: Secret" },
        { "deletion: everything removed", Lines("apiVersion: v1", "kind: Secret"), "", 3,
          "-apiVersion: v1|-kind: Secret" },
        { "a missing final line end is no change of the last line", "a\nb", "a\nb\nc\n", 3,
          " a| b|+c" },
        { "CRLF and LF compare equal", "a\r\nb\r\nc\r\n", "a\nb\nX\n", 3,
          " a| b|-c|+X" },
        { "whitespace is a change", Lines("  mode: SIMPLE"), Lines("    mode: SIMPLE"), 3,
          "-  mode: SIMPLE|+    mode: SIMPLE" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unified_diff(string why, string before, string after, int context, string expected)
    {
        var diff = ObjectDiff.Unified(before, after, context);

        Assert.True(diff.HasChanges, why);
        Assert.Equal(expected, Render(diff));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("a\nb\n", "a\nb\n")]
    [InlineData("a\nb", "a\nb\n")]
    [InlineData("a\r\nb\r\n", "a\nb\n")]
    public void Equal_texts_have_no_changes_and_no_lines(string before, string after)
    {
        var diff = ObjectDiff.Unified(before, after);

        Assert.False(diff.HasChanges);
        Assert.Empty(diff.Lines);
    }

    [Fact]
    public void Every_line_of_both_texts_is_accounted_for_with_no_context_limit()
    {
        var before = Lines("apiVersion: v1", "data:", "  mesh: |-", "    accessLogFile: /dev/stdout", "    enableTracing: false", "kind: ConfigMap");
        var after = Lines("apiVersion: v1", "data:", "  mesh: |-", "    accessLogFile: /dev/stdout", "    enableTracing: true", "    extensionProviders:", "kind: ConfigMap");

        var diff = ObjectDiff.Unified(before, after, int.MaxValue / 2);

        Assert.Equal(before, Lines(diff.Lines.Where(l => l.Kind != DiffLineKind.Added).Select(l => l.Text).ToArray()));
        Assert.Equal(after, Lines(diff.Lines.Where(l => l.Kind != DiffLineKind.Removed).Select(l => l.Text).ToArray()));
        Assert.DoesNotContain(diff.Lines, l => l.Kind == DiffLineKind.Gap);
    }

    [Fact]
    public void A_negative_context_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ObjectDiff.Unified("a", "b", -1));
}
