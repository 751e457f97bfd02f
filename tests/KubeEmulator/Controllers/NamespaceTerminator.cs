using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Json;

namespace KubeEmulator;

/// <summary>
/// Stand-in for the namespace controller. A DELETE of a namespace does not remove it: the API server marks it
/// (metadata.deletionTimestamp, status.phase Terminating, spec.finalizers ["kubernetes"]) and answers with it; the
/// namespace controller then deletes everything in it, and the namespace disappears once its finalizer is gone
/// (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/, "Terminating"; the controller is
/// pkg/controller/namespace/deletion in kubernetes/kubernetes). Meanwhile the namespace lifecycle admission plugin
/// refuses new objects in it (403, cause NamespaceTerminating; plugin/pkg/admission/namespace/lifecycle), and a second
/// DELETE is a 409 Conflict.
/// <para>
/// Here the removal finishes <see cref="TerminationDelay"/> after the deletionTimestamp on <see cref="Clock"/> (default:
/// no delay on the system clock, so the namespace is gone by the next request); <see cref="Hold"/> keeps a namespace
/// Terminating, as a finalizer nobody removes does on a real cluster. Like <see cref="RolloutSimulator"/> there is no
/// background thread: the controller catches up whenever the API is called or the store is used.
/// </para>
/// </summary>
public sealed class NamespaceTerminator
{
    /// <summary>The finalizer the API server puts on every namespace (spec.finalizers), removed by the namespace controller.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>The StatusCause type of the refusal to create in a terminating namespace (k8s.io/api core/v1 NamespaceTerminatingCause).</summary>
    public const string NamespaceTerminatingCause = "NamespaceTerminating";

    private readonly EmulatorStore _store;
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    // The exact instants (the stored deletionTimestamp has whole seconds only).
    private readonly Dictionary<string, DateTimeOffset> _deletedAt = new(StringComparer.Ordinal);

    internal NamespaceTerminator(EmulatorStore store) => _store = store;

    /// <summary>How long a deleted namespace stays Terminating before it is gone (when not held).</summary>
    public TimeSpan TerminationDelay { get; private set; } = TimeSpan.Zero;

    /// <summary>The clock the deletionTimestamp and <see cref="TerminationDelay"/> are measured on.</summary>
    public TimeProvider Clock { get; private set; } = TimeProvider.System;

    /// <summary>Deleted namespaces stay Terminating for <paramref name="delay"/> on <paramref name="clock"/> (default: the system clock).</summary>
    public void Configure(TimeSpan delay, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_store.Gate)
        {
            TerminationDelay = delay;
            Clock = clock ?? TimeProvider.System;
            Reconcile();
        }
    }

    /// <summary>Namespace <paramref name="ns"/>, once deleted, stays Terminating (its content is removed) until <see cref="Release"/>.</summary>
    public void Hold(string ns)
    {
        lock (_store.Gate)
        {
            _held.Add(ns);
        }
    }

    /// <summary>Lets a held namespace finish terminating.</summary>
    public void Release(string ns)
    {
        lock (_store.Gate)
        {
            _held.Remove(ns);
            Reconcile();
        }
    }

    /// <summary>True when <paramref name="ns"/> exists and is being deleted. Call under the store's Gate.</summary>
    internal bool IsTerminating(string ns) =>
        _store.Read(BuiltInResources.Namespaces, null, ns) is { } live && JsonTools.GetString(JsonTools.GetObject(live, "metadata"), "deletionTimestamp") is not null;

    /// <summary>Marks <paramref name="live"/> (a stored namespace) as deleted; returns the stored result. Call under the store's Gate.</summary>
    internal JsonObject MarkDeleted(JsonObject live)
    {
        var marked = JsonTools.CloneObject(live);
        var metadata = JsonTools.Metadata(marked);
        var now = Clock.GetUtcNow();
        _deletedAt[JsonTools.GetString(metadata, "name")!] = now;
        metadata["deletionTimestamp"] = JsonTools.Timestamp(now);
        metadata["resourceVersion"] = _store.NextResourceVersion().ToString();
        JsonTools.GetOrAddObject(marked, "spec")["finalizers"] = new JsonArray(KubernetesFinalizer);
        JsonTools.GetOrAddObject(marked, "status")["phase"] = "Terminating";
        _store.Save(BuiltInResources.Namespaces, marked);
        return marked;
    }

    /// <summary>
    /// What the namespace controller writes while content with finalizers keeps a namespace Terminating: conditions
    /// NamespaceContentRemaining and NamespaceFinalizersRemaining (core/v1 NamespaceConditionType), worded as
    /// pkg/controller/namespace/deletion does ("Some content in the namespace has finalizers remaining: f in 1 resource instances").
    /// </summary>
    private void ReportRemaining(JsonObject ns, IReadOnlyList<(string Resource, IReadOnlyList<string> Finalizers)> remaining)
    {
        var resources = string.Join(", ", remaining.GroupBy(r => r.Resource).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} has {g.Count()} resource instances"));
        var finalizers = string.Join(", ", remaining.SelectMany(r => r.Finalizers).GroupBy(f => f).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} in {g.Count()} resource instances"));
        var conditions = new JsonArray(
            Condition("NamespaceContentRemaining", "SomeResourcesRemain", $"Some resources are remaining: {resources}"),
            Condition("NamespaceFinalizersRemaining", "SomeFinalizersRemain", $"Some content in the namespace has finalizers remaining: {finalizers}"));
        var status = JsonTools.GetObject(ns, "status");
        if (JsonTools.DeepEquals(WithoutTimes(status?["conditions"] as JsonArray), WithoutTimes(conditions)))
        {
            return;
        }

        var updated = JsonTools.CloneObject(ns);
        JsonTools.GetOrAddObject(updated, "status")["conditions"] = conditions;
        JsonTools.Metadata(updated)["resourceVersion"] = _store.NextResourceVersion().ToString();
        _store.Save(BuiltInResources.Namespaces, updated);
    }

    private JsonObject Condition(string type, string reason, string message) => new()
    {
        ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = JsonTools.Timestamp(Clock.GetUtcNow()), ["reason"] = reason, ["message"] = message,
    };

    private static JsonArray? WithoutTimes(JsonArray? conditions)
    {
        if (conditions is null) return null;
        var copy = (JsonArray)conditions.DeepClone();
        foreach (var condition in copy.OfType<JsonObject>())
        {
            condition.Remove("lastTransitionTime");
        }

        return copy;
    }

    /// <summary>Finishes the terminations that are due. Call under the store's Gate.</summary>
    internal void Reconcile()
    {
        var now = Clock.GetUtcNow();
        foreach (var ns in _store.ReadAll(BuiltInResources.Namespaces, null).ToList())
        {
            var metadata = JsonTools.GetObject(ns, "metadata");
            var name = JsonTools.GetString(metadata, "name")!;
            if (JsonTools.GetString(metadata, "deletionTimestamp") is not { } timestamp)
            {
                continue;
            }

            var deletedAt = _deletedAt.TryGetValue(name, out var exact)
                ? exact
                : DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture);
            if (deletedAt + TerminationDelay > now)
            {
                continue;
            }

            // Content that keeps finalizers of its own is only marked deleted and keeps the namespace Terminating until
            // those finalizers are gone (the namespace controller waits for it, as for any object it deletes).
            var remaining = _store.DeleteContents(name);
            if (!_held.Contains(name) && remaining.Count == 0)
            {
                _store.Remove(BuiltInResources.Namespaces, null, name);
                _deletedAt.Remove(name);
            }
            else if (remaining.Count > 0)
            {
                ReportRemaining(ns, remaining);
            }
        }
    }
}
