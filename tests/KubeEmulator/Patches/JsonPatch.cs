using System.Globalization;
using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.Patches;

/// <summary>A JSON Patch operation failed (kube-apiserver answers 422).</summary>
internal sealed class JsonPatchException(string message) : Exception(message);

/// <summary>JSON Patch (RFC 6902), Content-Type application/json-patch+json: add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    /// <summary>Applies the operations to a copy of <paramref name="document"/> and returns the copy.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document?.DeepClone() }; // a holder makes "replace the whole document" uniform
        foreach (var operationNode in operations)
        {
            if (operationNode is not JsonObject operation)
            {
                throw new JsonPatchException("invalid JSON Patch: each operation must be an object");
            }

            var op = JsonTools.GetString(operation, "op") ?? throw new JsonPatchException("invalid JSON Patch: missing \"op\"");
            var path = JsonTools.GetString(operation, "path") ?? throw new JsonPatchException($"missing path in \"{op}\" operation");
            switch (op)
            {
                case "add":
                    Add(root, path, RequiredValue(operation, op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Replace(root, path, RequiredValue(operation, op));
                    break;
                case "move":
                {
                    var from = JsonTools.GetString(operation, "from") ?? throw new JsonPatchException("missing from in \"move\" operation");
                    var value = Get(root, from);
                    Remove(root, from);
                    Add(root, path, value);
                    break;
                }

                case "copy":
                {
                    var from = JsonTools.GetString(operation, "from") ?? throw new JsonPatchException("missing from in \"copy\" operation");
                    Add(root, path, Get(root, from)?.DeepClone());
                    break;
                }

                case "test":
                    if (!JsonTools.DeepEquals(Get(root, path), RequiredValue(operation, op)))
                    {
                        throw new JsonPatchException($"testing value {path} failed: test failed");
                    }

                    break;
                default:
                    throw new JsonPatchException($"Unexpected kind: {op}");
            }
        }

        return root["doc"]?.DeepClone();
    }

    private static JsonNode? RequiredValue(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new JsonPatchException($"missing value in \"{op}\" operation");

    /// <summary>Splits a JSON pointer into unescaped tokens, prefixed with the holder's "doc" token.</summary>
    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            throw new JsonPatchException($"invalid JSON pointer {JsonTools.ToWire(JsonValue.Create(pointer))}");
        }

        var tokens = new List<string> { "doc" };
        if (pointer.Length > 0)
        {
            tokens.AddRange(pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")));
        }

        return tokens;
    }

    private static JsonNode? Get(JsonObject root, string pointer)
    {
        JsonNode? current = root;
        foreach (var token in Tokens(pointer))
        {
            current = Child(current, token, pointer);
        }

        return current;
    }

    private static JsonNode? Child(JsonNode? container, string token, string pointer) => container switch
    {
        JsonObject map when map.TryGetPropertyValue(token, out var value) => value,
        JsonArray list when TryIndex(token, list.Count - 1, out var index) => list[index],
        _ => throw new JsonPatchException($"doc is missing path: \"{pointer}\": missing value"),
    };

    private static (JsonNode Parent, string Token) Parent(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        JsonNode? current = root;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            current = Child(current, token, pointer);
        }

        return current is null
            ? throw new JsonPatchException($"doc is missing path: \"{pointer}\": missing value")
            : (current, tokens[^1]);
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject map:
                map[token] = value;
                break;
            case JsonArray list when token == "-":
                list.Add(value);
                break;
            case JsonArray list when TryIndex(token, list.Count, out var index):
                list.Insert(index, value);
                break;
            default:
                throw new JsonPatchException($"add operation does not apply: doc is missing path: \"{pointer}\": missing value");
        }
    }

    /// <summary>Replaces the value in place (keeping the key's position), failing when it does not exist.</summary>
    private static void Replace(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject map when map.ContainsKey(token):
                map[token] = value;
                break;
            case JsonArray list when TryIndex(token, list.Count - 1, out var index):
                list[index] = value;
                break;
            default:
                throw new JsonPatchException($"replace operation does not apply: doc is missing key: {pointer}: missing value");
        }
    }

    private static void Remove(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject map when map.ContainsKey(token):
                map.Remove(token);
                break;
            case JsonArray list when TryIndex(token, list.Count - 1, out var index):
                list.RemoveAt(index);
                break;
            default:
                throw new JsonPatchException($"remove operation does not apply: doc is missing path: \"{pointer}\": missing value");
        }
    }

    private static bool TryIndex(string token, int max, out int index) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index >= 0 && index <= max
        && (token == "0" || !token.StartsWith('0'));
}
