using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MeshConsole.Domain.Cluster;

/// <summary>
/// Merges a fragment (<see cref="LiveIstioSettings.MeshConfig"/>) into the YAML of ConfigMap istio key <c>mesh</c>,
/// changing nothing the console does not own.
/// </summary>
/// <remarks>
/// Maps are merged deeply; scalars and lists are replaced, except <c>extensionProviders</c>, whose entries are matched
/// by <c>name</c> (same name: replaced in place; new name: appended). A null in the fragment removes the key. Setting
/// a tracer under <c>defaultConfig.tracing</c> removes any other tracer there (they are one protobuf oneof).
/// Every other key keeps its value, its position and its scalar style (plain, quoted, literal, flow or block);
/// a value the fragment sets to what it already is stays untouched, so merging twice gives the same bytes as once.
/// Comments are lost, because YamlDotNet's representation model does not keep them; sequences come out unindented
/// (<c>- item</c> under their key) as sigs.k8s.io/yaml writes them.
/// </remarks>
public static partial class MeshConfigEditor
{
    public const string ExtensionProviders = "extensionProviders";

    /// <exception cref="UnreadableTextException">The text is not YAML, or its document is not a mapping.</exception>
    public static string Merge(string? meshYaml, IReadOnlyDictionary<string, object?> fragment) => Merge(meshYaml, fragment, out _);

    /// <param name="removedTracers">The tracers under <c>defaultConfig.tracing</c> the merge removed because the fragment sets another one.</param>
    /// <exception cref="UnreadableTextException">The text is not YAML, or its document is not a mapping.</exception>
    public static string Merge(string? meshYaml, IReadOnlyDictionary<string, object?> fragment, out IReadOnlyList<string> removedTracers)
    {
        var root = Load(meshYaml);
        var removed = new List<string>();
        MergeMapping(root, fragment, path: "", removed);
        removedTracers = removed;
        return Save(root);
    }

    /// <summary>
    /// The same merge for a mesh config held as JSON, as in an IstioOperator's <c>spec.meshConfig</c> (the same MeshConfig
    /// message): strings stay strings, numbers and booleans keep their type, and <paramref name="meshConfig"/> is not modified.
    /// </summary>
    public static JsonObject Merge(JsonObject? meshConfig, IReadOnlyDictionary<string, object?> fragment, out IReadOnlyList<string> removedTracers)
    {
        var root = meshConfig is null ? new YamlMappingNode() : (YamlMappingNode)JsonTree.ToYaml(meshConfig);
        var removed = new List<string>();
        MergeMapping(root, fragment, path: "", removed);
        removedTracers = removed;
        return (JsonObject)JsonTree.FromYaml(root)!;
    }

    /// <summary>The mesh config YAML as JSON, each scalar typed as istiod reads it.</summary>
    /// <exception cref="UnreadableTextException">The text is not YAML, or its document is not a mapping.</exception>
    public static JsonObject ToJson(string? meshYaml) => (JsonObject)JsonTree.FromYaml(Load(meshYaml))!;

    private static YamlMappingNode Load(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml)) return new YamlMappingNode();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new UnreadableTextException("YAML", $"{e.Start.Line}:{e.Start.Column}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner ends some malformed documents (an unclosed flow sequence) in this state instead of a YamlException.
            throw new UnreadableTextException("YAML", null, e);
        }
        if (stream.Documents.Count == 0) return new YamlMappingNode();
        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode mapping => mapping,
            YamlScalarNode scalar when YamlScalars.Resolve(scalar) is YamlScalars.NullValue => new YamlMappingNode(),
            var other => throw new UnreadableTextException("YAML", null, new FormatException($"The mesh config is a YAML {other.NodeType}, not a mapping.")),
        };
    }

    private static string Save(YamlMappingNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var settings = new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024,
            skipAnchorName: false, indentSequences: false, newLine: "\n");
        new YamlStream(new YamlDocument(root)).Save(new Emitter(writer, settings), assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>
    /// ProxyConfig's Tracing holds one tracer: <c>oneof tracer { zipkin, lightstep, datadog, stackdriver,
    /// open_census_agent }</c> (istio/api mesh/v1alpha1/proxy.proto). Merging lightstep next to an existing zipkin would
    /// set two members of one oneof, which is no valid ProxyConfig (protobuf's JSON decoding refuses a oneof set twice);
    /// istioctl's rendering writes only the selected tracer.
    /// </summary>
    private static readonly string[] TracerOneof = ["zipkin", "lightstep", "datadog", "stackdriver", "openCensusAgent"];

    private const string ProxyTracingPath = "defaultConfig.tracing";

    private static void MergeMapping(YamlMappingNode target, IEnumerable<KeyValuePair<string, object?>> fragment, string path, List<string> removedTracers)
    {
        if (target.Style == MappingStyle.Flow && target.Children.Count == 0)
            target.Style = MappingStyle.Block;
        fragment = fragment.ToList();
        if (path == ProxyTracingPath && fragment.FirstOrDefault(e => e.Value is not null && TracerOneof.Contains(e.Key)).Key is { } tracer)
        {
            foreach (var other in target.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value != tracer && TracerOneof.Contains(k.Value)).ToList())
            {
                target.Children.Remove(other);
                removedTracers.Add(other.Value!);
            }
        }
        foreach (var (key, value) in fragment)
        {
            var keyNode = target.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);
            if (value is null)
            {
                if (keyNode is not null) target.Children.Remove(keyNode);
                continue;
            }
            if (keyNode is null)
            {
                target.Add(new YamlScalarNode(key), ToNode(value));
                continue;
            }
            var existing = target.Children[keyNode];
            if (AsMap(value) is { } map && existing is YamlMappingNode existingMap)
                MergeMapping(existingMap, map, path.Length == 0 ? key : $"{path}.{key}", removedTracers);
            else if (path.Length == 0 && key == ExtensionProviders && AsList(value) is { } providers && existing is YamlSequenceNode existingProviders)
                MergeByName(existingProviders, providers);
            else if (ToNode(value) is var replacement && !YamlScalars.SemanticallyEqual(existing, replacement))
                target.Children[keyNode] = replacement;
        }
    }

    private static void MergeByName(YamlSequenceNode target, IEnumerable<object?> entries)
    {
        foreach (var entry in entries)
        {
            var node = ToNode(entry);
            var name = (AsMap(entry)?.FirstOrDefault(e => e.Key == "name").Value) as string;
            var index = name is null ? -1 : target.Children.ToList().FindIndex(c => NameOf(c) == name);
            if (index >= 0)
            {
                if (!YamlScalars.SemanticallyEqual(target.Children[index], node))
                    target.Children[index] = node;
            }
            else if (!target.Children.Any(c => YamlScalars.SemanticallyEqual(c, node)))
            {
                target.Children.Add(node);
            }
        }
    }

    private static string? NameOf(YamlNode node) =>
        node is YamlMappingNode map
        && map.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode name
            ? name.Value
            : null;

    private static IEnumerable<KeyValuePair<string, object?>>? AsMap(object? value) => value switch
    {
        IEnumerable<KeyValuePair<string, object?>> map => map,
        _ => null,
    };

    private static IEnumerable<object?>? AsList(object? value) =>
        value is IEnumerable list and not string && AsMap(value) is null ? list.Cast<object?>() : null;

    private static YamlNode ToNode(object? value)
    {
        if (AsMap(value) is { } map)
        {
            var mapping = new YamlMappingNode();
            foreach (var (key, child) in map)
            {
                if (child is not null) mapping.Add(new YamlScalarNode(key), ToNode(child));
            }
            return mapping;
        }
        if (AsList(value) is { } list)
            return new YamlSequenceNode(list.Select(ToNode));
        return value switch
        {
            null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
            bool b => new YamlScalarNode(b ? "true" : "false") { Style = ScalarStyle.Plain },
            decimal d => new YamlScalarNode(d.ToString("0.############################", CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
            double or float => new YamlScalarNode(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
            sbyte or byte or short or ushort or int or uint or long or ulong =>
                new YamlScalarNode(Convert.ToString(value, CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
            _ => StringNode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
        };
    }

    private static YamlScalarNode StringNode(string text) => new(text)
    {
        Style = YamlScalars.Resolve(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is string
            ? text.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.Any
            : ScalarStyle.DoubleQuoted,
    };
}

/// <summary>JSON trees as YAML nodes and back, typed the way <see cref="YamlScalars"/> reads them.</summary>
internal static class JsonTree
{
    public static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject map => new YamlMappingNode(map.Select(e => KeyValuePair.Create<YamlNode, YamlNode>(new YamlScalarNode(e.Key), ToYaml(e.Value)))),
        JsonArray list => new YamlSequenceNode(list.Select(ToYaml)),
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        JsonValue value when value.GetValueKind() == JsonValueKind.String => new YamlScalarNode(value.GetValue<string>()) { Style = ScalarStyle.DoubleQuoted },
        JsonValue value => new YamlScalarNode(value.ToJsonString()) { Style = ScalarStyle.Plain },
        _ => throw new FormatException($"Unexpected JSON node {node.GetType().Name}."),
    };

    public static JsonNode? FromYaml(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(e => KeyValuePair.Create(((YamlScalarNode)e.Key).Value ?? "", FromYaml(e.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(FromYaml).ToArray()),
        YamlScalarNode scalar => YamlScalars.Resolve(scalar) switch
        {
            YamlScalars.NullValue => null,
            bool b => JsonValue.Create(b),
            decimal d => JsonValue.Create(d),
            double d => JsonValue.Create(d),
            var other => JsonValue.Create(Convert.ToString(other, CultureInfo.InvariantCulture)),
        },
        _ => throw new FormatException($"Unexpected YAML node {node.NodeType}."),
    };
}

/// <summary>
/// How Istio reads a YAML scalar. istiod parses mesh config with sigs.k8s.io/yaml, i.e. go-yaml v2, which follows
/// YAML 1.1: besides true/false, yes/no/on/off (and y/n) are booleans, and 0x.., 0o.., 0b.. and 1_000 are numbers.
/// </summary>
internal static partial class YamlScalars
{
    public sealed record NullValue;
    public static readonly NullValue Null = new();

    private static readonly HashSet<string> NullWords = ["", "~", "null", "Null", "NULL"];
    private static readonly HashSet<string> TrueWords = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> FalseWords = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];

    /// <summary>The typed value of a scalar: a string, bool, integer (as decimal), double, or <see cref="Null"/>.</summary>
    public static object Resolve(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (!scalar.Tag.IsEmpty && scalar.Tag.Value is var tag
            && (tag is "!" or "tag:yaml.org,2002:str" || !tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal)))
            return value;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any)) return value;
        if (NullWords.Contains(value)) return Null;
        if (TrueWords.Contains(value)) return true;
        if (FalseWords.Contains(value)) return false;
        try
        {
            var digits = value.Replace("_", "", StringComparison.Ordinal);
            if (IntegerPattern().IsMatch(value))
            {
                var unsigned = digits.TrimStart('+', '-');
                decimal number =
                    unsigned.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? ulong.Parse(unsigned[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                    : unsigned.StartsWith("0b", StringComparison.OrdinalIgnoreCase) ? Convert.ToUInt64(unsigned[2..], 2)
                    : unsigned.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? Convert.ToUInt64(unsigned[2..], 8)
                    : unsigned.Length > 1 && unsigned[0] == '0' ? Convert.ToUInt64(unsigned, 8)
                    : decimal.Parse(unsigned, NumberStyles.None, CultureInfo.InvariantCulture);
                return digits.StartsWith('-') ? -number : number;
            }
            if (FloatPattern().IsMatch(value))
                return double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return value;
        }
        if (InfinityPattern().IsMatch(value)) return value.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        if (NaNPattern().IsMatch(value)) return double.NaN;
        return value;
    }

    /// <summary>Same structure and same typed values; the order of map keys and the styles do not matter.</summary>
    public static bool SemanticallyEqual(YamlNode a, YamlNode b) => (a, b) switch
    {
        (YamlScalarNode x, YamlScalarNode y) => Equals(Resolve(x), Resolve(y)),
        (YamlSequenceNode x, YamlSequenceNode y) => x.Children.Count == y.Children.Count
            && x.Children.Zip(y.Children).All(p => SemanticallyEqual(p.First, p.Second)),
        (YamlMappingNode x, YamlMappingNode y) => x.Children.Count == y.Children.Count
            && x.Children.All(e => y.Children.Any(f => SemanticallyEqual(e.Key, f.Key) && SemanticallyEqual(e.Value, f.Value))),
        _ => false,
    };

    [GeneratedRegex(@"^[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9][0-9_]*|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$")]
    private static partial Regex InfinityPattern();

    [GeneratedRegex(@"^\.(nan|NaN|NAN)$")]
    private static partial Regex NaNPattern();
}
