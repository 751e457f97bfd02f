using System.Text.Json.Nodes;
using k8s.Models;
using KubeEmulator;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>Preflight's view of the collector route's OpenTelemetry Collector: its rollout and its health endpoint.</summary>
public sealed class CollectorReadinessTests
{
    private const string Namespace = PlanBuilder.CollectorNamespace;

    /// <summary>The plan builder's collector route, whose Deployment preflight recognises by <see cref="CollectorNames"/>.</summary>
    private static Plan CollectorPlan() =>
        PlanBuilder.Build(EmulatedCluster.Input("1.28.0", "default") with { Route = SpanRoute.Collector });

    private static void SeedCollector(KubeApiEmulator emulator, int ready)
    {
        emulator.Store.Put(JsonNode.Parse($$"""
            {
              "apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": { "name": "{{CollectorNames.Deployment}}", "namespace": "{{Namespace}}", "generation": 1 },
              "spec": { "replicas": 1, "selector": { "matchLabels": { "app": "otel" } },
                        "template": { "metadata": { "labels": { "app": "otel" } }, "spec": { "containers": [ { "name": "otelcol", "image": "otel/opentelemetry-collector-contrib:0.116.1" } ] } } },
              "status": { "observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": {{ready}}, "availableReplicas": {{ready}} }
            }
            """)!.AsObject(), "lightstep-console", asApply: false);
        emulator.Store.Put(JsonNode.Parse($$"""
            {
              "apiVersion": "v1", "kind": "Service",
              "metadata": { "name": "{{CollectorNames.Service}}", "namespace": "{{Namespace}}" },
              "spec": { "selector": { "app": "otel" }, "ports": [ { "name": "otlp-grpc", "port": 4317 }, { "name": "health", "port": {{CollectorNames.HealthPort}} } ] }
            }
            """)!.AsObject(), "lightstep-console", asApply: false);
    }

    [Fact]
    public async Task Before_apply_the_collector_is_reported_as_not_deployed()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);

        var report = await cluster.Preflight().RunAsync(CollectorPlan(), default);

        var collector = report.Collector!.Value.Value!;
        Assert.False(collector.Found);
        Assert.False(collector.IsReady);
    }

    [Fact]
    public async Task A_rolled_out_collector_whose_health_endpoint_answers_is_ready()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        SeedCollector(cluster.Emulator, ready: 1);
        cluster.Emulator.ServiceProxy.Answer(Namespace, CollectorNames.Service, CollectorNames.HealthPort, "/", 200,
            """{"status":"Server available","upSince":"2026-12-04T10:00:00Z","uptime":"1m"}""");

        var collector = (await cluster.Preflight().RunAsync(CollectorPlan(), default)).Collector!.Value.Value!;

        Assert.True(collector.RolledOut);
        Assert.Equal(CollectorHealth.Healthy, collector.Health);
        Assert.Contains("Server available", collector.HealthDetail);
        Assert.True(collector.IsReady);
    }

    [Fact]
    public async Task Without_a_ready_endpoint_the_api_servers_503_is_shown_as_unreachable()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        SeedCollector(cluster.Emulator, ready: 1);

        var collector = (await cluster.Preflight().RunAsync(CollectorPlan(), default)).Collector!.Value.Value!;

        Assert.Equal(CollectorHealth.Unreachable, collector.Health);
        Assert.Contains("no endpoints available", collector.HealthDetail);
        Assert.False(collector.IsReady);
    }

    [Fact]
    public async Task A_collector_answering_503_itself_is_unhealthy()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        SeedCollector(cluster.Emulator, ready: 1);
        cluster.Emulator.ServiceProxy.Answer(Namespace, CollectorNames.Service, CollectorNames.HealthPort, "/", 503, """{"status":"Server not available"}""");

        var collector = (await cluster.Preflight().RunAsync(CollectorPlan(), default)).Collector!.Value.Value!;

        Assert.Equal(CollectorHealth.Unhealthy, collector.Health);
        Assert.False(collector.IsReady);
    }

    [Fact]
    public async Task Without_permission_for_the_service_proxy_the_endpoint_is_not_asked_and_nothing_is_refused()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        SeedCollector(cluster.Emulator, ready: 1);
        cluster.Emulator.Access.Deny("get", "services/proxy", "", Namespace);

        var collector = (await cluster.Preflight().RunAsync(CollectorPlan(), default)).Collector!.Value.Value!;

        Assert.Equal(CollectorHealth.NotPermitted, collector.Health);
        Assert.True(collector.IsReady);
        Assert.DoesNotContain(cluster.Emulator.Requests, r => r.StatusCode == 403);
    }

    [Fact]
    public async Task A_collector_with_no_ready_replica_is_rolling_out_and_its_endpoint_is_not_asked()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        SeedCollector(cluster.Emulator, ready: 0);

        var collector = (await cluster.Preflight().RunAsync(CollectorPlan(), default)).Collector!.Value.Value!;

        Assert.False(collector.RolledOut);
        Assert.Equal(CollectorHealth.NotChecked, collector.Health);
        Assert.DoesNotContain(cluster.Emulator.Requests, r => r.Path.Contains("/proxy", StringComparison.Ordinal));
    }
}
