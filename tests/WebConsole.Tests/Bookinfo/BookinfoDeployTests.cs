using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeEmulator;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Time.Testing;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Cluster;
using WebConsole.Tests.Cluster;

namespace WebConsole.Tests.Bookinfo;

/// <summary>
/// Bookinfo through the real path against the emulator with rollouts on: PlanBuilder.BuildBookinfo → LiveChangePlanner →
/// ClusterApplier preview (dry run) and apply → BookinfoCluster.WaitUntilReadyAsync, all on one fake clock.
/// </summary>
public sealed class BookinfoDeployTests
{
    private const string Ns = "bookinfo";
    private static readonly TimeSpan ReadyAfter = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly Dictionary<string, string> InjectionEnabled = new() { ["istio-injection"] = "enabled" };

    private sealed class Deployment(EmulatedCluster cluster) : IAsyncDisposable
    {
        public EmulatedCluster Cluster { get; } = cluster;
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        public KubeApiEmulator Kube => Cluster.Emulator;
        public IstioInstallation? Istio { get; set; }
        public ValueTask DisposeAsync() => Cluster.DisposeAsync();
    }

    private static async Task<Deployment> StartAsync(ClusterFixture fixture = ClusterFixture.MidIstio)
    {
        var deployment = new Deployment(await EmulatedCluster.StartAsync(fixture));
        deployment.Kube.Rollouts.Enable(ReadyAfter, deployment.Clock);
        deployment.Istio = (await deployment.Cluster.Preflight().RunAsync(null, default)).Istio;
        return deployment;
    }

    private static Plan BookinfoPlan(IReadOnlyDictionary<string, string>? confirmedLabels) =>
        PlanBuilder.BuildBookinfo(new BookinfoInput(Ns, IstioVersion.Parse("1.14.3"), confirmedLabels));

    /// <summary>Preview (asserting it stores nothing), then apply; returns the per-object outcomes.</summary>
    private static async Task<IReadOnlyList<ApplyOutcome>> PreviewAndApplyAsync(Deployment d, Plan plan, KubeGateway? gateway = null)
    {
        gateway ??= d.Cluster.Gateway;
        var applier = new ClusterApplier(gateway, new UndoJournal(gateway, d.Clock), [EmulatedCluster.Token]);
        var set = (await LiveChangePlanner.PlanAsync(gateway, plan, d.Istio, default)).Value!;
        var resourceVersion = d.Kube.Store.ResourceVersion;

        var previews = await applier.PreviewAsync(set, force: false, default);

        Assert.Equal(resourceVersion, d.Kube.Store.ResourceVersion);
        Assert.Empty(d.Kube.Store.List("apps/v1", "Deployment", Ns));
        Assert.Equal(plan.Objects.Count, previews.Count);
        return await applier.ApplyAsync(set, "istio-system", force: false, null, default);
    }

    /// <summary>Runs the wait while moving the fake clock on one poll interval at a time.</summary>
    private static async Task<(ReadinessOutcome Outcome, List<IReadOnlyList<DeploymentStatus>> Reported)> WaitAsync(
        Deployment d, TimeSpan timeout, KubeGateway? gateway = null)
    {
        var reported = new List<IReadOnlyList<DeploymentStatus>>();
        var progress = new SynchronousProgress<IReadOnlyList<DeploymentStatus>>(reported.Add);
        var wait = new BookinfoCluster(gateway ?? d.Cluster.Gateway, d.Clock).WaitUntilReadyAsync(Ns, timeout, PollInterval, progress, default);
        while (!wait.IsCompleted)
        {
            await Task.Delay(5);
            d.Clock.Advance(PollInterval);
        }
        return (await wait, reported);
    }

    private static IReadOnlyDictionary<string, string> NamespaceLabels(Deployment d) =>
        (d.Kube.Store.Get("v1", "Namespace", null, Ns)?["metadata"]?["labels"] as JsonObject ?? [])
        .ToDictionary(l => l.Key, l => (string)l.Value!);

    private static void SeedNamespace(Deployment d, params (string Key, string Value)[] labels) =>
        d.Kube.Store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = Ns, ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) },
        }, "kubectl-create", asApply: false);

    [Fact]
    public async Task A_plan_that_creates_its_namespace_previews_without_failures_and_marks_the_objects_that_wait_for_it()
    {
        await using var d = await StartAsync();
        var gateway = d.Cluster.Gateway;
        var applier = new ClusterApplier(gateway, new UndoJournal(gateway, d.Clock), [EmulatedCluster.Token]);
        var set = (await LiveChangePlanner.PlanAsync(gateway, BookinfoPlan(InjectionEnabled), d.Istio, default)).Value!;

        var previews = await applier.PreviewAsync(set, force: false, default);

        Assert.All(previews, p => Assert.Null(p.Failure));
        Assert.All(previews, p => Assert.Equal(ChangeKind.Create, p.Kind));
        Assert.Equal(previews.Select(p => p.Change.Target.Kind != "Namespace"), previews.Select(p => p.AwaitsNamespace));
        var productpage = previews.Single(p => p.Change.Target is { Kind: "Deployment", Name: "productpage-v1" });
        Assert.Contains(productpage.Diff!.Lines, l => l.Kind == DiffLineKind.Added && l.Text.Contains("examples-bookinfo-productpage-v1"));
    }

    [Fact]
    public async Task An_object_in_a_missing_namespace_the_set_does_not_create_still_fails_its_dry_run()
    {
        await using var d = await StartAsync();
        var gateway = d.Cluster.Gateway;
        var applier = new ClusterApplier(gateway, new UndoJournal(gateway, d.Clock), [EmulatedCluster.Token]);
        var plan = BookinfoPlan(null);
        var withoutNamespace = plan with { Objects = plan.Objects.Where(o => o.Kind != "Namespace").ToList() };
        var set = (await LiveChangePlanner.PlanAsync(gateway, withoutNamespace, d.Istio, default)).Value!;

        var previews = await applier.PreviewAsync(set, force: false, default);

        Assert.All(previews, p => Assert.Equal(ClusterFailureKind.NotFound, p.Failure?.Kind));
        Assert.DoesNotContain(previews, p => p.AwaitsNamespace);
    }

    [Fact]
    public async Task With_the_confirmed_injection_label_the_namespace_is_created_labeled_and_all_six_deployments_become_ready_with_sidecars()
    {
        await using var d = await StartAsync();

        var outcomes = await PreviewAndApplyAsync(d, BookinfoPlan(InjectionEnabled));

        Assert.Equal(17, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(ApplyOutcomeKind.Created, o.Kind));
        Assert.Equal("enabled", NamespaceLabels(d)["istio-injection"]);

        var (outcome, reported) = await WaitAsync(d, TimeSpan.FromMinutes(5));

        Assert.True(outcome.AllReady);
        Assert.False(outcome.TimedOut);
        Assert.Null(outcome.Failure);
        Assert.Equal(BookinfoSample.Deployments.Select(p => p.Name), outcome.Deployments.Select(s => s.Name));
        Assert.All(outcome.Deployments, s => Assert.Equal(DeploymentState.Ready, s.State));
        Assert.All(outcome.Deployments, s => Assert.True(Assert.Single(s.Pods).HasSidecar));
        Assert.Contains(reported, snapshot => snapshot.All(s => s.State == DeploymentState.Progressing));
        Assert.Same(outcome.Deployments, reported[^1]);
    }

    [Fact]
    public async Task Without_confirmed_labels_an_existing_namespace_keeps_its_labels_and_the_deployments_end_ready_without_sidecar()
    {
        await using var d = await StartAsync();
        SeedNamespace(d, ("team", "books"));
        var labelsBefore = NamespaceLabels(d);

        var outcomes = await PreviewAndApplyAsync(d, BookinfoPlan(null));

        Assert.All(outcomes, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Equal(labelsBefore, NamespaceLabels(d));
        var (outcome, _) = await WaitAsync(d, TimeSpan.FromMinutes(5));
        Assert.True(outcome.AllReady);
        Assert.All(outcome.Deployments, s => Assert.Equal(DeploymentState.ReadyWithoutSidecar, s.State));
    }

    [Fact]
    public async Task A_deployment_stuck_pulling_its_image_is_named_with_reason_and_event_and_the_wait_times_out_with_the_others_ready()
    {
        await using var d = await StartAsync();
        d.Kube.Rollouts.FailImage("examples-bookinfo-reviews-v2");
        await PreviewAndApplyAsync(d, BookinfoPlan(InjectionEnabled));

        var (outcome, _) = await WaitAsync(d, TimeSpan.FromMinutes(3));

        Assert.True(outcome.TimedOut);
        Assert.False(outcome.AllReady);
        Assert.Null(outcome.Failure);
        var stuck = Assert.Single(outcome.Deployments, s => s.State != DeploymentState.Ready);
        Assert.Equal("reviews-v2", stuck.Name);
        Assert.Equal(DeploymentState.Failing, stuck.State);
        Assert.Equal("ImagePullBackOff", stuck.FailureReason);
        Assert.StartsWith($"Failed to pull image \"{BookinfoImages.ReviewsV2}\"", stuck.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(5, outcome.Deployments.Count(s => s.State == DeploymentState.Ready));
    }

    [Fact]
    public async Task Bookinfo_only_undo_restores_an_existing_namespace_exactly_and_leaves_other_journal_entries()
    {
        await using var d = await StartAsync();
        SeedNamespace(d, ("team", "books"), ("env", "demo"));
        var labelsBefore = NamespaceLabels(d);
        var tracingPlan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3", "default"));
        var tracingSet = (await LiveChangePlanner.PlanAsync(d.Cluster.Gateway, tracingPlan, d.Istio, default)).Value!;
        await d.Cluster.Applier().ApplyAsync(tracingSet, "istio-system", force: true, null, default);
        var plan = BookinfoPlan(InjectionEnabled);

        await PreviewAndApplyAsync(d, plan);

        Assert.Equal(new Dictionary<string, string>(labelsBefore) { ["istio-injection"] = "enabled" }, NamespaceLabels(d));

        var undone = await d.Cluster.Applier().UndoAsync("istio-system", BookinfoCluster.UndoFilter(plan), null, default);

        Assert.All(undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Equal(17, undone.Count);
        Assert.Equal(("Namespace", ApplyOutcomeKind.Restored), (undone[^1].Target.Kind, undone[^1].Kind));
        Assert.Equal(labelsBefore, NamespaceLabels(d));
        Assert.Empty(d.Kube.Store.List("apps/v1", "Deployment", Ns));
        Assert.Empty(d.Kube.Store.List("v1", "Service", Ns));
        Assert.Empty(d.Kube.Store.List("v1", "Pod", Ns));
        Assert.NotNull(d.Kube.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));

        var rest = await d.Cluster.Applier().UndoAsync("istio-system", null, default);

        Assert.Contains(rest, o => o.Target.Name == PlanBuilder.SecretName && o.Kind == ApplyOutcomeKind.Deleted);
        Assert.DoesNotContain(rest, o => o.Target.Namespace == Ns || o.Target.Kind == "Namespace");
        Assert.Null(d.Kube.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));
    }

    [Fact]
    public async Task Bookinfo_only_undo_deletes_the_namespace_the_console_created()
    {
        await using var d = await StartAsync();
        var plan = BookinfoPlan(InjectionEnabled);
        await PreviewAndApplyAsync(d, plan);
        await WaitAsync(d, TimeSpan.FromMinutes(5));

        var undone = await d.Cluster.Applier().UndoAsync("istio-system", BookinfoCluster.UndoFilter(plan), null, default);

        Assert.Equal(("Namespace", ApplyOutcomeKind.Deleted), (undone[^1].Target.Kind, undone[^1].Kind));
        Assert.All(undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Null(d.Kube.Store.Get("v1", "Namespace", null, Ns));
        Assert.Null(d.Kube.Store.Get("v1", "Secret", "istio-system", UndoJournal.SecretName));
    }

    [Fact]
    public async Task Bookinfo_only_undo_is_done_only_once_the_terminating_namespace_is_gone()
    {
        await using var d = await StartAsync();
        var plan = BookinfoPlan(InjectionEnabled);
        await PreviewAndApplyAsync(d, plan);
        await WaitAsync(d, TimeSpan.FromMinutes(5));
        // As on a real cluster the namespace stays Terminating for a while after its DELETE (here 300 ms of real time).
        d.Kube.Namespaces.Configure(TimeSpan.FromMilliseconds(300));
        var applier = new ClusterApplier(d.Cluster.Gateway, new UndoJournal(d.Cluster.Gateway, d.Clock), [EmulatedCluster.Token],
            new NamespaceTermination(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)), TimeProvider.System);

        var undone = await applier.UndoAsync("istio-system", BookinfoCluster.UndoFilter(plan), null, default);

        Assert.Equal(("Namespace", ApplyOutcomeKind.Deleted), (undone[^1].Target.Kind, undone[^1].Kind));
        Assert.Null(d.Kube.Store.Get("v1", "Namespace", null, Ns));
    }

    [Fact]
    public async Task A_namespace_that_stays_terminating_fails_the_undo_with_what_to_do_keeps_its_journal_entry_and_blocks_a_redeploy_with_one_clear_error()
    {
        await using var d = await StartAsync();
        var plan = BookinfoPlan(InjectionEnabled);
        await PreviewAndApplyAsync(d, plan);
        await WaitAsync(d, TimeSpan.FromMinutes(5));
        d.Kube.Namespaces.Hold(Ns);
        var applier = new ClusterApplier(d.Cluster.Gateway, new UndoJournal(d.Cluster.Gateway, d.Clock), [EmulatedCluster.Token],
            new NamespaceTermination(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50)), TimeProvider.System);

        var undone = await applier.UndoAsync("istio-system", BookinfoCluster.UndoFilter(plan), null, default);

        var stuck = undone[^1];
        Assert.Equal(("Namespace", ApplyOutcomeKind.Failed), (stuck.Target.Kind, stuck.Kind));
        Assert.Equal(("Cluster.NamespaceStillTerminating", Ns), (stuck.Failure!.Code, (string)stuck.Failure.Arguments[0]));
        Assert.All(undone.SkipLast(1), o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Equal("Terminating", (string?)d.Kube.Store.Get("v1", "Namespace", null, Ns)!["status"]!["phase"]);

        // Deploying again now would be refused object by object (403); the plan stops first with one answer naming the namespace.
        var replanned = await LiveChangePlanner.PlanAsync(d.Cluster.Gateway, plan, d.Istio, default);

        Assert.False(replanned.Succeeded);
        Assert.Equal(("Cluster.NamespaceTerminating", Ns), (replanned.Failure!.Code, (string)replanned.Failure.Arguments[0]));

        // Once the namespace is gone, running the removal again finishes it (no second DELETE: that would be a 409).
        d.Kube.Namespaces.Release(Ns);
        var again = await applier.UndoAsync("istio-system", BookinfoCluster.UndoFilter(plan), null, default);

        Assert.Equal([("Namespace", ApplyOutcomeKind.Deleted)], again.Select(o => (o.Target.Kind, o.Kind)));
        Assert.Null(d.Kube.Store.Get("v1", "Secret", "istio-system", UndoJournal.SecretName));
    }

    [Fact]
    public async Task Objects_someone_else_created_are_taken_over_only_when_forced_and_restored_exactly_by_the_bookinfo_only_undo()
    {
        await using var d = await StartAsync();
        SeedNamespace(d);
        // Created through the API (as kubectl create would), so the server's defaults are in what undo must restore.
        await d.Cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(KubernetesJson.Deserialize<V1ServiceAccount>("""
            {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"bookinfo-details","namespace":"bookinfo","labels":{"owner":"them"}}}
            """), Ns);
        await d.Cluster.Client.CoreV1.CreateNamespacedServiceAsync(KubernetesJson.Deserialize<V1Service>("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"details","namespace":"bookinfo"},
             "spec":{"selector":{"app":"details"},"ports":[{"name":"http","port":9080}]}}
            """), Ns);
        await d.Cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(KubernetesJson.Deserialize<V1Deployment>("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"details-v1","namespace":"bookinfo"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"details","version":"v1"}},
              "template":{"metadata":{"labels":{"app":"details","version":"v1"}},
               "spec":{"containers":[{"name":"details","image":"example.com/details:old"}]}}}}
            """), Ns);
        var theirs = new[] { (Kind: "ServiceAccount", Name: "bookinfo-details"), (Kind: "Service", Name: "details"), (Kind: "Deployment", Name: "details-v1") };
        JsonNode? Spec(string kind, string name) => d.Kube.Store.Get(kind == "Deployment" ? "apps/v1" : "v1", kind, Ns, name)!["spec"];
        var before = theirs.Select(t => Spec(t.Kind, t.Name)).ToList();
        var deploymentLabelsBefore = d.Kube.Store.Get("apps/v1", "Deployment", Ns, "details-v1")!["metadata"]!["labels"]?.ToJsonString();
        var plan = BookinfoPlan(InjectionEnabled);
        var set = (await LiveChangePlanner.PlanAsync(d.Cluster.Gateway, plan, d.Istio, default)).Value!;

        var unforced = await d.Cluster.Applier().PreviewAsync(set, force: false, default);
        var applied = await d.Cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);

        var conflict = Assert.Single(unforced, p => p.Failure is not null);
        Assert.Equal(("Deployment", "details-v1", ClusterFailureKind.FieldManagerConflict),
            (conflict.Change.Target.Kind, conflict.Change.Target.Name, conflict.Failure!.Kind));
        Assert.All(applied, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Equal(BookinfoImages.DetailsV1, (string?)d.Kube.Store.Get("apps/v1", "Deployment", Ns, "details-v1")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);

        var undone = await d.Cluster.Applier().UndoAsync("istio-system", BookinfoCluster.UndoFilter(plan), null, default);

        Assert.All(undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Equal(theirs.Select(t => (t.Kind, t.Name, ApplyOutcomeKind.Restored)),
            undone.Where(o => o.Kind == ApplyOutcomeKind.Restored && o.Target.Kind != "Namespace").Select(o => (o.Target.Kind, o.Target.Name, o.Kind)).Reverse());
        var after = theirs.Select(t => Spec(t.Kind, t.Name)).ToList();
        for (var i = 0; i < theirs.Length; i++)
            Assert.True(JsonNode.DeepEquals(before[i], after[i]), $"{theirs[i]}: {before[i]?.ToJsonString()} became {after[i]?.ToJsonString()}");
        Assert.Equal(deploymentLabelsBefore, d.Kube.Store.Get("apps/v1", "Deployment", Ns, "details-v1")!["metadata"]!["labels"]?.ToJsonString());
        Assert.Equal("them", (string?)d.Kube.Store.Get("v1", "ServiceAccount", Ns, "bookinfo-details")!["metadata"]!["labels"]!["owner"]);
        Assert.Null(d.Kube.Store.Get("apps/v1", "Deployment", Ns, "reviews-v1"));
    }

    [Fact]
    public async Task Overwriting_an_unrecognized_injection_value_someone_else_set_is_a_conflict_until_forced()
    {
        await using var d = await StartAsync();
        SeedNamespace(d, ("istio-injection", "yes"), ("team", "books"));
        var injection = SidecarInjection.Evaluate(NamespaceLabels(d), d.Istio?.Revision);
        Assert.True(injection.OverwritesExistingLabel);
        var plan = BookinfoPlan(injection.LabelsToSet);
        var set = (await LiveChangePlanner.PlanAsync(d.Cluster.Gateway, plan, d.Istio, default)).Value!;

        var unforced = await d.Cluster.Applier().PreviewAsync(set, force: false, default);
        var forced = await d.Cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);

        var conflict = Assert.Single(unforced, p => p.Failure is not null);
        Assert.Equal("Namespace", conflict.Change.Target.Kind);
        Assert.Equal(ClusterFailureKind.FieldManagerConflict, conflict.Failure!.Kind);
        Assert.Contains(conflict.Failure.Conflicts, c => c.Manager == "kubectl-create" && c.Field.Contains("istio-injection", StringComparison.Ordinal));
        Assert.All(forced, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Equal(("enabled", "books"), (NamespaceLabels(d)["istio-injection"], NamespaceLabels(d)["team"]));
    }

    [Fact]
    public async Task Preflight_for_bookinfo_asks_for_the_namespace_and_cluster_wide_listing_and_names_what_is_missing()
    {
        await using var d = await StartAsync();
        d.Kube.Access.Deny("list", "nodes");

        var report = await d.Cluster.Preflight().RunAsync(BookinfoPlan(InjectionEnabled), default);

        Assert.False(report.CanApply);
        var denied = Assert.Single(report.Denied).Requirement;
        Assert.Equal(("list", "nodes", null), (denied.Verb, denied.Resource, denied.Namespace));
        Assert.Contains("kubectl create clusterrole lightstep-console-nodes --verb=list --resource=nodes", denied.ToKubectlFix("someone"), StringComparison.Ordinal);
        Assert.Contains(report.Access, a => a.Requirement is { Verb: "create", Resource: "namespaces", Namespace: null });
        Assert.Contains(report.Access, a => a.Requirement is { Verb: "list", Resource: "events", Namespace: Ns });
    }

    [Fact]
    public async Task Forbidden_deployments_are_failed_results_with_the_permission_and_the_other_objects_are_created()
    {
        await using var d = await StartAsync();
        d.Kube.Access.Deny("create", "deployments", "apps", Ns);
        d.Kube.Access.Deny("patch", "deployments", "apps", Ns);

        var outcomes = await PreviewAndApplyAsync(d, BookinfoPlan(InjectionEnabled));

        var failed = outcomes.Where(o => o.Kind == ApplyOutcomeKind.Failed).ToList();
        Assert.Equal(BookinfoSample.Deployments.Select(p => p.Name), failed.Select(o => o.Target.Name));
        Assert.All(failed, o =>
        {
            Assert.Equal(ClusterFailureKind.Forbidden, o.Failure?.Kind);
            Assert.Contains("deployments", o.Failure!.Arguments);
        });
        Assert.All(outcomes.Except(failed), o => Assert.Equal(ApplyOutcomeKind.Created, o.Kind));
    }

    [Fact]
    public async Task A_server_error_while_polling_is_retried_on_the_next_tick()
    {
        await using var d = await StartAsync();
        var noRetries = new KubeGateway(d.Cluster.Client, [EmulatedCluster.Token], TimeSpan.FromSeconds(2), maxRetries: 0);
        await PreviewAndApplyAsync(d, BookinfoPlan(InjectionEnabled));
        d.Kube.Faults.Fail("GET", $"/namespaces/{Ns}/pods$", 500, times: 2);

        var (outcome, _) = await WaitAsync(d, TimeSpan.FromMinutes(5), noRetries);

        Assert.True(outcome.AllReady);
        Assert.Null(outcome.Failure);
        Assert.Equal(2, d.Kube.Requests.Count(r => r.Path.EndsWith($"/namespaces/{Ns}/pods", StringComparison.Ordinal) && r.StatusCode == 500));
    }

    [Fact]
    public async Task A_server_error_on_three_polls_in_a_row_is_reported()
    {
        await using var d = await StartAsync();
        var noRetries = new KubeGateway(d.Cluster.Client, [EmulatedCluster.Token], TimeSpan.FromSeconds(2), maxRetries: 0);
        await PreviewAndApplyAsync(d, BookinfoPlan(InjectionEnabled));
        d.Kube.Faults.Fail("GET", $"/namespaces/{Ns}/pods$", 500);

        var (outcome, _) = await WaitAsync(d, TimeSpan.FromMinutes(5), noRetries);

        Assert.False(outcome.AllReady);
        Assert.False(outcome.TimedOut);
        Assert.NotNull(outcome.Failure);
        Assert.Equal(3, d.Kube.Requests.Count(r => r.Path.EndsWith($"/namespaces/{Ns}/pods", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Cancelling_the_wait_ends_it_quietly_with_the_last_snapshot()
    {
        await using var d = await StartAsync();
        await PreviewAndApplyAsync(d, BookinfoPlan(InjectionEnabled));
        using var cancel = new CancellationTokenSource();
        var reported = new List<IReadOnlyList<DeploymentStatus>>();

        var wait = new BookinfoCluster(d.Cluster.Gateway, d.Clock).WaitUntilReadyAsync(
            Ns, TimeSpan.FromMinutes(5), PollInterval, new SynchronousProgress<IReadOnlyList<DeploymentStatus>>(reported.Add), cancel.Token);
        while (reported.Count == 0) await Task.Delay(5);
        cancel.Cancel();
        var outcome = await wait;

        Assert.False(outcome.TimedOut);
        Assert.Null(outcome.Failure);
        Assert.Equal(6, outcome.Deployments.Count);
        Assert.All(outcome.Deployments, s => Assert.Equal(DeploymentState.Progressing, s.State));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
