using System.Text.Json;
using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.ServerSideApply;

/// <summary>
/// A path to one field of an object, in FieldsV1 element form: <c>f:data</c>, <c>f:mesh</c>, or
/// <c>k:{"name":"discovery"}</c> for an item of a list keyed by name. <see cref="ToString"/> gives the
/// display form used in apply conflict messages: <c>.data.mesh</c>, <c>.spec.containers[name="discovery"].image</c>.
/// </summary>
internal sealed class FieldPath : IEquatable<FieldPath>
{
    private const char Separator = '\u001f';

    public static readonly FieldPath Root = new([]);

    private readonly string[] _elements;
    private readonly string _identity;

    private FieldPath(string[] elements)
    {
        _elements = elements;
        _identity = string.Join(Separator, elements);
    }

    /// <summary>FieldsV1 keys, outermost first.</summary>
    public IReadOnlyList<string> Elements => _elements;

    public int Depth => _elements.Length;

    public string Last => _elements[^1];

    public FieldPath Parent => new(_elements[..^1]);

    public FieldPath Field(string name) => Append("f:" + name);

    /// <summary>The item of an associative list whose key fields equal <paramref name="key"/> (e.g. {"containerPort":80,"protocol":"TCP"}).</summary>
    public FieldPath Item(JsonObject key) => Append("k:" + key.ToJsonString(JsonTools.WireOptions));

    public FieldPath Append(string element) => new([.. _elements, element]);

    /// <summary>True when this path is <paramref name="prefix"/> or lies below it.</summary>
    public bool StartsWith(FieldPath prefix)
    {
        if (prefix._elements.Length > _elements.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix._elements.Length; i++)
        {
            if (!string.Equals(prefix._elements[i], _elements[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(FieldPath? other) => other is not null && string.Equals(_identity, other._identity, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_identity);

    public override string ToString() => string.Concat(_elements.Select(DisplayElement));

    /// <summary>structured-merge-diff's PathElement.String().</summary>
    private static string DisplayElement(string element)
    {
        if (element.StartsWith("f:", StringComparison.Ordinal))
        {
            return "." + element[2..];
        }

        if (element.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(element[2..]) is JsonObject key)
        {
            return "[" + string.Join(",", key.Select(kv => $"{kv.Key}={JsonTools.ToWire(kv.Value)}")) + "]";
        }

        if (element.StartsWith("v:", StringComparison.Ordinal))
        {
            return "[=" + element[2..] + "]";
        }

        if (element.StartsWith("i:", StringComparison.Ordinal))
        {
            return "[" + element[2..] + "]";
        }

        return element;
    }

    /// <summary>For a <c>k:</c> element: the key fields it selects; null for other elements.</summary>
    public static JsonObject? ItemKey(string element)
    {
        if (!element.StartsWith("k:", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(element[2..]) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
