using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using static MeshConsole.Domain.Tests.Cluster.ClusterFixtures;

namespace MeshConsole.Domain.Tests.Cluster;

public class InjectorValuesEditorTests
{
    /// <summary>The `values` key of ConfigMap istio-sidecar-injector as Helm's toPrettyJson writes it (1.6 chart, abridged).</summary>
    public const string LiveValues = """
        {
          "global": {
            "caAddress": "",
            "hub": "docker.io/istio",
            "istioNamespace": "istio-system",
            "logging": {
              "level": "default:info"
            },
            "proxy": {
              "autoInject": "enabled",
              "clusterDomain": "cluster.local",
              "componentLogLevel": "misc:error",
              "excludeIPRanges": "",
              "holdApplicationUntilProxyStarts": false,
              "image": "proxyv2",
              "readinessFailureThreshold": 30,
              "resources": {
                "limits": {
                  "cpu": "2000m",
                  "memory": "1024Mi"
                }
              },
              "statusPort": 15020,
              "tracer": "zipkin"
            },
            "sds": {
              "token": {
                "aud": "istio-ca"
              }
            },
            "tag": "1.6.14",
            "tracer": {
              "datadog": {
                "address": "$(HOST_IP):8126"
              },
              "lightstep": {
                "accessToken": "",
                "address": "",
                "cacertPath": "",
                "secure": true
              },
              "zipkin": {
                "address": ""
              }
            }
          },
          "istio_cni": {
            "enabled": false
          },
          "pilot": {
            "traceSampling": 1.0
          },
          "revision": "",
          "sidecarInjectorWebhook": {
            "alwaysInjectSelector": [],
            "injectedAnnotations": {},
            "objectSelector": {
              "autoInject": true,
              "enabled": false
            },
            "rewriteAppHTTPProbe": true
          }
        }
        """;

    public static TheoryData<string, string[]> Plans => new()
    {
        { "1.6", ["global.proxy.tracer", "global.tracer.lightstep.cacertPath"] },
        { "1.9", ["global.proxy.tracer"] },
        { "1.14", ["global.proxy.tracer"] },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Values_the_console_does_not_own_stay_identical(string version, string[] owned)
    {
        var merged = InjectorValuesEditor.Merge(LiveValues, LiveIstioSettings.From(PublicPlan(version)).InjectorValues);

        var before = Without(JsonNode.Parse(LiveValues)!, owned);
        var after = Without(JsonNode.Parse(merged)!, owned);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void Merging_twice_gives_the_same_bytes_as_once(string version, string[] owned)
    {
        _ = owned;
        var fragment = LiveIstioSettings.From(PublicPlan(version)).InjectorValues;

        var once = InjectorValuesEditor.Merge(LiveValues, fragment);

        Assert.Equal(once, InjectorValuesEditor.Merge(once, fragment));
    }

    [Fact]
    public void The_tracer_and_the_pre_1_6_cacert_path_are_set()
    {
        var merged = JsonNode.Parse(InjectorValuesEditor.Merge(LiveValues, LiveIstioSettings.From(PublicPlan("1.5")).InjectorValues))!;

        Assert.Equal("lightstep", merged["global"]!["proxy"]!["tracer"]!.GetValue<string>());
        Assert.Equal("/etc/lightstep/cacert.pem", merged["global"]!["tracer"]!["lightstep"]!["cacertPath"]!.GetValue<string>());
        Assert.Equal(["accessToken", "address", "cacertPath", "secure"], merged["global"]!["tracer"]!["lightstep"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Number_text_and_property_order_survive()
    {
        var merged = InjectorValuesEditor.Merge(LiveValues, LiveIstioSettings.From(PublicPlan("1.14")).InjectorValues);

        Assert.Contains("\"traceSampling\": 1.0\n", merged);
        Assert.Contains("\"readinessFailureThreshold\": 30,\n", merged);
        Assert.Contains("\"address\": \"$(HOST_IP):8126\"", merged);
        Assert.Equal(JsonNode.Parse(LiveValues)!["global"]!["proxy"]!.AsObject().Select(p => p.Key), JsonNode.Parse(merged)!["global"]!["proxy"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Helm_written_values_that_already_match_come_back_byte_identical()
    {
        var live = LiveValues.Replace("\"tracer\": \"zipkin\"", "\"tracer\": \"lightstep\"", StringComparison.Ordinal);

        Assert.Equal(live, InjectorValuesEditor.Merge(live, LiveIstioSettings.From(PublicPlan("1.14")).InjectorValues));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("{}")]
    [InlineData("null")]
    public void Empty_values_become_the_fragment(string? values)
    {
        var merged = InjectorValuesEditor.Merge(values, LiveIstioSettings.From(PublicPlan("1.14")).InjectorValues);

        Assert.Equal("{\n  \"global\": {\n    \"proxy\": {\n      \"tracer\": \"lightstep\"\n    }\n  }\n}", merged);
    }

    [Fact]
    public void Fragment_types_are_kept()
    {
        var merged = JsonNode.Parse(InjectorValuesEditor.Merge(LiveValues, new Dictionary<string, object?>
        {
            ["pilot"] = new Dictionary<string, object?> { ["traceSampling"] = 12.5m },
            ["global"] = new Dictionary<string, object?> { ["proxy"] = new Dictionary<string, object?> { ["statusPort"] = 15021, ["holdApplicationUntilProxyStarts"] = true } },
            ["sidecarInjectorWebhook"] = new Dictionary<string, object?> { ["alwaysInjectSelector"] = new List<object?> { "a", "true" } },
        }))!;

        Assert.Equal(JsonValueKind.Number, merged["pilot"]!["traceSampling"]!.GetValueKind());
        Assert.Equal(12.5m, merged["pilot"]!["traceSampling"]!.GetValue<decimal>());
        Assert.Equal(15021, merged["global"]!["proxy"]!["statusPort"]!.GetValue<int>());
        Assert.True(merged["global"]!["proxy"]!["holdApplicationUntilProxyStarts"]!.GetValue<bool>());
        Assert.Equal("[\"a\",\"true\"]", merged["sidecarInjectorWebhook"]!["alwaysInjectSelector"]!.ToJsonString());
    }

    [Fact]
    public void A_null_in_the_fragment_removes_the_key()
    {
        var merged = JsonNode.Parse(InjectorValuesEditor.Merge(LiveValues, new Dictionary<string, object?>
        {
            ["global"] = new Dictionary<string, object?> { ["tracer"] = new Dictionary<string, object?> { ["zipkin"] = null } },
        }))!;

        Assert.False(merged["global"]!["tracer"]!.AsObject().ContainsKey("zipkin"));
        Assert.True(merged["global"]!["tracer"]!.AsObject().ContainsKey("datadog"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"global\"")]
    [InlineData("42")]
    public void Values_that_are_not_an_object_are_refused(string values) =>
        Assert.Equal("JSON", Assert.Throws<UnreadableTextException>(() => InjectorValuesEditor.Merge(values, LiveIstioSettings.From(PublicPlan("1.14")).InjectorValues)).Format);

    [Fact]
    public void Text_that_is_not_json_is_refused_saying_where_reading_stopped()
    {
        var error = Assert.Throws<UnreadableTextException>(() => InjectorValuesEditor.Merge("{\n\"global\": ", LiveIstioSettings.From(PublicPlan("1.14")).InjectorValues));
        Assert.Equal(("JSON", "2:11"), (error.Format, error.Position));
    }

    private static JsonNode Without(JsonNode root, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            var segments = path.Split('.');
            var parent = segments[..^1].Aggregate((JsonNode?)root, (node, key) => node?[key]);
            (parent as JsonObject)?.Remove(segments[^1]);
        }
        return root;
    }
}
