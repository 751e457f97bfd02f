using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Cluster.ClusterFixtures;

namespace MeshConsole.Domain.Tests.Cluster;

public class LiveIstioSettingsTests
{
    private const string ValuesForm = """
        {"values": {
          "pilot": {"traceSampling": 100},
          "global": {"proxy": {"tracer": "lightstep"},
                     "tracer": {"lightstep": {"address": "collector-grpc.lightstep.com:443", "accessToken": "TOKEN", "secure": true, "cacertPath": "/etc/lightstep/cacert.pem"}}}}}
        """;

    // 1.8/1.9: the values still carry address and token; TLS moved to tlsSettings (istio/istio#31190).
    private const string TransitionalForm = """
        {"values": {
          "pilot": {"traceSampling": 25.5},
          "global": {"proxy": {"tracer": "lightstep"},
                     "tracer": {"lightstep": {"address": "satellite.tracing.svc:8443", "accessToken": "TOKEN", "secure": true, "cacertPath": "/etc/lightstep/cacert.pem"}}}},
         "meshConfig": {"defaultConfig": {"tracing": {"tlsSettings": {"mode": "SIMPLE", "caCertificates": "/etc/lightstep/cacert.pem"}}}},
         "components": {"ingressGateways": [{"name": "istio-ingressgateway", "enabled": true, "k8s": {"overlays": []}}]}}
        """;

    private const string MeshConfigForm = """
        {"values": {"global": {"proxy": {"tracer": "lightstep"}}},
         "meshConfig": {"enableTracing": true, "defaultConfig": {"tracing": {
           "sampling": 100,
           "lightstep": {"address": "collector-grpc.lightstep.com:443", "accessToken": "TOKEN"},
           "tlsSettings": {"mode": "SIMPLE", "caCertificates": "/etc/lightstep/cacert.pem"}}}},
         "components": {"ingressGateways": [{"name": "istio-ingressgateway", "enabled": true, "k8s": {"overlays": []}}]}}
        """;

    private const string ExtensionProviderForm = """
        {"values": {"global": {"proxy": {"tracer": "lightstep"}}},
         "meshConfig": {"extensionProviders": [{"name": "lightstep", "lightstep": {"service": "satellite.tracing.svc.cluster.local", "port": 8443, "accessToken": "TOKEN"}}],
                        "defaultConfig": {"tracing": {"tlsSettings": {"mode": "SIMPLE", "caCertificates": "/etc/lightstep/cacert.pem"}}}}}
        """;

    private const string OpenTelemetryForm = """
        {"meshConfig": {"extensionProviders": [{"name": "lightstep-otlp", "opentelemetry": {"service": "ingest.lightstep.com", "port": 443,
           "grpc": {"timeout": "10s", "initialMetadata": [{"name": "lightstep-access-token", "value": "TOKEN"}]}}}]}}
        """;

    public static TheoryData<string, string, string, string, string, string[]> Forms => new()
    {
        {
            "1.5 values: address, token, secure and cacertPath map into ProxyConfig; traceSampling to tracing.sampling",
            "1.5", ValuesForm,
            """
            {"defaultConfig": {"tracing": {
              "lightstep": {"address": "collector-grpc.lightstep.com:443", "accessToken": "TOKEN", "secure": true, "cacertPath": "/etc/lightstep/cacert.pem"},
              "sampling": 100}}}
            """,
            """{"global": {"proxy": {"tracer": "lightstep"}, "tracer": {"lightstep": {"cacertPath": "/etc/lightstep/cacert.pem"}}}}""",
            ["Note.LiveSamplingTranslation"]
        },
        {
            "1.5.10 is the last release with secure/cacertPath (istio/api#1397 removed them in 1.6.0)",
            "1.5.10", ValuesForm,
            """
            {"defaultConfig": {"tracing": {
              "lightstep": {"address": "collector-grpc.lightstep.com:443", "accessToken": "TOKEN", "secure": true, "cacertPath": "/etc/lightstep/cacert.pem"},
              "sampling": 100}}}
            """,
            """{"global": {"proxy": {"tracer": "lightstep"}, "tracer": {"lightstep": {"cacertPath": "/etc/lightstep/cacert.pem"}}}}""",
            ["Note.LiveSamplingTranslation"]
        },
        {
            "1.8: secure/cacertPath are gone, TLS comes from tlsSettings, the gateway overlay cannot be reproduced",
            "1.8", TransitionalForm,
            """
            {"defaultConfig": {"tracing": {
              "lightstep": {"address": "satellite.tracing.svc:8443", "accessToken": "TOKEN"},
              "sampling": 25.5,
              "tlsSettings": {"mode": "SIMPLE", "caCertificates": "/etc/lightstep/cacert.pem"}}}}
            """,
            """{"global": {"proxy": {"tracer": "lightstep"}}}""",
            ["Note.LiveSamplingTranslation", "Note.GatewayMountNeedsIstioctl"]
        },
        {
            "1.14 meshConfig form is copied as is",
            "1.14", MeshConfigForm,
            """
            {"enableTracing": true, "defaultConfig": {"tracing": {
              "sampling": 100,
              "lightstep": {"address": "collector-grpc.lightstep.com:443", "accessToken": "TOKEN"},
              "tlsSettings": {"mode": "SIMPLE", "caCertificates": "/etc/lightstep/cacert.pem"}}}}
            """,
            """{"global": {"proxy": {"tracer": "lightstep"}}}""",
            ["Note.GatewayMountNeedsIstioctl"]
        },
        {
            "1.20 lightstep extension provider with the injector's CA mount",
            "1.20", ExtensionProviderForm,
            """
            {"extensionProviders": [{"name": "lightstep", "lightstep": {"service": "satellite.tracing.svc.cluster.local", "port": 8443, "accessToken": "TOKEN"}}],
             "defaultConfig": {"tracing": {"tlsSettings": {"mode": "SIMPLE", "caCertificates": "/etc/lightstep/cacert.pem"}}}}
            """,
            """{"global": {"proxy": {"tracer": "lightstep"}}}""",
            []
        },
        {
            "1.28 OpenTelemetry provider: nothing for the injector",
            "1.28", OpenTelemetryForm,
            """
            {"extensionProviders": [{"name": "lightstep-otlp", "opentelemetry": {"service": "ingest.lightstep.com", "port": 443,
              "grpc": {"timeout": "10s", "initialMetadata": [{"name": "lightstep-access-token", "value": "TOKEN"}]}}}]}
            """,
            "{}",
            []
        },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Istioctl_settings_become_live_configmap_fragments(string why, string version, string spec, string meshConfig, string injectorValues, string[] notes)
    {
        var live = LiveIstioSettings.From(OverlayPlans.With(version, spec));

        AssertJson(meshConfig.Replace("TOKEN", Token, StringComparison.Ordinal), live.MeshConfig, why);
        AssertJson(injectorValues, live.InjectorValues, why);
        Assert.Equal(notes, live.Notes.Select(n => n.Code));
    }

    [Fact]
    public void The_sampling_note_names_the_percent_and_the_namespace_whose_istiod_env_stays()
    {
        var note = Assert.Single(LiveIstioSettings.From(OnPremPlan("1.6", sampling: 2.5m)).Notes, n => n.Code == "Note.LiveSamplingTranslation");

        Assert.Equal(["2.5", "istio-system"], note.Arguments);
    }

    [Fact]
    public void The_gateway_note_names_the_deployment_left_without_the_ca_mount()
    {
        var plan = PublicPlan("1.12");
        var withoutMount = plan with { Objects = plan.Objects.Where(o => o.Role != PlannedObjectRole.IngressGatewayCaMount).ToList() };

        var note = Assert.Single(LiveIstioSettings.From(withoutMount).Notes, n => n.Code == "Note.GatewayMountNeedsIstioctl");

        Assert.Equal(["istio-system", "istio-ingressgateway"], note.Arguments);
        // The console's own plan carries the mount, so nothing is left to istioctl.
        Assert.DoesNotContain(LiveIstioSettings.From(plan).Notes, n => n.Code == "Note.GatewayMountNeedsIstioctl");
    }

    [Fact]
    public void Fragments_are_copies_so_editing_them_cannot_change_the_plan()
    {
        var plan = PublicPlan("1.14");
        var live = LiveIstioSettings.From(plan);

        var tracing = (Dictionary<string, object?>)((Dictionary<string, object?>)live.MeshConfig["defaultConfig"]!)["tracing"]!;
        tracing["sampling"] = 1m;
        ((Dictionary<string, object?>)tracing["lightstep"]!)["address"] = "changed:1";

        var overlay = (IstioResource)plan.Objects.Single(o => o.Role == PlannedObjectRole.IstioInstallOverlay).Resource;
        var planTracing = (IDictionary<string, object?>)((IDictionary<string, object?>)((IDictionary<string, object?>)overlay.Spec["meshConfig"]!)["defaultConfig"]!)["tracing"]!;
        Assert.Equal(100m, planTracing["sampling"]);
        Assert.Equal("collector-grpc.lightstep.com:443", ((IDictionary<string, object?>)planTracing["lightstep"]!)["address"]);
    }

    [Fact]
    public void Extension_provider_lists_are_copies_too()
    {
        var plan = PublicPlan("1.20");
        var live = LiveIstioSettings.From(plan);

        ((List<object?>)live.MeshConfig["extensionProviders"]!).Clear();

        var overlay = (IstioResource)plan.Objects.Single(o => o.Role == PlannedObjectRole.IstioInstallOverlay).Resource;
        Assert.Single((List<object?>)((IDictionary<string, object?>)overlay.Spec["meshConfig"]!)["extensionProviders"]!);
    }

    public static TheoryData<string> Versions => new("1.4", "1.6", "1.7", "1.8", "1.9", "1.10", "1.15", "1.16.1", "1.22", "1.26", "1.27", "1.30");

    [Theory]
    [MemberData(nameof(Versions))]
    public void Everything_the_overlay_puts_in_meshConfig_reaches_the_live_mesh_config(string version)
    {
        foreach (var plan in new[] { PublicPlan(version), OnPremPlan(version) })
        {
            var overlay = (IstioResource)plan.Objects.Single(o => o.Role == PlannedObjectRole.IstioInstallOverlay).Resource;
            var live = LiveIstioSettings.From(plan);

            foreach (var (path, value) in Leaves(overlay.Spec.GetValueOrDefault("meshConfig") ?? new Dictionary<string, object?>(), ""))
                Assert.Equal(JsonSerializer.Serialize(value), JsonSerializer.Serialize(Leaves(live.MeshConfig, "").Single(l => l.Path == path).Value));
            // The console applies the gateway's CA mount itself when the plan carries it.
            Assert.Equal(overlay.Spec.ContainsKey("components") && plan.Objects.All(o => o.Role != PlannedObjectRole.IngressGatewayCaMount),
                live.Notes.Any(n => n.Code == "Note.GatewayMountNeedsIstioctl"));
            Assert.Equal(JsonSerializer.Serialize(At(overlay.Spec, "values.global.proxy.tracer")), JsonSerializer.Serialize(At(live.InjectorValues, "global.proxy.tracer")));
            // The collector route keeps the token out of mesh config altogether.
            Assert.Equal(plan.Route == SpanRoute.Direct, JsonSerializer.Serialize(live.MeshConfig).Contains(Token, StringComparison.Ordinal));
        }
    }

    private static IEnumerable<(string Path, object? Value)> Leaves(object? node, string path) => node switch
    {
        IEnumerable<KeyValuePair<string, object?>> map => map.SelectMany(e => Leaves(e.Value, path.Length == 0 ? e.Key : $"{path}.{e.Key}")),
        _ => [(path, node)],
    };

    private static object? At(object? node, string path)
    {
        foreach (var segment in path.Split('.'))
            node = node is IEnumerable<KeyValuePair<string, object?>> map ? map.FirstOrDefault(e => e.Key == segment).Value : null;
        return node;
    }

    internal static void AssertJson(string expected, IReadOnlyDictionary<string, object?> actual, string? why = null)
    {
        var actualJson = JsonSerializer.Serialize(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actualJson)),
            $"{why}\nexpected: {JsonNode.Parse(expected)!.ToJsonString()}\nactual:   {actualJson}");
    }
}
