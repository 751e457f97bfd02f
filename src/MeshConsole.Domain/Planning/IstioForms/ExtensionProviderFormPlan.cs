using k8s;
using k8s.Models;
using MeshConsole.Domain.Traffic;
using static MeshConsole.Domain.Planning.IstioObjects;

namespace MeshConsole.Domain.Planning.IstioForms;

/// <summary>
/// The direct route from 1.16.1: an extension provider plus a Telemetry resource, <c>lightstep</c> (1.16.1 to 1.26,
/// deprecated from 1.17 by istio/api#2663, removed in 1.27 by istio/istio#56265) or <c>opentelemetry</c> (1.27 and
/// later, carrying the token in <c>grpc.initialMetadata</c>, which exists from 1.24: istio/api#3301). Either way Envoy
/// exports OTLP over gRPC (istio/istio#40032; pilot/pkg/networking/core/tracing.go adds lightstep-access-token as
/// initial metadata for the lightstep provider). Never <c>meshConfig.defaultConfig.tracing.lightstep</c>: Envoy 1.24
/// removed that tracer (envoyproxy/envoy#21370) but Istio's bootstrap would still ask for it.
/// </summary>
internal sealed class ExtensionProviderFormPlan(IstioForm form) : IstioFormPlan
{
    public override SpanTransport SpanTransport => SpanTransport.OtlpGrpc;

    public override (string Address, bool Secure) SpanTarget(PlanInput input) =>
        input.Product == LightStepProduct.PublicTracing ? (PlanBuilder.PublicOtlpAddress, true) : (input.SatelliteAddress, input.Secure);

    /// <summary>
    /// Only the <c>lightstep</c> form verifies a private CA: its DestinationRule's caCertificates resolves because the
    /// injector mounts lightstep.cacert next to tlsSettings.caCertificates when the lightstep tracer is selected
    /// (injection-template.yaml, 1.16.0 to 1.26.0). The public endpoint is verified against the proxy's public roots.
    /// </summary>
    public override bool ReadsCaFromWorkloadNamespace(PlanInput input) =>
        form == IstioForm.LightStepExtensionProvider && SpanRoutes.NeedsPrivateCa(input);

    public override bool GatewayNeedsCa(PlanInput input) => ReadsCaFromWorkloadNamespace(input);

    public override void AddTo(PlanInput input, PlanParts parts)
    {
        if (SpanRoutes.Refusal(input, SpanRoute.Direct) is { } refusal)
            throw new InvalidOperationException($"The direct route cannot carry spans for this input ({refusal}).");
        if (form == IstioForm.LightStepExtensionProvider && input.IstioVersion >= IstioFormChoice.FirstWithLightStepProviderDeprecated)
            parts.Note("Note.LightStepProviderDeprecated", input.IstioVersion.MinorString);
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
            if (SpanRoutes.NeedsPrivateCa(input))
                tls["caCertificates"] = input.CacertPath;
            // A DestinationRule for a host applies to all mesh traffic to that host, not only the proxies' span export
            // (istio/istio#53382): exportTo cannot narrow it, because the mesh-wide Telemetry makes every proxy export and
            // each needs this TLS origination; workloadSelector (1.14+, istio/api#2207) selects only workloads in the
            // rule's own namespace. So the plan says plainly what else it affects.
            parts.Note("Note.DestinationRuleAffectsHost", host);
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
        if (ReadsCaFromWorkloadNamespace(input))
        {
            // The injector mounts lightstep.cacert at the directory of tlsSettings.caCertificates only when the lightstep
            // tracer is selected (injection-template.yaml); that is what lets the DestinationRule's caCertificates resolve.
            spec["values"] = Map(("global", Map(("proxy", Map(("tracer", "lightstep"))))));
            meshConfig["defaultConfig"] = Map(("tracing", Map(("tlsSettings", Map(("mode", "SIMPLE"), ("caCertificates", input.CacertPath))))));
        }
        AddGatewayMount(input, spec);

        var overlay = Create("install.istio.io/v1alpha1", "IstioOperator", PlanBuilder.OverlayName, spec);
        parts.Objects.Add(new PlannedObject(overlay, PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl));
        foreach (var o in tracingObjects)
            parts.Objects.Add(new PlannedObject(o, RoleOf(o.Kind), ApplyTool.Kubectl));
        parts.Commands.Add(new PlanCommand("Command.ApplyTracingObjects", InstallCommands.KubectlApply(tracingObjects)));
        parts.Commands.Add(new PlanCommand(PlanRenderer.IstioctlCommandCode, InstallCommands.IstioctlOverlay(overlay, "istioctl install")));
    }

    private static PlannedObjectRole RoleOf(string kind) => kind switch
    {
        "ServiceEntry" => PlannedObjectRole.TracingServiceEntry,
        "DestinationRule" => PlannedObjectRole.TracingDestinationRule,
        _ => PlannedObjectRole.TracingTelemetry,
    };
}
