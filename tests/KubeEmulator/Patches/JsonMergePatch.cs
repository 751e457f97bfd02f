using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeEmulator.Patches;

/// <summary>JSON Merge Patch (RFC 7386), Content-Type application/merge-patch+json.</summary>
internal static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (IsNull(value))
            {
                result.Remove(key);
            }
            else
            {
                var current = result[key];
                result[key] = Apply(current?.DeepClone(), value);
            }
        }

        return result;
    }

    internal static bool IsNull(JsonNode? node) =>
        node is null || (node is JsonValue value && value.GetValueKind() == JsonValueKind.Null);
}
