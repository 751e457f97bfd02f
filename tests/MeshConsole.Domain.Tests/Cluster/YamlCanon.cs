using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshConsole.Domain.Tests.Cluster;

/// <summary>
/// A YAML document as a canonical tree (ordered maps, lists, typed scalars), the way go-yaml v2 (YAML 1.1), which
/// istiod reads mesh config with, types plain scalars. Written independently of the editor under test.
/// </summary>
internal static partial class YamlCanon
{
    public sealed record Map(List<KeyValuePair<string, object?>> Entries);

    public sealed record Seq(List<object?> Items);

    /// <summary>A scalar with its YAML type: str, int, float, bool or null.</summary>
    public sealed record Scalar(string Type, string Value);

    public static object? Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    public static Map ParseMap(string yaml) => (Map)Parse(yaml)!;

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new Map(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value))).ToList()),
        YamlSequenceNode s => new Seq(s.Children.Select(Convert).ToList()),
        YamlScalarNode s => Type(s),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static Scalar Type(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style != ScalarStyle.Plain) return new("str", v);
        if (v is "" or "~" or "null" or "Null" or "NULL") return new("null", "");
        if (Bool().IsMatch(v)) return new("bool", v.ToLowerInvariant() is "true" or "yes" or "on" or "y" ? "true" : "false");
        if (Int().IsMatch(v)) return new("int", long.Parse(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        if (Float().IsMatch(v)) return new("float", double.Parse(v, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
        return new("str", v);
    }

    /// <summary>The node at a dotted path ("defaultConfig.tracing.sampling"); list items by [index].</summary>
    public static object? At(object? tree, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            var index = Regex.Match(segment, @"^(?<key>[^\[]*)(\[(?<i>\d+)\])?$");
            tree = tree is Map m ? m.Entries.FirstOrDefault(e => e.Key == index.Groups["key"].Value).Value : null;
            if (index.Groups["i"].Success) tree = tree is Seq s && int.Parse(index.Groups["i"].Value, CultureInfo.InvariantCulture) < s.Items.Count ? s.Items[int.Parse(index.Groups["i"].Value, CultureInfo.InvariantCulture)] : null;
        }
        return tree;
    }

    /// <summary>The tree without the entries at the given dotted paths (missing paths are ignored).</summary>
    public static object? Without(object? tree, IEnumerable<string> paths)
    {
        foreach (var path in paths)
            tree = Remove(tree, path.Split('.'));
        return tree;
    }

    private static object? Remove(object? tree, string[] path)
    {
        if (tree is not Map map) return tree;
        var entries = new List<KeyValuePair<string, object?>>();
        foreach (var entry in map.Entries)
        {
            if (entry.Key != path[0]) entries.Add(entry);
            else if (path.Length > 1) entries.Add(KeyValuePair.Create(entry.Key, Remove(entry.Value, path[1..])));
        }
        return new Map(entries);
    }

    /// <summary>Order-sensitive text of the tree, for equality with a readable failure.</summary>
    public static string Dump(object? tree)
    {
        var text = new StringBuilder();
        Write(text, tree, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? tree, int indent)
    {
        switch (tree)
        {
            case Map m:
                foreach (var (key, value) in m.Entries)
                {
                    text.Append(' ', indent).Append(key).Append(":\n");
                    Write(text, value, indent + 2);
                }
                break;
            case Seq s:
                foreach (var item in s.Items)
                {
                    text.Append(' ', indent).Append("-\n");
                    Write(text, item, indent + 2);
                }
                break;
            case Scalar sc:
                text.Append(' ', indent).Append(sc.Type).Append(' ').Append(sc.Value.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
                break;
            case null:
                text.Append(' ', indent).Append("(absent)\n");
                break;
        }
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Bool();

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex Int();

    [GeneratedRegex(@"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$")]
    private static partial Regex Float();
}
