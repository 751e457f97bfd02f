using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Errors;
using KubeEmulator.Json;

namespace KubeEmulator.ServerSideApply;

/// <summary>
/// Server-side apply and managedFields tracking, following structured-merge-diff's Updater:
/// <list type="number">
/// <item>merge the applied configuration into the live object (maps key by key, name-keyed lists item by item,
/// everything else replaced);</item>
/// <item>prune fields the applier owned last time, no longer applies, and nobody else owns;</item>
/// <item>compare live and result: a field that changes (added or modified) and is owned by another manager is a
/// conflict; without force that is a 409, with force the other manager loses the field;</item>
/// <item>the applier's Apply entry becomes exactly the applied field set; removed fields leave every manager.</item>
/// </list>
/// Re-applying the same configuration yields an identical object (same managedFields, same times), so the
/// caller can skip the write and keep the resourceVersion.
/// </summary>
internal static class ServerSideApplier
{
    /// <summary>Applies <paramref name="config"/> (already stripped of system metadata) onto <paramref name="live"/> (null: create).</summary>
    /// <returns>The new object, with metadata.managedFields updated. <paramref name="live"/> is not modified.</returns>
    public static JsonObject Apply(ResourceType type, string apiVersion, JsonObject? live, JsonObject config,
        string manager, bool force, DateTimeOffset now)
    {
        var merged = live is null ? NewShell(config) : JsonTools.CloneObject(live);
        MergeInto(merged, config, type.IsCustom);

        var managed = ManagedFields.Read(live);
        var applier = managed.Find(manager, ManagedFieldsEntry.Apply, apiVersion);
        var others = managed.Entries.Where(e => e != applier).ToList();
        var appliedFields = ObjectFields.Paths(config, type);

        // Prune what this applier dropped from its configuration, unless someone still owns it.
        if (applier is not null)
        {
            var stillOwned = others.Aggregate(appliedFields, (set, e) => set.Union(e.Fields));
            Prune(merged, applier.Fields.Except(appliedFields), stillOwned);
        }

        var comparison = FieldComparison.Between(ObjectFields.Leaves(live, type), ObjectFields.Leaves(merged, type));
        var conflicts = others
            .Select(e => (Entry: e, Paths: e.Fields.Intersect(comparison.Changed)))
            .Where(c => !c.Paths.IsEmpty)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw ConflictError(conflicts);
        }

        foreach (var entry in others)
        {
            var lost = conflicts.Where(c => c.Entry == entry).Select(c => c.Paths).FirstOrDefault() ?? FieldSet.Empty;
            entry.Fields = entry.Fields.Except(lost).Except(comparison.Removed);
        }

        if (applier is null)
        {
            applier = new ManagedFieldsEntry
            {
                Manager = manager,
                Operation = ManagedFieldsEntry.Apply,
                ApiVersion = apiVersion,
                Time = JsonTools.Timestamp(now),
                Fields = appliedFields,
            };
            managed.Entries.Add(applier);
        }
        else if (!comparison.IsEmpty || !applier.Fields.SetEquals(appliedFields) || applier.ApiVersion != apiVersion)
        {
            applier.Fields = appliedFields;
            applier.ApiVersion = apiVersion;
            applier.Time = JsonTools.Timestamp(now);
        }

        managed.RemoveEmpty(keep: applier);
        managed.WriteTo(merged);
        return merged;
    }

    /// <summary>
    /// Records a non-apply write (create, PUT, non-apply PATCH) by <paramref name="manager"/> with operation Update:
    /// the manager takes every field it added or changed (from whoever owned it) and removed fields leave everyone.
    /// Writes the result into <paramref name="updated"/>.metadata.managedFields.
    /// </summary>
    public static void TrackUpdate(ResourceType type, string apiVersion, JsonObject? old, JsonObject updated,
        string manager, DateTimeOffset now)
    {
        var managed = ManagedFields.Read(old);
        var comparison = FieldComparison.Between(ObjectFields.Leaves(old, type), ObjectFields.Leaves(updated, type));
        if (!comparison.IsEmpty)
        {
            var changed = comparison.Changed;
            var updater = managed.Find(manager, ManagedFieldsEntry.Update, apiVersion);
            foreach (var entry in managed.Entries.Where(e => e != updater))
            {
                entry.Fields = entry.Fields.Except(changed).Except(comparison.Removed);
            }

            if (updater is null)
            {
                updater = new ManagedFieldsEntry { Manager = manager, Operation = ManagedFieldsEntry.Update, ApiVersion = apiVersion };
                managed.Entries.Add(updater);
            }

            updater.Fields = updater.Fields.Union(changed).Except(comparison.Removed);
            updater.Time = JsonTools.Timestamp(now);
            managed.RemoveEmpty();
        }

        managed.WriteTo(updated);
    }

    /// <summary>
    /// SSA merge of the applied configuration into the target: maps merge key by key, name-keyed lists merge item by
    /// item (new items appended), everything else (scalars, atomic lists) is replaced. A null value removes the field.
    /// </summary>
    public static void MergeInto(JsonObject target, JsonObject config, bool customResource)
    {
        foreach (var (key, value) in config)
        {
            if (value is null || (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Null))
            {
                target.Remove(key);
                continue;
            }

            var existing = target[key];
            if (value is JsonObject configMap && existing is JsonObject targetMap)
            {
                MergeInto(targetMap, configMap, customResource);
            }
            else if (value is JsonArray configList && existing is JsonArray targetList
                     && ListSemantics.KeyedBy(customResource, key, configList) is { } keys
                     && ListSemantics.KeyedBy(customResource, key, targetList) is { } targetKeys && keys.SequenceEqual(targetKeys))
            {
                foreach (var item in configList.OfType<JsonObject>())
                {
                    var index = ListSemantics.IndexOfKey(targetList, ListSemantics.KeyOf(keys, item)!);
                    if (index >= 0 && targetList[index] is JsonObject targetItem)
                    {
                        MergeInto(targetItem, item, customResource);
                    }
                    else
                    {
                        targetList.Add(item.DeepClone());
                    }
                }
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static JsonObject NewShell(JsonObject config)
    {
        var shell = new JsonObject
        {
            ["kind"] = config["kind"]?.DeepClone(),
            ["apiVersion"] = config["apiVersion"]?.DeepClone(),
            ["metadata"] = new JsonObject(),
        };
        return shell;
    }

    /// <summary>Removes each path in <paramref name="candidates"/> unless <paramref name="keep"/> has it or something below it.</summary>
    private static void Prune(JsonObject merged, FieldSet candidates, FieldSet keep)
    {
        foreach (var path in candidates.OrderByDescending(p => p.Depth))
        {
            if (keep.ContainsOrHasBelow(path) || !ObjectFields.Remove(merged, path))
            {
                continue;
            }

            // Drop maps that became empty because of the removal (and that nobody owns as an empty map).
            for (var parent = path.Parent; parent.Depth >= 1; parent = parent.Parent)
            {
                if (ObjectFields.Navigate(merged, parent) is JsonObject { Count: 0 } && !keep.ContainsOrHasBelow(parent))
                {
                    ObjectFields.Remove(merged, parent);
                }
                else
                {
                    break;
                }
            }
        }
    }

    private static ApiException ConflictError(IReadOnlyList<(ManagedFieldsEntry Entry, FieldSet Paths)> conflicts)
    {
        var flat = conflicts
            .OrderBy(c => c.Entry.Manager, StringComparer.Ordinal)
            .SelectMany(c => c.Paths.Select(p => p.ToString()).Order(StringComparer.Ordinal).Select(p => (c.Entry, Path: p)))
            .ToList();

        string message;
        if (flat.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {flat[0].Entry.DisplayName()}: {flat[0].Path}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in flat.GroupBy(c => c.Entry))
            {
                lines.Add($"conflicts with {group.Key.DisplayName()}:");
                lines.AddRange(group.Select(c => $"- {c.Path}"));
            }

            message = $"Apply failed with {flat.Count} conflicts: {string.Join("\n", lines)}";
        }

        var causes = new JsonArray(flat.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with {c.Entry.DisplayName()}",
            ["field"] = c.Path,
        }).ToArray());
        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }
}
