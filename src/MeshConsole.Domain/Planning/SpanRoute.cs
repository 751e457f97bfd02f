namespace MeshConsole.Domain.Planning;

/// <summary>How the mesh's spans reach LightStep.</summary>
public enum SpanRoute
{
    /// <summary>Every proxy exports to LightStep itself; the access token (and CA) live in the mesh configuration.</summary>
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

    /// <summary>The route a plan takes: the user's choice, else the collector on 1.27+ and for a private CA on 1.16.1+.</summary>
    public static SpanRoute Effective(PlanInput input) => input.Route ?? DefaultFor(input);

    public static SpanRoute DefaultFor(PlanInput input)
    {
        // A backend other than LightStep only has the collector route (see Refusal); before 1.16.1 that is refused too.
        if (input.OtlpDestination is not null) return SpanRoute.Collector;
        if (input.IstioVersion < FirstWithCollectorRoute) return SpanRoute.Direct;
        if (input.IstioVersion >= IstioFormChoice.FirstWithoutLightStepProvider) return SpanRoute.Collector;
        return NeedsPrivateCa(input) ? SpanRoute.Collector : SpanRoute.Direct;
    }

    /// <summary>Why <paramref name="route"/> cannot carry spans for this input (a "Route.*" code), or null when it can.</summary>
    public static string? Refusal(PlanInput input, SpanRoute route) => route switch
    {
        SpanRoute.Collector when input.IstioVersion < FirstWithCollectorRoute => "Route.CollectorNeedsOpenTelemetryTracer",
        // Istio's opentelemetry provider could export to another OTLP endpoint itself (http.headers from 1.22, istio/api#2998;
        // grpc.initialMetadata from 1.24, istio/api#3301), but a header value set there sits in mesh configuration that
        // istiod sends to every proxy (only 1.26 reads it from istiod's environment, istio/api#3474, which this plan does
        // not manage), and a private CA has no mount in every proxy. The direct forms here are LightStep's; other
        // backends go through the collector, which alone holds the headers and the CA.
        SpanRoute.Direct when input.OtlpDestination is not null => "Route.DirectOnlyForLightStep",
        // The collector's otlphttp exporter is not part of the pinned configuration checked against its sources.
        SpanRoute.Collector when input.OtlpDestination?.Endpoint.Transport == Traffic.OtlpTransport.HttpProtobuf =>
            "Route.CollectorExportsOtlpGrpcOnly",
        // From 1.27 the direct form is the opentelemetry provider: the token rides in grpc.initialMetadata (1.24+), but no
        // Istio mechanism this console relies on mounts a private CA for it, so a DestinationRule's caCertificates would
        // name a file no proxy has.
        SpanRoute.Direct when input.IstioVersion >= IstioFormChoice.FirstWithoutLightStepProvider && NeedsPrivateCa(input) =>
            "Route.DirectCannotMountCa",
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
