using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Cluster;

namespace WebConsole.Features.Onboarding;

/// <summary>
/// Names and labels of the objects that hold onboarding state. Everything lives in one namespace the console owns,
/// labelled <c>app.kubernetes.io/managed-by=lightstep-console</c>, the session's id and the object's role.
/// </summary>
public static class OnboardingObjects
{
    public const string DefaultNamespace = TeamSessionRequirements.DefaultStoreNamespace;
    public const string SessionLabel = "lightstep-console/session";
    public const string RoleLabel = "lightstep-console/role";
    public const string SessionRole = "session";
    public const string ParticipantRole = "participant";
    public const string NamespaceClaimRole = "namespace-claim";
    public const string ApplyLockRole = "apply-lock";
    public const string SessionDataKey = "session.json";
    public const string ParticipantDataKey = "participant.json";

    public static string SessionSecretName(string sessionId) => $"lightstep-console-session-{sessionId}";

    public static string ParticipantConfigMapName(string sessionId, string displayName) =>
        $"lightstep-console-participant-{sessionId}-{ParticipantNameRules.Key(displayName)}";

    /// <summary>Namespaces are cluster-wide, so their claims are too: two sessions never hand out the same namespace.</summary>
    public static string NamespaceClaimName(string ns) => $"lightstep-console-namespace-{ns}";

    public static string Selector(string role, string? sessionId = null) =>
        $"{PlanBuilder.ManagedByLabel}={PlanBuilder.ManagedByValue},{RoleLabel}={role}" + (sessionId is null ? "" : $",{SessionLabel}={sessionId}");

    internal static JsonObject Labels(string role, string? sessionId)
    {
        var labels = new JsonObject { [PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue, [RoleLabel] = role };
        if (sessionId is not null) labels[SessionLabel] = sessionId;
        return labels;
    }

    internal static JsonObject ConfigMap(string ns, string name, string role, string? sessionId, JsonObject data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = Labels(role, sessionId) },
        ["data"] = data,
    };

    internal static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    internal static string? DecodeBase64(string? encoded) => encoded is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(encoded));

    /// <summary>Creates the console's namespace with server-side apply the first time it is missing.</summary>
    internal static async Task<ClusterResult<bool>> EnsureNamespaceAsync(KubeGateway gateway, string ns, CancellationToken ct)
    {
        var existing = await gateway.GetAsync(new ResourceRef("v1", "Namespace", null, ns), ct);
        if (!existing.Succeeded) return ClusterResult<bool>.Failed(existing.Failure!);
        if (existing.Value is not null) return true;
        var created = await gateway.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { [PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue } },
        }, dryRun: false, force: false, ct);
        return created.Succeeded ? true : ClusterResult<bool>.Failed(created.Failure!);
    }

    internal static ClusterFailure NotFound(string kind, string name) => ClusterFailure.FromStatus(404, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["reason"] = "NotFound",
        ["message"] = $"{kind} \"{name}\" not found",
        ["details"] = new JsonObject { ["kind"] = kind, ["name"] = name },
        ["code"] = 404,
    }.ToJsonString());

    /// <summary>An object the console wrote but cannot read back (edited by hand, or from another console version).</summary>
    internal static ClusterFailure Unreadable(string kind, string name) =>
        new(ClusterFailureKind.Unexpected, "Onboarding.UnreadableRecord", [kind, name], [], [], null);
}

/// <summary>
/// Keeps access tokens out of failures: the gateway masks the values it was built with, but sessions bring their
/// own tokens later, so every failure the onboarding services return passes through here too. A failure about a
/// session whose token this console has not read yet (right after a restart) loses its server message, which
/// could otherwise echo the token unmasked.
/// </summary>
internal sealed class TokenMask
{
    private readonly ConcurrentDictionary<string, string> _tokensBySession = new(StringComparer.Ordinal);

    public void Add(string sessionId, string? token)
    {
        if (!string.IsNullOrEmpty(token)) _tokensBySession[sessionId] = token;
    }

    /// <summary>The session's secrets: its access token and the header values of its backend, when it is not LightStep.</summary>
    public void Add(string sessionId, MeshConsole.Domain.Onboarding.SharedSettings settings)
    {
        Add(sessionId, settings.AccessToken);
        foreach (var (name, value) in settings.Backend?.Headers ?? [])
            if (!string.IsNullOrEmpty(value)) _headerValues[(sessionId, name)] = value;
    }

    private readonly ConcurrentDictionary<(string Session, string Header), string> _headerValues = new();

    public ClusterResult<T> Fail<T>(ClusterFailure failure) => ClusterResult<T>.Failed(Apply(failure));

    /// <summary>A failure of a request on the Secret of session <paramref name="sessionId"/> (null: on any session Secret).</summary>
    public ClusterResult<T> FailOnSession<T>(ClusterFailure failure, string? sessionId)
    {
        var masked = Apply(failure);
        var tokenKnown = sessionId is not null && _tokensBySession.ContainsKey(sessionId);
        return ClusterResult<T>.Failed(tokenKnown ? masked : masked with { ServerMessage = null });
    }

    private ClusterFailure Apply(ClusterFailure failure) => failure with
    {
        Arguments = failure.Arguments.Select(a => a is string s ? Mask(s) : a).ToList(),
        InvalidFields = failure.InvalidFields.Select(Mask).ToList(),
        Conflicts = failure.Conflicts.Select(c => new FieldConflict(Mask(c.Manager), Mask(c.Field))).ToList(),
        ServerMessage = failure.ServerMessage is null ? null : Mask(failure.ServerMessage),
    };

    private string Mask(string text) => MeshConsole.Domain.Security.SensitiveValues.Of([.. _tokensBySession.Values, .. _headerValues.Values]).Mask(text);
}
