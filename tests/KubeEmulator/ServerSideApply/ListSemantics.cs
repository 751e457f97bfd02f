using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.ServerSideApply;

/// <summary>
/// Decides whether a list is merged item by item (keyed by <c>name</c>) or treated as one atomic value.
/// Used by server-side apply (field ownership, merge) and by strategic merge patch.
///
/// The emulator has no OpenAPI schemas, so the rule is simplified:
/// <list type="bullet">
/// <item>Built-in resources: lists under the field names in <see cref="KeyedByNameFields"/> whose items are all
/// maps with a distinct string <c>name</c> are keyed by <c>name</c>. (Real Kubernetes keys volumeMounts by
/// mountPath, container ports by containerPort+protocol and service ports by port+protocol.)</item>
/// <item>Everything else is atomic, including every list of a custom resource (CRDs without
/// x-kubernetes-list-type are atomic in real Kubernetes too).</item>
/// </list>
/// </summary>
internal static class ListSemantics
{
    public const string KeyField = "name";

    public static readonly IReadOnlySet<string> KeyedByNameFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "containers", "initContainers", "ephemeralContainers", "volumes", "volumeMounts", "env", "ports",
    };

    public static bool IsKeyedByName(bool customResource, string fieldName, JsonArray list)
    {
        if (customResource || !KeyedByNameFields.Contains(fieldName))
        {
            return false;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            if (item is not JsonObject map || JsonTools.GetString(map, KeyField) is not { } name || !names.Add(name))
            {
                return false;
            }
        }

        return true;
    }

    public static string? KeyOf(JsonNode? item) => JsonTools.GetString(item as JsonObject, KeyField);

    public static int IndexOfKey(JsonArray list, string key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (KeyOf(list[i]) == key)
            {
                return i;
            }
        }

        return -1;
    }
}
