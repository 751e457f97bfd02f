using MeshConsole.Domain.Cluster;
using static MeshConsole.Domain.Tests.Cluster.ClusterFixtures;

namespace MeshConsole.Domain.Tests.Cluster;

public class ClusterFailureTests
{
    private static readonly string[] Sensitive = [Token];

    private const string Unauthorized = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}
        """;

    private const string ForbiddenPatch = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"istio\" is forbidden: User \"alice@example.com\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"istio-system\"","reason":"Forbidden","details":{"name":"istio","kind":"configmaps"},"code":403}
        """;

    private const string ForbiddenClusterScope = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"istiooperators.install.istio.io is forbidden: User \"system:serviceaccount:tools:mesh-console\" cannot list resource \"istiooperators\" in API group \"install.istio.io\" at the cluster scope","reason":"Forbidden","details":{"group":"install.istio.io","kind":"istiooperators"},"code":403}
        """;

    private const string ForbiddenByPolicy = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"admission webhook \"validate.kyverno.svc-fail\" denied the request: resource Secret/istio-system/lightstep-console.undo was blocked","reason":"Forbidden","details":{"name":"lightstep-console.undo","kind":"secrets"},"code":403}
        """;

    private const string NotFound = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"istio-sidecar-injector\" not found","reason":"NotFound","details":{"name":"istio-sidecar-injector","kind":"configmaps"},"code":404}
        """;

    private const string ResourceNotServed = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}
        """;

    private const string Modified = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on configmaps \"istio\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"istio","kind":"configmaps"},"code":409}
        """;

    private const string AlreadyExists = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets \"lightstep-console.undo\" already exists","reason":"AlreadyExists","details":{"name":"lightstep-console.undo","kind":"secrets"},"code":409}
        """;

    private const string ApplyConflict = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 1 conflict: conflict with \"istio-operator\": .data.mesh","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"istio-operator\"","field":".data.mesh"}]},"code":409}
        """;

    private const string ApplyConflictWithUpdateManager = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 1 conflict: conflict with \"istio-operator\" using v1: .data.mesh","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"istio-operator\" using v1","field":".data.mesh"}]},"code":409}
        """;

    private const string ApplyConflicts = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 3 conflicts: conflicts with \"helm\" using v1:\n- .data.mesh\n- .data.meshNetworks\nconflicts with \"kubectl-edit\" using v1 at 2024-03-05T10:21:44Z:\n- .metadata.labels.release","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"helm\" using v1","field":".data.mesh"},{"reason":"FieldManagerConflict","message":"conflict with \"helm\" using v1","field":".data.meshNetworks"},{"reason":"FieldManagerConflict","message":"conflict with \"kubectl-edit\" using v1 at 2024-03-05T10:21:44Z","field":".metadata.labels.release"}]},"code":409}
        """;

    private const string ApplyConflictsMessageOnly = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 3 conflicts: conflicts with \"helm\" using v1:\n- .data.mesh\n- .data.meshNetworks\nconflicts with \"kubectl-edit\" using v1 at 2024-03-05T10:21:44Z:\n- .metadata.labels.release","reason":"Conflict","code":409}
        """;

    private const string ApplyConflictMessageOnly = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1 at 2024-03-05T10:21:44Z: .spec.trafficPolicy.portLevelSettings[port={\"number\":443}].tls.mode","reason":"Conflict","code":409}
        """;

    private const string Invalid = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ServiceEntry.networking.istio.io \"lightstep-tracing\" is invalid: [spec.ports[0].number: Invalid value: 0: spec.ports[0].number in body should be greater than or equal to 1, spec.hosts: Required value]","reason":"Invalid","details":{"name":"lightstep-tracing","group":"networking.istio.io","kind":"ServiceEntry","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 0: spec.ports[0].number in body should be greater than or equal to 1","field":"spec.ports[0].number"},{"reason":"FieldValueRequired","message":"Required value","field":"spec.hosts"},{"reason":"FieldValueRequired","message":"Required value","field":"spec.hosts"}]},"code":422}
        """;

    private const string InvalidWithToken = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap \"istio\" is invalid: data[mesh]: Invalid value: \"defaultConfig:\\n  tracing:\\n    lightstep:\\n      accessToken: TOKEN\\n\": must be no more than 1048576 bytes","reason":"Invalid","details":{"name":"istio","kind":"ConfigMap","causes":[{"reason":"FieldValueTooLong","message":"Invalid value: \"accessToken: TOKEN\"","field":"data[mesh]"}]},"code":422}
        """;

    private const string StrictDecoding = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":".spec.trafficPolicy.portLevelSettings[0].tls.sniHost: field not declared in schema","reason":"BadRequest","code":400}
        """;

    private const string Throttled = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":3},"code":429}
        """;

    private const string WebhookTimeout = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: failed calling webhook \"validation.istio.io\": failed to call webhook: Post \"https://istiod.istio-system.svc:443/validate?timeout=10s\": context deadline exceeded","reason":"InternalError","details":{"causes":[{"message":"failed calling webhook \"validation.istio.io\""}]},"code":500}
        """;

    private const string ServerTimeout = """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: request did not complete within requested timeout - context deadline exceeded","reason":"Timeout","details":{},"code":504}
        """;

    public static TheoryData<int, string?, ClusterFailureKind, object[], bool> Statuses => new()
    {
        { 401, Unauthorized, ClusterFailureKind.Unauthorized, [], false },
        { 403, ForbiddenPatch, ClusterFailureKind.Forbidden, ["patch", "configmaps", "istio-system", "alice@example.com"], false },
        { 403, ForbiddenClusterScope, ClusterFailureKind.Forbidden, ["list", "istiooperators", "", "system:serviceaccount:tools:mesh-console"], false },
        { 403, ForbiddenByPolicy, ClusterFailureKind.Forbidden, ["", "secrets", "", ""], false },
        { 404, NotFound, ClusterFailureKind.NotFound, ["configmaps", "istio-sidecar-injector"], false },
        { 404, ResourceNotServed, ClusterFailureKind.NotFound, ["", ""], false },
        { 409, Modified, ClusterFailureKind.Conflict, ["configmaps", "istio"], false },
        { 409, AlreadyExists, ClusterFailureKind.AlreadyExists, ["secrets", "lightstep-console.undo"], false },
        { 409, ApplyConflict, ClusterFailureKind.FieldManagerConflict, ["", ""], false },
        { 422, Invalid, ClusterFailureKind.Invalid, ["ServiceEntry", "lightstep-tracing"], false },
        { 400, StrictDecoding, ClusterFailureKind.BadRequest, [], false },
        { 429, Throttled, ClusterFailureKind.TooManyRequests, [3], true },
        { 429, null, ClusterFailureKind.TooManyRequests, [0], true },
        { 500, WebhookTimeout, ClusterFailureKind.ServerError, [500], true },
        { 501, null, ClusterFailureKind.ServerError, [501], false },
        { 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", ClusterFailureKind.ServerError, [502], true },
        { 503, "", ClusterFailureKind.ServerError, [503], true },
        { 504, ServerTimeout, ClusterFailureKind.ServerError, [504], true },
        { 405, """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server does not allow this method on the requested resource","reason":"MethodNotAllowed","code":405}""", ClusterFailureKind.Unexpected, [405], false },
        { 415, "[1, 2]", ClusterFailureKind.Unexpected, [415], false },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Status_bodies_become_kinds_codes_and_arguments(int status, string? body, ClusterFailureKind kind, object[] arguments, bool retryable)
    {
        var failure = ClusterFailure.FromStatus(status, body, Sensitive);

        Assert.Equal(kind, failure.Kind);
        Assert.Equal("Cluster." + kind, failure.Code);
        Assert.Equal(arguments, failure.Arguments);
        Assert.Equal(retryable, failure.IsRetryable);
        Assert.Equal(status, failure.HttpStatus);
    }

    [Fact]
    public void A_terminating_namespace_refusal_known_only_by_its_cause_names_the_namespace_of_the_request()
    {
        // Worded differently from kube-apiserver's admission plugin; the cause type is what the API defines (NamespaceTerminatingCause).
        const string body = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"namespace team-a is terminating: no new objects","reason":"Forbidden","details":{"name":"lightstep.cacert","kind":"secrets","causes":[{"reason":"NamespaceTerminating","message":"namespace team-a is being terminated","field":"metadata.namespace"}]},"code":403}
            """;

        var failure = ClusterFailure.FromStatus(403, body, Sensitive).AboutObject("Secret", "team-a", "lightstep.cacert");

        Assert.Equal(ClusterFailureKind.NamespaceTerminating, failure.Kind);
        Assert.Equal(["team-a"], failure.Arguments);
    }

    [Theory]
    [InlineData(403, ForbiddenPatch, "configmaps \"istio\" is forbidden: User \"alice@example.com\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"istio-system\"")]
    [InlineData(409, Modified, "Operation cannot be fulfilled on configmaps \"istio\": the object has been modified; please apply your changes to the latest version and try again")]
    [InlineData(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "<html><body><h1>502 Bad Gateway</h1></body></html>")]
    [InlineData(503, "", null)]
    [InlineData(503, null, null)]
    public void The_server_message_is_kept_for_details(int status, string? body, string? message) =>
        Assert.Equal(message, ClusterFailure.FromStatus(status, body, Sensitive).ServerMessage);

    [Fact]
    public void A_long_body_that_is_not_a_status_is_shortened()
    {
        var message = ClusterFailure.FromStatus(502, new string('x', 2000), Sensitive).ServerMessage;

        Assert.Equal(new string('x', 500) + "…", message);
    }

    public static TheoryData<string, string[]> Conflicts => new()
    {
        { ApplyConflict, ["istio-operator .data.mesh"] },
        { ApplyConflictWithUpdateManager, ["istio-operator .data.mesh"] },
        { ApplyConflicts, ["helm .data.mesh", "helm .data.meshNetworks", "kubectl-edit .metadata.labels.release"] },
        { ApplyConflictsMessageOnly, ["helm .data.mesh", "helm .data.meshNetworks", "kubectl-edit .metadata.labels.release"] },
        { ApplyConflictMessageOnly, ["kubectl-edit .spec.trafficPolicy.portLevelSettings[port={\"number\":443}].tls.mode"] },
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public void Field_manager_conflicts_name_the_owner_of_each_field(string body, string[] conflicts)
    {
        var failure = ClusterFailure.FromStatus(409, body, Sensitive);

        Assert.Equal(ClusterFailureKind.FieldManagerConflict, failure.Kind);
        Assert.Equal("Cluster.FieldManagerConflict", failure.Code);
        Assert.Equal(conflicts, failure.Conflicts.Select(c => $"{c.Manager} {c.Field}"));
        Assert.False(failure.IsRetryable);
    }

    [Fact]
    public void A_resource_version_conflict_has_no_field_conflicts()
    {
        var failure = ClusterFailure.FromStatus(409, Modified, Sensitive);

        Assert.Empty(failure.Conflicts);
        Assert.Empty(failure.InvalidFields);
    }

    [Fact]
    public void Invalid_lists_each_rejected_field_once()
    {
        var failure = ClusterFailure.FromStatus(422, Invalid, Sensitive);

        Assert.Equal(["spec.ports[0].number", "spec.hosts"], failure.InvalidFields);
        Assert.Empty(failure.Conflicts);
    }

    [Fact]
    public void The_token_never_reaches_the_failure()
    {
        var failure = ClusterFailure.FromStatus(422, InvalidWithToken.Replace("TOKEN", Token, StringComparison.Ordinal), Sensitive);

        Assert.DoesNotContain(Token, failure.ServerMessage);
        Assert.Contains($"accessToken: {MaskedToken}", failure.ServerMessage);
        Assert.Equal(["data[mesh]"], failure.InvalidFields);
        Assert.DoesNotContain(failure.Arguments, a => a.ToString()!.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public void The_token_is_masked_in_a_body_that_is_not_a_status()
    {
        var failure = ClusterFailure.FromStatus(502, $"upstream said: bad token {Token}", Sensitive);

        Assert.Equal($"upstream said: bad token {MaskedToken}", failure.ServerMessage);
    }

    [Fact]
    public void Timeout_is_retryable_and_has_no_status()
    {
        var failure = ClusterFailure.Timeout();

        Assert.Equal((ClusterFailureKind.Timeout, "Cluster.Timeout", (int?)null), (failure.Kind, failure.Code, failure.HttpStatus));
        Assert.Empty(failure.Arguments);
        Assert.True(failure.IsRetryable);
    }

    [Fact]
    public void A_lost_connection_is_retryable_and_carries_its_detail()
    {
        var failure = ClusterFailure.ConnectionLost("dial tcp 10.96.0.1:443: connect: connection refused");

        Assert.Equal((ClusterFailureKind.ConnectionLost, "Cluster.ConnectionLost"), (failure.Kind, failure.Code));
        Assert.Equal(["dial tcp 10.96.0.1:443: connect: connection refused"], failure.Arguments);
        Assert.True(failure.IsRetryable);
        Assert.Null(failure.ServerMessage);
    }

    [Fact]
    public void A_lost_connection_detail_is_masked_too()
    {
        var failure = ClusterFailure.ConnectionLost($"stream closed while sending accessToken: {Token}", Sensitive);

        Assert.Equal([$"stream closed while sending accessToken: {MaskedToken}"], failure.Arguments);
    }

    [Fact]
    public void A_create_refused_in_a_terminating_namespace_names_the_namespace_not_a_missing_permission()
    {
        const string body = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \"bookinfo-details\" is forbidden: unable to create new content in namespace shop because it is being terminated","reason":"Forbidden","details":{"name":"bookinfo-details","kind":"serviceaccounts","causes":[{"reason":"NamespaceTerminating","message":"namespace shop is being terminated","field":"metadata.namespace"}]},"code":403}
            """;

        var failure = ClusterFailure.FromStatus(403, body);

        Assert.Equal((ClusterFailureKind.NamespaceTerminating, "Cluster.NamespaceTerminating"), (failure.Kind, failure.Code));
        Assert.Equal(["shop"], failure.Arguments);
        Assert.False(failure.IsRetryable);
    }

    [Fact]
    public void A_second_delete_of_a_terminating_namespace_is_not_someone_elses_change()
    {
        const string body = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on namespaces \"shop\": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.","reason":"Conflict","details":{"name":"shop","kind":"namespaces"},"code":409}
            """;

        var failure = ClusterFailure.FromStatus(409, body);

        Assert.Equal(ClusterFailureKind.NamespaceTerminating, failure.Kind);
        Assert.Equal(["shop"], failure.Arguments);
    }

    [Fact]
    public void A_namespace_still_terminating_after_the_wait_says_how_long_was_waited()
    {
        var failure = ClusterFailure.StillTerminating("bookinfo-alice", TimeSpan.FromSeconds(119.2));

        Assert.Equal((ClusterFailureKind.NamespaceTerminating, "Cluster.NamespaceStillTerminating"), (failure.Kind, failure.Code));
        Assert.Equal(["bookinfo-alice", 120], failure.Arguments);
    }
}
