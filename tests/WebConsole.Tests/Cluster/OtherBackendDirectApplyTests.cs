using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// The direct route to a backend other than LightStep (issue 13 item 4) against the emulator with Istio 1.28's CRD
/// schemas (tests/IstioSchemas/1.28): the server dry-run accepts every object, and applying stores every Istio field as
/// sent (the emulator prunes what the schema does not declare), the provider landing in the mesh config.
/// </summary>
public sealed class OtherBackendDirectApplyTests
{
    private const string HoneycombKey = "HC-DIRECT-KEY-5e6f7a8b";

    public static TheoryData<string> Backends => new() { "jaeger", "honeycomb" };

    private static PlanInput InputFor(string backend)
    {
        var preset = TraceBackends.For(backend == "jaeger" ? TraceBackendKind.Jaeger : TraceBackendKind.Honeycomb).DefaultDestination!;
        var values = preset.Headers.ToDictionary(h => h.Name, _ => HoneycombKey);
        return new PlanInput
        {
            IstioVersion = IstioVersion.Parse("1.28.0"),
            Namespaces = ["default"],
            Secure = preset.Secure,
            Route = SpanRoute.Direct,
            OtlpDestination = new OtlpSpanDestination(preset, values),
        };
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_dry_run_accepts_the_plan_and_applying_it_keeps_every_istio_field(string backend)
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        var plan = PlanBuilder.Build(InputFor(backend));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        var applier = new ClusterApplier(cluster.Gateway, new UndoJournal(cluster.Gateway, cluster.Clock), [HoneycombKey]);

        var previews = await applier.PreviewAsync(set, force: true, default);

        Assert.All(previews, p => Assert.True(p.Failure is null, p.Failure?.ToString()));
        Assert.Null(cluster.Emulator.Store.Get("telemetry.istio.io/v1", "Telemetry", "istio-system", "mesh-default"));

        var outcomes = await applier.ApplyAsync(set, "istio-system", force: true, null, default);

        Assert.All(outcomes, o => Assert.True(o.Failure is null, o.Failure?.ToString()));
        var istioKinds = new List<string>();
        foreach (var change in set.Changes.Where(c => c.Target.ApiVersion.Contains("istio.io/", StringComparison.Ordinal)))
        {
            var stored = cluster.Emulator.Store.Get(change.Target.ApiVersion, change.Target.Kind, change.Target.Namespace, change.Target.Name)!;
            Assert.True(JsonNode.DeepEquals(change.Desired["spec"], stored["spec"]), $"{change.Target.Display}: sent {change.Desired["spec"]?.ToJsonString()}, stored {stored["spec"]?.ToJsonString()}");
            istioKinds.Add(change.Target.Kind);
        }
        Assert.Equal(backend == "jaeger" ? ["Telemetry"] : ["DestinationRule", "ServiceEntry", "Telemetry"], istioKinds.Order(StringComparer.Ordinal));
        var mesh = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["mesh"]!.GetValue<string>();
        Assert.Contains("name: otlp-backend", mesh);
        Assert.Contains(backend == "jaeger" ? "service: jaeger-collector.istio-system.svc.cluster.local" : "service: api.honeycomb.io", mesh);
        Assert.Null(cluster.Emulator.Store.Get("v1", "Namespace", null, "lightstep-collector"));
    }
}
