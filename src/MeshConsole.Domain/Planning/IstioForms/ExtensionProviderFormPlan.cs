using k8s;
using k8s.Models;
using MeshConsole.Domain.Traffic;
using static MeshConsole.Domain.Planning.IstioObjects;

namespace MeshConsole.Domain.Planning.IstioForms;

/// <summary>
/// An extension provider plus a Telemetry resource: <c>lightstep</c> (1.16 to 1.26) or <c>opentelemetry</c> (1.27 and
/// later). Either way Envoy exports OTLP over gRPC (istio/istio#40032).
/// </summary>
internal sealed class ExtensionProviderFormPlan(IstioForm form) : IstioFormPlan
{
    public override SpanTransport SpanTransport => SpanTransport.OtlpGrpc;

    public override (string Address, bool Secure) SpanTarget(PlanInput input) =>
        input.Product == LightStepProduct.PublicTracing ? (PlanBuilder.PublicOtlpAddress, true) : (input.SatelliteAddress, input.Secure);

    public override void AddTo(PlanInput input, PlanParts parts)
    {
        var address = SpanTarget(input).Address;
        if (input.Product == LightStepProduct.PublicTracing)
            parts.Note("Note.PublicOtlpEndpoint", PlanBuilder.PublicOtlpAddress);
        var (host, port) = SplitAddress(address);
        var inCluster = InClusterServiceHost(host);
        var serviceHost = inCluster ?? host;
        var v1 = input.IstioVersion >= IstioFormChoice.FirstWithTelemetryV1;
        var networkingApi = v1 ? "networking.istio.io/v1" : "networking.istio.io/v1beta1";

        var tracingObjects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (inCluster is null)
        {
            tracingObjects.Add(Create(networkingApi, "ServiceEntry", PlanBuilder.TracingObjectName, new()
            {
                ["hosts"] = new List<object?> { host },
                ["location"] = "MESH_EXTERNAL",
                ["resolution"] = "DNS",
                // GRPC, not TLS or HTTPS: Envoy's OTLP exporter needs an HTTP/2 cluster; TLS is originated by the DestinationRule.
                ["ports"] = new List<object?> { Map(("number", port), ("name", "grpc-otlp"), ("protocol", "GRPC")) },
            }));
        }
        else
        {
            parts.Note("Note.InClusterSatellite", serviceHost);
        }
        if (input.Secure)
        {
            var tls = Map(("mode", "SIMPLE"), ("sni", host));
            if (input.CaCertificatePem is not null && input.Product == LightStepProduct.OnPremSatellites)
                tls["caCertificates"] = input.CacertPath;
            tracingObjects.Add(Create(networkingApi, "DestinationRule", PlanBuilder.TracingObjectName, new()
            {
                ["host"] = serviceHost,
                ["trafficPolicy"] = Map(("portLevelSettings", new List<object?> { Map(("port", Map(("number", port))), ("tls", tls)) })),
            }));
        }

        var providerName = form == IstioForm.OpenTelemetry ? "lightstep-otlp" : "lightstep";
        tracingObjects.Add(Create(v1 ? "telemetry.istio.io/v1" : "telemetry.istio.io/v1alpha1", "Telemetry", "mesh-default", new()
        {
            ["tracing"] = new List<object?>
            {
                Map(("providers", new List<object?> { Map(("name", providerName)) }), ("randomSamplingPercentage", input.SamplingPercent)),
            },
        }));

        var provider = form == IstioForm.OpenTelemetry
            ? Map(("name", providerName), ("opentelemetry", Map(
                ("service", serviceHost), ("port", port),
                ("grpc", Map(("timeout", "10s"), ("initialMetadata", new List<object?> { Map(("name", PlanBuilder.AccessTokenHeader), ("value", input.AccessToken)) }))))))
            : Map(("name", providerName), ("lightstep", Map(("service", serviceHost), ("port", port), ("accessToken", input.AccessToken))));
        var meshConfig = Map(("extensionProviders", new List<object?> { provider }));
        var spec = new Dictionary<string, object?> { ["meshConfig"] = meshConfig };
        if (form == IstioForm.LightStepExtensionProvider && input.Secure && input.CaCertificatePem is not null
            && input.Product == LightStepProduct.OnPremSatellites)
        {
            // Up to 1.26 the injector mounts lightstep.cacert next to tlsSettings.caCertificates when the
            // lightstep tracer is selected, which is what lets the DestinationRule's caCertificates resolve.
            spec["values"] = Map(("global", Map(("proxy", Map(("tracer", "lightstep"))))));
            meshConfig["defaultConfig"] = Map(("tracing", Map(("tlsSettings", Map(("mode", "SIMPLE"), ("caCertificates", input.CacertPath))))));
        }
        else if (input.Secure && input.CaCertificatePem is not null && input.Product == LightStepProduct.OnPremSatellites)
        {
            parts.Note("Note.MountCaForOpenTelemetry", PlanBuilder.SecretName, input.CacertPath);
        }
        if (CaCertificates.GatewayNeedsMount(input))
            spec["components"] = CaCertificates.GatewayMountComponents(input.CacertPath);

        var overlay = Create("install.istio.io/v1alpha1", "IstioOperator", PlanBuilder.OverlayName, spec);
        parts.Objects.Add(new PlannedObject(overlay, PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl));
        foreach (var o in tracingObjects)
            parts.Objects.Add(new PlannedObject(o, RoleOf(o.Kind), ApplyTool.Kubectl));
        parts.Commands.Add(new PlanCommand("Command.ApplyTracingObjects", InstallCommands.KubectlApply(tracingObjects)));
        parts.Commands.Add(new PlanCommand("Command.IstioctlOverlay", InstallCommands.IstioctlOverlay(overlay, "istioctl install")));
    }

    private static PlannedObjectRole RoleOf(string kind) => kind switch
    {
        "ServiceEntry" => PlannedObjectRole.TracingServiceEntry,
        "DestinationRule" => PlannedObjectRole.TracingDestinationRule,
        _ => PlannedObjectRole.TracingTelemetry,
    };
}
