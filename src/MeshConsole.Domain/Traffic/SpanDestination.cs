using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Planning.IstioForms;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Traffic;

/// <summary>How the console's own client spans travel.</summary>
public enum SpanTransport
{
    /// <summary>LightStep's collector protocol over gRPC, the protocol Envoy's LightStep tracer speaks (Istio before 1.16).</summary>
    LightStepCollector,
    /// <summary>OTLP over gRPC, what Istio exports through its lightstep / opentelemetry extension providers (1.16 and later).</summary>
    OtlpGrpc,
    /// <summary>OTLP over HTTP/protobuf to <see cref="SpanDestination.HttpPath"/>: a backend other than LightStep that takes OTLP/HTTP.</summary>
    OtlpHttp,
}

/// <summary>
/// Where the console reports the root span of each request: the same place, protocol and token as the mesh, so the
/// root and the mesh's spans land in one LightStep project. This is the INTERNAL ingest address, never the address of
/// LightStep's web UI that trace links open.
/// </summary>
/// <param name="Address">host:port (IPv6 in brackets).</param>
/// <param name="ReasonCode">Localized as "SpanDestination.{...}" in the app: why this address and protocol.</param>
/// <param name="HttpPath">The traces path for <see cref="SpanTransport.OtlpHttp"/>, null otherwise.</param>
public sealed record SpanDestination(string Address, SpanTransport Transport, bool Secure, string ReasonCode, string? HttpPath = null)
{
    /// <summary>The destination the mesh itself uses for this plan's Istio form.</summary>
    public static SpanDestination For(PlanInput input, IstioForm form)
    {
        ArgumentNullException.ThrowIfNull(input);
        // The form's own rules decide the protocol and target (Planning/IstioForms); the reason follows the protocol.
        var rules = IstioFormPlan.For(form);
        var (address, secure) = rules.SpanTarget(input);
        // Another backend's endpoint is the same on both routes (the collector forwards to it): the console's own root
        // spans go there in the backend's protocol.
        if (input.OtlpDestination?.Endpoint is { Transport: OtlpTransport.HttpProtobuf } http)
            return OtlpLikeTheMesh(address, http.Transport, secure, http.Path);
        return rules.SpanTransport == SpanTransport.LightStepCollector
            ? new(address, SpanTransport.LightStepCollector, secure, "SpanDestination.CollectorLikeTheMesh")
            : OtlpLikeTheMesh(address, OtlpTransport.Grpc, secure, httpPath: null);
    }

    /// <summary>OTLP to <paramref name="address"/> in <paramref name="transport"/>; OTLP/HTTP to <paramref name="httpPath"/>, by default /v1/traces.</summary>
    public static SpanDestination OtlpLikeTheMesh(string address, OtlpTransport transport, bool secure, string? httpPath) =>
        transport == OtlpTransport.HttpProtobuf
            ? new(address, SpanTransport.OtlpHttp, secure, "SpanDestination.OtlpLikeTheMesh", httpPath ?? OtlpSpanDestination.DefaultHttpPath)
            : new(address, SpanTransport.OtlpGrpc, secure, "SpanDestination.OtlpLikeTheMesh");

    /// <summary>
    /// A user-set address (e.g. a port-forward to an in-cluster satellite the console cannot resolve); keeps the transport
    /// and TLS choice of <paramref name="planned"/>. Invalid text gives the satellite address rules' issues.
    /// </summary>
    public static (SpanDestination? Destination, IReadOnlyList<ValidationIssue> Issues) WithOverride(SpanDestination planned, string? address)
    {
        ArgumentNullException.ThrowIfNull(planned);
        if (string.IsNullOrWhiteSpace(address)) return (planned, []);
        var check = SatelliteAddressRules.Validate(address);
        return check.IsValid
            ? (planned with { Address = $"{check.Host}:{check.Port}", ReasonCode = "SpanDestination.UserOverride" }, check.Issues)
            : (null, check.Issues);
    }
}
