using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;

namespace MeshConsole.Domain.Tests.Cluster;

public sealed class IstioOperatorSpecEditorTests
{
    /// <summary>A team's IstioOperator: Zipkin tracing, a NodePort ingress gateway with an HPA, an existing overlay patch.</summary>
    private static JsonObject TeamSpec() => JsonNode.Parse("""
        {
          "profile": "default",
          "components": {
            "ingressGateways": [
              {
                "name": "istio-ingressgateway",
                "enabled": true,
                "k8s": {
                  "service": { "type": "NodePort" },
                  "hpaSpec": { "minReplicas": 2, "maxReplicas": 5 },
                  "overlays": [
                    { "kind": "Deployment", "name": "istio-ingressgateway",
                      "patches": [ { "path": "spec.template.spec.priorityClassName", "value": "gateways" } ] }
                  ]
                }
              },
              { "name": "internal-gateway", "enabled": true, "k8s": { "service": { "type": "ClusterIP" } } }
            ]
          },
          "meshConfig": {
            "accessLogFile": "/dev/stdout",
            "defaultConfig": { "tracing": { "sampling": 10, "zipkin": { "address": "zipkin.tracing:9411" } } },
            "extensionProviders": [ { "name": "otel", "opentelemetry": { "service": "otel.observability.svc.cluster.local", "port": 4317 } } ]
          },
          "values": { "global": { "proxy": { "tracer": "zipkin", "logLevel": "warning" } }, "pilot": { "traceSampling": 1.0 } }
        }
        """)!.AsObject();

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    /// <summary>What the plan writes for Istio 1.14 with a private CA: LightStep tracer with TLS, and the gateway CA mount.</summary>
    private static Dictionary<string, object?> Overlay() => Map(
        ("values", Map(("global", Map(("proxy", Map(("tracer", "lightstep"))))))),
        ("meshConfig", Map(("enableTracing", true), ("defaultConfig", Map(("tracing", Map(
            ("sampling", 100m),
            ("lightstep", Map(("address", "satellite:9292"), ("accessToken", "tok"))))))))),
        ("components", Map(("ingressGateways", new List<object?>
        {
            Map(("name", "istio-ingressgateway"), ("enabled", true), ("k8s", Map(("overlays", new List<object?>
            {
                Map(("kind", "Deployment"), ("name", "istio-ingressgateway"), ("patches", new List<object?>
                {
                    Map(("path", "spec.template.spec.volumes[-1]"), ("value", Map(("name", "lightstep-certs"), ("secret", Map(("secretName", "lightstep.cacert"))))))
                })),
            })))),
        }))));

    [Fact]
    public void Zipkin_is_removed_and_named_and_lightstep_is_set()
    {
        var merge = IstioOperatorSpecEditor.Merge(TeamSpec(), Overlay());

        Assert.Equal(["zipkin"], merge.RemovedTracers);
        var tracing = merge.Spec["meshConfig"]!["defaultConfig"]!["tracing"]!.AsObject();
        Assert.False(tracing.ContainsKey("zipkin"));
        Assert.Equal("satellite:9292", (string?)tracing["lightstep"]!["address"]);
        Assert.Equal(100m, tracing["sampling"]!.GetValue<decimal>());
        Assert.Equal("lightstep", (string?)merge.Spec["values"]!["global"]!["proxy"]!["tracer"]);
    }

    [Fact]
    public void Gateway_entries_keep_every_field_the_plan_does_not_set()
    {
        var merge = IstioOperatorSpecEditor.Merge(TeamSpec(), Overlay());

        var gateways = merge.Spec["components"]!["ingressGateways"]!.AsArray();
        Assert.Equal(2, gateways.Count);
        var ingress = gateways[0]!;
        Assert.Equal("NodePort", (string?)ingress["k8s"]!["service"]!["type"]);
        Assert.Equal(2, (int)ingress["k8s"]!["hpaSpec"]!["minReplicas"]!);
        var overlays = ingress["k8s"]!["overlays"]!.AsArray();
        var patches = Assert.Single(overlays)!["patches"]!.AsArray();
        Assert.Equal(["spec.template.spec.priorityClassName", "spec.template.spec.volumes[-1]"], patches.Select(p => (string?)p!["path"]));
        Assert.Equal("ClusterIP", (string?)gateways[1]!["k8s"]!["service"]!["type"]);
    }

    [Fact]
    public void Other_settings_stay_and_the_live_spec_is_not_modified()
    {
        var live = TeamSpec();
        var before = live.ToJsonString();

        var merge = IstioOperatorSpecEditor.Merge(live, Overlay());

        Assert.Equal(before, live.ToJsonString());
        Assert.Equal("default", (string?)merge.Spec["profile"]);
        Assert.Equal("/dev/stdout", (string?)merge.Spec["meshConfig"]!["accessLogFile"]);
        Assert.Equal("otel", (string?)merge.Spec["meshConfig"]!["extensionProviders"]![0]!["name"]);
        Assert.Equal("warning", (string?)merge.Spec["values"]!["global"]!["proxy"]!["logLevel"]);
        Assert.Equal(1.0m, merge.Spec["values"]!["pilot"]!["traceSampling"]!.GetValue<decimal>());
    }

    [Fact]
    public void Merging_twice_gives_the_same_spec_as_once()
    {
        var once = IstioOperatorSpecEditor.Merge(TeamSpec(), Overlay());
        var twice = IstioOperatorSpecEditor.Merge(once.Spec, Overlay());

        Assert.True(JsonNode.DeepEquals(once.Spec, twice.Spec), twice.Spec.ToJsonString());
        Assert.Empty(twice.RemovedTracers);
    }

    [Fact]
    public void An_extension_provider_of_the_same_name_is_replaced_and_others_are_kept()
    {
        var overlay = Map(("meshConfig", Map(("extensionProviders", new List<object?>
        {
            Map(("name", "lightstep"), ("lightstep", Map(("service", "satellite"), ("port", 9292)))),
        }))));

        var merge = IstioOperatorSpecEditor.Merge(TeamSpec(), overlay);

        var names = merge.Spec["meshConfig"]!["extensionProviders"]!.AsArray().Select(p => (string?)p!["name"]);
        Assert.Equal(["otel", "lightstep"], names);
        Assert.Empty(merge.RemovedTracers);
        Assert.NotNull(merge.Spec["meshConfig"]!["defaultConfig"]!["tracing"]!["zipkin"]);
    }

    [Fact]
    public void A_spec_without_the_lists_gets_the_plans_entries()
    {
        var merge = IstioOperatorSpecEditor.Merge(new JsonObject { ["profile"] = "minimal" }, Overlay());

        Assert.Equal("istio-ingressgateway", (string?)merge.Spec["components"]!["ingressGateways"]![0]!["name"]);
        Assert.Equal("minimal", (string?)merge.Spec["profile"]);
    }
}
