using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// Undo deletes the Bookinfo Deployments the console created in a namespace the team already had. Deletion follows the
/// Kubernetes docs in the emulator: finalizers keep a deleted object (202 with the object), and the propagation policy
/// decides what happens to the Pods the Deployments own (https://kubernetes.io/docs/concepts/architecture/garbage-collection/).
/// </summary>
public sealed class DeletionPropagationTests : IAsyncLifetime
{
    private const string Shop = "shop";
    private EmulatedCluster _cluster = null!;
    private string _journalNamespace = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        _cluster.Emulator.Rollouts.Enable(TimeSpan.Zero);
        _cluster.Emulator.Store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = Shop, ["labels"] = new JsonObject { ["istio-injection"] = "enabled" } },
        }, "kubectl-client-side-apply", asApply: false);
        var bookinfo = PlanBuilder.BuildBookinfo(new BookinfoInput(Shop, IstioVersion.Parse("1.14.3"),
            new Dictionary<string, string> { ["istio-injection"] = "enabled" }));
        var report = await _cluster.Preflight().RunAsync(null, default);
        _journalNamespace = report.Istio!.Namespace;
        var set = (await LiveChangePlanner.PlanAsync(_cluster.Gateway, bookinfo, report.Istio, default)).Value!;
        var applied = await _cluster.Applier().ApplyAsync(set, _journalNamespace, force: false, null, default);
        Assert.All(applied, o => Assert.True(o.Failure is null, o.Failure?.ToString()));
        Assert.NotEmpty(Pods());
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IReadOnlyList<JsonObject> Pods() => _cluster.Emulator.Store.List("v1", "Pod", Shop);

    private IReadOnlyList<JsonObject> Deployments() => _cluster.Emulator.Store.List("apps/v1", "Deployment", Shop);

    /// <summary>What a policy agent (or `kubectl delete --cascade=orphan` interrupted halfway) leaves on an object.</summary>
    private void AddFinalizer(string deployment, string finalizer)
    {
        var live = _cluster.Emulator.Store.Get("apps/v1", "Deployment", Shop, deployment)!;
        live["metadata"]!["finalizers"] = new JsonArray(finalizer);
        _cluster.Emulator.Store.Put(live, "policy-agent", asApply: false);
    }

    [Fact]
    public async Task Undo_leaves_no_pods_behind_even_when_a_deployment_carries_the_orphan_finalizer()
    {
        // Without a propagationPolicy in the DELETE, the orphan finalizer decides: the Deployment goes, its Pods stay.
        AddFinalizer("reviews-v1", "orphan");

        var undone = await _cluster.Applier().UndoAsync(_journalNamespace, null, default);

        Assert.All(undone, o => Assert.True(o.Failure is null, o.Failure?.ToString()));
        Assert.Empty(Deployments());
        Assert.Empty(Pods());
        var delete = Assert.Single(_cluster.Emulator.Requests, r => r.Method == "DELETE" && r.Path.EndsWith("/deployments/reviews-v1", StringComparison.Ordinal));
        Assert.StartsWith("/apis/apps/v1/namespaces/shop/", delete.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undo_of_a_deployment_another_controller_still_guards_says_so_and_keeps_it_for_the_next_undo()
    {
        // The DELETE only marks it (202 with the Deployment, deletionTimestamp set): it stays until example.com/backup goes.
        AddFinalizer("ratings-v1", "example.com/backup");

        var undone = await _cluster.Applier().UndoAsync(_journalNamespace, null, default);

        var guarded = Assert.Single(undone, o => o.Target.Name == "ratings-v1");
        Assert.Equal(ApplyOutcomeKind.Failed, guarded.Kind);
        Assert.Equal(ClusterFailureKind.DeletionPending, guarded.Failure?.Kind);
        Assert.Equal(["Deployment/ratings-v1 -n shop", "example.com/backup"], guarded.Failure!.Arguments.Select(a => a.ToString()));
        Assert.All(undone.Where(o => o != guarded), o => Assert.True(o.Failure is null, o.Failure?.ToString()));
        Assert.NotNull(Assert.Single(Deployments())["metadata"]!["deletionTimestamp"]);

        // The backup controller finishes; the next undo finds it gone and empties the journal.
        var released = _cluster.Emulator.Store.Get("apps/v1", "Deployment", Shop, "ratings-v1")!;
        released["metadata"]!.AsObject().Remove("finalizers");
        _cluster.Emulator.Store.Put(released, "policy-agent", asApply: false);
        var again = await _cluster.Applier().UndoAsync(_journalNamespace, null, default);

        Assert.Equal(ApplyOutcomeKind.Deleted, Assert.Single(again).Kind);
        Assert.Empty(Deployments());
        Assert.Empty(Pods());
        Assert.Null(_cluster.Emulator.Store.Get("v1", "Secret", _journalNamespace, UndoJournal.SecretName));
        // Core objects go to /api/v1 (a real API server has no /apis//v1), with the policy in the DeleteOptions body.
        var journalDelete = Assert.Single(_cluster.Emulator.Requests, r => r.Method == "DELETE" && r.Path.EndsWith("/secrets/" + UndoJournal.SecretName, StringComparison.Ordinal));
        Assert.Equal($"/api/v1/namespaces/{_journalNamespace}/secrets/{UndoJournal.SecretName}", journalDelete.Path);
    }
}
