using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Cluster;

public enum ClusterFailureKind
{
    Unauthorized,
    Forbidden,
    NotFound,
    /// <summary>409: the object changed since it was read (resourceVersion).</summary>
    Conflict,
    /// <summary>409 from server-side apply: fields the console would set are owned by another field manager.</summary>
    FieldManagerConflict,
    /// <summary>409 on create: the object exists.</summary>
    AlreadyExists,
    /// <summary>422: the object failed validation.</summary>
    Invalid,
    /// <summary>400, e.g. a field the server does not know under strict field validation.</summary>
    BadRequest,
    TooManyRequests,
    ServerError,
    Timeout,
    ConnectionLost,
    /// <summary>Any other status.</summary>
    Unexpected,
    /// <summary>A ConfigMap key the console must merge into (mesh config YAML, injector values JSON) cannot be parsed.</summary>
    UnreadableConfig,
    /// <summary>
    /// The namespace is being deleted (phase Terminating): the server refuses new objects in it (403) and a second
    /// delete (409), or the console waited for it to be gone and it still was not.
    /// </summary>
    NamespaceTerminating,
    /// <summary>
    /// The console deleted the object but it is still there, with a deletionTimestamp: finalizers set by another
    /// controller hold it until that controller has done its cleanup.
    /// </summary>
    DeletionPending,
    /// <summary>
    /// Refused by the console before any request: a team session participant's tab changes only the participant's own
    /// namespace (and what is in it); mesh-wide settings and other namespaces are the facilitator's.
    /// </summary>
    ParticipantScope,
}

/// <summary>A field that another field manager owns: <c>conflict with "istio-operator"</c> on <c>.data.mesh</c>.</summary>
public sealed record FieldConflict(string Manager, string Field);

/// <summary>
/// A failed request to the cluster. <see cref="Code"/> names the localized message ("Cluster.Forbidden", ...), and
/// <see cref="Arguments"/> fill its placeholders, per kind:
/// Forbidden: verb, resource, namespace ("" when cluster-scoped or unknown), user;
/// NotFound, Conflict, FieldManagerConflict, AlreadyExists, Invalid: resource (the Status' details.kind), name;
/// TooManyRequests: retry-after seconds (0 when unknown); ServerError and Unexpected: HTTP status;
/// ConnectionLost: the detail given; Unauthorized, BadRequest, Timeout: none;
/// UnreadableConfig: namespace/name, key, format (YAML or JSON), where reading stopped, namespace, name;
/// NamespaceTerminating: the namespace (Cluster.NamespaceTerminating), plus the seconds waited
/// (Cluster.NamespaceStillTerminating), plus the finalizers remaining in it (Cluster.NamespaceHeldByFinalizers); DeletionPending: the object (Kind/name -n namespace), its finalizers; ParticipantScope: the participant's namespace, the object refused.
/// Nothing here contains a sensitive value unmasked.
/// </summary>
public sealed partial record ClusterFailure(
    ClusterFailureKind Kind,
    string Code,
    IReadOnlyList<object> Arguments,
    IReadOnlyList<FieldConflict> Conflicts,
    IReadOnlyList<string> InvalidFields,
    string? ServerMessage)
{
    /// <summary>The HTTP status; null for <see cref="ClusterFailureKind.Timeout"/> and <see cref="ClusterFailureKind.ConnectionLost"/>.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Worth trying again unchanged: throttling, server errors other than 501 Not Implemented, timeouts, lost connections.</summary>
    public bool IsRetryable => Kind switch
    {
        ClusterFailureKind.TooManyRequests or ClusterFailureKind.Timeout or ClusterFailureKind.ConnectionLost => true,
        ClusterFailureKind.ServerError => HttpStatus != 501,
        _ => false,
    };

    private const int MaxNonStatusBody = 500;

    public static ClusterFailure Timeout() => Create(ClusterFailureKind.Timeout, [], null);

    /// <summary>
    /// ConfigMap <paramref name="ns"/>/<paramref name="name"/>'s <paramref name="key"/> is not the <paramref name="format"/>
    /// the console must merge into; <paramref name="where"/> says where reading stopped (a position, never the content,
    /// which may hold access tokens).
    /// </summary>
    public static ClusterFailure UnreadableConfig(string ns, string name, string key, string format, string where) =>
        Create(ClusterFailureKind.UnreadableConfig, [$"{ns}/{name}", key, format, where, ns, name], null);

    /// <summary>Namespace <paramref name="ns"/> is being deleted: nothing new can be created in it until it is gone.</summary>
    public static ClusterFailure Terminating(string ns) => Create(ClusterFailureKind.NamespaceTerminating, [ns], null);

    /// <summary>
    /// The console deleted namespace <paramref name="ns"/> and waited <paramref name="waited"/> for it to be gone, but it
    /// is still Terminating: its content is still being removed, or a finalizer holds it.
    /// </summary>
    public static ClusterFailure StillTerminating(string ns, TimeSpan waited) =>
        Create(ClusterFailureKind.NamespaceTerminating, [ns, (int)Math.Ceiling(waited.TotalSeconds)], null) with { Code = "Cluster.NamespaceStillTerminating" };

    /// <summary>
    /// As <see cref="StillTerminating"/>, and the namespace controller says what holds it: objects in it whose
    /// <paramref name="finalizersRemaining"/> (its NamespaceFinalizersRemaining condition, e.g. "example.com/keep in 1
    /// resource instances") their controllers have not removed.
    /// </summary>
    public static ClusterFailure HeldByFinalizers(string ns, TimeSpan waited, string finalizersRemaining) =>
        Create(ClusterFailureKind.NamespaceTerminating, [ns, (int)Math.Ceiling(waited.TotalSeconds), finalizersRemaining], null)
            with { Code = "Cluster.NamespaceHeldByFinalizers" };

    /// <summary>
    /// <paramref name="target"/> (Kind/name -n namespace) was deleted, but <paramref name="finalizers"/> still hold it
    /// (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/: the object stays, with a
    /// deletionTimestamp, until the controllers that set them remove them).
    /// </summary>
    public static ClusterFailure DeletionPending(string target, IReadOnlyList<string> finalizers) =>
        Create(ClusterFailureKind.DeletionPending, [target, string.Join(", ", finalizers)], null);

    /// <summary>
    /// A participant whose namespace is <paramref name="participantNamespace"/> asked for a change to
    /// <paramref name="target"/> (an object elsewhere, or the mesh-wide undo journal): refused, nothing was sent.
    /// </summary>
    public static ClusterFailure OutsideParticipantNamespace(string participantNamespace, string target) =>
        Create(ClusterFailureKind.ParticipantScope, [participantNamespace, target], null);

    /// <summary>A participant (namespace <paramref name="participantNamespace"/>) asked to apply or undo the mesh-wide settings: refused.</summary>
    public static ClusterFailure ParticipantMeshWide(string participantNamespace) =>
        Create(ClusterFailureKind.ParticipantScope, [participantNamespace], null) with { Code = "Cluster.ParticipantMeshWide" };

    public static ClusterFailure ConnectionLost(string detail, IReadOnlyList<string>? sensitiveValues = null) =>
        Create(ClusterFailureKind.ConnectionLost, [Mask(detail, sensitiveValues ?? [])], null);

    /// <summary>Reads a Kubernetes Status body (JSON); any other body only becomes the (shortened) server message.</summary>
    public static ClusterFailure FromStatus(int httpStatus, string? body, IReadOnlyList<string>? sensitiveValues = null)
    {
        sensitiveValues ??= [];
        var status = ParseObject(body);
        var message = status is null
            ? (string.IsNullOrWhiteSpace(body) ? null : Shorten(body.Trim()))
            : StringAt(status, "message");
        message = message is null ? null : Mask(message, sensitiveValues);
        var reason = status is null ? null : StringAt(status, "reason");
        var details = status?["details"] as JsonObject;
        var resource = Mask(details is null ? "" : StringAt(details, "kind") ?? "", sensitiveValues);
        var name = Mask(details is null ? "" : StringAt(details, "name") ?? "", sensitiveValues);
        var causes = (details?["causes"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

        ClusterFailure Failure(ClusterFailureKind kind, IReadOnlyList<object> arguments,
            IReadOnlyList<FieldConflict>? conflicts = null, IReadOnlyList<string>? invalidFields = null) =>
            Create(kind, arguments, message) with { HttpStatus = httpStatus, Conflicts = conflicts ?? [], InvalidFields = invalidFields ?? [] };

        switch (httpStatus)
        {
            case 401:
                return Failure(ClusterFailureKind.Unauthorized, []);
            case 403 when TerminatingNamespace(causes, message) is { } terminating:
                return Failure(ClusterFailureKind.NamespaceTerminating, [terminating]);
            case 403:
                return Failure(ClusterFailureKind.Forbidden, ForbiddenArguments(message, resource));
            case 404:
                return Failure(ClusterFailureKind.NotFound, [resource, name]);
            case 409 when resource == "namespaces" && message?.Contains(NamespacePurgeWording, StringComparison.Ordinal) == true:
                return Failure(ClusterFailureKind.NamespaceTerminating, [name]);
            case 409:
                var conflicts = FieldConflicts(causes, message);
                if (conflicts.Count > 0)
                    return Failure(ClusterFailureKind.FieldManagerConflict, [resource, name], conflicts: conflicts);
                return reason == "AlreadyExists"
                    ? Failure(ClusterFailureKind.AlreadyExists, [resource, name])
                    : Failure(ClusterFailureKind.Conflict, [resource, name]);
            case 422:
                var fields = causes.Select(c => StringAt(c, "field")).OfType<string>().Where(f => f.Length > 0)
                    .Select(f => Mask(f, sensitiveValues)).Distinct().ToList();
                return Failure(ClusterFailureKind.Invalid, [resource, name], invalidFields: fields);
            case 400:
                return Failure(ClusterFailureKind.BadRequest, []);
            case 429:
                return Failure(ClusterFailureKind.TooManyRequests, [RetryAfterSeconds(details)]);
            case >= 500 and <= 599:
                return Failure(ClusterFailureKind.ServerError, [httpStatus]);
            default:
                return Failure(ClusterFailureKind.Unexpected, [httpStatus]);
        }
    }

    /// <summary>
    /// This failure as one about the object the request was for: kind and (namespace/)name from the request. A real
    /// API server's Status often names neither (a server-side apply conflict has no details at all), and its
    /// <c>details.kind</c> is the resource's plural. A failure whose Status names a different object (the undo journal's
    /// Secret, say) stays as it is.
    /// </summary>
    public ClusterFailure AboutObject(string kind, string? ns, string name)
    {
        // A refusal in a terminating namespace that only its cause (reason NamespaceTerminating) gave away, in other
        // words than kube-apiserver's: the namespace is the request's.
        if (Kind == ClusterFailureKind.NamespaceTerminating && Arguments is [""] && ns is not null) return this with { Arguments = [ns] };
        if (Kind is not (ClusterFailureKind.NotFound or ClusterFailureKind.Conflict or ClusterFailureKind.FieldManagerConflict
            or ClusterFailureKind.AlreadyExists or ClusterFailureKind.Invalid)) return this;
        var statusName = Arguments.Count > 1 ? Arguments[1] as string : null;
        if (!string.IsNullOrEmpty(statusName) && statusName != name) return this;
        return this with { Arguments = [kind, ns is null ? name : $"{ns}/{name}"] };
    }

    private static ClusterFailure Create(ClusterFailureKind kind, IReadOnlyList<object> arguments, string? message) =>
        new(kind, "Cluster." + kind, arguments, [], [], message);

    // The namespace lifecycle admission plugin refuses a create in a namespace being deleted with 403 and a cause of type
    // NamespaceTerminating (kubernetes plugin/pkg/admission/namespace/lifecycle/admission.go): "<resource> "<name>" is
    // forbidden: unable to create new content in namespace <ns> because it is being terminated".
    private static string? TerminatingNamespace(IReadOnlyList<JsonObject> causes, string? message)
    {
        var match = message is null ? Match.Empty : TerminatingPattern().Match(message);
        if (match.Success) return match.Groups["namespace"].Value;
        return causes.Any(c => StringAt(c, "reason") == "NamespaceTerminating") ? "" : null;
    }

    // A second DELETE of a terminating namespace (kubernetes pkg/registry/core/namespace/storage/storage.go).
    private const string NamespacePurgeWording = "Upon completion, this namespace will automatically be purged by the system";

    // The RBAC authorizer's wording (k8s.io/apiserver authorization responses):
    // User "alice" cannot patch resource "configmaps" in API group "" in the namespace "istio-system"
    private static object[] ForbiddenArguments(string? message, string resource)
    {
        var match = message is null ? Match.Empty : ForbiddenPattern().Match(message);
        if (!match.Success) return ["", resource, "", ""];
        return [match.Groups["verb"].Value, match.Groups["resource"].Value, match.Groups["namespace"].Value, match.Groups["user"].Value];
    }

    /// <summary>
    /// From the causes server-side apply returns, one per conflicting field: reason FieldManagerConflict, message
    /// <c>conflict with "istio-operator" using v1</c> (the " using" part only for Update managers), field <c>.data.mesh</c>.
    /// Without causes, from the message: <c>Apply failed with 1 conflict: conflict with "m" using v1: .data.mesh</c>, or
    /// <c>Apply failed with 2 conflicts: conflicts with "m" using v1:\n- .a\n- .b</c> (apimachinery managedfields conflict.go).
    /// </summary>
    private static List<FieldConflict> FieldConflicts(List<JsonObject> causes, string? message)
    {
        var fromCauses = causes
            .Where(c => StringAt(c, "reason") == "FieldManagerConflict")
            .Select(c => new FieldConflict(ManagerIn(StringAt(c, "message")) ?? "", StringAt(c, "field") ?? ""))
            .Where(c => c.Manager.Length > 0 || c.Field.Length > 0)
            .ToList();
        if (fromCauses.Count > 0 || message is null || !message.StartsWith("Apply failed with ", StringComparison.Ordinal))
            return fromCauses;

        var single = SingleConflictPattern().Match(message);
        if (single.Success)
            return [new FieldConflict(Unquote(single.Groups["manager"].Value), single.Groups["field"].Value.Trim())];
        var conflicts = new List<FieldConflict>();
        string? manager = null;
        foreach (var line in message.Split('\n'))
        {
            var header = ManagerPattern().Match(line);
            if (header.Success && line.TrimEnd().EndsWith(':'))
                manager = Unquote(header.Groups["manager"].Value);
            else if (manager is not null && line.StartsWith("- ", StringComparison.Ordinal))
                conflicts.Add(new FieldConflict(manager, line[2..].Trim()));
        }
        return conflicts;
    }

    private static string? ManagerIn(string? text)
    {
        var match = text is null ? Match.Empty : ManagerPattern().Match(text);
        return match.Success ? Unquote(match.Groups["manager"].Value) : null;
    }

    // Go's %q: backslash escapes inside double quotes.
    private static string Unquote(string quoted) => Regex.Unescape(quoted);

    private static int RetryAfterSeconds(JsonObject? details) =>
        details?["retryAfterSeconds"] is JsonValue v && v.TryGetValue<int>(out var seconds) ? seconds : 0;

    private static JsonObject? ParseObject(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringAt(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Shorten(string text) => text.Length <= MaxNonStatusBody ? text : text[..MaxNonStatusBody] + "…";

    private static string Mask(string text, IReadOnlyList<string> sensitiveValues) =>
        (sensitiveValues as Security.SensitiveValues ?? Security.SensitiveValues.Of(sensitiveValues)).Mask(text);

    [GeneratedRegex("""User "(?<user>(?:[^"\\]|\\.)*)" cannot (?<verb>[^ ]+) resource "(?<resource>[^"]*)"(?: in API group "(?<group>[^"]*)")?(?: in the namespace "(?<namespace>[^"]*)")?""")]
    private static partial Regex ForbiddenPattern();

    [GeneratedRegex(@"unable to create new content in namespace (?<namespace>[a-z0-9.-]+) because it is being terminated")]
    private static partial Regex TerminatingPattern();

    [GeneratedRegex(@"conflicts? with ""(?<manager>(?:[^""\\]|\\.)*)""")]
    private static partial Regex ManagerPattern();

    // The field path starts with "." (".data.mesh"); an Update manager's "at <RFC 3339 time>" has colons but no ": .".
    [GeneratedRegex("""^Apply failed with 1 conflict: conflict with "(?<manager>(?:[^"\\]|\\.)*)".*?: (?<field>\..*)$""", RegexOptions.Singleline)]
    private static partial Regex SingleConflictPattern();
}
