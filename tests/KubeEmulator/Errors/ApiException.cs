using System.Text.Json.Nodes;

namespace KubeEmulator.Errors;

/// <summary>
/// An error that the emulator answers with a kube-apiserver <c>Status</c> body
/// (<c>{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...}</c>).
/// The factory methods reproduce the messages of k8s.io/apimachinery/pkg/api/errors.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    /// <summary>StatusReason, e.g. NotFound, AlreadyExists, Conflict, Invalid, Forbidden.</summary>
    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>Headers to add to the response (e.g. Retry-After for 429).</summary>
    public Dictionary<string, string> Headers { get; } = new();

    public JsonObject ToStatus() => StatusDocuments.Failure(Code, Reason, Message, Details);

    // ---- resource errors (qualifiedResource is "secrets" or "deployments.apps") ----

    public static ApiException NotFound(string group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found", ResourceDetails(group, resource, name));

    public static ApiException AlreadyExists(string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists", ResourceDetails(group, resource, name));

    public static ApiException Conflict(string group, string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {why}",
            ResourceDetails(group, resource, name));

    public const string ObjectModifiedMessage =
        "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException StaleResourceVersion(string group, string resource, string name) =>
        Conflict(group, resource, name, ObjectModifiedMessage);

    /// <summary>422 Invalid; <paramref name="kind"/> is the Kind (e.g. Secret), qualified with its group in the message.</summary>
    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var aggregate = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var causes = new JsonArray(errors.Select(e => (JsonNode)e.ToCause()).ToArray());
        var details = ResourceDetails(group, kind, name);
        details["causes"] = causes;
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {aggregate}", details);
    }

    public static ApiException Forbidden(string group, string resource, string? name, string why)
    {
        var subject = string.IsNullOrEmpty(name)
            ? $"{Qualified(resource, group)} is forbidden: {why}"
            : $"{Qualified(resource, group)} \"{name}\" is forbidden: {why}";
        return new ApiException(403, "Forbidden", subject, ResourceDetails(group, resource, name));
    }

    /// <summary>
    /// A create in a namespace being deleted, as the namespace lifecycle admission plugin refuses it
    /// (plugin/pkg/admission/namespace/lifecycle): 403 Forbidden with a NamespaceTerminating cause on metadata.namespace.
    /// </summary>
    public static ApiException NamespaceTerminating(string group, string resource, string? name, string ns)
    {
        var why = $"unable to create new content in namespace {ns} because it is being terminated";
        var forbidden = Forbidden(group, resource, name, why);
        var details = forbidden.Details ?? new JsonObject();
        details["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = NamespaceTerminator.NamespaceTerminatingCause,
            ["message"] = why,
            ["field"] = "metadata.namespace",
        });
        return new ApiException(403, "Forbidden", forbidden.Message, details);
    }

    // ---- generic errors ----

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>What the real server answers for a path it does not serve (unknown group, version or resource).</summary>
    public static ApiException ResourceNotServed() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}",
            new JsonObject());

    /// <summary>500 InternalError; <paramref name="cause"/> (e.g. a stack trace) goes to details.causes[0].message.</summary>
    public static ApiException Internal(string message, string cause) =>
        new(500, "InternalError", $"Internal error occurred: {message}",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = cause }) });

    public static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";

    private static JsonObject ResourceDetails(string group, string kind, string? name)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        return details;
    }
}

/// <summary>One validation error, rendered like k8s.io/apimachinery/pkg/util/validation/field.Error.</summary>
internal sealed record FieldError(string Reason, string Field, string Body)
{
    /// <summary>Field value invalid; badValue is quoted like Go's %q.</summary>
    public static FieldError Invalid(string field, string badValue, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {Quote(badValue)}: {detail}");

    public static FieldError Required(string field, string detail) =>
        new("FieldValueRequired", field, string.IsNullOrEmpty(detail) ? "Required value" : $"Required value: {detail}");

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, $"Forbidden: {detail}");

    public static FieldError NotSupported(string field, string badValue, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: {Quote(badValue)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    public override string ToString() => $"{Field}: {Body}";

    public JsonObject ToCause() => new() { ["reason"] = Reason, ["message"] = Body, ["field"] = Field };

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value, Json.JsonTools.WireOptions);
}
