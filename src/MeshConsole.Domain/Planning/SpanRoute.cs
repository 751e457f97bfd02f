using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Planning;

/// <summary>How the mesh's spans reach LightStep (or the OTLP backend of <see cref="PlanInput.OtlpDestination"/>).</summary>
public enum SpanRoute
{
    /// <summary>Every proxy exports to the backend itself; the access token or headers (and CA) live in the mesh configuration.</summary>
    Direct,
    /// <summary>
    /// Proxies export plain OTLP to an OpenTelemetry Collector in the cluster, which alone holds the token and the CA
    /// (the way istio.io documents ServiceNow Cloud Observability today).
    /// </summary>
    Collector,
}

/// <summary>Which routes an Istio release and product allow, and which one a plan takes when none is chosen.</summary>
public static class SpanRoutes
{
    /// <summary>
    /// The collector route needs the <c>opentelemetry</c> extension provider (istio/api, mesh/v1alpha1/config.proto at
    /// 1.16.0) and a proxy with Envoy's OpenTelemetry tracer, which 1.16.0 lacks (istio/istio#42080, fixed in 1.16.1).
    /// </summary>
    public static readonly IstioVersion FirstWithCollectorRoute = new(1, 16, 1);

    /// <summary>
    /// The direct route to another OTLP backend is that same <c>opentelemetry</c> provider (added to istio/api's
    /// mesh/v1alpha1/config.proto by istio/api#2421, first tag 1.16.0; absent from 1.15.0) on the same proxies.
    /// </summary>
    public static readonly IstioVersion FirstWithOtherBackendDirect = FirstWithCollectorRoute;

    /// <summary>
    /// The provider's <c>http</c> field (HttpService: path, timeout, headers) that exports OTLP/HTTP instead of gRPC:
    /// istio/api#2998, in mesh/v1alpha1/config.proto from tag 1.22.0 (not in 1.21.0); istiod turns it into Envoy's
    /// OpenTelemetry <c>http_service</c> with the headers as request_headers_to_add
    /// (istio/istio pilot/pkg/networking/core/tracing.go, otelConfig, 1.22.0 to 1.28.0).
    /// </summary>
    public static readonly IstioVersion FirstWithOtlpHttpExport = IstioFormChoice.FirstWithTelemetryV1;

    /// <summary>The route a plan takes: the user's choice, else <see cref="DefaultFor"/>.</summary>
    public static SpanRoute Effective(PlanInput input) => input.Route ?? DefaultFor(input);

    /// <summary>
    /// LightStep: the collector on 1.27+ and for a private CA on 1.16.1+, else direct. Another backend: direct when the
    /// proxies need nothing that must stay hidden or be originated for them (an in-cluster Service, no headers, no TLS:
    /// istio.io's Jaeger task points the provider at jaeger-collector.istio-system.svc.cluster.local:4317 this way,
    /// content/en/docs/tasks/observability/distributed-tracing/jaeger/index.md), else the collector.
    /// </summary>
    public static SpanRoute DefaultFor(PlanInput input)
    {
        if (input.OtlpDestination is { } otlp)
            return NeedsNothingFromTheProxies(otlp) && Refusal(input, SpanRoute.Direct) is null ? SpanRoute.Direct : SpanRoute.Collector;
        if (input.IstioVersion < FirstWithCollectorRoute) return SpanRoute.Direct;
        if (input.IstioVersion >= IstioFormChoice.FirstWithoutLightStepProvider) return SpanRoute.Collector;
        return NeedsPrivateCa(input) ? SpanRoute.Collector : SpanRoute.Direct;
    }

    /// <summary>An in-cluster Service reached without TLS and without headers: no secret and no DestinationRule in the mesh.</summary>
    public static bool NeedsNothingFromTheProxies(OtlpSpanDestination otlp) =>
        otlp.Endpoint.Headers.Count == 0 && !otlp.Endpoint.Secure && IstioObjects.InClusterServiceHost(otlp.Endpoint.Host) is not null;

    /// <summary>Why <paramref name="route"/> cannot carry spans for this input (a "Route.*" code), or null when it can.</summary>
    public static string? Refusal(PlanInput input, SpanRoute route) => route switch
    {
        // Another backend has no route at all before 1.16.1: both are the opentelemetry provider.
        SpanRoute.Collector when input.IstioVersion < FirstWithCollectorRoute =>
            input.OtlpDestination is null ? "Route.CollectorNeedsOpenTelemetryTracer" : "Route.BackendNeedsOpenTelemetryProvider",
        SpanRoute.Direct when input.OtlpDestination is { } otlp => DirectRefusal(input, otlp),
        // From 1.27 the direct form is the opentelemetry provider: the token rides in grpc.initialMetadata (1.24+), but no
        // Istio mechanism this console relies on mounts a private CA for it, so a DestinationRule's caCertificates would
        // name a file no proxy has.
        SpanRoute.Direct when input.IstioVersion >= IstioFormChoice.FirstWithoutLightStepProvider && NeedsPrivateCa(input) =>
            "Route.DirectCannotMountCa",
        _ => null,
    };

    /// <summary>
    /// The direct route to another backend is Istio's <c>opentelemetry</c> provider, so each thing the backend needs must
    /// be a field of that provider in this release. Headers are allowed like LightStep's token in the direct forms: in the
    /// mesh configuration, with the same warning (Note.HeadersInMeshConfig). Even <c>envName</c> (1.26, istio/api#3474)
    /// only moves the value into istiod's environment: istiod still sends it to every proxy, and istio/api's
    /// config.proto warns "This is not a end-to-end secure".
    /// </summary>
    private static string? DirectRefusal(PlanInput input, OtlpSpanDestination otlp) => otlp switch
    {
        _ when input.IstioVersion < FirstWithOtherBackendDirect => "Route.BackendNeedsOpenTelemetryProvider",
        { Endpoint.Transport: OtlpTransport.HttpProtobuf } when input.IstioVersion < FirstWithOtlpHttpExport => "Route.DirectOtlpHttpNeeds122",
        // gRPC headers are the provider's grpc.initialMetadata: istio/api#3301, first tag 1.24.0 (tracing.go's
        // buildInitialMetadata from 1.24.0). Before that an OTLP/gRPC export carries no header at all.
        { Endpoint.Transport: OtlpTransport.Grpc, Endpoint.Headers.Count: > 0 } when input.IstioVersion < IstioFormChoice.FirstWithOtlpGrpcInitialMetadata =>
            "Route.DirectHeadersNeedInitialMetadata",
        // Only the lightstep tracer makes the injector mount lightstep.cacert (injection-template.yaml), and the
        // opentelemetry provider has no CA field: a private CA cannot reach every proxy.
        _ when NeedsPrivateCa(input) => "Route.DirectCannotMountCaForBackend",
        _ => null,
    };

    /// <summary>The routes the wizard and the command line offer for this input, the default first.</summary>
    public static IReadOnlyList<SpanRoute> Offered(PlanInput input)
    {
        var preferred = DefaultFor(input);
        return new[] { preferred, preferred == SpanRoute.Direct ? SpanRoute.Collector : SpanRoute.Direct }
            .Where(r => Refusal(input, r) is null).ToList();
    }

    /// <summary>TLS to an on-prem satellite pool (or another backend's endpoint) verified with the customer's own CA.</summary>
    internal static bool NeedsPrivateCa(PlanInput input) => input.CaCertificatePem is not null
        && (input.OtlpDestination is { } otlp ? otlp.Endpoint.Secure : input.Product == LightStepProduct.OnPremSatellites && input.Secure);
}
