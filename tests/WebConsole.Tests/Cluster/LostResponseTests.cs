using KubeEmulator;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>The server commits a write and the connection drops before the answer: the retry must recognise its own write.</summary>
public sealed class LostResponseTests
{
    [Fact]
    public async Task A_restore_whose_answer_was_lost_is_reported_restored_and_the_journal_is_removed()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var meshBefore = RawObjects.Get(cluster.Emulator, "v1", "ConfigMap", "istio-system", "istio");
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        Assert.All(await cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default), o => Assert.Null(o.Failure));
        cluster.Emulator.Faults.ResetConnectionAfterCommit("PUT", "/configmaps/istio$", times: 1);

        var undone = await cluster.Applier().UndoAsync("istio-system", null, default);

        Assert.All(undone, o => Assert.Null(o.Failure));
        Assert.Equal(ApplyOutcomeKind.Restored, undone.Single(o => o.Target.Name == "istio").Kind);
        Assert.Equal([0, 409], cluster.Emulator.Requests.Where(r => r.Method == "PUT" && r.Path.EndsWith("/configmaps/istio")).Select(r => r.StatusCode));
        Assert.Equal(meshBefore, RawObjects.Get(cluster.Emulator, "v1", "ConfigMap", "istio-system", "istio"));
        Assert.Null(cluster.Emulator.Store.Get("v1", "Secret", "istio-system", UndoJournal.SecretName));
    }

    [Fact]
    public async Task A_restore_over_another_writers_change_stays_a_conflict_and_keeps_the_journal()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        await cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);
        // The GET before the PUT is answered, then someone else edits the ConfigMap before the PUT arrives.
        cluster.Emulator.Faults.Delay("PUT", "/configmaps/istio$", TimeSpan.FromMilliseconds(300), times: 1);
        // Cleared before the editor starts watching: the apply's own GETs must not set it off before the undo reads.
        cluster.Emulator.ClearRequests();
        var edit = Task.Run(async () =>
        {
            while (!cluster.Emulator.Requests.Any(r => r.Method == "GET" && r.Path.EndsWith("/configmaps/istio"))) await Task.Delay(10);
            var mesh = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!;
            mesh["data"]!["meshNetworks"] = "networks: {}\n# edited by someone else\n";
            cluster.Emulator.Store.Put(mesh, "kubectl-edit", asApply: false);
        });

        var undone = await cluster.Applier().UndoAsync("istio-system", null, default);
        await edit;

        var mesh = undone.Single(o => o.Target.Name == "istio");
        Assert.Equal(ApplyOutcomeKind.Failed, mesh.Kind);
        Assert.Equal(MeshConsole.Domain.Cluster.ClusterFailureKind.Conflict, mesh.Failure?.Kind);
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Secret", "istio-system", UndoJournal.SecretName));
    }

    [Fact]
    public async Task An_apply_whose_answers_were_lost_reports_what_it_wrote()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        cluster.Emulator.Faults.ResetConnectionAfterCommit("PATCH", "/configmaps/istio$", times: 1);
        cluster.Emulator.Faults.ResetConnectionAfterCommit("PATCH", "/namespaces/default/secrets/" + PlanBuilder.SecretName.Replace(".", "\\.") + "$", times: 1);
        cluster.Emulator.Faults.ResetConnectionAfterCommit("PATCH", "/secrets/" + UndoJournal.SecretName.Replace(".", "\\.") + "$", times: 1);

        var outcomes = await cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);

        Assert.All(outcomes, o => Assert.Null(o.Failure));
        Assert.Equal(ApplyOutcomeKind.Changed, outcomes.Single(o => o.Target.Name == "istio").Kind);
        Assert.Equal(ApplyOutcomeKind.Created, outcomes.Single(o => o.Target is { Name: PlanBuilder.SecretName, Namespace: "default" }).Kind);
        Assert.Contains(cluster.Emulator.Requests, r => r.Method == "PATCH" && r.Path.EndsWith("/configmaps/istio") && r.StatusCode == 0);
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Secret", "istio-system", UndoJournal.SecretName));

        var undone = await cluster.Applier().UndoAsync("istio-system", null, default);
        Assert.All(undone, o => Assert.Null(o.Failure));
        Assert.Null(cluster.Emulator.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));
    }
}
