using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Tests.Planning;

namespace MeshConsole.Domain.Tests.Cluster;

/// <summary>The precedence rules of <see cref="MeshTracingChecks"/> that the fixture clusters do not reach.</summary>
public sealed class MeshTracingChecksTests
{
    private static Plan Plan(string version, decimal percent = 100m) =>
        PlanBuilder.Build(PlanningFixtures.OnPrem(version, "satellite.lightstep:9292") with { SamplingPercent = percent });

    private static MeshTracingState State(string version, string meshJson, string? pilot = null, params string[] telemetries) => new(
        IstioVersion.Parse(version), "istio-system", JsonNode.Parse(meshJson)!.AsObject(), pilot,
        telemetries.Select(t => JsonNode.Parse(t)!.AsObject()).ToList(), null, false);

    private static string Telemetry(string ns, string name, string spec) =>
        $$"""{ "metadata": { "name": "{{name}}", "namespace": "{{ns}}" }, "spec": {{spec}} }""";

    private static SamplingDecision Decide(Plan plan, IstioApplyTarget target, MeshTracingState state) =>
        Assert.Single(MeshTracingChecks.Check(plan, target, state).Sampling).Decision;

    [Theory]
    [InlineData("""{ "defaultConfig": { "tracing": { "sampling": 250 } } }""", "5", 1, SamplingSource.ProxyConfig)]
    [InlineData("""{ "defaultConfig": { "tracing": { "sampling": 0 } } }""", "5", 5, SamplingSource.PilotTraceSampling)]
    [InlineData("""{ }""", null, 1, SamplingSource.PilotTraceSampling)]
    [InlineData("""{ "enableTracing": false }""", "5", 0, SamplingSource.TracingDisabled)]
    public void Without_telemetry_istiod_reads_proxy_config_then_its_env(string mesh, string? pilot, decimal percent, SamplingSource source)
    {
        // The Telemetry plan's own resource is left out: the state after apply is what a 1.14 mesh-config plan leaves.
        var decision = Decide(Plan("1.14.3"), IstioApplyTarget.None, State("1.14.3", mesh, pilot));

        Assert.Equal((percent, source), (decision.Percent, decision.Source));
    }

    [Fact]
    public void A_telemetry_naming_another_provider_stops_the_inherited_percentage()
    {
        var plan = Plan("1.28.0", percent: 20m);
        var state = State("1.28.0", """{ "extensionProviders": [ { "name": "zipkin", "zipkin": { "service": "z", "port": 9411 } } ] }""", null,
            Telemetry("default", "ns-zipkin", """{ "tracing": [ { "providers": [ { "name": "zipkin" } ] } ] }"""));

        // The namespace picks zipkin; the mesh-wide Telemetry (ours, lightstep) no longer contributes its 20%.
        var decision = Decide(plan, IstioApplyTarget.MeshConfigMaps, state);

        Assert.Equal((1m, SamplingSource.PilotTraceSampling), (decision.Percent, decision.Source));
        Assert.Contains(MeshTracingChecks.Check(plan, IstioApplyTarget.MeshConfigMaps, state).Providers,
            p => p is { Name: "zipkin", Outcome: ProviderOutcome.Conflicting, Other: "Telemetry/ns-zipkin -n default" });
    }

    [Fact]
    public void Disabled_span_reporting_wins_over_any_percentage()
    {
        var state = State("1.28.0", "{}", null,
            Telemetry("default", "quiet", """{ "tracing": [ { "disableSpanReporting": true } ] }"""));

        var decision = Decide(Plan("1.28.0"), IstioApplyTarget.MeshConfigMaps, state);

        Assert.Equal(new SamplingDecision(0m, SamplingSource.SpanReportingDisabled, "Telemetry/quiet -n default"), decision);
    }

    [Theory]
    [InlineData("1.19.0", 0, SamplingSource.TelemetryDefault)]
    [InlineData("1.20.0", 7, SamplingSource.ProxyConfig)]
    public void A_telemetry_without_percentage_falls_back_to_the_mesh_config_only_from_1_20(string version, decimal percent, SamplingSource source)
    {
        var state = State(version, """{ "defaultConfig": { "tracing": { "sampling": 7 } } }""", null,
            Telemetry("istio-system", "tags", """{ "tracing": [ { "customTags": { "a": { "literal": { "value": "b" } } } } ] }"""));

        var decision = Decide(Plan("1.14.3"), IstioApplyTarget.None, state);

        Assert.Equal((percent, source), (decision.Percent, decision.Source));
    }

    [Fact]
    public void A_provider_of_the_plans_name_with_other_settings_is_replaced()
    {
        var plan = Plan("1.28.0");
        var ours = (string)((JsonObject)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(plan.Overlay().Spec))!)["meshConfig"]!["extensionProviders"]![0]!["name"]!;
        var state = State("1.28.0", $$"""{ "extensionProviders": [ { "name": "{{ours}}", "opentelemetry": { "service": "old", "port": 4317 } } ] }""");

        var finding = Assert.Single(MeshTracingChecks.Check(plan, IstioApplyTarget.MeshConfigMaps, state).Providers);

        Assert.Equal((ours, ProviderOutcome.Replaced, "SameNameReplaced"), (finding.Name, finding.Outcome, finding.Reason));
    }

    [Fact]
    public void A_secret_volume_counts_only_when_a_container_mounts_it()
    {
        var deployment = JsonNode.Parse("""
            { "spec": { "template": { "spec": {
              "volumes": [ { "name": "ls", "secret": { "secretName": "lightstep.cacert" } } ],
              "containers": [ { "name": "istio-proxy", "volumeMounts": [ { "name": "other", "mountPath": "/x" } ] } ] } } } }
            """)!.AsObject();

        Assert.False(MeshTracingChecks.MountsSecret(deployment, "lightstep.cacert"));
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray().Add(JsonNode.Parse("""{ "name": "ls", "mountPath": "/etc/lightstep" }"""));
        Assert.True(MeshTracingChecks.MountsSecret(deployment, "lightstep.cacert"));
    }
}
