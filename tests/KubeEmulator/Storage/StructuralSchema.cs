using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeEmulator.Errors;

namespace KubeEmulator.Storage;

/// <summary>
/// A CustomResourceDefinition's structural schema applied to an object about to be stored, as kube-apiserver does
/// (kubernetes.io "Extend the Kubernetes API with CustomResourceDefinitions": pruning, x-kubernetes-preserve-unknown-fields,
/// x-kubernetes-int-or-string; "Kubernetes API Concepts": field validation). Fields the schema does not declare are
/// pruned; values of the wrong type are errors (422 whatever the field validation level). apiVersion, kind and
/// metadata are the API server's own and are not checked here.
/// </summary>
internal static class StructuralSchema
{
    public sealed record Outcome(IReadOnlyList<string> UnknownFields, IReadOnlyList<FieldError> Errors);

    /// <summary>Prunes <paramref name="obj"/> in place and reports what was unknown or mistyped.</summary>
    public static Outcome PruneAndCheck(JsonObject schema, JsonObject obj)
    {
        var unknown = new List<string>();
        var errors = new List<FieldError>();
        var properties = schema["properties"] as JsonObject;
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (key is "apiVersion" or "kind" or "metadata") continue;
            if (properties?[key] is JsonObject property)
                Walk(property, obj[key], key, unknown, errors);
            else if (!PreservesUnknown(schema))
            {
                unknown.Add(key);
                obj.Remove(key);
            }
        }
        return new Outcome(unknown, errors);
    }

    private static bool PreservesUnknown(JsonObject schema) =>
        schema["x-kubernetes-preserve-unknown-fields"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static void Walk(JsonObject schema, JsonNode? node, string path, List<string> unknown, List<FieldError> errors)
    {
        if (node is null) return; // null values of non-nullable fields are pruned before validation; nothing to check.
        if (schema["x-kubernetes-int-or-string"] is JsonValue ios && ios.GetValueKind() == JsonValueKind.True)
        {
            if (!(IsString(node) || IsInteger(node))) errors.Add(TypeError(path, "integer,string", node));
            return;
        }
        var type = schema["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        switch (type)
        {
            case "object":
                if (node is not JsonObject map)
                {
                    errors.Add(TypeError(path, "object", node));
                    return;
                }
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var key in map.Select(p => p.Key).ToList())
                {
                    var childPath = $"{path}.{key}";
                    if (properties?[key] is JsonObject property) Walk(property, map[key], childPath, unknown, errors);
                    else if (additional is not null) Walk(additional, map[key], childPath, unknown, errors);
                    else if (!PreservesUnknown(schema) && schema["additionalProperties"] is not JsonValue)
                    {
                        unknown.Add(childPath);
                        map.Remove(key);
                    }
                }
                break;
            case "array":
                if (node is not JsonArray list)
                {
                    errors.Add(TypeError(path, "array", node));
                    return;
                }
                if (schema["items"] is JsonObject items)
                    for (var i = 0; i < list.Count; i++) Walk(items, list[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", unknown, errors);
                break;
            case "string":
                if (!IsString(node)) errors.Add(TypeError(path, "string", node));
                break;
            case "integer":
                if (!IsInteger(node)) errors.Add(TypeError(path, "integer", node));
                break;
            case "number":
                if (node is not JsonValue { } n || n.GetValueKind() != JsonValueKind.Number) errors.Add(TypeError(path, "number", node));
                break;
            case "boolean":
                if (node is not JsonValue { } b || b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) errors.Add(TypeError(path, "boolean", node));
                break;
        }
    }

    private static bool IsString(JsonNode node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) && decimal.Truncate(d) == d;

    /// <summary>kube-apiserver's wording: <c>spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"</c>.</summary>
    private static FieldError TypeError(string path, string expected, JsonNode node)
    {
        var actual = node switch
        {
            JsonObject => "object",
            JsonArray => "array",
            JsonValue v => v.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => IsInteger(node) ? "integer" : "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            },
            _ => "null",
        };
        return FieldError.Invalid(path, actual, $"{path} in body must be of type {expected}: \"{actual}\"");
    }
}
