using System.Text.Json.Nodes;
using KubeEmulator.Json;
using KubeEmulator.ServerSideApply;

namespace KubeEmulator.Patches;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json), simplified. It behaves like a JSON merge patch
/// (RFC 7386) except that lists chosen by <see cref="ListSemantics"/> (containers, initContainers,
/// ephemeralContainers, volumes, volumeMounts, env, ports; items keyed by <c>name</c>) are merged item by item:
/// patch items update the item with the same name or are appended. Supported directives:
/// <c>$patch: delete</c> (in a list item: remove that item; in a map: remove the map),
/// <c>$patch: replace</c> (replace instead of merge), <c>$deleteFromPrimitiveList/field</c>.
/// <c>$setElementOrder/field</c> and <c>$retainKeys</c> are accepted and ignored. Real Kubernetes uses the
/// patchMergeKey from the Go types (e.g. mountPath for volumeMounts, containerPort for container ports).
/// kube-apiserver rejects strategic merge patches for custom resources with 415; so does the emulator's caller.
/// </summary>
internal static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";

    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        var result = JsonTools.CloneObject(target);
        MergeMap(result, patch);
        return result;
    }

    private static void MergeMap(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (key == PatchDirective || key == "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray primitives && value is JsonArray toDelete)
                {
                    foreach (var doomed in toDelete)
                    {
                        for (var i = primitives.Count - 1; i >= 0; i--)
                        {
                            if (JsonTools.DeepEquals(primitives[i], doomed))
                            {
                                primitives.RemoveAt(i);
                            }
                        }
                    }
                }

                continue;
            }

            if (JsonMergePatch.IsNull(value))
            {
                target.Remove(key);
                continue;
            }

            var existing = target[key];
            switch (value)
            {
                case JsonObject patchMap when Directive(patchMap) == "delete":
                    target.Remove(key);
                    break;
                case JsonObject patchMap when Directive(patchMap) == "replace":
                    target[key] = WithoutDirectives(patchMap);
                    break;
                case JsonObject patchMap when existing is JsonObject targetMap:
                    MergeMap(targetMap, patchMap);
                    break;
                case JsonObject patchMap:
                {
                    var created = new JsonObject();
                    MergeMap(created, patchMap);
                    target[key] = created;
                    break;
                }

                case JsonArray patchList when existing is JsonArray targetList && MergeKeyOf(key, patchList, targetList) is { } mergeKey:
                    MergeKeyedList(targetList, patchList, mergeKey);
                    break;
                case JsonArray patchList:
                    target[key] = new JsonArray(patchList
                        .Where(item => !(item is JsonObject m && Directive(m) == "delete"))
                        .Select(item => item is JsonObject m ? WithoutDirectives(m) : item?.DeepClone())
                        .ToArray());
                    break;
                default:
                    target[key] = value!.DeepClone();
                    break;
            }
        }
    }

    /// <summary>
    /// The patchMergeKey of a keyed list: the first of its list-map keys (name, mountPath, containerPort, port), when every
    /// patch item carries it and the live list is keyed; null otherwise (the list is replaced).
    /// </summary>
    private static string? MergeKeyOf(string key, JsonArray patchList, JsonArray targetList)
    {
        var keys = ListSemantics.KeysFor(false, key, patchList.Count > 0 ? patchList : targetList);
        if (keys is null || ListSemantics.KeyedBy(false, key, targetList) is null
            || !patchList.All(item => item is JsonObject map && map[keys[0]] is not null))
        {
            return null;
        }

        return keys[0];
    }

    private static void MergeKeyedList(JsonArray target, JsonArray patch, string mergeKey)
    {
        foreach (var item in patch.OfType<JsonObject>())
        {
            var index = ListSemantics.IndexOfKey(target, new JsonObject { [mergeKey] = item[mergeKey]!.DeepClone() });
            if (Directive(item) == "delete")
            {
                if (index >= 0)
                {
                    target.RemoveAt(index);
                }
            }
            else if (Directive(item) == "replace" || index < 0)
            {
                var replacement = WithoutDirectives(item);
                if (index >= 0)
                {
                    target[index] = replacement;
                }
                else
                {
                    target.Add(replacement);
                }
            }
            else if (target[index] is JsonObject targetItem)
            {
                MergeMap(targetItem, item);
            }
        }
    }

    private static string? Directive(JsonObject map) => JsonTools.GetString(map, PatchDirective);

    private static JsonObject WithoutDirectives(JsonObject map)
    {
        var clean = new JsonObject();
        MergeMap(clean, map);
        return clean;
    }
}
