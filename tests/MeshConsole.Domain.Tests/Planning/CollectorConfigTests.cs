using MeshConsole.Domain.Cluster;
using System.Text;
using k8s.Models;
using MeshConsole.Domain.Planning;
using YamlDotNet.RepresentationModel;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// The collector route's objects. No collector runs here: the configuration is checked against the setting names of the
/// pinned release (tests/CollectorSchemas/0.143.0, read from its sources), and the Kubernetes objects for what the
/// configuration relies on (the token from the Secret, the CA file, the listeners the Service and probes reach).
/// </summary>
public class CollectorConfigTests
{
    private static string CollectorSchemaFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WebConsole.sln")))
                return Path.Combine(dir.FullName, "tests", "CollectorSchemas", "0.143.0", "components.yaml");
        throw new InvalidOperationException("no WebConsole.sln above the test assembly");
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static TheoryData<string> CollectorCases => new(PlanGoldenTests.Cases.Where(c => PlanBuilder.Build(c.Value).Route == SpanRoute.Collector).Select(c => c.Key));

    private static (V1ConfigMap Config, V1Secret Secret, V1Deployment Deployment, V1Service Service, YamlMappingNode Collector) Objects(Plan plan)
    {
        var config = (V1ConfigMap)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorConfig).Resource;
        return (config,
            (V1Secret)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorSecret).Resource,
            (V1Deployment)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorDeployment).Resource,
            (V1Service)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorService).Resource,
            Load(config.Data["collector.yaml"]));
    }

    [Theory]
    [MemberData(nameof(CollectorCases))]
    public void Every_setting_is_one_the_pinned_release_documents(string name)
    {
        var collector = Objects(PlanBuilder.Build(PlanGoldenTests.Cases[name])).Collector;
        var known = Load(File.ReadAllText(CollectorSchemaFile()));

        var problems = new List<string>();
        foreach (var (section, components) in collector.Children)
        {
            var sectionName = ((YamlScalarNode)section).Value!;
            if (sectionName == "service") { Check((YamlMappingNode)known["service"], components, "service", problems); continue; }
            if (((YamlMappingNode)known["components"]).Children.TryGetValue(section, out var knownComponents))
                Check((YamlMappingNode)knownComponents, components, sectionName, problems);
            else
                problems.Add($"{sectionName}: not a configuration section");
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void The_schema_check_rejects_a_setting_the_release_does_not_have()
    {
        var known = Load(File.ReadAllText(CollectorSchemaFile()));
        var wrong = Load("exporters:\n  otlp:\n    endpoint: x:443\n    tls:\n      ca_path: /ca.pem\n  otlp_grpc:\n    endpoint: x:443\n");
        var problems = new List<string>();

        Check((YamlMappingNode)((YamlMappingNode)known["components"])["exporters"], wrong["exporters"], "exporters", problems);

        Assert.Equal(["exporters.otlp.tls.ca_path: unknown setting", "exporters.otlp_grpc: unknown setting"], problems);
    }

    private static void Check(YamlMappingNode known, YamlNode actual, string path, List<string> problems)
    {
        if (actual is not YamlMappingNode map) return;
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (known.Children.TryGetValue(key, out var child) || known.Children.TryGetValue(new YamlScalarNode("*"), out child))
            {
                if (child is YamlMappingNode nested) Check(nested, value, $"{path}.{name}", problems);
            }
            else
            {
                problems.Add($"{path}.{name}: unknown setting");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CollectorCases))]
    public void The_pipeline_wires_the_declared_components_and_the_token_comes_from_the_secret(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);
        var (config, secret, deployment, service, collector) = Objects(plan);

        var traces = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)collector["service"])["pipelines"])["traces"];
        foreach (var (section, key) in new[] { ("receivers", "receivers"), ("processors", "processors"), ("exporters", "exporters") })
        {
            var declared = ((YamlMappingNode)collector[section]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
            var used = ((YamlSequenceNode)traces[key]).Children.Select(n => ((YamlScalarNode)n).Value).ToList();
            Assert.Equal(declared.Order(), used.Order());
        }
        Assert.Equal(["memory_limiter", "batch"], ((YamlSequenceNode)traces["processors"]).Children.Select(n => ((YamlScalarNode)n).Value));

        // The token (or another backend's header values): an env reference in the ConfigMap, the value only in the Secret.
        var input = PlanGoldenTests.Cases[name];
        var expected = input.OtlpDestination is { } otlp
            ? otlp.Endpoint.Headers.Select((h, i) => (Header: h.Name, Env: $"OTLP_HEADER_{i}", Key: $"header-{i}", Value: otlp.HeaderValues[h.Name])).ToList()
            : [("lightstep-access-token", "LIGHTSTEP_ACCESS_TOKEN", "access-token", Token)];
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Equal(expected.Select(e => (e.Env, Name: "lightstep-collector", e.Key)),
            (container.Env ?? []).Select(env => (env.Name, env.ValueFrom.SecretKeyRef.Name, env.ValueFrom.SecretKeyRef.Key)));
        foreach (var (header, envName, key, value) in expected)
        {
            Assert.DoesNotContain(value, config.Data["collector.yaml"]);
            Assert.Contains($"{header}: ${{env:{envName}}}", config.Data["collector.yaml"]);
            Assert.Equal(value, Encoding.UTF8.GetString(secret.Data[key]));
        }
        if (input.OtlpDestination is not null)
            Assert.DoesNotContain("lightstep-access-token", config.Data["collector.yaml"]);

        // Hardened and pinned.
        Assert.Equal("otel/opentelemetry-collector-contrib:0.143.0", container.Image);
        Assert.True(deployment.Spec.Template.Spec.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.NotNull(container.Resources.Requests);
        Assert.NotNull(container.Resources.Limits);
        Assert.Equal("false", deployment.Spec.Template.Metadata.Labels["sidecar.istio.io/inject"]);

        // Probes hit the health_check extension; the Service reaches the OTLP listeners, which bind all interfaces, and
        // the health endpoint, which preflight reads through the API server's service proxy.
        var health = (YamlMappingNode)((YamlMappingNode)collector["extensions"])["health_check"];
        Assert.Equal("0.0.0.0:13133", ((YamlScalarNode)health["endpoint"]).Value);
        Assert.Equal(13133, container.ReadinessProbe.HttpGet.Port.Value is string s ? int.Parse(s) : Convert.ToInt32(container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal([4317, 4318, CollectorNames.HealthPort], service.Spec.Ports.Select(p => p.Port));
        Assert.Equal("grpc-otlp", service.Spec.Ports[0].Name);
        var provider = (IDictionary<string, object?>)((IEnumerable<object?>)plan.Overlay().At("meshConfig.extensionProviders")!).Single()!;
        var otel = (IDictionary<string, object?>)provider["opentelemetry"]!;
        Assert.Equal(("lightstep-collector.lightstep-collector.svc.cluster.local", 4317), (otel["service"], otel["port"]));
        Assert.False(otel.ContainsKey("grpc"), "the mesh's export to the collector carries no token");
        Assert.DoesNotContain(Token, PlanRenderer.Yaml([plan.Overlay()]));
    }

    [Theory]
    [InlineData("1.16.1", true, "ca_file: /etc/lightstep-collector/ca/cacert.pem")]
    [InlineData("1.28", true, "ca_file: /etc/lightstep-collector/ca/cacert.pem")]
    [InlineData("1.28", false, "insecure: true")]
    public void Tls_to_the_satellites_follows_the_choices(string version, bool secure, string expected)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443", secure) with { Route = SpanRoute.Collector });
        var (config, secret, _, _, _) = Objects(plan);

        Assert.Contains($"      {expected}\n", config.Data["collector.yaml"]);
        Assert.Contains("    endpoint: satellites.example.com:8443\n", config.Data["collector.yaml"]);
        Assert.Equal(secure, secret.Data.ContainsKey("cacert.pem"));
        // The collector holds the CA: no namespace needs Secret lightstep.cacert and no proxy gets TLS settings.
        Assert.DoesNotContain(plan.Objects, o => o.Role is PlannedObjectRole.CaCertificateSecret or PlannedObjectRole.TracingDestinationRule or PlannedObjectRole.TracingServiceEntry);
        Assert.False(plan.Overlay().Has("meshConfig.defaultConfig"));
    }

    [Fact]
    public void The_public_product_exports_to_the_public_otlp_endpoint_with_public_roots()
    {
        var plan = PlanBuilder.Build(Public("1.28"));
        var config = Objects(plan).Config.Data["collector.yaml"];

        Assert.Equal(SpanRoute.Collector, plan.Route);
        Assert.Contains("    endpoint: ingest.lightstep.com:443\n", config);
        Assert.DoesNotContain("tls:", config);
    }
}
