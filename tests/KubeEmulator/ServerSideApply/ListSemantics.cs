using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.ServerSideApply;

/// <summary>
/// Decides whether a list is merged item by item (an associative list, keyed by its list-map keys) or treated as one
/// atomic value. Used by server-side apply (field ownership, merge) and by strategic merge patch.
///
/// The emulator has no OpenAPI schemas; the keys are those the Kubernetes OpenAPI declares as
/// <c>x-kubernetes-list-map-keys</c> for the lists the console and its tests write (api/openapi-spec in
/// kubernetes/kubernetes): containers, initContainers, ephemeralContainers, volumes, env by <c>name</c>; volumeMounts
/// by <c>mountPath</c>; a container's ports by <c>containerPort</c>+<c>protocol</c>; a Service's ports by
/// <c>port</c>+<c>protocol</c> (<c>protocol</c> absent counts as its default, TCP). A list whose items do not all carry
/// distinct keys is atomic, and so is every other list, including every list of a custom resource (CRDs without
/// x-kubernetes-list-type are atomic in real Kubernetes too).
/// </summary>
internal static class ListSemantics
{
    private static readonly string[] ByName = ["name"];

    public static readonly IReadOnlySet<string> KeyedFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "containers", "initContainers", "ephemeralContainers", "volumes", "volumeMounts", "env", "ports",
    };

    /// <summary>The list-map keys of the list under <paramref name="fieldName"/>; null when it is atomic.</summary>
    public static IReadOnlyList<string>? KeysFor(bool customResource, string fieldName, JsonArray list)
    {
        if (customResource)
        {
            return null;
        }

        return fieldName switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "env" => ByName,
            "volumeMounts" => ["mountPath"],
            // Container ports carry containerPort, Service ports port (both lists are called "ports").
            "ports" when list.OfType<JsonObject>().Any(i => i.ContainsKey("containerPort")) => ["containerPort", "protocol"],
            "ports" => ["port", "protocol"],
            _ => null,
        };
    }

    /// <summary>The list's keys when every item is a map carrying them and no two items share a key; else null (atomic).</summary>
    public static IReadOnlyList<string>? KeyedBy(bool customResource, string fieldName, JsonArray list)
    {
        if (KeysFor(customResource, fieldName, list) is not { } keys)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            if (item is not JsonObject map || KeyOf(keys, map) is not { } key || !seen.Add(key.ToJsonString()))
            {
                return null;
            }
        }

        return keys;
    }

    /// <summary>The item's key (fields in key order, which is sorted); null when a required key field is missing.</summary>
    public static JsonObject? KeyOf(IReadOnlyList<string> keys, JsonObject item)
    {
        var key = new JsonObject();
        foreach (var field in keys)
        {
            if (KeyValue(item, field) is not { } value)
            {
                return null;
            }

            key[field] = value.DeepClone();
        }

        return key;
    }

    /// <summary>A key field's value, with <c>protocol</c>'s default (TCP) when absent.</summary>
    public static JsonNode? KeyValue(JsonObject item, string field) =>
        item[field] ?? (field == "protocol" ? JsonValue.Create("TCP") : null);

    public static int IndexOfKey(JsonArray list, JsonObject key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject item && key.All(kv => JsonTools.DeepEquals(KeyValue(item, kv.Key), kv.Value)))
            {
                return i;
            }
        }

        return -1;
    }
}
