using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Json;

namespace KubeEmulator.ServerSideApply;

/// <summary>The value found at a leaf <see cref="FieldPath"/>; list items (k: paths) carry no value of their own.</summary>
internal readonly record struct FieldValue(JsonNode? Value, bool IsListItem)
{
    public bool SameAs(FieldValue other) =>
        IsListItem == other.IsListItem && (IsListItem || JsonTools.DeepEquals(Value, other.Value));
}

/// <summary>The difference between two objects' leaf fields (structured-merge-diff's Comparison).</summary>
internal sealed record FieldComparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public bool IsEmpty => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    public FieldSet Changed => Added.Union(Modified);

    public static FieldComparison Between(IReadOnlyDictionary<FieldPath, FieldValue> before, IReadOnlyDictionary<FieldPath, FieldValue> after)
    {
        var added = after.Keys.Where(p => !before.ContainsKey(p));
        var removed = before.Keys.Where(p => !after.ContainsKey(p));
        var modified = after.Where(kv => before.TryGetValue(kv.Key, out var old) && !old.SameAs(kv.Value)).Select(kv => kv.Key);
        return new FieldComparison(FieldSet.Of(added), FieldSet.Of(modified), FieldSet.Of(removed));
    }
}

/// <summary>
/// Turns objects into the field paths that server-side apply tracks. Maps are granular (every key is its own
/// field; an empty map is a leaf), lists are atomic leaves unless <see cref="ListSemantics"/> keys them by name,
/// in which case each item is a member (<c>k:{"name":"x"}</c>) with its own fields below it.
/// System fields (apiVersion, kind, metadata.name/namespace/uid/resourceVersion/generation/creationTimestamp/
/// managedFields ...) are never tracked, nor is status for resources with a status subresource.
/// </summary>
internal static class ObjectFields
{
    public static readonly IReadOnlySet<string> UntrackedMetadata = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    public static Dictionary<FieldPath, FieldValue> Leaves(JsonObject? obj, ResourceType type)
    {
        var leaves = new Dictionary<FieldPath, FieldValue>();
        if (obj is null)
        {
            return leaves;
        }

        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || (key == "status" && type.HasStatusSubresource))
            {
                continue;
            }

            var path = FieldPath.Root.Field(key);
            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!UntrackedMetadata.Contains(metaKey))
                    {
                        Walk(metaValue, path.Field(metaKey), metaKey, type.IsCustom, leaves);
                    }
                }

                continue;
            }

            Walk(value, path, key, type.IsCustom, leaves);
        }

        return leaves;
    }

    public static FieldSet Paths(JsonObject? obj, ResourceType type) => FieldSet.Of(Leaves(obj, type).Keys);

    private static void Walk(JsonNode? node, FieldPath path, string fieldName, bool customResource, Dictionary<FieldPath, FieldValue> leaves)
    {
        switch (node)
        {
            case JsonObject map when map.Count > 0:
                foreach (var (key, value) in map)
                {
                    Walk(value, path.Field(key), key, customResource, leaves);
                }

                break;

            case JsonArray list when ListSemantics.KeyedBy(customResource, fieldName, list) is { } keys:
                foreach (var item in list.OfType<JsonObject>())
                {
                    var itemPath = path.Item(ListSemantics.KeyOf(keys, item)!);
                    leaves[itemPath] = new FieldValue(null, IsListItem: true);
                    foreach (var (key, value) in item)
                    {
                        Walk(value, itemPath.Field(key), key, customResource, leaves);
                    }
                }

                break;

            default:
                leaves[path] = new FieldValue(node, IsListItem: false);
                break;
        }
    }

    /// <summary>Removes the field or list item at <paramref name="path"/>; false when it was not there.</summary>
    public static bool Remove(JsonObject root, FieldPath path)
    {
        if (path.Depth == 0)
        {
            return false;
        }

        var parent = Navigate(root, path.Parent);
        var last = path.Last;
        if (last.StartsWith("f:", StringComparison.Ordinal) && parent is JsonObject map)
        {
            return map.Remove(last[2..]);
        }

        if (FieldPath.ItemKey(last) is { } key && parent is JsonArray list)
        {
            var index = IndexOfItem(list, key);
            if (index >= 0)
            {
                list.RemoveAt(index);
                return true;
            }
        }

        return false;
    }

    /// <summary>The node at <paramref name="path"/>, or null when any step is missing.</summary>
    public static JsonNode? Navigate(JsonObject root, FieldPath path)
    {
        JsonNode? current = root;
        foreach (var element in path.Elements)
        {
            if (element.StartsWith("f:", StringComparison.Ordinal) && current is JsonObject map)
            {
                current = map[element[2..]];
            }
            else if (FieldPath.ItemKey(element) is { } key && current is JsonArray list)
            {
                var index = IndexOfItem(list, key);
                current = index >= 0 ? list[index] : null;
            }
            else
            {
                return null;
            }

            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static int IndexOfItem(JsonArray list, JsonObject key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject item && key.All(kv => JsonTools.DeepEquals(ListSemantics.KeyValue(item, kv.Key), kv.Value)))
            {
                return i;
            }
        }

        return -1;
    }
}
