using k8s;
using k8s.Models;
using KubeEmulator;
using Microsoft.Extensions.Time.Testing;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// The restart list after a tracing change: sidecars that already run keep the old settings, so the console names the
/// Deployments whose Pods carry one. As on a real cluster, the emulator's Deployments own a ReplicaSet that owns the Pods
/// (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/), so the console finds each Deployment through
/// the ReplicaSet "&lt;deployment&gt;-&lt;pod-template-hash&gt;".
/// </summary>
public sealed class WorkloadRestartTests : IAsyncLifetime
{
    private const string Shop = "shop";
    private static readonly TimeSpan ReadyAfter = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private EmulatedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        _cluster.Emulator.Rollouts.Enable(ReadyAfter, _clock);
        await _cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = Shop, Labels = new Dictionary<string, string> { ["istio-injection"] = "enabled" } },
        });
        await CreateDeploymentAsync("reviews-v2", replicas: 2);
        await CreateDeploymentAsync("ratings-v1", replicas: 1);
        _clock.Advance(ReadyAfter);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<V1Deployment> CreateDeploymentAsync(string name, int replicas) =>
        _cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = "docker.io/istio/examples-bookinfo-ratings-v1:1.20.3" }] },
                },
            },
        }, Shop);

    private WorkloadRestarts Restarts() => new(_cluster.Gateway, _clock);

    [Fact]
    public async Task The_restart_list_names_each_deployment_whose_pods_run_a_sidecar_and_still_does_after_the_restart()
    {
        var found = await Restarts().FindAsync([Shop], default);

        Assert.True(found.Succeeded, found.Failure?.ToString());
        Assert.Equal([new RestartCandidate(Shop, "ratings-v1", 1), new RestartCandidate(Shop, "reviews-v2", 2)], found.Value);

        var restarted = await Restarts().RestartAsync(found.Value!, default);

        Assert.All(restarted, o => Assert.Equal(ApplyOutcomeKind.Changed, o.Kind));
        // The new template got its own ReplicaSet; the old one is scaled to 0 and its Pods are gone.
        var reviews = (await _cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(Shop, labelSelector: "app=reviews-v2")).Items;
        Assert.Equal([0, 2], reviews.Select(rs => rs.Spec.Replicas ?? 0).Order());
        var pods = (await _cluster.Client.CoreV1.ListNamespacedPodAsync(Shop, labelSelector: "app=reviews-v2")).Items;
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal("2026-03-04T05:06:12Z", p.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"]));
        var again = await Restarts().FindAsync([Shop], default);
        Assert.Equal(found.Value, again.Value);
    }

    [Fact]
    public async Task A_namespace_without_injection_has_nothing_to_restart()
    {
        await _cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "plain" } });
        await _cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        }, "plain");
        _clock.Advance(ReadyAfter);

        var found = await Restarts().FindAsync(["plain", Shop], default);

        Assert.Equal([(Shop, "ratings-v1"), (Shop, "reviews-v2")], found.Value!.Select(c => (c.Namespace, c.Deployment)));
        Assert.Single((await _cluster.Client.CoreV1.ListNamespacedPodAsync("plain")).Items);
    }
}
