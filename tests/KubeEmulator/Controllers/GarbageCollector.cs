using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Json;

namespace KubeEmulator;

/// <summary>
/// Deletion as the Kubernetes documentation describes it: finalizers keep a deleted object, and the garbage collector
/// follows <c>metadata.ownerReferences</c>.
/// <list type="bullet">
/// <item>A DELETE of an object with <c>metadata.finalizers</c> does not remove it: it gets <c>deletionTimestamp</c>, the
/// API answers 202 Accepted with the object, and it stays (readable, writable) until its finalizers are gone
/// (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/).</item>
/// <item><c>propagationPolicy</c> (https://kubernetes.io/docs/concepts/architecture/garbage-collection/#cascading-deletion):
/// Background (the default) removes the owner at once and then its dependents; Foreground adds the
/// <c>foregroundDeletion</c> finalizer, deletes the dependents and then the owner; Orphan adds the <c>orphan</c>
/// finalizer, removes the owner's entry from its dependents' ownerReferences and then the owner. Without a policy, an
/// <c>orphan</c> or <c>foregroundDeletion</c> finalizer already on the object decides (the DeleteOptions API reference:
/// "The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific
/// default policy").</item>
/// <item>An object all of whose owners (by uid) are gone is deleted in the background.</item>
/// </list>
/// Like <see cref="NamespaceTerminator"/> there is no background thread: the collector catches up before and after every
/// request and store call, so "in the background" means "by the next request".
/// </summary>
internal sealed class GarbageCollector
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    public const string Background = "Background";
    public const string Foreground = "Foreground";
    public const string Orphan = "Orphan";

    public static readonly string[] Policies = [Foreground, Background, Orphan];

    private readonly EmulatorStore _store;

    internal GarbageCollector(EmulatorStore store) => _store = store;

    /// <summary>
    /// The finalizers a DELETE under <paramref name="policy"/> (null: none given) leaves on an object that has
    /// <paramref name="finalizers"/>: the GC finalizers replaced by the one the policy needs (none for Background).
    /// </summary>
    internal static List<string> FinalizersAfterDelete(IReadOnlyList<string> finalizers, string? policy)
    {
        policy ??= finalizers.Contains(OrphanFinalizer) ? Orphan : finalizers.Contains(ForegroundFinalizer) ? Foreground : Background;
        var result = finalizers.Where(f => f is not (OrphanFinalizer or ForegroundFinalizer)).ToList();
        if (policy == Orphan) result.Add(OrphanFinalizer);
        if (policy == Foreground) result.Add(ForegroundFinalizer);
        return result;
    }

    internal static List<string> Finalizers(JsonObject obj) =>
        (JsonTools.GetObject(obj, "metadata")?["finalizers"] as JsonArray ?? new JsonArray())
        .Select(f => f?.GetValue<string>()).OfType<string>().ToList();

    /// <summary>Runs the collector until nothing more changes. Call under the store's Gate.</summary>
    internal void Reconcile()
    {
        // Each pass removes or changes at least one object, so the number of objects bounds the passes.
        for (var pass = 0; pass < 10_000 && Pass(); pass++)
        {
        }
    }

    private bool Pass()
    {
        // Cheap check first: nothing being deleted (namespaces have their own controller) and no dependent without an owner.
        var objects = _store.AllObjects();
        var uids = objects.Select(Uid).ToHashSet(StringComparer.Ordinal);
        if (!objects.Any(o => (JsonTools.GetString(JsonTools.GetObject(o, "metadata"), "deletionTimestamp") is not null && JsonTools.GetString(o, "kind") != "Namespace")
                || OwnerUids(o) is { Count: > 0 } owners && !owners.Any(uids.Contains)))
        {
            return false;
        }

        var all = _store.Everything();
        var dependentsByOwner = all
            .SelectMany(d => OwnerUids(d.Object).Select(owner => (Owner: owner, Dependent: d)))
            .ToLookup(x => x.Owner, x => x.Dependent, StringComparer.Ordinal);
        foreach (var (type, obj) in all)
        {
            var metadata = JsonTools.GetObject(obj, "metadata")!;
            var uid = Uid(obj);
            var dependents = dependentsByOwner[uid].ToList();
            if (JsonTools.GetString(metadata, "deletionTimestamp") is null || type.Is(string.Empty, "namespaces"))
            {
                var owners = OwnerUids(obj);
                if (owners.Count > 0 && !owners.Any(uids.Contains))
                {
                    // Every owner is gone: the collector deletes the dependent (in the background).
                    DeleteDependent(type, obj, Background);
                    return true;
                }

                continue;
            }

            var finalizers = Finalizers(obj);
            if (finalizers.Contains(OrphanFinalizer))
            {
                foreach (var (dependentType, dependent) in dependents)
                {
                    var copy = JsonTools.CloneObject(dependent);
                    var references = (JsonArray)JsonTools.Metadata(copy)["ownerReferences"]!;
                    foreach (var reference in references.OfType<JsonObject>().Where(r => JsonTools.GetString(r, "uid") == uid).ToList())
                    {
                        references.Remove(reference);
                    }

                    if (references.Count == 0)
                    {
                        JsonTools.Metadata(copy).Remove("ownerReferences");
                    }

                    SaveChanged(dependentType, copy);
                }

                SetFinalizers(type, obj, finalizers.Where(f => f != OrphanFinalizer).ToList());
                return true;
            }

            if (finalizers.Contains(ForegroundFinalizer))
            {
                var deleting = dependents.Where(d => JsonTools.GetString(JsonTools.GetObject(d.Object, "metadata"), "deletionTimestamp") is null).ToList();
                foreach (var (dependentType, dependent) in deleting)
                {
                    DeleteDependent(dependentType, dependent, Foreground);
                }

                if (deleting.Count > 0) return true;
                if (dependents.Count > 0) continue; // waiting for dependents held by their own finalizers
                SetFinalizers(type, obj, finalizers.Where(f => f != ForegroundFinalizer).ToList());
                return true;
            }

            if (finalizers.Count == 0)
            {
                _store.Remove(type, JsonTools.GetString(metadata, "namespace"), JsonTools.GetString(metadata, "name")!);
                return true;
            }
        }

        return false;
    }

    /// <summary>Deletes <paramref name="obj"/> as the collector does: under <paramref name="policy"/>, honouring its finalizers.</summary>
    private void DeleteDependent(ResourceType type, JsonObject obj, string policy)
    {
        var metadata = JsonTools.GetObject(obj, "metadata")!;
        var finalizers = FinalizersAfterDelete(Finalizers(obj), policy);
        if (finalizers.Count == 0)
        {
            _store.Remove(type, JsonTools.GetString(metadata, "namespace"), JsonTools.GetString(metadata, "name")!);
            return;
        }

        var copy = JsonTools.CloneObject(obj);
        JsonTools.Metadata(copy)["deletionTimestamp"] ??= JsonTools.Timestamp(_store.Clock());
        JsonTools.Metadata(copy)["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        SaveChanged(type, copy);
    }

    private void SetFinalizers(ResourceType type, JsonObject obj, List<string> finalizers)
    {
        var copy = JsonTools.CloneObject(obj);
        if (finalizers.Count == 0)
        {
            JsonTools.Metadata(copy).Remove("finalizers");
        }
        else
        {
            JsonTools.Metadata(copy)["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        }

        SaveChanged(type, copy);
    }

    private void SaveChanged(ResourceType type, JsonObject changed)
    {
        JsonTools.Metadata(changed)["resourceVersion"] = _store.NextResourceVersion().ToString();
        _store.Save(type, changed);
    }

    private static string Uid(JsonObject obj) => JsonTools.GetString(JsonTools.GetObject(obj, "metadata"), "uid") ?? string.Empty;

    private static List<string> OwnerUids(JsonObject obj) =>
        (JsonTools.GetObject(obj, "metadata")?["ownerReferences"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
        .Select(o => JsonTools.GetString(o, "uid")).OfType<string>().ToList();
}
