using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshConsole.Domain.Cluster;

/// <summary>
/// Merges a fragment (<see cref="LiveIstioSettings.InjectorValues"/>) into the JSON of ConfigMap
/// istio-sidecar-injector key <c>values</c>, changing nothing the console does not own.
/// </summary>
/// <remarks>
/// Objects are merged deeply; scalars and arrays are replaced; a null in the fragment removes the key. Every other
/// property keeps its value, its position and its number text (100 stays 100, 100.0 stays 100.0); a value the fragment
/// sets to what it already is stays untouched. Output is indented by two spaces like Helm's <c>toPrettyJson</c>, so
/// merging twice gives the same bytes as once.
/// </remarks>
public static class InjectorValuesEditor
{
    private static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <exception cref="UnreadableTextException">The text is not JSON, or not a JSON object.</exception>
    public static string Merge(string? valuesJson, IReadOnlyDictionary<string, object?> fragment)
    {
        var root = string.IsNullOrWhiteSpace(valuesJson)
            ? new JsonObject()
            : Parse(valuesJson) switch
            {
                JsonObject o => o,
                null => new JsonObject(),
                var other => throw new UnreadableTextException("JSON", null, new FormatException($"The injector values are a JSON {other.GetValueKind()}, not an object.")),
            };
        MergeObject(root, fragment);
        return root.ToJsonString(Output);
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new UnreadableTextException("JSON", $"{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}", e);
        }
    }

    private static void MergeObject(JsonObject target, IEnumerable<KeyValuePair<string, object?>> fragment)
    {
        foreach (var (key, value) in fragment)
        {
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            if (!target.TryGetPropertyValue(key, out var existing) || existing is null)
            {
                target[key] = ToNode(value);
                continue;
            }
            if (value is IEnumerable<KeyValuePair<string, object?>> map && existing is JsonObject existingObject)
                MergeObject(existingObject, map);
            else if (ToNode(value) is var replacement && !JsonNode.DeepEquals(existing, replacement))
                target[key] = replacement;
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IEnumerable<KeyValuePair<string, object?>> map => new JsonObject(map
            .Where(e => e.Value is not null)
            .Select(e => KeyValuePair.Create(e.Key, ToNode(e.Value)))),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        decimal d => JsonValue.Create(decimal.Parse(d.ToString("0.############################", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create(f),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
