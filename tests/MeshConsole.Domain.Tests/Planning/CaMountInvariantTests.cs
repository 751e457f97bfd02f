using System.Text;
using k8s.Models;
using MeshConsole.Domain.Planning;
using YamlDotNet.RepresentationModel;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// No plan may point a proxy (or the collector) at a CA file that nothing mounts. Over every form, product, CA, TLS,
/// route and CA path, each file a plan names is checked against what would be mounted where it is read:
/// <list type="bullet">
/// <item>sidecars: Istio's injector mounts Secret lightstep.cacert of the pod's namespace at the directory of the CA
/// path when <c>values.global.proxy.tracer</c> is lightstep and, before 1.6, <c>values.global.tracer.lightstep.cacertPath</c>
/// or, from 1.6, <c>meshConfig.defaultConfig.tracing.tlsSettings</c> is set (injection-template.yaml at 1.5.0, 1.6.0 to
/// 1.28.0); the files are the Secret's keys;</item>
/// <item>the ingress gateway: only the volume the plan mounts into it;</item>
/// <item>the collector: the volumes of its Deployment.</item>
/// </list>
/// The console's Bookinfo manifests carry no sidecar.istio.io/userVolume annotations, so no plan may rely on them.
/// </summary>
public class CaMountInvariantTests
{
    private static readonly string[] Versions =
        ["1.4", "1.5", "1.6", "1.7", "1.9", "1.10", "1.14", "1.15.5", "1.16.1", "1.20", "1.22", "1.24", "1.26", "1.27", "1.28"];

    private static readonly string[] CacertPaths = [PlanInput.DefaultCacertPath, "/var/run/secrets/lightstep/ca.pem"];

    public static IEnumerable<PlanInput> AllInputs()
    {
        foreach (var version in Versions)
        foreach (var product in new[] { "public", "onprem-external", "onprem-in-cluster", "honeycomb", "jaeger" })
        foreach (var withCa in new[] { true, false })
        foreach (var secure in new[] { true, false })
        foreach (var route in new SpanRoute?[] { null, SpanRoute.Direct, SpanRoute.Collector })
        foreach (var cacertPath in CacertPaths)
        {
            var input = product switch
            {
                "public" => Public(version, withCa),
                // Other backends: the collector alone verifies the endpoint, with the uploaded CA when there is one.
                "honeycomb" => Honeycomb(version),
                "jaeger" => Jaeger(version),
                _ => OnPrem(version, product == "onprem-external" ? "satellites.example.com:8443" : "lightstep-satellite.lightstep:9292"),
            };
            yield return input with
            {
                CaCertificatePem = withCa ? CaPem : null,
                Secure = secure,
                Route = route,
                CacertPath = cacertPath,
                Namespaces = ["default", "bookinfo"],
                OtlpDestination = input.OtlpDestination is { } otlp ? otlp with { Endpoint = otlp.Endpoint with { Secure = secure } } : null,
            };
        }
    }

    [Fact]
    public void Every_ca_file_a_plan_names_is_mounted_where_it_is_read()
    {
        var checkedPlans = 0;
        var failures = new List<string>();
        foreach (var input in AllInputs())
        {
            var label = $"{input.IstioVersion} {input.Product} ca={input.CaCertificatePem is not null} secure={input.Secure} route={input.Route?.ToString() ?? "default"} path={input.CacertPath}";
            if (PlanBuilder.Refusal(input) is not null)
            {
                Assert.Throws<InvalidOperationException>(() => PlanBuilder.Build(input));
                continue;
            }
            var plan = PlanBuilder.Build(input);
            checkedPlans++;
            foreach (var problem in UnmountedFiles(plan))
                failures.Add($"{label}: {problem}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(checkedPlans > 300, $"only {checkedPlans} plans were checked");
    }

    [Fact]
    public void The_check_finds_a_file_that_nothing_mounts()
    {
        var plan = PlanBuilder.Build(OnPrem("1.9", "lightstep-satellite.lightstep:9292"));
        var withoutGatewayMount = plan with { Objects = plan.Objects.Where(o => o.Role != PlannedObjectRole.IngressGatewayCaMount).ToList() };
        var withoutBookinfoSecret = plan with { Objects = plan.Objects.Where(o => o.Namespace != "default" || o.Role != PlannedObjectRole.CaCertificateSecret).ToList() };

        Assert.Empty(UnmountedFiles(plan));
        Assert.Contains(UnmountedFiles(withoutGatewayMount), p => p.Contains("gateway", StringComparison.Ordinal));
        Assert.Contains(UnmountedFiles(withoutBookinfoSecret), p => p.Contains("sidecars in default", StringComparison.Ordinal));
    }

    [Fact]
    public void A_ca_path_outside_the_default_directory_names_the_secret_key_after_its_file()
    {
        var plan = PlanBuilder.Build(OnPrem("1.14", "lightstep-satellite.lightstep:9292") with { CacertPath = "/var/run/secrets/lightstep/ca.pem" });

        Assert.All(plan.Objects.Where(o => o.Role == PlannedObjectRole.CaCertificateSecret),
            o => Assert.Equal(["ca.pem"], ((V1Secret)o.Resource).Data.Keys));
        Assert.Empty(UnmountedFiles(plan));
    }

    /// <summary>Each CA file the plan names that would not exist where it is read.</summary>
    internal static List<string> UnmountedFiles(Plan plan)
    {
        var problems = new List<string>();
        var overlay = plan.Objects.Where(o => o.Role == PlannedObjectRole.IstioInstallOverlay).Select(o => (IstioResource)o.Resource).Single();
        var version = plan.FormChoice.Version;

        var proxyFiles = new List<string>();
        if (version < IstioFormChoice.FirstWithTlsSettingsOnly && overlay.At("values.global.tracer.lightstep.cacertPath") is string cacertPath)
            proxyFiles.Add(cacertPath);
        if (overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates") is string tlsCa)
            proxyFiles.Add(tlsCa);
        if (plan.Istio(PlannedObjectRole.TracingDestinationRule) is { } rule)
        {
            foreach (var setting in (IEnumerable<object?>)rule.At("trafficPolicy.portLevelSettings")!)
                if (((IDictionary<string, object?>)setting!)["tls"] is IDictionary<string, object?> tls && tls.TryGetValue("caCertificates", out var ca))
                    proxyFiles.Add((string)ca!);
        }

        // Sidecars: what the injector mounts.
        var tracerIsLightStep = overlay.At("values.global.proxy.tracer") as string == "lightstep";
        var injectorMountPath = version < IstioFormChoice.FirstWithTlsSettingsOnly
            ? overlay.At("values.global.tracer.lightstep.cacertPath") as string
            : overlay.At("meshConfig.defaultConfig.tracing.tlsSettings") is null ? null
            : overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates") as string ?? "";
        foreach (var ns in plan.Namespaces)
        {
            var mounted = tracerIsLightStep && injectorMountPath is not null
                ? SecretKeys(plan, ns).Select(key => $"{Directory(injectorMountPath)}/{key}").ToHashSet()
                : [];
            foreach (var file in proxyFiles.Where(f => !mounted.Contains(f)))
                problems.Add($"sidecars in {ns} read {file}, which nothing mounts");
        }

        // The ingress gateway: only the volume the plan gives it, in the overlay for istioctl and applied by the console.
        var gatewayMount = plan.Objects.SingleOrDefault(o => o.Role == PlannedObjectRole.IngressGatewayCaMount)?.Resource as V1Deployment;
        var gatewayFiles = new HashSet<string>();
        if (gatewayMount is not null)
        {
            var volume = gatewayMount.Spec.Template.Spec.Volumes.Single();
            var mount = gatewayMount.Spec.Template.Spec.Containers.Single().VolumeMounts.Single(m => m.Name == volume.Name);
            gatewayFiles.UnionWith(SecretKeys(plan, PlanBuilder.IstioNamespace).Select(key => $"{mount.MountPath}/{key}"));
            if (!overlay.Has("components.ingressGateways"))
                problems.Add("the gateway mount applied by the console is missing from the istioctl overlay");
        }
        foreach (var file in proxyFiles.Where(f => !gatewayFiles.Contains(f)))
            problems.Add($"the ingress gateway reads {file}, which nothing mounts");

        // The collector: its configuration's ca_file against its Deployment's volumes.
        var config = plan.Objects.SingleOrDefault(o => o.Role == PlannedObjectRole.CollectorConfig)?.Resource as V1ConfigMap;
        if (config is not null)
        {
            var deployment = (V1Deployment)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorDeployment).Resource;
            var secret = (V1Secret)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorSecret).Resource;
            var collectorFiles = deployment.Spec.Template.Spec.Volumes.Where(v => v.Secret?.SecretName == secret.Metadata.Name)
                .SelectMany(v => deployment.Spec.Template.Spec.Containers.Single().VolumeMounts.Where(m => m.Name == v.Name)
                    .SelectMany(m => v.Secret.Items.Where(i => secret.Data?.ContainsKey(i.Key) == true).Select(i => $"{m.MountPath}/{i.Path}")))
                .ToHashSet();
            var stream = new YamlStream();
            stream.Load(new StringReader(config.Data.Values.Single()));
            var caFiles = stream.Documents[0].AllNodes.OfType<YamlMappingNode>()
                .SelectMany(m => m.Children).Where(c => ((YamlScalarNode)c.Key).Value == "ca_file").Select(c => ((YamlScalarNode)c.Value).Value!);
            foreach (var file in caFiles.Where(f => !collectorFiles.Contains(f)))
                problems.Add($"the collector reads {file}, which nothing mounts");
        }
        return problems;
    }

    private static IEnumerable<string> SecretKeys(Plan plan, string ns) =>
        plan.Objects.Where(o => o.Role == PlannedObjectRole.CaCertificateSecret && o.Namespace == ns)
            .SelectMany(o => ((V1Secret)o.Resource).Data.Keys);

    private static string Directory(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "" : path[..slash];
    }
}
