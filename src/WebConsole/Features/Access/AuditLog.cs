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
