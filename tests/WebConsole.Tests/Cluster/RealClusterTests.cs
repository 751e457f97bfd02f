using k8s;
using k8s.Models;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>Runs only when K8S_E2E_KUBECONFIG names a kubeconfig (kind, k3s, minikube...); shown as skipped otherwise.</summary>
public sealed class RealClusterFactAttribute : FactAttribute
{
    public const string Variable = "K8S_E2E_KUBECONFIG";

    public RealClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"Real-cluster suite: set {Variable} to a kubeconfig to run it (see README, 'Real-cluster tests').";
    }
}

/// <summary>
/// The same flow as the emulator tests, against a real cluster: preflight, dry-run, apply, re-apply as a no-op,
/// undo to the exact previous state. It works in a namespace of its own and undoes everything it applied.
/// </summary>
public sealed class RealClusterTests
{
    [RealClusterFact]
    public async Task Applies_reapplies_as_a_no_op_and_undoes_on_a_real_cluster()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable(RealClusterFactAttribute.Variable));
        using var client = new Kubernetes(config);
        var gateway = new KubeGateway(client, [EmulatedCluster.Token]);
        var ns = "lightstep-e2e-" + Guid.NewGuid().ToString("N")[..8];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        try
        {
            var probe = await new Preflight(gateway, TimeProvider.System).RunAsync(null, default);
            Assert.True(probe.ApiReachable, "The API server of K8S_E2E_KUBECONFIG is not reachable.");
            var version = probe.Istio?.Version?.ToString() ?? "1.26";
            var plan = PlanBuilder.Build(EmulatedCluster.Input(version, ns));
            var report = await new Preflight(gateway, TimeProvider.System).RunAsync(plan, default);
            Assert.Empty(report.Denied);
            var journalNamespace = report.Istio?.Namespace ?? "default";
            var before = await gateway.GetAsync(new ResourceRef("v1", "ConfigMap", journalNamespace, "istio"), default);

            var set = (await LiveChangePlanner.PlanAsync(gateway, plan, report.Istio, default)).Value!;
            var applier = new ClusterApplier(gateway, new UndoJournal(gateway, TimeProvider.System), [EmulatedCluster.Token]);
            var previews = await applier.PreviewAsync(set, force: true, default);
            Assert.All(previews, p => Assert.Null(p.Failure));
            Assert.Null((await gateway.GetAsync(new ResourceRef("v1", "Secret", ns, PlanBuilder.SecretName), default)).Value);

            var applied = await applier.ApplyAsync(set, journalNamespace, force: true, null, default);
            Assert.All(applied, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
            var again = await applier.ApplyAsync((await LiveChangePlanner.PlanAsync(gateway, plan, report.Istio, default)).Value!, journalNamespace, force: true, null, default);
            Assert.All(again, o => Assert.Equal(ApplyOutcomeKind.Unchanged, o.Kind));

            var undone = await applier.UndoAsync(journalNamespace, null, default);
            Assert.All(undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
            Assert.Null((await gateway.GetAsync(new ResourceRef("v1", "Secret", ns, PlanBuilder.SecretName), default)).Value);
            var after = await gateway.GetAsync(new ResourceRef("v1", "ConfigMap", journalNamespace, "istio"), default);
            Assert.Equal((string?)before.Value?["data"]?["mesh"], (string?)after.Value?["data"]?["mesh"]);
        }
        finally
        {
            await client.CoreV1.DeleteNamespaceAsync(ns);
        }
    }
}
