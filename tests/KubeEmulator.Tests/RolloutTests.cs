using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace KubeEmulator.Tests;

public sealed class RolloutTests
{
    private static readonly TimeSpan ReadyAfter = TimeSpan.FromSeconds(5);

    private static V1Deployment Deployment(string name, string image, int replicas = 1) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name, ["tier"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = image }] },
            },
        },
    };

    private static async Task<(TestCluster Cluster, FakeTimeProvider Clock)> StartAsync(ClusterFixture fixture, IDictionary<string, string>? namespaceLabels = null)
    {
        var cluster = await TestCluster.StartAsync(fixture);
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = "shop", Labels = namespaceLabels },
        });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        cluster.Emulator.Rollouts.Enable(ReadyAfter, clock);
        return (cluster, clock);
    }

    [Fact]
    public async Task Without_enabling_deployments_create_no_pods()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NoIstio);
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });

        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:1.27"), "shop");

        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items);
        Assert.Null((await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop")).Status?.ReadyReplicas);
    }

    [Fact]
    public async Task Pods_are_pending_then_ready_after_the_delay_and_the_deployment_status_follows()
    {
        var (cluster, clock) = await StartAsync(ClusterFixture.NoIstio);
        await using var _ = cluster;

        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:1.27", replicas: 2), "shop");

        var pending = (await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items;
        Assert.Equal(2, pending.Count);
        Assert.All(pending, p =>
        {
            Assert.Equal("Pending", p.Status.Phase);
            Assert.Equal("ContainerCreating", Assert.Single(p.Status.ContainerStatuses).State.Waiting.Reason);
            Assert.Equal("web", p.Metadata.Labels["app"]);
            Assert.Equal("web", p.Metadata.Labels["tier"]);
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.Equal(("ReplicaSet", true), (owner.Kind, owner.Controller));
            Assert.StartsWith($"{owner.Name}-", p.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal($"web-{p.Metadata.Labels["pod-template-hash"]}", owner.Name);
        });
        var progressing = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        Assert.Equal(0, progressing.Status.ReadyReplicas);

        clock.Advance(ReadyAfter - TimeSpan.FromSeconds(1));
        Assert.All((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items, p => Assert.Equal("Pending", p.Status.Phase));

        clock.Advance(TimeSpan.FromSeconds(1));
        var running = (await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items;
        Assert.All(running, p =>
        {
            Assert.Equal("Running", p.Status.Phase);
            Assert.Contains(p.Status.Conditions, c => c.Type == "Ready" && c.Status == "True");
            Assert.NotNull(Assert.Single(p.Status.ContainerStatuses).State.Running);
        });
        var ready = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        Assert.Equal((2, 2, 2, 2), (ready.Status.Replicas, ready.Status.ReadyReplicas, ready.Status.UpdatedReplicas, ready.Status.AvailableReplicas));
        Assert.Equal(ready.Metadata.Generation, ready.Status.ObservedGeneration);
        Assert.Contains(ready.Status.Conditions, c => c.Type == "Available" && c.Status == "True");
        Assert.Equal(pending.Select(p => p.Metadata.Name), running.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task The_deployment_owns_a_replica_set_per_pod_template_and_scales_the_old_one_to_zero()
    {
        var (cluster, clock) = await StartAsync(ClusterFixture.NoIstio);
        await using var _ = cluster;
        var web = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:1.27", replicas: 2), "shop");
        clock.Advance(ReadyAfter);

        var first = Assert.Single((await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync("shop")).Items);
        var hash = first.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash}", first.Metadata.Name);
        var owner = Assert.Single(first.Metadata.OwnerReferences);
        Assert.Equal(("Deployment", "web", web.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = hash }, first.Spec.Selector.MatchLabels);
        Assert.Equal(hash, first.Spec.Template.Metadata.Labels["pod-template-hash"]);
        Assert.Equal("1", first.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal((2, 2, 2, 2), (first.Spec.Replicas, first.Status.Replicas, first.Status.ReadyReplicas, first.Status.AvailableReplicas));
        Assert.Equal(first.Metadata.Name, Assert.Single((await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync("shop", labelSelector: $"pod-template-hash={hash}")).Items).Metadata.Name);

        // What `kubectl rollout restart` does: a template annotation, so a new ReplicaSet takes over.
        var restart = """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-02T03:04:10Z"}}}}}""";
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(restart, V1Patch.PatchType.MergePatch), "web", "shop");

        var replicaSets = (await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync("shop")).Items;
        Assert.Equal(2, replicaSets.Count);
        var old = Assert.Single(replicaSets, rs => rs.Metadata.Name == first.Metadata.Name);
        var next = Assert.Single(replicaSets, rs => rs.Metadata.Name != first.Metadata.Name);
        Assert.Equal((0, 0, 2L), (old.Spec.Replicas, old.Status.Replicas, old.Metadata.Generation));
        Assert.Equal((2, "2"), (next.Spec.Replicas, next.Metadata.Annotations["deployment.kubernetes.io/revision"]));
        Assert.Equal("2026-01-02T03:04:10Z", next.Spec.Template.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"]);
        var pods = (await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items;
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(next.Metadata.Name, Assert.Single(p.Metadata.OwnerReferences).Name));
        Assert.All(pods, p => Assert.Equal("2026-01-02T03:04:10Z", p.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"]));
        var rolling = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        Assert.Equal((2, 2, 0), (rolling.Status.Replicas, rolling.Status.UpdatedReplicas, rolling.Status.ReadyReplicas ?? 0));

        clock.Advance(ReadyAfter);
        var ready = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        Assert.Equal((2, 2, 2, 2), (ready.Status.Replicas, ready.Status.UpdatedReplicas, ready.Status.ReadyReplicas, ready.Status.AvailableReplicas));
        Assert.Equal(2, (await cluster.Client.AppsV1.ReadNamespacedReplicaSetAsync(next.Metadata.Name, "shop")).Status.ReadyReplicas);
    }

    [Theory]
    [InlineData("istio-injection", "enabled", true)]
    [InlineData("istio.io/rev", "default", true)]
    [InlineData("istio.io/rev", "canary", false)] // no control plane serves revision "canary": no injector webhook
    [InlineData("istio-injection", "disabled", false)]
    [InlineData("team", "a", false)]
    public async Task The_sidecar_is_injected_when_the_namespace_asks_for_it_and_istio_runs(string key, string value, bool injected)
    {
        var (cluster, clock) = await StartAsync(ClusterFixture.MidIstio, new Dictionary<string, string> { [key] = value });
        await using var _ = cluster;

        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:1.27"), "shop");
        clock.Advance(ReadyAfter);

        var pod = Assert.Single((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items);
        Assert.Equal(injected ? ["web", "istio-proxy"] : ["web"], pod.Spec.Containers.Select(c => c.Name));
        if (injected) Assert.Equal("docker.io/istio/proxyv2:1.14.3", pod.Spec.Containers[1].Image);
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Fact]
    public async Task A_labeled_namespace_gets_no_sidecar_on_a_cluster_without_istio()
    {
        var (cluster, clock) = await StartAsync(ClusterFixture.NoIstio, new Dictionary<string, string> { ["istio-injection"] = "enabled" });
        await using var _ = cluster;

        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:1.27"), "shop");
        clock.Advance(ReadyAfter);

        Assert.Equal(["web"], Assert.Single((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items).Spec.Containers.Select(c => c.Name));
    }

    [Fact]
    public async Task A_failing_image_keeps_the_pod_pending_with_the_reason_and_a_kubelet_warning_event()
    {
        var (cluster, clock) = await StartAsync(ClusterFixture.NoIstio);
        await using var _ = cluster;
        cluster.Emulator.Rollouts.FailImage("nginx:9.9");

        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:9.9"), "shop");
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", "nginx:1.27"), "shop");
        clock.Advance(ReadyAfter + TimeSpan.FromMinutes(5));

        var pods = (await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items;
        var web = Assert.Single(pods, p => p.Metadata.Labels["app"] == "web");
        Assert.Equal("Pending", web.Status.Phase);
        var waiting = Assert.Single(web.Status.ContainerStatuses).State.Waiting;
        Assert.Equal("ImagePullBackOff", waiting.Reason);
        Assert.Equal("Back-off pulling image \"nginx:9.9\"", waiting.Message);
        var warning = Assert.Single((await cluster.Client.CoreV1.ListNamespacedEventAsync("shop")).Items);
        Assert.Equal(("Warning", "Failed", "Pod", web.Metadata.Name, web.Metadata.Uid),
            (warning.Type, warning.Reason, warning.InvolvedObject.Kind, warning.InvolvedObject.Name, warning.InvolvedObject.Uid));
        Assert.StartsWith("Failed to pull image \"nginx:9.9\": ", warning.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop")).Status.ReadyReplicas);
        Assert.Equal(1, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("api", "shop")).Status.ReadyReplicas);
    }

    [Fact]
    public async Task Changing_the_template_replaces_the_pods_scaling_changes_their_number_and_deleting_removes_them()
    {
        var (cluster, clock) = await StartAsync(ClusterFixture.NoIstio);
        await using var _ = cluster;
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:1.27"), "shop");
        clock.Advance(ReadyAfter);
        var first = Assert.Single((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items);

        var patch = new V1Patch(KubernetesJson.Serialize(Deployment("web", "nginx:1.28", replicas: 3)), V1Patch.PatchType.ApplyPatch);
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(patch, "web", "shop", fieldManager: "test", force: true);

        var replaced = (await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items;
        Assert.Equal(3, replaced.Count);
        Assert.DoesNotContain(replaced, p => p.Metadata.Name == first.Metadata.Name);
        Assert.All(replaced, p => Assert.Equal("nginx:1.28", p.Spec.Containers[0].Image));
        var rolling = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        Assert.Equal(0, rolling.Status.ReadyReplicas);
        Assert.Equal(rolling.Metadata.Generation, rolling.Status.ObservedGeneration);

        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop");

        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items);
        Assert.Empty((await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync("shop")).Items);
    }

    [Fact]
    public async Task Foreground_deletion_removes_the_replica_sets_and_pods_first_and_orphan_deletion_keeps_them_for_the_next_deployment()
    {
        var (cluster, clock) = await StartAsync(ClusterFixture.NoIstio);
        await using var _ = cluster;
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "nginx:1.27"), "shop");
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", "nginx:1.27"), "shop");
        clock.Advance(ReadyAfter);

        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", new V1DeleteOptions { PropagationPolicy = "Foreground" });
        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("api", "shop", new V1DeleteOptions { PropagationPolicy = "Orphan" });

        Assert.Empty((await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("shop")).Items);
        var orphan = Assert.Single((await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync("shop")).Items);
        Assert.StartsWith("api-", orphan.Metadata.Name, StringComparison.Ordinal);
        Assert.Null(orphan.Metadata.OwnerReferences);
        var kept = Assert.Single((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items);
        Assert.Equal(orphan.Metadata.Name, Assert.Single(kept.Metadata.OwnerReferences).Name);

        // The same Deployment again adopts the orphaned ReplicaSet (same template, same name) and keeps its pod.
        var api = await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", "nginx:1.27"), "shop");

        var adopted = Assert.Single((await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync("shop")).Items);
        Assert.Equal(api.Metadata.Uid, Assert.Single(adopted.Metadata.OwnerReferences).Uid);
        Assert.Equal(kept.Metadata.Uid, Assert.Single((await cluster.Client.CoreV1.ListNamespacedPodAsync("shop")).Items).Metadata.Uid);
        Assert.Equal(1, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("api", "shop")).Status.ReadyReplicas);
    }

    [Fact]
    public async Task Fixture_workloads_keep_their_replica_sets_and_pods()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var before = (await cluster.Client.CoreV1.ListNamespacedPodAsync("istio-system")).Items.Select(p => p.Metadata.Name).ToList();

        cluster.Emulator.Rollouts.Enable(TimeSpan.Zero);

        Assert.Equal(before, (await cluster.Client.CoreV1.ListNamespacedPodAsync("istio-system")).Items.Select(p => p.Metadata.Name));
        Assert.DoesNotContain((await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync("istio-system")).Items, rs => rs.Spec.Replicas == 0);
    }
}
