using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// What the console applies to Istio custom resources survives Istio's own CRD schema for the fixture's minor
/// (the emulator prunes fields the schema does not declare, as kube-apiserver does by default).
/// </summary>
public sealed class IstioSchemaApplyTests
{
    [Theory]
    // 1.7 and 1.14 without the operator: the mesh-config forms write ConfigMaps, no Istio custom resource.
    [InlineData(ClusterFixture.MidIstioWithOperator, "1.14.3")]
    [InlineData(ClusterFixture.NewIstio, "1.28.0")]
    public async Task Every_istio_field_the_console_applies_is_stored_as_sent(ClusterFixture fixture, string version)
    {
        await using var cluster = await EmulatedCluster.StartAsync(fixture);
        var plan = PlanBuilder.Build(EmulatedCluster.Input(version, "default"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;

        var outcomes = await cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);

        Assert.All(outcomes, o => Assert.True(o.Failure is null, o.Failure?.ToString()));
        var istioChanges = set.Changes.Where(c => c.Target.ApiVersion.Contains("istio.io/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(istioChanges);
        foreach (var change in istioChanges)
        {
            var stored = cluster.Emulator.Store.Get(change.Target.ApiVersion, change.Target.Kind, change.Target.Namespace, change.Target.Name)!;
            AssertContains(change.Desired["spec"], stored["spec"], $"{change.Target.Display} spec");
        }
    }

    private static void AssertContains(JsonNode? sent, JsonNode? stored, string path)
    {
        switch (sent)
        {
            case JsonObject map:
                var storedMap = Assert.IsType<JsonObject>(stored);
                foreach (var (key, value) in map)
                {
                    Assert.True(storedMap.ContainsKey(key), $"{path}.{key} was pruned");
                    AssertContains(value, storedMap[key], $"{path}.{key}");
                }
                break;
            case JsonArray list:
                var storedList = Assert.IsType<JsonArray>(stored);
                Assert.Equal(list.Count, storedList.Count);
                for (var i = 0; i < list.Count; i++) AssertContains(list[i], storedList[i], $"{path}[{i}]");
                break;
            default:
                Assert.True(JsonNode.DeepEquals(sent, stored), $"{path}: sent {sent?.ToJsonString()}, stored {stored?.ToJsonString()}");
                break;
        }
    }
}
