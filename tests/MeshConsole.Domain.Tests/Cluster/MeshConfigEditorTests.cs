using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using YamlDotNet.Core;
using static MeshConsole.Domain.Tests.Cluster.ClusterFixtures;
using static MeshConsole.Domain.Tests.Cluster.YamlCanon;

namespace MeshConsole.Domain.Tests.Cluster;

public class MeshConfigEditorTests
{
    /// <summary>The `mesh` key of ConfigMap istio-system/istio as a 1.14–1.20 install with a few customizations has it.</summary>
    public const string LiveMesh = """
        accessLogFile: /dev/stdout
        accessLogEncoding: JSON
        defaultConfig:
          discoveryAddress: istiod.istio-system.svc:15012
          holdApplicationUntilProxyStarts: true
          proxyMetadata:
            ISTIO_META_DNS_CAPTURE: "true"
            ISTIO_META_DNS_AUTO_ALLOCATE: 'true'
          tracing:
            zipkin:
              address: zipkin.istio-system:9411
            sampling: 1.0
            maxPathTagLength: 256
          concurrency: 2
          terminationDrainDuration: 20s
        enablePrometheusMerge: true
        enableTracing: false
        extensionProviders:
        - name: otel
          opentelemetry:
            port: 4317
            service: opentelemetry-collector.observability.svc.cluster.local
        - name: ext-authz
          envoyExtAuthzHttp:
            service: ext-authz.foo.svc.cluster.local
            port: 8000
            includeRequestHeadersInCheck: ["x-ext-authz"]
        defaultProviders:
          metrics:
          - prometheus
        localityLbSetting: {enabled: true}
        protocolDetectionTimeout: 100ms
        rootNamespace: istio-system
        trustDomain: cluster.local
        outboundTrafficPolicy:
          mode: REGISTRY_ONLY
        """;

    public static TheoryData<string, string, string[]> Plans => new()
    {
        // version, paths the merge may change, extensionProviders names it may change
        { "1.6", "enableTracing defaultConfig.tracing.zipkin defaultConfig.tracing.sampling defaultConfig.tracing.lightstep defaultConfig.tracing.tlsSettings", [] },
        { "1.9", "defaultConfig.tracing.zipkin defaultConfig.tracing.sampling defaultConfig.tracing.lightstep defaultConfig.tracing.tlsSettings", [] },
        { "1.14", "enableTracing defaultConfig.tracing.zipkin defaultConfig.tracing.sampling defaultConfig.tracing.lightstep defaultConfig.tracing.tlsSettings", [] },
        { "1.20", "defaultConfig.tracing.tlsSettings", ["lightstep"] },
        { "1.28", "", ["lightstep-otlp"] },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Settings_the_console_does_not_own_stay_identical(string version, string ownedPaths, string[] ownedProviders)
    {
        var merged = MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(PublicPlan(version)).MeshConfig);

        var owned = ownedPaths.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("extensionProviders").ToArray();
        Assert.Equal(Dump(Without(Parse(LiveMesh), owned)), Dump(Without(Parse(merged), owned)));
        Assert.Equal(Dump(Providers(Parse(LiveMesh), [])), Dump(Providers(Parse(merged), ownedProviders)));
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void Merging_twice_gives_the_same_bytes_as_once(string version, string ownedPaths, string[] ownedProviders)
    {
        _ = (ownedPaths, ownedProviders);
        var fragment = LiveIstioSettings.From(PublicPlan(version)).MeshConfig;

        var once = MeshConfigEditor.Merge(LiveMesh, fragment);

        Assert.Equal(once, MeshConfigEditor.Merge(once, fragment));
        Assert.NotEqual(Dump(Parse(LiveMesh)), Dump(Parse(once)));
    }

    [Fact]
    public void The_meshconfig_form_sets_our_keys_with_their_types()
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(OnPremPlan("1.14", sampling: 12.5m)).MeshConfig));

        Assert.Equal(new Scalar("bool", "true"), At(merged, "enableTracing"));
        Assert.Equal(new Scalar("float", "12.5"), At(merged, "defaultConfig.tracing.sampling"));
        Assert.Equal(new Scalar("str", "satellite.tracing.svc:8443"), At(merged, "defaultConfig.tracing.lightstep.address"));
        Assert.Equal(new Scalar("str", Token), At(merged, "defaultConfig.tracing.lightstep.accessToken"));
        Assert.Equal(new Scalar("str", "SIMPLE"), At(merged, "defaultConfig.tracing.tlsSettings.mode"));
        Assert.Equal(new Scalar("str", "/etc/lightstep/cacert.pem"), At(merged, "defaultConfig.tracing.tlsSettings.caCertificates"));
    }

    [Fact]
    public void A_whole_number_sampling_is_written_as_an_integer()
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(PublicPlan("1.14")).MeshConfig));

        Assert.Equal(new Scalar("int", "100"), At(merged, "defaultConfig.tracing.sampling"));
    }

    [Fact]
    public void Lightstep_replaces_zipkin_because_a_proxy_has_one_tracer()
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(PublicPlan("1.14")).MeshConfig));

        Assert.Null(At(merged, "defaultConfig.tracing.zipkin"));
        Assert.Equal(new Scalar("int", "256"), At(merged, "defaultConfig.tracing.maxPathTagLength"));
        Assert.Equal(["sampling", "maxPathTagLength", "lightstep", "tlsSettings"], ((Map)At(merged, "defaultConfig.tracing")!).Entries.Select(e => e.Key));
    }

    [Fact]
    public void A_fragment_without_a_tracer_leaves_the_tracer_alone()
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(PublicPlan("1.20")).MeshConfig));

        Assert.Equal(new Scalar("str", "zipkin.istio-system:9411"), At(merged, "defaultConfig.tracing.zipkin.address"));
        Assert.Equal(new Scalar("float", "1"), At(merged, "defaultConfig.tracing.sampling"));
    }

    [Fact]
    public void A_new_extension_provider_is_appended_after_the_existing_ones()
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(PublicPlan("1.20")).MeshConfig));

        Assert.Equal(["otel", "ext-authz", "lightstep"], ProviderNames(merged));
        Assert.Equal(new Scalar("str", Token), At(merged, "extensionProviders[2].lightstep.accessToken"));
        Assert.Equal(new Scalar("int", "443"), At(merged, "extensionProviders[2].lightstep.port"));
    }

    [Fact]
    public void A_provider_of_the_same_name_is_replaced_in_place()
    {
        var first = MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(PublicPlan("1.28")).MeshConfig);
        var mesh = first + "enableAutoMtls: true\n";
        var fragment = new Dictionary<string, object?>
        {
            ["extensionProviders"] = new List<object?>
            {
                new Dictionary<string, object?> { ["name"] = "otel", ["opentelemetry"] = new Dictionary<string, object?> { ["service"] = "otel.monitoring.svc.cluster.local", ["port"] = 4318 } },
                new Dictionary<string, object?> { ["name"] = "lightstep-otlp", ["opentelemetry"] = new Dictionary<string, object?> { ["service"] = "ingest.lightstep.com", ["port"] = 443 } },
            },
        };

        var merged = Parse(MeshConfigEditor.Merge(mesh, fragment));

        Assert.Equal(["otel", "ext-authz", "lightstep-otlp"], ProviderNames(merged));
        Assert.Equal(new Scalar("int", "4318"), At(merged, "extensionProviders[0].opentelemetry.port"));
        Assert.Equal(new Scalar("str", "otel.monitoring.svc.cluster.local"), At(merged, "extensionProviders[0].opentelemetry.service"));
        Assert.Null(At(merged, "extensionProviders[2].opentelemetry.grpc"));
        Assert.Equal(Dump(At(Parse(LiveMesh), "extensionProviders[1]")), Dump(At(merged, "extensionProviders[1]")));
    }

    [Fact]
    public void Other_lists_are_replaced_not_merged()
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, new Dictionary<string, object?>
        {
            ["defaultProviders"] = new Dictionary<string, object?> { ["tracing"] = new List<object?> { "lightstep" }, ["metrics"] = new List<object?> { "stackdriver" } },
        }));

        Assert.Equal(Dump(new Seq([new Scalar("str", "stackdriver")])), Dump(At(merged, "defaultProviders.metrics")));
        Assert.Equal(Dump(new Seq([new Scalar("str", "lightstep")])), Dump(At(merged, "defaultProviders.tracing")));
    }

    [Fact]
    public void Scalar_styles_and_number_text_outside_our_keys_survive()
    {
        var merged = MeshConfigEditor.Merge(LiveMesh, LiveIstioSettings.From(PublicPlan("1.20")).MeshConfig);

        Assert.Contains("ISTIO_META_DNS_CAPTURE: \"true\"\n", merged);
        Assert.Contains("ISTIO_META_DNS_AUTO_ALLOCATE: 'true'\n", merged);
        Assert.Contains("    sampling: 1.0\n", merged);
        Assert.Contains("localityLbSetting: {enabled: true}\n", merged);
        Assert.Contains("includeRequestHeadersInCheck: [\"x-ext-authz\"]", merged);
        Assert.DoesNotContain("...", merged);
    }

    [Fact]
    public void A_key_that_changes_keeps_its_position()
    {
        var merged = ParseMap(MeshConfigEditor.Merge(LiveMesh, new Dictionary<string, object?> { ["enableTracing"] = true }));

        Assert.Equal(ParseMap(LiveMesh).Entries.Select(e => e.Key), merged.Entries.Select(e => e.Key));
        Assert.Equal(new Scalar("bool", "true"), At(merged, "enableTracing"));
    }

    [Fact]
    public void A_value_already_set_keeps_its_original_text()
    {
        const string mesh = "defaultConfig:\n  tracing:\n    tlsSettings:\n      mode: 'SIMPLE'\n      caCertificates: \"/etc/lightstep/cacert.pem\"\n";

        var merged = MeshConfigEditor.Merge(mesh, new Dictionary<string, object?>
        {
            ["defaultConfig"] = new Dictionary<string, object?>
            {
                ["tracing"] = new Dictionary<string, object?>
                {
                    ["tlsSettings"] = new Dictionary<string, object?> { ["mode"] = "SIMPLE", ["caCertificates"] = "/etc/lightstep/cacert.pem" },
                },
            },
        });

        Assert.Equal(mesh, merged);
    }

    public static TheoryData<string> TypedLookingStrings => new("true", "yes", "on", "No", "100", "1.5", "0x1F", "1e3", "null", "~", "", ".inf");

    [Theory]
    [MemberData(nameof(TypedLookingStrings))]
    public void Strings_that_would_read_as_another_type_are_quoted(string text)
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, new Dictionary<string, object?>
        {
            ["defaultConfig"] = new Dictionary<string, object?> { ["proxyMetadata"] = new Dictionary<string, object?> { ["LIGHTSTEP_FLAG"] = text } },
        }));

        Assert.Equal(new Scalar("str", text), At(merged, "defaultConfig.proxyMetadata.LIGHTSTEP_FLAG"));
    }

    [Theory]
    [InlineData("ingest.lightstep.com:443")]
    [InlineData("a #not a comment")]
    [InlineData("*not-an-alias")]
    [InlineData("- not a list")]
    [InlineData("line one\nline two\n")]
    [InlineData("key: value")]
    public void Strings_with_yaml_syntax_come_back_unchanged(string text)
    {
        var merged = Parse(MeshConfigEditor.Merge(null, new Dictionary<string, object?> { ["value"] = text }));

        Assert.Equal(new Scalar("str", text), At(merged, "value"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("# no settings yet\n")]
    [InlineData("{}")]
    [InlineData("~")]
    public void An_empty_mesh_config_becomes_the_fragment(string? mesh)
    {
        var merged = MeshConfigEditor.Merge(mesh, LiveIstioSettings.From(PublicPlan("1.14")).MeshConfig);

        Assert.Equal(
            "enableTracing: true\ndefaultConfig:\n  tracing:\n    sampling: 100\n    lightstep:\n      address: collector-grpc.lightstep.com:443\n" +
            $"      accessToken: {Token}\n    tlsSettings:\n      mode: SIMPLE\n      caCertificates: /etc/lightstep/cacert.pem\n",
            merged);
    }

    [Fact]
    public void A_null_in_the_fragment_removes_the_key()
    {
        var merged = Parse(MeshConfigEditor.Merge(LiveMesh, new Dictionary<string, object?>
        {
            ["defaultConfig"] = new Dictionary<string, object?> { ["tracing"] = new Dictionary<string, object?> { ["zipkin"] = null } },
            ["notThere"] = null,
        }));

        Assert.Null(At(merged, "defaultConfig.tracing.zipkin"));
        Assert.NotNull(At(merged, "defaultConfig.tracing.sampling"));
        Assert.Null(At(merged, "notThere"));
    }

    [Fact]
    public void An_anchor_and_its_alias_survive()
    {
        const string mesh = "defaultConfig:\n  proxyMetadata: &meta\n    A: b\nextra: *meta\n";

        var merged = MeshConfigEditor.Merge(mesh, new Dictionary<string, object?> { ["enableTracing"] = true });

        Assert.Equal(mesh + "enableTracing: true\n", merged);
    }

    [Theory]
    [InlineData("- a\n- b\n")]
    [InlineData("just text")]
    public void A_mesh_config_that_is_not_a_mapping_is_refused(string mesh) =>
        Assert.Equal("YAML", Assert.Throws<UnreadableTextException>(() => MeshConfigEditor.Merge(mesh, new Dictionary<string, object?> { ["enableTracing"] = true })).Format);

    [Theory]
    [InlineData("defaultConfig: {tracing: [\n")]
    // YamlDotNet's scanner fails this one with an InvalidOperationException, not a YamlException.
    [InlineData("defaultConfig:\n  tracing: [unclosed\n  discoveryAddress: istiod.istio-system.svc:15012\n")]
    public void Text_that_is_not_yaml_is_refused(string mesh) =>
        Assert.Equal("YAML", Assert.Throws<UnreadableTextException>(() => MeshConfigEditor.Merge(mesh, new Dictionary<string, object?> { ["enableTracing"] = true })).Format);

    private static string[] ProviderNames(object? mesh) =>
        ((Seq)At(mesh, "extensionProviders")!).Items.Select(p => ((Scalar)At(p, "name")!).Value).ToArray();

    /// <summary>The extensionProviders list without the entries the console owns.</summary>
    private static object? Providers(object? mesh, string[] owned) =>
        new Seq(((Seq)At(mesh, "extensionProviders")!).Items.Where(p => !owned.Contains(((Scalar)At(p, "name")!).Value)).ToList());
}
