using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Cluster;

public enum ChangeKind { Create, Change, NoChange }

public enum ApplyOutcomeKind { Created, Changed, Unchanged, Failed, Restored, Deleted }

/// <summary>
/// What a server dry-run says one object would become, as a diff against what is there now.
/// <see cref="AwaitsNamespace"/>: the object goes into a namespace this same change set creates, so the server could
/// not dry-run it yet; the diff shows the object as the console will send it, and the server checks it at apply.
/// </summary>
public sealed record ChangePreview(LiveChange Change, ChangeKind? Kind, ObjectDiffResult? Diff, ClusterFailure? Failure, bool AwaitsNamespace = false);

/// <summary>One object's result; <see cref="Throttled"/>: how long the console waited because the API server asked (Retry-After on a 429 or 5xx).</summary>
public sealed record ApplyOutcome(ResourceRef Target, ApplyOutcomeKind Kind, ClusterFailure? Failure = null)
{
    public TimeSpan? Throttled { get; init; }
}

/// <summary>
/// The one cluster applier: server-side apply under the change set's field manager (<see cref="LiveChangeSet.FieldManager"/>), preceded by a server
/// dry-run of every object, recorded in the undo journal before anything changes. Each object gets its own
/// result, so a failure halfway shows exactly which objects made it, and running again continues.
/// </summary>
public sealed class ClusterApplier(KubeGateway gateway, UndoJournal journal, IReadOnlyList<string> sensitiveValues,
    NamespaceTermination? namespaceTermination = null, TimeProvider? clock = null)
{
    public async Task<IReadOnlyList<ChangePreview>> PreviewAsync(LiveChangeSet set, bool force, CancellationToken ct)
    {
        var previews = new List<ChangePreview>();
        var namespacesCreated = new HashSet<string>();
        foreach (var change in set.Changes)
        {
            if (change.WritesWholeObject)
            {
                // The PUT apply will send, dry-run: the server authorizes it ("update"), validates it and checks the
                // resourceVersion it was read at, so a refusal shows here rather than halfway through the apply
                // (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run).
                var replaced = await gateway.WithFieldManager(set.FieldManager).ReplaceAsync(change.Desired, dryRun: true, ct);
                if (!replaced.Succeeded)
                {
                    previews.Add(new ChangePreview(change, null, null, replaced.Failure));
                    continue;
                }
                var whole = ObjectDiff.Unified(ClusterObjectText.ForDiff(change.Current, sensitiveValues), ClusterObjectText.ForDiff(replaced.Value, sensitiveValues));
                previews.Add(new ChangePreview(change, whole.HasChanges ? ChangeKind.Change : ChangeKind.NoChange, whole, null));
                continue;
            }
            var dryRun = await gateway.WithFieldManager(set.FieldManager).ApplyAsync(change.Desired, dryRun: true, force, ct);
            if (dryRun.Succeeded && change.Target.Kind == "Namespace" && change.Current is null) namespacesCreated.Add(change.Target.Name);
            // A dry run creates nothing, so objects in a namespace that this set creates are refused with NotFound
            // (the NamespaceLifecycle admission plugin), exactly as `kubectl apply --dry-run=server` is on such a file.
            if (!dryRun.Succeeded && dryRun.Failure!.Kind == ClusterFailureKind.NotFound
                && change.Current is null && change.Target.Namespace is { } inNamespace && namespacesCreated.Contains(inNamespace))
            {
                var sent = ObjectDiff.Unified("", ClusterObjectText.ForDiff(change.Desired, sensitiveValues));
                previews.Add(new ChangePreview(change, ChangeKind.Create, sent, null, AwaitsNamespace: true));
                continue;
            }
            if (!dryRun.Succeeded)
            {
                previews.Add(new ChangePreview(change, null, null, dryRun.Failure));
                continue;
            }
            var before = ClusterObjectText.ForDiff(change.Current, sensitiveValues);
            var after = ClusterObjectText.ForDiff(dryRun.Value, sensitiveValues);
            var diff = ObjectDiff.Unified(before, after);
            var kind = change.Current is null ? ChangeKind.Create : diff.HasChanges ? ChangeKind.Change : ChangeKind.NoChange;
            previews.Add(new ChangePreview(change, kind, diff, null));
        }
        return previews;
    }

    public async Task<IReadOnlyList<ApplyOutcome>> ApplyAsync(
        LiveChangeSet set, string journalNamespace, bool force, IProgress<ApplyOutcome>? progress, CancellationToken ct)
    {
        var read = await journal.ReadAsync(journalNamespace, ct);
        if (!read.Succeeded) return set.Changes.Select(c => Report(new ApplyOutcome(c.Target, ApplyOutcomeKind.Failed, read.Failure), progress)).ToList();
        var (ns, entries) = read.Value;
        var recorded = await journal.RecordAsync(ns, entries, set.Changes, set.FieldManager, ct);
        if (!recorded.Succeeded) return set.Changes.Select(c => Report(new ApplyOutcome(c.Target, ApplyOutcomeKind.Failed, recorded.Failure), progress)).ToList();

        var outcomes = new List<ApplyOutcome>();
        foreach (var change in set.Changes)
        {
            var waits = KubeGateway.TallyWaits();
            var outcome = Outcome(change, await WriteAsync(change, set.FieldManager, force, ct)).WithWaits(waits);
            outcomes.Add(Report(outcome, progress));
        }
        return outcomes;
    }

    /// <summary>
    /// Applies without an undo journal entry: only for objects whose removal another record owns (a team session's
    /// participant namespaces, which the session's end deletes).
    /// </summary>
    public async Task<IReadOnlyList<ApplyOutcome>> ApplyUnjournaledAsync(LiveChangeSet set, bool force, CancellationToken ct)
    {
        var outcomes = new List<ApplyOutcome>();
        foreach (var change in set.Changes)
        {
            var waits = KubeGateway.TallyWaits();
            outcomes.Add(Outcome(change, await WriteAsync(change, set.FieldManager, force, ct)).WithWaits(waits));
        }
        return outcomes;
    }

    private async Task<ClusterResult<JsonObject>> WriteAsync(LiveChange change, string fieldManager, bool force, CancellationToken ct)
    {
        var writer = gateway.WithFieldManager(fieldManager);
        if (!change.WritesWholeObject) return await writer.ApplyAsync(change.Desired, dryRun: false, force, ct);
        // Unchanged: no write, so the resourceVersion (and the outcome) stays as it was.
        if (JsonNode.DeepEquals(change.Desired["spec"], change.Current?["spec"])) return change.Current!;
        return await writer.ReplaceAsync(change.Desired, ct);
    }

    private static ApplyOutcome Outcome(LiveChange change, ClusterResult<JsonObject> applied) =>
        !applied.Succeeded ? new ApplyOutcome(change.Target, ApplyOutcomeKind.Failed, applied.Failure)
        : change.Current is null ? new ApplyOutcome(change.Target, ApplyOutcomeKind.Created)
        : ResourceVersion(applied.Value) == ResourceVersion(change.Current) ? new ApplyOutcome(change.Target, ApplyOutcomeKind.Unchanged)
        : new ApplyOutcome(change.Target, ApplyOutcomeKind.Changed);

    /// <summary>Restores every journaled object to exactly what it was, newest first; objects the console created are deleted.</summary>
    public Task<IReadOnlyList<ApplyOutcome>> UndoAsync(string journalNamespace, IProgress<ApplyOutcome>? progress, CancellationToken ct) =>
        UndoAsync(journalNamespace, only: null, progress, ct);

    /// <summary>
    /// Restores the journaled objects <paramref name="only"/> selects (all when null), newest first; objects the console
    /// created are deleted. The other entries stay in the journal for a later undo.
    /// </summary>
    public async Task<IReadOnlyList<ApplyOutcome>> UndoAsync(
        string journalNamespace, Func<ResourceRef, bool>? only, IProgress<ApplyOutcome>? progress, CancellationToken ct)
    {
        var read = await journal.ReadAsync(journalNamespace, ct);
        if (!read.Succeeded) return [Report(new ApplyOutcome(new ResourceRef("v1", "Secret", journalNamespace, UndoJournal.SecretName), ApplyOutcomeKind.Failed, read.Failure), progress)];
        var (ns, entries) = read.Value;
        var outcomes = new List<ApplyOutcome>();
        foreach (var entry in Enumerable.Reverse(entries.Where(e => only?.Invoke(e.Target) ?? true).ToList()))
        {
            var waits = KubeGateway.TallyWaits();
            var outcome = (await RestoreAsync(entry, ct)).WithWaits(waits);
            outcomes.Add(Report(outcome, progress));
            if (outcome.Kind != ApplyOutcomeKind.Failed) entries.Remove(entry);
        }
        var written = await journal.WriteAsync(ns, entries, ct);
        if (!written.Succeeded)
            outcomes.Add(Report(new ApplyOutcome(new ResourceRef("v1", "Secret", ns, UndoJournal.SecretName), ApplyOutcomeKind.Failed, written.Failure), progress));
        return outcomes;
    }

    private async Task<ApplyOutcome> RestoreAsync(UndoEntry entry, CancellationToken ct)
    {
        if (entry.Before is null && entry.Target is { ApiVersion: "v1", Kind: "Namespace" })
        {
            // A deleted namespace terminates first; undo is done when it is gone (a re-apply could not create anything in it before).
            var failure = await (namespaceTermination ?? NamespaceTermination.Default).DeleteAndWaitAsync(gateway, entry.Target.Name, clock ?? TimeProvider.System, ct);
            return failure is null ? new ApplyOutcome(entry.Target, ApplyOutcomeKind.Deleted) : new ApplyOutcome(entry.Target, ApplyOutcomeKind.Failed, failure);
        }
        if (entry.Before is null)
        {
            var deleted = await gateway.DeleteAsync(entry.Target, ct);
            if (!deleted.Succeeded) return new ApplyOutcome(entry.Target, ApplyOutcomeKind.Failed, deleted.Failure);
            // A DELETE of an object with finalizers only marks it (deletionTimestamp); it stays until the controllers that
            // set them let go. Reported, and kept in the journal, so the next undo looks again instead of claiming it gone.
            var left = await gateway.GetAsync(entry.Target, ct);
            if (left is { Succeeded: true, Value: { } still } && still["metadata"]?["deletionTimestamp"] is not null
                && (still["metadata"]?["finalizers"] as JsonArray)?.Select(f => (string?)f).OfType<string>().ToList() is { Count: > 0 } finalizers)
                return new ApplyOutcome(entry.Target, ApplyOutcomeKind.Failed, ClusterFailure.DeletionPending(entry.Target.Display, finalizers));
            return new ApplyOutcome(entry.Target, ApplyOutcomeKind.Deleted);
        }
        var current = await gateway.GetAsync(entry.Target, ct);
        if (!current.Succeeded) return new ApplyOutcome(entry.Target, ApplyOutcomeKind.Failed, current.Failure);
        var restored = entry.Before.DeepClone().AsObject();
        var writer = gateway.WithFieldManager(entry.FieldManager);
        ClusterResult<JsonObject> result;
        if (current.Value is null)
        {
            result = await writer.ApplyAsync(restored, dryRun: false, force: true, ct);
        }
        else
        {
            restored["metadata"]!["resourceVersion"] = ResourceVersion(current.Value);
            result = await writer.ReplaceAsync(restored, ct);
        }
        if (!result.Succeeded && result.Failure!.Kind == ClusterFailureKind.Conflict && await AlreadyRestoredAsync(entry, ct))
            return new ApplyOutcome(entry.Target, ApplyOutcomeKind.Restored);
        return result.Succeeded ? new ApplyOutcome(entry.Target, ApplyOutcomeKind.Restored) : new ApplyOutcome(entry.Target, ApplyOutcomeKind.Failed, result.Failure);
    }

    /// <summary>
    /// A 409 on a restore can be our own write: the server committed the replace, the answer was lost, and the retry
    /// sent the resourceVersion from before it. The object then already is exactly what the journal holds; anything
    /// else is another writer's change and stays a conflict.
    /// </summary>
    private async Task<bool> AlreadyRestoredAsync(UndoEntry entry, CancellationToken ct)
    {
        var reread = await gateway.GetAsync(entry.Target, ct);
        return reread is { Succeeded: true, Value: { } live } && JsonNode.DeepEquals(UndoJournal.Strip(live), entry.Before);
    }

    private static string? ResourceVersion(JsonObject? obj) => (string?)obj?["metadata"]?["resourceVersion"];

    private static ApplyOutcome Report(ApplyOutcome outcome, IProgress<ApplyOutcome>? progress)
    {
        progress?.Report(outcome);
        return outcome;
    }
}

internal static class ApplyOutcomeWaits
{
    public static ApplyOutcome WithWaits(this ApplyOutcome outcome, WaitTally waits) =>
        waits.Total > TimeSpan.Zero ? outcome with { Throttled = waits.Total } : outcome;
}
