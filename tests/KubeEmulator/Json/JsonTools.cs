using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeEmulator.Json;

/// <summary>Small helpers over System.Text.Json.Nodes used everywhere in the emulator.</summary>
internal static class JsonTools
{
    /// <summary>Serializer options for everything the emulator writes to the wire.</summary>
    public static readonly JsonSerializerOptions WireOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string ToWire(JsonNode? node) => node is null ? "null" : node.ToJsonString(WireOptions);

    /// <summary>Structural equality; numbers compare by value (1 == 1.0), object key order is ignored.</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return IsNull(a) && IsNull(b);
        }

        switch (a)
        {
            case JsonObject objA when b is JsonObject objB:
                if (objA.Count != objB.Count)
                {
                    return false;
                }

                foreach (var (key, valueA) in objA)
                {
                    if (!objB.TryGetPropertyValue(key, out var valueB) || !DeepEquals(valueA, valueB))
                    {
                        return false;
                    }
                }

                return true;

            case JsonArray arrA when b is JsonArray arrB:
                if (arrA.Count != arrB.Count)
                {
                    return false;
                }

                for (var i = 0; i < arrA.Count; i++)
                {
                    if (!DeepEquals(arrA[i], arrB[i]))
                    {
                        return false;
                    }
                }

                return true;

            case JsonValue valA when b is JsonValue valB:
                return ValueEquals(valA, valB);

            default:
                return false;
        }
    }

    private static bool IsNull(JsonNode? node) =>
        node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    private static bool ValueEquals(JsonValue a, JsonValue b)
    {
        var kindA = a.GetValueKind();
        var kindB = b.GetValueKind();
        if (kindA != kindB)
        {
            return false;
        }

        return kindA switch
        {
            JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
            JsonValueKind.Number => NumberEquals(a, b),
            _ => true, // true/false/null: the kind says it all
        };
    }

    private static bool NumberEquals(JsonValue a, JsonValue b)
    {
        var textA = a.ToJsonString();
        var textB = b.ToJsonString();
        if (textA == textB)
        {
            return true;
        }

        return decimal.TryParse(textA, NumberStyles.Float, CultureInfo.InvariantCulture, out var decA)
            && decimal.TryParse(textB, NumberStyles.Float, CultureInfo.InvariantCulture, out var decB)
            && decA == decB;
    }

    public static string? GetString(JsonObject? obj, string property) =>
        obj is not null && obj.TryGetPropertyValue(property, out var node) && node is JsonValue value
            && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;

    /// <summary>An integer property whatever the JsonValue's backing type (parsed text, int or long); null when absent.</summary>
    public static long? GetInt64(JsonObject? obj, string property) =>
        obj?[property] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    public static JsonObject? GetObject(JsonObject? obj, string property) =>
        obj is not null && obj.TryGetPropertyValue(property, out var node) ? node as JsonObject : null;

    /// <summary>Returns obj[property] as an object, creating it (or replacing a non-object) when needed.</summary>
    public static JsonObject GetOrAddObject(JsonObject obj, string property)
    {
        if (obj[property] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        obj[property] = created;
        return created;
    }

    /// <summary>The object's metadata, created when absent.</summary>
    public static JsonObject Metadata(JsonObject obj) => GetOrAddObject(obj, "metadata");

    public static JsonObject ParseObject(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("JSON is not an object", nameof(json));

    /// <summary>Deep clone that keeps the static type.</summary>
    public static JsonObject CloneObject(JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>Returns a copy of obj whose top-level properties are ordered kind, apiVersion, metadata, ..., status (like the Go structs).</summary>
    public static JsonObject Canonicalize(JsonObject obj)
    {
        var result = new JsonObject();
        string[] leading = ["kind", "apiVersion", "metadata"];
        foreach (var key in leading)
        {
            if (obj.TryGetPropertyValue(key, out var value))
            {
                result[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in obj)
        {
            if (!leading.Contains(key) && key != "status")
            {
                result[key] = value?.DeepClone();
            }
        }

        if (obj.TryGetPropertyValue("status", out var status))
        {
            result["status"] = status?.DeepClone();
        }

        if (result["metadata"] is JsonObject metadata)
        {
            result["metadata"] = CanonicalizeMetadata(metadata);
        }

        return result;
    }

    private static readonly string[] MetadataOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ];

    private static JsonObject CanonicalizeMetadata(JsonObject metadata)
    {
        var result = new JsonObject();
        foreach (var key in MetadataOrder)
        {
            if (metadata.TryGetPropertyValue(key, out var value))
            {
                result[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in metadata)
        {
            if (!MetadataOrder.Contains(key))
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    /// <summary>Kubernetes timestamps: RFC 3339 in UTC with second precision.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
