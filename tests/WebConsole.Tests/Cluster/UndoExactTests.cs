using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// Undo brings back every object the console touched exactly as it was: fields, labels, annotations (kubectl's
/// last-applied-configuration included) and status, compared raw with the test's own normaliser.
/// </summary>
public sealed class UndoExactTests
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";
    private const string BookinfoNamespace = "shop";

    [Theory]
    [InlineData(ClusterFixture.NoIstio, "1.26")]
    [InlineData(ClusterFixture.OldIstio, "1.7.8")]
    [InlineData(ClusterFixture.MidIstio, "1.14.3")]
    [InlineData(ClusterFixture.MidIstioWithOperator, "1.14.3")]
    [InlineData(ClusterFixture.NewIstio, "1.28.0")]
    public async Task Undo_restores_every_object_the_plan_touched_exactly_as_kubectl_left_it(ClusterFixture fixture, string version)
    {
        await using var cluster = await EmulatedCluster.StartAsync(fixture);
        var emulator = cluster.Emulator;
        emulator.Store.Put(KubectlApplied(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = BookinfoNamespace, ["labels"] = new JsonObject { ["istio-injection"] = "disabled" } },
        }), "kubectl-client-side-apply", asApply: false);
        var plan = PlanBuilder.Build(EmulatedCluster.Input(version, "default", "kube-public"));
        var bookinfo = PlanBuilder.BuildBookinfo(new BookinfoInput(BookinfoNamespace, IstioVersion.Parse(version),
            new Dictionary<string, string> { ["istio-injection"] = "enabled" }));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var journalNamespace = report.Istio?.Namespace ?? "istio-system";

        var first = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        var firstBookinfo = (await LiveChangePlanner.PlanAsync(cluster.Gateway, bookinfo, report.Istio, default)).Value!;
        // The objects a team already has, as `kubectl apply -f` leaves them: every object the Istio plan writes (the
        // Secret in kube-public excepted) and Bookinfo's ProductPage Deployment; the rest the console creates.
        foreach (var change in first.Changes.Concat(firstBookinfo.Changes))
        {
            if (change.Target is { Kind: "Secret", Namespace: "kube-public" }) continue;
            if (firstBookinfo.Changes.Contains(change) && change.Target.Kind != "Namespace" && change.Target.Name != "productpage-v1") continue;
            emulator.Store.Put(KubectlApplied(Existing(change)), "kubectl-client-side-apply", asApply: false);
        }
        var touched = first.Changes.Concat(firstBookinfo.Changes).Select(c => c.Target).ToList();
        var kinds = touched.Select(t => (t.ApiVersion, t.Kind)).Append(("v1", "Secret")).Append(("v1", "ConfigMap")).Append(("v1", "Namespace")).ToList();
        var before = RawObjects.Snapshot(emulator, kinds);
        foreach (var target in touched.Where(t => !(t.Kind == "Secret" && t.Namespace == "kube-public") && !(t.Kind is "Deployment" or "Service" or "ServiceAccount" or "Gateway" or "VirtualService" && t.Name != "productpage-v1")))
            Assert.Contains(LastApplied, before[$"{target.Kind}/{target.Namespace}/{target.Name}"]);

        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        var applied = await cluster.Applier().ApplyAsync(set, journalNamespace, force: true, null, default);
        var bookinfoSet = (await LiveChangePlanner.PlanAsync(cluster.Gateway, bookinfo, report.Istio, default)).Value!;
        var appliedBookinfo = await cluster.Applier().ApplyAsync(bookinfoSet, journalNamespace, force: true, null, default);
        Assert.All(applied.Concat(appliedBookinfo), o => Assert.Null(o.Failure));
        Assert.Contains(applied.Concat(appliedBookinfo), o => o.Kind == ApplyOutcomeKind.Changed);
        Assert.NotEqual(before, RawObjects.Snapshot(emulator, kinds));

        var undone = await cluster.Applier().UndoAsync(journalNamespace, null, default);

        Assert.All(undone, o => Assert.Null(o.Failure));
        Assert.Equal(touched.Count, undone.Count);
        Assert.Null(emulator.Store.Get("v1", "Secret", journalNamespace, UndoJournal.SecretName));
        var after = RawObjects.Snapshot(emulator, kinds);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (key, raw) in before)
            Assert.True(raw == after[key], $"{key} was not restored exactly:\nbefore {raw}\nafter  {after[key]}");
    }

    /// <summary>What a team's own copy of the object looks like: its labels and annotations, and (a custom resource) one spec field fewer.</summary>
    private static JsonObject Existing(LiveChange change)
    {
        var obj = (change.Current ?? change.Desired).DeepClone().AsObject();
        var metadata = obj["metadata"]!.AsObject();
        metadata.Remove("managedFields");
        metadata.Remove("resourceVersion");
        var labels = metadata["labels"] as JsonObject ?? new JsonObject();
        labels["team"] = "payments";
        metadata["labels"] = labels;
        var annotations = metadata["annotations"] as JsonObject ?? new JsonObject();
        annotations["example.com/owner"] = "payments team";
        metadata["annotations"] = annotations;
        if (change.Current is null && obj["data"] is JsonObject data && change.Target.Kind == "Secret")
            data["other.pem"] = Convert.ToBase64String("kept by the team"u8.ToArray());
        if (change.Current is null && obj["spec"] is JsonObject { Count: > 1 } spec && change.Target.ApiVersion.Contains(".istio.io/"))
            spec.Remove(spec.Last().Key);
        return obj;
    }

    /// <summary>The object with kubectl's last-applied-configuration annotation, as client-side `kubectl apply` writes it.</summary>
    private static JsonObject KubectlApplied(JsonObject obj)
    {
        var metadata = obj["metadata"]!.AsObject();
        var annotations = metadata["annotations"] as JsonObject ?? new JsonObject();
        annotations.Remove(LastApplied);
        metadata["annotations"] = annotations;
        var lastApplied = obj.DeepClone().AsObject();
        lastApplied.Remove("status");
        foreach (var key in new[] { "uid", "creationTimestamp", "generation", "resourceVersion", "managedFields" })
            lastApplied["metadata"]!.AsObject().Remove(key);
        annotations[LastApplied] = lastApplied.ToJsonString() + "\n";
        return obj;
    }
}
