using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;

namespace WebConsole.Features.Traffic;

/// <summary>
/// Where a traffic run sends its requests and its client spans. The exporter endpoint is the INTERNAL address the
/// console reports spans to (with the mesh's access token); it has nothing to do with the external address of the
/// LightStep web UI that trace links open.
/// </summary>
/// <param name="GatewayUrl">The ingress gateway's base URL (http://host:port); requests go to {GatewayUrl}/productpage.</param>
/// <param name="ExporterEndpoint">The full OTLP traces URL (OTLP over HTTP/protobuf), or the scheme://host:port of a gRPC
/// endpoint (OTLP/gRPC, LightStep collector protocol).</param>
/// <param name="Protocol">How spans are sent.</param>
/// <param name="AccessToken">The LightStep access token the mesh uses; sent as the <c>lightstep-access-token</c> header.</param>
/// <param name="Form">The Istio configuration form, which decides the propagation headers and the trace id width.</param>
public sealed record TrafficTarget(Uri GatewayUrl, Uri ExporterEndpoint, SpanProtocol Protocol, string AccessToken, IstioForm Form)
{
    public const string AccessTokenHeader = "lightstep-access-token";

    /// <summary>What must never appear in a row's error or a log: the input's sensitive values (the access token at least).</summary>
    public MeshConsole.Domain.Security.SensitiveValues Sensitive { get; init; } = MeshConsole.Domain.Security.SensitiveValues.Of(AccessToken);

    /// <summary>
    /// The headers OTLP exports carry for a backend other than LightStep (its header values, e.g. x-honeycomb-team),
    /// instead of the access token; null for LightStep.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExportHeaders { get; init; }

    /// <summary>The uploaded CA certificate(s), PEM: export over TLS trusts exactly these (null: the system's roots).</summary>
    public string? TrustedCaPem { get; init; }

    /// <summary>LightStep's public OTLP/HTTP ingest for traces (lightstep launcher READMEs: /traces/otlp/v0.9).</summary>
    public static Uri PublicOtlpHttpEndpoint { get; } = new("https://ingest.lightstep.com/traces/otlp/v0.9");

    /// <summary>The page every request asks for.</summary>
    public Uri ProductPageUrl => new(GatewayUrl, BookinfoSample.ProductPagePath);

    /// <summary>
    /// The OTLP/HTTP traces endpoint for the product the mesh reports to: LightStep's public ingest, or
    /// <c>http(s)://{satellite}/traces/otlp/v0.9</c> for an on-premises satellite pool (https when secure).
    /// </summary>
    public static Uri OtlpHttpEndpointFor(LightStepProduct product, string satelliteAddress, bool secure)
    {
        if (product == LightStepProduct.PublicTracing) return PublicOtlpHttpEndpoint;
        ArgumentException.ThrowIfNullOrWhiteSpace(satelliteAddress);
        return new Uri($"{(secure ? "https" : "http")}://{satelliteAddress}/traces/otlp/v0.9");
    }

    /// <summary>LightStep's public satellites for the collector protocol (the Istio task's address).</summary>
    public static Uri PublicCollectorEndpoint { get; } = new("https://collector-grpc.lightstep.com:443");

    /// <summary>
    /// The gRPC endpoint for LightStep's collector protocol: the public satellites, or <c>http(s)://{satellite}</c>.
    /// </summary>
    public static Uri CollectorEndpointFor(LightStepProduct product, string satelliteAddress, bool secure)
    {
        if (product == LightStepProduct.PublicTracing) return PublicCollectorEndpoint;
        ArgumentException.ThrowIfNullOrWhiteSpace(satelliteAddress);
        return new Uri($"{(secure ? "https" : "http")}://{satelliteAddress}");
    }

    /// <summary>The target for a discovered (or overridden) gateway address.</summary>
    public static TrafficTarget For(GatewayAddress gateway, Uri exporterEndpoint, SpanProtocol protocol, string accessToken, IstioForm form)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new TrafficTarget(new Uri(gateway.Url), exporterEndpoint, protocol, accessToken, form);
    }

    /// <summary>
    /// The target for a span destination (the mesh's own, or a user's override): its transport picks the protocol, its
    /// TLS choice the scheme; <paramref name="trustedCaPem"/> is the uploaded CA, null for the system's roots.
    /// </summary>
    public static TrafficTarget For(Uri gatewayUrl, SpanDestination destination, string accessToken, IstioForm form, string? trustedCaPem)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new TrafficTarget(
            gatewayUrl,
            // OTLP/HTTP posts to the exact URL, so the backend's traces path is part of it.
            new Uri($"{(destination.Secure ? "https" : "http")}://{destination.Address}{(destination.Transport == SpanTransport.OtlpHttp ? destination.HttpPath : "")}"),
            destination.Transport switch
            {
                SpanTransport.LightStepCollector => SpanProtocol.LightStepCollector,
                SpanTransport.OtlpHttp => SpanProtocol.OtlpHttpProtobuf,
                _ => SpanProtocol.OtlpGrpc,
            },
            accessToken,
            form) { TrustedCaPem = trustedCaPem };
    }

    /// <summary>Never prints the token.</summary>
    public override string ToString() =>
        $"TrafficTarget {{ GatewayUrl = {GatewayUrl}, ExporterEndpoint = {ExporterEndpoint}, Protocol = {Protocol}, AccessToken = ••••, Form = {Form} }}";
}

/// <summary>How the console sends its client spans.</summary>
public enum SpanProtocol
{
    /// <summary>OTLP over HTTP/protobuf to the exact endpoint URL (LightStep: https://ingest.lightstep.com/traces/otlp/v0.9).</summary>
    OtlpHttpProtobuf,
    /// <summary>OTLP over gRPC (LightStep: ingest.lightstep.com:443), the way Istio 1.16+ sends the mesh's spans.</summary>
    OtlpGrpc,
    /// <summary>LightStep's own collector protocol over gRPC (lightstep.collector.CollectorService/Report).</summary>
    LightStepCollector,
}

/// <summary>Timeouts of a run; the defaults suit a real gateway, tests shorten them.</summary>
public sealed record TrafficRunOptions
{
    /// <summary>Per request, from sending to the end of the response body.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>One OTLP export call.</summary>
    public TimeSpan ExportTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the end of a run waits for the last spans to be exported.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often queued spans are exported during the run.</summary>
    public TimeSpan ExportDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
