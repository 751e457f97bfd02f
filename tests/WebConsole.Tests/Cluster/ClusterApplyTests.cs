using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

public sealed class ClusterApplyTests
{
    [Theory]
    [InlineData(ClusterFixture.NoIstio, null, null)]
    [InlineData(ClusterFixture.OldIstio, "1.7.8", IstioInstallMethod.IstioctlOrHelm)]
    [InlineData(ClusterFixture.MidIstio, "1.14.3", IstioInstallMethod.IstioctlOrHelm)]
    [InlineData(ClusterFixture.MidIstioWithOperator, "1.14.3", IstioInstallMethod.OperatorReconciled)]
    [InlineData(ClusterFixture.NewIstio, "1.28.0", IstioInstallMethod.IstioctlOrHelm)]
    public async Task Preflight_reports_the_api_istio_and_how_it_was_installed(ClusterFixture fixture, string? version, IstioInstallMethod? method)
    {
        await using var cluster = await EmulatedCluster.StartAsync(fixture);
        var plan = PlanBuilder.Build(EmulatedCluster.Input(version ?? "1.26"));

        var report = await cluster.Preflight().RunAsync(plan, default);

        Assert.True(report.ApiReachable);
        Assert.StartsWith("v1.", report.Api.Value);
        Assert.Equal(version, report.Istio?.Version?.ToString());
        Assert.Equal(method, report.Istio?.Method);
        Assert.Equal(version is not null, report.MeshConfigFound);
        Assert.NotEmpty(report.Access);
        Assert.True(report.CanApply);
    }

    [Theory]
    [InlineData(ClusterFixture.OldIstio, "1.7.8")]
    [InlineData(ClusterFixture.MidIstio, "1.14.3")]
    [InlineData(ClusterFixture.MidIstioWithOperator, "1.14.3")]
    [InlineData(ClusterFixture.NewIstio, "1.28.0")]
    [InlineData(ClusterFixture.NoIstio, "1.26")]
    public async Task Dry_run_stores_nothing_apply_then_reapply_is_a_no_op_and_undo_restores_exactly(ClusterFixture fixture, string version)
    {
        await using var cluster = await EmulatedCluster.StartAsync(fixture);
        var plan = PlanBuilder.Build(EmulatedCluster.Input(version, "default"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var before = Snapshot(cluster.Emulator);
        var rvBefore = cluster.Emulator.Store.ResourceVersion;

        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        var previews = await cluster.Applier().PreviewAsync(set, force: true, default);

        Assert.All(previews, p => Assert.Null(p.Failure));
        Assert.Contains(previews, p => p.Kind == ChangeKind.Create && p.Change.Target.Kind == "Secret");
        Assert.Equal(rvBefore, cluster.Emulator.Store.ResourceVersion);
        Assert.Equal(before, Snapshot(cluster.Emulator));

        // The direct route puts the CA Secret into the namespace; the collector route (1.27+ with a private CA) its own Secret.
        var (secretNamespace, secretName) = plan.Route == SpanRoute.Collector
            ? (PlanBuilder.CollectorNamespace, PlanBuilder.CollectorName) : ("default", PlanBuilder.SecretName);
        var first = await cluster.Applier().ApplyAsync(set, report.Istio?.Namespace ?? "istio-system", force: true, null, default);
        Assert.All(first, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Contains(first, o => o.Kind == ApplyOutcomeKind.Created && o.Target.Name == secretName);
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Secret", secretNamespace, secretName));

        var again = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        var second = await cluster.Applier().ApplyAsync(again, report.Istio?.Namespace ?? "istio-system", force: true, null, default);
        Assert.All(second, o => Assert.Equal(ApplyOutcomeKind.Unchanged, o.Kind));

        var undone = await cluster.Applier().UndoAsync(report.Istio?.Namespace ?? "istio-system", null, default);
        Assert.All(undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Null(cluster.Emulator.Store.Get("v1", "Secret", secretNamespace, secretName));
        Assert.Null(cluster.Emulator.Store.Get("v1", "Secret", "istio-system", UndoJournal.SecretName));
        Assert.Equal(before, Snapshot(cluster.Emulator));
    }

    [Fact]
    public async Task Mesh_settings_the_console_does_not_own_survive_apply()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var meshBefore = Mesh(cluster.Emulator);

        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        await cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);

        var meshAfter = Mesh(cluster.Emulator);
        Assert.Contains("lightstep-satellite.lightstep:9292", meshAfter);
        foreach (var line in meshBefore.Split('\n').Where(l => l.Contains("accessLogFile") || l.Contains("discoveryAddress") || l.Contains("trustDomain")))
            Assert.Contains(line.Trim(), meshAfter);
    }

    [Fact]
    public async Task A_field_owned_by_another_manager_is_a_conflict_naming_the_owner_until_forced()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;

        var previews = await cluster.Applier().PreviewAsync(set, force: false, default);
        var mesh = Assert.Single(previews, p => p.Change.Target is { Kind: "ConfigMap", Name: "istio" });
        Assert.Equal(ClusterFailureKind.FieldManagerConflict, mesh.Failure?.Kind);
        Assert.Contains(mesh.Failure!.Conflicts, c => c.Manager == "istio-operator" && c.Field.Contains("data.mesh"));

        var forced = await cluster.Applier().PreviewAsync(set, force: true, default);
        Assert.All(forced, p => Assert.Null(p.Failure));
    }

    [Fact]
    public async Task Forbidden_verbs_are_listed_by_preflight_and_block_apply()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("patch", "secrets", "", "default");
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));

        var report = await cluster.Preflight().RunAsync(plan, default);

        Assert.False(report.CanApply);
        var denied = Assert.Single(report.Denied);
        Assert.Equal(("patch", "secrets", "default"), (denied.Requirement.Verb, denied.Requirement.Resource, denied.Requirement.Namespace));
        Assert.Contains("kubectl", denied.Requirement.ToKubectlFix("someone"));
    }

    [Fact]
    public void Preflight_does_not_require_the_optional_operator_namespace()
    {
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));

        Assert.DoesNotContain(ClusterRequirements.For(plan, IstioApplyTarget.MeshConfigMaps), r => r.Namespace == ClusterRequirements.OperatorNamespace);
    }

    [Fact]
    public async Task Preflight_finds_istio_when_the_operator_namespace_may_not_be_listed()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("list", "deployments", "apps", ClusterRequirements.OperatorNamespace);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));

        var report = await cluster.Preflight().RunAsync(plan, default);

        Assert.Null(report.IstioLookupFailure);
        Assert.Equal("1.14.3", report.Istio?.Version?.ToString());
        Assert.Equal(IstioInstallMethod.IstioctlOrHelm, report.Istio?.Method);
        Assert.True(report.MeshConfigFound);
        Assert.Empty(report.Denied);
        Assert.True(report.CanApply);
    }

    [Theory]
    [InlineData(403, ClusterFailureKind.Forbidden)]
    [InlineData(404, ClusterFailureKind.NotFound)]
    [InlineData(409, ClusterFailureKind.Conflict)]
    [InlineData(422, ClusterFailureKind.Invalid)]
    public async Task A_failing_object_is_reported_with_its_kind_while_the_others_apply(int status, ClusterFailureKind expected)
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.26", "default", "kube-public"));
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, null, default)).Value!;
        cluster.Emulator.Faults.Fail("PATCH", "/api/v1/namespaces/kube-public/secrets/.*", status,
            reason: expected == ClusterFailureKind.Conflict ? "Conflict" : null);

        var outcomes = await cluster.Applier().ApplyAsync(set, "istio-system", force: false, null, default);

        Assert.Equal(ApplyOutcomeKind.Created, outcomes.Single(o => o.Target.Namespace == "default").Kind);
        var failed = outcomes.Single(o => o.Target.Namespace == "kube-public");
        Assert.Equal(ApplyOutcomeKind.Failed, failed.Kind);
        Assert.Equal(expected, failed.Failure!.Kind);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_and_then_reported()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.26"));
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, null, default)).Value!;

        cluster.Emulator.Faults.Fail("PATCH", "/api/v1/namespaces/default/secrets/.*", 503, times: 2);
        var recovered = await cluster.Applier().ApplyAsync(set, "istio-system", force: false, null, default);
        Assert.All(recovered, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));

        cluster.Emulator.Faults.Clear();
        cluster.Emulator.Faults.Fail("PATCH", "/api/v1/namespaces/default/secrets/.*", 500);
        cluster.Emulator.ClearRequests();
        var failed = await cluster.Applier().ApplyAsync(set, "istio-system", force: false, null, default);
        var secret = failed.Single(o => o.Target.Name == PlanBuilder.SecretName);
        Assert.Equal(ClusterFailureKind.ServerError, secret.Failure?.Kind);
        Assert.Equal(4, cluster.Emulator.Requests.Count(r => r.Method == "PATCH" && r.Path.EndsWith("/secrets/" + PlanBuilder.SecretName)));
    }

    [Fact]
    public async Task A_dropped_connection_mid_apply_shows_what_made_it_and_running_again_continues()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.26", "default", "kube-public"));
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, null, default)).Value!;
        cluster.Emulator.Faults.ResetConnection("PATCH", "/api/v1/namespaces/kube-public/secrets/.*");

        var outcomes = await cluster.Applier().ApplyAsync(set, "istio-system", force: false, null, default);
        Assert.Equal(ApplyOutcomeKind.Created, outcomes.Single(o => o.Target.Namespace == "default").Kind);
        Assert.Equal(ClusterFailureKind.ConnectionLost, outcomes.Single(o => o.Target.Namespace == "kube-public").Failure?.Kind);

        cluster.Emulator.Faults.Clear();
        var rerun = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, null, default)).Value!;
        var continued = await cluster.Applier().ApplyAsync(rerun, "istio-system", force: false, null, default);
        Assert.Equal(ApplyOutcomeKind.Unchanged, continued.Single(o => o.Target.Namespace == "default").Kind);
        Assert.Equal(ApplyOutcomeKind.Created, continued.Single(o => o.Target.Namespace == "kube-public").Kind);
    }

    [Fact]
    public async Task Timeouts_end_in_a_clear_failure_after_bounded_retries()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        cluster.Emulator.Faults.Delay(null, "/version", TimeSpan.FromSeconds(10));

        var report = await cluster.Preflight().RunAsync(null, default);

        Assert.False(report.ApiReachable);
        Assert.Equal(ClusterFailureKind.Timeout, report.Api.Failure?.Kind);
    }

    private static string Mesh(KubeApiEmulator emulator) =>
        (string)emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["mesh"]!;

    /// <summary>Every Secret, ConfigMap and IstioOperator, raw (the test's own normaliser, not the product's journal code).</summary>
    private static SortedDictionary<string, string> Snapshot(KubeApiEmulator emulator) =>
        RawObjects.Snapshot(emulator, [("v1", "Secret"), ("v1", "ConfigMap"), ("install.istio.io/v1alpha1", "IstioOperator")]);
}
