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
/// <para>
/// Another OTLP backend (<see cref="PlanInput.OtlpDestination"/>) on the direct route takes the <c>opentelemetry</c>
/// form at every release from 1.16.1: <c>service</c> and <c>port</c> alone for OTLP/gRPC without headers (as istio.io's
/// Jaeger task configures Istio's Jaeger addon), <c>grpc.initialMetadata</c> for gRPC headers (1.24+), and
/// <c>http</c> (path, timeout, headers) for OTLP/HTTP (1.22+); <see cref="SpanRoutes.Refusal"/> refuses the rest.
/// </para>
/// </summary>
internal sealed class ExtensionProviderFormPlan(IstioForm form) : IstioFormPlan
{
    public override SpanTransport SpanTransport => SpanTransport.OtlpGrpc;

    public override (string Address, bool Secure) SpanTarget(PlanInput input) =>
        input.OtlpDestination is { } otlp ? (otlp.Address, otlp.Endpoint.Secure)
        : input.Product == LightStepProduct.PublicTracing ? (PlanBuilder.PublicOtlpAddress, true) : (input.SatelliteAddress, input.Secure);

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
        var otlp = input.OtlpDestination;
        var address = SpanTarget(input).Address;
        var secure = otlp?.Endpoint.Secure ?? input.Secure;
        if (otlp is null && input.Product == LightStepProduct.PublicTracing)
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
                ["ports"] = new List<object?> { ServiceEntryPort(otlp, port, secure) },
            }));
        }
        else
        {
            parts.Note(otlp is null ? "Note.InClusterSatellite" : "Note.InClusterBackend", serviceHost);
        }
        if (secure)
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

        var providerName = otlp is not null ? OtherBackendProviderName : form == IstioForm.OpenTelemetry ? "lightstep-otlp" : "lightstep";
        tracingObjects.Add(Create(v1 ? "telemetry.istio.io/v1" : "telemetry.istio.io/v1alpha1", "Telemetry", "mesh-default", new()
        {
            ["tracing"] = new List<object?>
            {
                Map(("providers", new List<object?> { Map(("name", providerName)) }), ("randomSamplingPercentage", input.SamplingPercent)),
            },
        }));

        var provider = otlp is not null ? OtherBackendProvider(otlp, serviceHost, port)
            : form == IstioForm.OpenTelemetry
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

    /// <summary>The provider's name for a backend other than LightStep (the Telemetry resource names it).</summary>
    public const string OtherBackendProviderName = "otlp-backend";

    /// <summary>
    /// The port of the backend's ServiceEntry. OTLP/gRPC: GRPC, not TLS or HTTPS, because Envoy's OTLP exporter needs an
    /// HTTP/2 cluster; TLS is originated by the DestinationRule. OTLP/HTTP over TLS: HTTPS with the DestinationRule's
    /// SIMPLE TLS, exactly as the provider's own documentation of <c>http</c> shows (istio/api#2998, config.proto at
    /// 1.22.0); plaintext OTLP/HTTP: HTTP.
    /// </summary>
    private static Dictionary<string, object?> ServiceEntryPort(OtlpSpanDestination? otlp, int port, bool secure) =>
        otlp?.Endpoint.Transport == OtlpTransport.HttpProtobuf
            ? secure ? Map(("number", port), ("name", "https-otlp"), ("protocol", "HTTPS")) : Map(("number", port), ("name", "http-otlp"), ("protocol", "HTTP"))
            : Map(("number", port), ("name", "grpc-otlp"), ("protocol", "GRPC"));

    /// <summary>
    /// The <c>opentelemetry</c> provider for another backend (istio/api mesh/v1alpha1/config.proto): service and port;
    /// for OTLP/HTTP the <c>http</c> HttpService (path REQUIRED, timeout defaulting to 3s, headers), which istiod joins to
    /// the host as Envoy's http_uri (tracing.go otelConfig); for OTLP/gRPC with headers <c>grpc.initialMetadata</c>, the
    /// GrpcService's initial metadata. Timeouts are the 10s of the LightStep form and of config.proto's http example.
    /// </summary>
    private static Dictionary<string, object?> OtherBackendProvider(OtlpSpanDestination otlp, string serviceHost, int port)
    {
        var headers = otlp.Endpoint.Headers.Select(h => (object?)Map(("name", h.Name), ("value", otlp.HeaderValues[h.Name]))).ToList();
        var settings = Map(("service", serviceHost), ("port", port));
        if (otlp.Endpoint.Transport == OtlpTransport.HttpProtobuf)
        {
            var http = Map(("path", otlp.Endpoint.Path ?? OtlpSpanDestination.DefaultHttpPath), ("timeout", "10s"));
            if (headers.Count > 0) http["headers"] = headers;
            settings["http"] = http;
        }
        else if (headers.Count > 0)
        {
            settings["grpc"] = Map(("timeout", "10s"), ("initialMetadata", headers));
        }
        return Map(("name", OtherBackendProviderName), ("opentelemetry", settings));
    }

    private static PlannedObjectRole RoleOf(string kind) => kind switch
    {
        "ServiceEntry" => PlannedObjectRole.TracingServiceEntry,
        "DestinationRule" => PlannedObjectRole.TracingDestinationRule,
        _ => PlannedObjectRole.TracingTelemetry,
    };
}
