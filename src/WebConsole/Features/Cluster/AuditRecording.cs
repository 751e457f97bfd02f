using MeshConsole.Domain.Cluster;
using WebConsole.Features.Access;

namespace WebConsole.Features.Cluster;

/// <summary>Turns the cluster services' results into audit entries.</summary>
public static class AuditRecording
{
    public static void RecordPreviews(this IAuditLog audit, string who, string? context, IEnumerable<ChangePreview> previews, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        foreach (var preview in previews)
        {
            var target = preview.Change.Target;
            var result = preview.Failure is not null ? "failed" : preview.Kind switch
            {
                ChangeKind.Create => "would-create",
                ChangeKind.Change => "would-change",
                _ => "no-change",
            };
            audit.Record(new AuditEntry(who, now, context, target.Kind, target.Namespace, target.Name, AuditVerb.DryRun, result, Describe(preview.Failure)));
        }
    }

    public static void RecordOutcomes(this IAuditLog audit, string who, string? context, AuditVerb verb, IEnumerable<ApplyOutcome> outcomes, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        foreach (var outcome in outcomes)
            audit.Record(new AuditEntry(who, now, context, outcome.Target.Kind, outcome.Target.Namespace, outcome.Target.Name,
                verb, outcome.Kind.ToString().ToLowerInvariant(), Describe(outcome.Failure)));
    }

    /// <summary>Undo restores changed objects and deletes created ones; a failed step is recorded as "undo".</summary>
    public static void RecordUndo(this IAuditLog audit, string who, string? context, IEnumerable<ApplyOutcome> outcomes, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        foreach (var outcome in outcomes)
        {
            var verb = outcome.Kind switch
            {
                ApplyOutcomeKind.Deleted => AuditVerb.Delete,
                ApplyOutcomeKind.Restored => AuditVerb.Restore,
                _ => AuditVerb.Undo,
            };
            audit.Record(new AuditEntry(who, now, context, outcome.Target.Kind, outcome.Target.Namespace, outcome.Target.Name,
                verb, outcome.Kind.ToString().ToLowerInvariant(), Describe(outcome.Failure)));
        }
    }

    /// <summary>The failure's kind, code, HTTP status and the field paths and managers involved; never the server's message text.</summary>
    public static string? Describe(ClusterFailure? failure)
    {
        if (failure is null) return null;
        var parts = new List<string> { $"{failure.Kind}:{failure.Code}" };
        if (failure.HttpStatus is { } status) parts.Add($"HTTP {status}");
        if (failure.Conflicts.Count > 0) parts.Add("conflicts " + string.Join(", ", failure.Conflicts.Select(c => $"{c.Field} owned by {c.Manager}")));
        if (failure.InvalidFields.Count > 0) parts.Add("invalid " + string.Join(", ", failure.InvalidFields));
        return string.Join("; ", parts);
    }
}
