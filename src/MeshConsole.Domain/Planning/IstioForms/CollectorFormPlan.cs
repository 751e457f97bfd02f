using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using MeshConsole.Domain.Traffic;
using static MeshConsole.Domain.Planning.IstioObjects;

namespace MeshConsole.Domain.Planning.IstioForms;

/// <summary>
/// The collector route (Istio 1.16.1 and later): sidecars and gateways export plain OTLP/gRPC through an
/// <c>opentelemetry</c> extension provider to an OpenTelemetry Collector in the cluster, and only the collector holds
/// the access token and the CA. This is how istio.io's current ServiceNow Cloud Observability page sends Istio's
/// traces (an in-cluster collector whose <c>otlp</c> exporter adds the lightstep-access-token header).
/// <para>
/// The collector lives in its own namespace, <see cref="Namespace"/>, outside the mesh: the token Secret is readable
/// only by whoever may read Secrets there (not by everyone who can read istio-system or the mesh config), and the
/// collector's own export to LightStep leaves without a sidecar, so it needs no ServiceEntry or DestinationRule for the
/// LightStep host, which would also change every other workload's traffic to that host (istio/istio#53382).
/// </para>
/// </summary>
internal sealed class CollectorFormPlan : IstioFormPlan
{
    public const string Namespace = PlanBuilder.CollectorNamespace;
    public const string Name = PlanBuilder.CollectorName;
    public const string ProviderName = "lightstep-collector";
    public const string ConfigKey = "collector.yaml";
    public const string TokenKey = "access-token";
    public const string TokenEnvironmentVariable = "LIGHTSTEP_ACCESS_TOKEN";
    public const string CaDirectory = "/etc/lightstep-collector/ca";
    public const int OtlpGrpcPort = 4317;
    public const int OtlpHttpPort = 4318;
    public const int HealthCheckPort = PlanBuilder.CollectorHealthCheckPort;

    /// <summary>
    /// otel/opentelemetry-collector-contrib 0.143.0: the last release whose OTLP/gRPC exporter's type is still
    /// <c>otlp</c> (0.144.0 renamed it <c>otlp_grpc</c> and kept <c>otlp</c> as a deprecated alias,
    /// open-telemetry/opentelemetry-collector exporter/otlpexporter/metadata.yaml). tests/CollectorSchemas/0.143.0 holds
    /// the setting names of each component the configuration uses, read from that release's sources.
    /// </summary>
    public const string Image = "otel/opentelemetry-collector-contrib:0.143.0";

    public static string ServiceHost => $"{Name}.{Namespace}.svc.cluster.local";

    public override SpanTransport SpanTransport => SpanTransport.OtlpGrpc;

    /// <summary>Where the collector exports to (the console's own spans go there too, like the mesh's).</summary>
    public override (string Address, bool Secure) SpanTarget(PlanInput input) =>
        input.OtlpDestination is { } otlp ? (otlp.Address, otlp.Endpoint.Secure)
        : input.Product == LightStepProduct.PublicTracing ? (PlanBuilder.PublicOtlpAddress, true) : (input.SatelliteAddress, input.Secure);

    /// <summary>
    /// The headers the exporter adds, each read from the Secret into an environment variable: LightStep's access token,
    /// or the headers another backend's endpoint needs (none for the no-header presets such as an in-cluster Jaeger).
    /// </summary>
    internal static IReadOnlyList<ExportHeader> ExportHeaders(PlanInput input) => input.OtlpDestination is { } otlp
        ? otlp.Endpoint.Headers.Select((h, i) => new ExportHeader(h.Name, $"OTLP_HEADER_{i}", $"header-{i}", otlp.HeaderValues[h.Name])).ToList()
        : [new ExportHeader(PlanBuilder.AccessTokenHeader, TokenEnvironmentVariable, TokenKey, input.AccessToken)];

    /// <summary>One exporter header: its name, the environment variable and Secret key that carry its value, and the value.</summary>
    internal sealed record ExportHeader(string Name, string EnvironmentVariable, string SecretKey, string Value)
    {
        public override string ToString() => $"{Name} from {SecretKey}";
    }

    public override bool ReadsCaFromWorkloadNamespace(PlanInput input) => false;

    /// <summary>Gateways export plain OTLP to the collector like every sidecar.</summary>
    public override bool GatewayNeedsCa(PlanInput input) => false;

    public override void AddTo(PlanInput input, PlanParts parts)
    {
        var (upstream, secure) = SpanTarget(input);
        var withCa = secure && SpanRoutes.NeedsPrivateCa(input);
        var headers = ExportHeaders(input);
        var collector = new List<PlannedObject>
        {
            new(CollectorNamespace(), PlannedObjectRole.CollectorNamespace, ApplyTool.Kubectl),
            new(CollectorSecret(input, headers, withCa), PlannedObjectRole.CollectorSecret, ApplyTool.Kubectl),
            new(CollectorConfigMap(Exporter(input, upstream, secure), withCa, headers), PlannedObjectRole.CollectorConfig, ApplyTool.Kubectl),
            new(CollectorDeployment(withCa, headers), PlannedObjectRole.CollectorDeployment, ApplyTool.Kubectl),
            new(CollectorService(), PlannedObjectRole.CollectorService, ApplyTool.Kubectl),
        };
        parts.Note("Note.CollectorRoute", Namespace, upstream);

        var v1 = input.IstioVersion >= IstioFormChoice.FirstWithTelemetryV1;
        var telemetry = Create(v1 ? "telemetry.istio.io/v1" : "telemetry.istio.io/v1alpha1", "Telemetry", "mesh-default", new()
        {
            ["tracing"] = new List<object?>
            {
                Map(("providers", new List<object?> { Map(("name", ProviderName)) }), ("randomSamplingPercentage", input.SamplingPercent)),
            },
        });
        // No headers and no TLS: the token and the CA stay with the collector. OTLP/gRPC on the Service's grpc port.
        var provider = Map(("name", ProviderName), ("opentelemetry", Map(("service", ServiceHost), ("port", OtlpGrpcPort))));
        var overlay = Create("install.istio.io/v1alpha1", "IstioOperator", PlanBuilder.OverlayName, new()
        {
            ["meshConfig"] = Map(("extensionProviders", new List<object?> { provider })),
        });

        parts.Objects.AddRange(collector);
        parts.Objects.Add(new PlannedObject(overlay, PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl));
        parts.Objects.Add(new PlannedObject(telemetry, PlannedObjectRole.TracingTelemetry, ApplyTool.Kubectl));
        parts.Commands.Add(new PlanCommand("Command.ApplyCollector", InstallCommands.KubectlApply(collector.Select(o => o.Resource))));
        parts.Commands.Add(new PlanCommand("Command.ApplyTracingObjects", InstallCommands.KubectlApply([telemetry])));
        parts.Commands.Add(new PlanCommand(PlanRenderer.IstioctlCommandCode, InstallCommands.IstioctlOverlay(overlay, "istioctl install")));
    }

    private static Dictionary<string, string> Labels() => new()
    {
        ["app"] = Name,
        ["app.kubernetes.io/name"] = Name,
        [PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue,
    };

    private static V1ObjectMeta Meta(string name) => new() { Name = name, NamespaceProperty = Namespace, Labels = Labels() };

    private static V1Namespace CollectorNamespace() => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta
        {
            Name = Namespace,
            // Outside the mesh: Istio's injection webhook skips namespaces whose istio-injection label is not "enabled"
            // (manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml).
            Labels = new Dictionary<string, string> { [PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue, ["istio-injection"] = "disabled" },
        },
    };

    private static V1Secret CollectorSecret(PlanInput input, IReadOnlyList<ExportHeader> headers, bool withCa)
    {
        var data = headers.ToDictionary(h => h.SecretKey, h => Encoding.UTF8.GetBytes(h.Value));
        if (withCa) data[PlanBuilder.SecretKey] = Encoding.UTF8.GetBytes(input.CaCertificatePem!);
        // A destination without headers or CA (an in-cluster Jaeger) leaves the Secret empty; it stays in the plan so the
        // collector's objects are the same set for every backend.
        return new V1Secret { ApiVersion = "v1", Kind = "Secret", Metadata = Meta(Name), Type = "Opaque", Data = data.Count == 0 ? null : data };
    }

    private static V1ConfigMap CollectorConfigMap(UpstreamExporter exporter, bool withCa, IReadOnlyList<ExportHeader> headers) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Meta(Name),
        Data = new Dictionary<string, string> { [ConfigKey] = CollectorConfig(exporter, withCa, headers) },
    };

    /// <summary>
    /// The exporter that forwards to the backend: its component type and the settings that say where (and whether over
    /// TLS) it sends.
    /// <list type="bullet">
    /// <item>OTLP/gRPC: <c>otlp</c> with <c>endpoint: host:port</c> (exporter/otlpexporter/config.go, configgrpc
    /// ClientConfig); plaintext is <c>tls.insecure: true</c> (configtls ClientConfig).</item>
    /// <item>OTLP/HTTP: <c>otlphttp</c> (exporter/otlphttpexporter/metadata.yaml, type otlphttp) with a URL: the scheme
    /// decides TLS (http:// or https://, confighttp ClientConfig). <c>endpoint</c> gets "/v1/traces" appended, so a
    /// backend on the default path gets <c>endpoint</c> and any other path <c>traces_endpoint</c>, used as given
    /// (factory.go composeSignalURL at v0.143.0).</item>
    /// </list>
    /// </summary>
    internal sealed record UpstreamExporter(string Type, string Setting, string Value, bool Insecure);

    internal static UpstreamExporter Exporter(PlanInput input, string upstream, bool secure)
    {
        if (input.OtlpDestination?.Endpoint is not { Transport: OtlpTransport.HttpProtobuf } http)
            return new("otlp", "endpoint", upstream, !secure);
        var baseUrl = $"{(secure ? "https" : "http")}://{upstream}";
        var path = http.Path ?? OtlpSpanDestination.DefaultHttpPath;
        return path == OtlpSpanDestination.DefaultHttpPath
            ? new("otlphttp", "endpoint", baseUrl, false)
            : new("otlphttp", "traces_endpoint", baseUrl + path, false);
    }

    /// <summary>
    /// The collector configuration. Setting names are those of the pinned release (receiver/otlpreceiver/config.go,
    /// internal/memorylimiter/config.go, processor/batchprocessor/config.go, config/configgrpc and config/configtls in
    /// open-telemetry/opentelemetry-collector v0.143.0; extension/healthcheckextension/config.go in the contrib
    /// repository). Listeners bind 0.0.0.0 explicitly: the components default to localhost, which the Service and the
    /// kubelet's probes cannot reach. <c>${env:...}</c> is the collector's environment-variable expansion, so the token is
    /// read from the Secret at start and never written into the ConfigMap.
    /// </summary>
    internal static string CollectorConfig(UpstreamExporter exporter, bool withCa, IReadOnlyList<ExportHeader> headers)
    {
        var tls = exporter.Insecure
            ? "      insecure: true\n"
            : withCa ? $"      ca_file: {CaDirectory}/{PlanBuilder.SecretKey}\n" : null;
        var text = new StringBuilder()
            .Append("receivers:\n")
            .Append("  otlp:\n")
            .Append("    protocols:\n")
            .Append("      grpc:\n")
            .Append(CultureInfo.InvariantCulture, $"        endpoint: 0.0.0.0:{OtlpGrpcPort}\n")
            .Append("      http:\n")
            .Append(CultureInfo.InvariantCulture, $"        endpoint: 0.0.0.0:{OtlpHttpPort}\n")
            .Append("processors:\n")
            // First in the pipeline, as the memory_limiter README asks; percentages of the container's memory limit.
            .Append("  memory_limiter:\n")
            .Append("    check_interval: 1s\n")
            .Append("    limit_percentage: 80\n")
            .Append("    spike_limit_percentage: 20\n")
            .Append("  batch:\n")
            .Append("    timeout: 5s\n")
            .Append("exporters:\n")
            .Append(CultureInfo.InvariantCulture, $"  {exporter.Type}:\n")
            .Append(CultureInfo.InvariantCulture, $"    {exporter.Setting}: {exporter.Value}\n");
        if (headers.Count > 0) text.Append("    headers:\n");
        foreach (var header in headers)
            text.Append(CultureInfo.InvariantCulture, $"      {header.Name}: ${{env:{header.EnvironmentVariable}}}\n");
        if (tls is not null) text.Append("    tls:\n").Append(tls);
        text.Append("extensions:\n")
            .Append("  health_check:\n")
            .Append(CultureInfo.InvariantCulture, $"    endpoint: 0.0.0.0:{HealthCheckPort}\n")
            .Append("service:\n")
            .Append("  extensions: [health_check]\n")
            .Append("  pipelines:\n")
            .Append("    traces:\n")
            .Append("      receivers: [otlp]\n")
            .Append("      processors: [memory_limiter, batch]\n")
            .Append(CultureInfo.InvariantCulture, $"      exporters: [{exporter.Type}]\n");
        return text.ToString();
    }

    private static V1Deployment CollectorDeployment(bool withCa, IReadOnlyList<ExportHeader> headers)
    {
        var mounts = new List<V1VolumeMount> { new() { Name = "config", MountPath = "/conf", ReadOnlyProperty = true } };
        var volumes = new List<V1Volume>
        {
            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = Name, Items = [new V1KeyToPath { Key = ConfigKey, Path = ConfigKey }] } },
        };
        if (withCa)
        {
            mounts.Add(new V1VolumeMount { Name = "ca", MountPath = CaDirectory, ReadOnlyProperty = true });
            volumes.Add(new V1Volume
            {
                Name = "ca",
                Secret = new V1SecretVolumeSource { SecretName = Name, Items = [new V1KeyToPath { Key = PlanBuilder.SecretKey, Path = PlanBuilder.SecretKey }] },
            });
        }
        var health = new V1HTTPGetAction { Path = "/", Port = HealthCheckPort };
        var selector = new Dictionary<string, string> { ["app"] = Name };
        var podLabels = Labels();
        // Belt and braces with the namespace label: a pod labelled sidecar.istio.io/inject=false is never injected
        // (the webhook's objectSelector in mutatingwebhook.yaml).
        podLabels["sidecar.istio.io/inject"] = "false";
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Meta(Name),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            // The image's own user: the contrib Dockerfile sets ARG USER_UID=10001 and USER ${USER_UID}.
                            RunAsUser = 10001,
                            RunAsGroup = 10001,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "collector",
                                Image = Image,
                                ImagePullPolicy = "IfNotPresent",
                                Args = [$"--config=/conf/{ConfigKey}"],
                                Env = headers.Count == 0 ? null : headers.Select(h => new V1EnvVar
                                {
                                    Name = h.EnvironmentVariable,
                                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = Name, Key = h.SecretKey } },
                                }).ToList(),
                                Ports =
                                [
                                    new V1ContainerPort { Name = "otlp-grpc", ContainerPort = OtlpGrpcPort },
                                    new V1ContainerPort { Name = "otlp-http", ContainerPort = OtlpHttpPort },
                                    new V1ContainerPort { Name = "health", ContainerPort = HealthCheckPort },
                                ],
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("512Mi") },
                                },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                },
                                ReadinessProbe = new V1Probe { HttpGet = health, PeriodSeconds = 5 },
                                LivenessProbe = new V1Probe { HttpGet = health, PeriodSeconds = 10, FailureThreshold = 6 },
                                VolumeMounts = mounts,
                            },
                        ],
                        Volumes = volumes,
                    },
                },
            },
        };
    }

    private static V1Service CollectorService() => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Meta(Name),
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = Name },
            // Port names tell Istio the protocol (grpc- / http- prefixes), so sidecars send OTLP/gRPC as HTTP/2.
            Ports =
            [
                new V1ServicePort { Name = "grpc-otlp", Port = OtlpGrpcPort, TargetPort = OtlpGrpcPort, AppProtocol = "grpc" },
                new V1ServicePort { Name = "http-otlp", Port = OtlpHttpPort, TargetPort = OtlpHttpPort, AppProtocol = "http" },
                // Preflight reads the health_check endpoint through the API server's service proxy (CollectorNames).
                new V1ServicePort { Name = "http-health", Port = HealthCheckPort, TargetPort = HealthCheckPort, AppProtocol = "http" },
            ],
        },
    };
}
