using MeshConsole.Domain.Cluster;
using WebConsole.Features.Cluster;

namespace WebConsole.Features.Access;

public enum AuditVerb { Apply, DryRun, Delete, Restore, Restart, Undo }

/// <summary>
/// One change (or server dry-run of a change) to one cluster object. Built only from names, kinds, enums and
/// failure codes, never from object contents or server messages, so it cannot carry a token or certificate.
/// </summary>
public sealed record AuditEntry(
    string Who,
    DateTimeOffset When,
    string? Context,
    string ObjectKind,
    string? ObjectNamespace,
    string ObjectName,
    AuditVerb Verb,
    string Result,
    string? Message = null);

public interface IAuditLog
{
    void Record(AuditEntry entry);
}

/// <summary>
/// Writes audit entries as structured log events in the category <see cref="Category"/>, one event per object,
/// with the fields who, when, context, kind, namespace, name, verb, result and message. With
/// <c>Logging:Console:FormatterName=json</c> each is one JSON line; route the category elsewhere with the usual
/// Logging configuration.
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggers) : IAuditLog
{
    public const string Category = "LightStepMeshConsole.Audit";
    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Record(AuditEntry entry) => Write(_logger, VerbName(entry.Verb), entry.ObjectKind, entry.ObjectNamespace ?? "", entry.ObjectName,
        entry.Context ?? "", entry.Who, entry.When.ToUniversalTime().ToString("O"), entry.Result, entry.Message ?? "");

    public static string VerbName(AuditVerb verb) => verb switch
    {
        AuditVerb.DryRun => "dry-run",
        _ => verb.ToString().ToLowerInvariant(),
    };

    [LoggerMessage(EventId = 9000, EventName = "ClusterChange", Level = LogLevel.Information,
        Message = "audit {Verb} {Kind}/{Name} namespace={Namespace} context={Context} who={Who} when={When} result={Result} {Detail}")]
    private static partial void Write(ILogger logger, string verb, string kind, string Namespace, string name, string context, string who,
        string when, string result, string detail);
}

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
