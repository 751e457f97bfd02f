using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Traffic;

/// <summary>One header the console sets on a traffic request, with the propagation format it belongs to.</summary>
public sealed record PropagationHeader(string Name, string Value, PropagationFormat Format);

public enum PropagationFormat
{
    /// <summary>Envoy's request id (x-request-id) and forced-trace request (x-client-trace-id).</summary>
    EnvoyRequestId,
    /// <summary>W3C trace-context (traceparent).</summary>
    W3CTraceContext,
    /// <summary>Zipkin B3 multi-header.</summary>
    B3Multi,
    /// <summary>LightStep's text-map format (ot-tracer-*), as lightstep-tracer-cpp's "lightstep" propagator reads it.</summary>
    LightStepTextMap,
}

/// <summary>
/// The headers that make the console's client span the parent of the ingress gateway's span, per Istio form.
/// Sources (research report /tmp/research/traffic-and-links.md, sections 1 and 2, and the files it cites):
/// <list type="bullet">
/// <item>CONFIRMED — Istio 1.16+ (both extension-provider forms) runs Envoy's OpenTelemetry tracer, whose extractor reads
/// only <c>traceparent</c> (envoy source/extensions/tracers/opentelemetry/span_context_extractor.cc; istio/istio#40032).
/// An invalid traceparent means no trace at all, so it is always well-formed here.</item>
/// <item>CONFIRMED — Istio before 1.16 runs Envoy's native LightStep tracer without propagation_modes (istio/istio
/// tracing.go builds LightstepConfig with the collector cluster and token only), i.e. lightstep-tracer-cpp's "envoy" mode
/// (x-ot-span-context), which falls back to the "lightstep" text map: ot-tracer-traceid/spanid (hex, both required),
/// ot-tracer-sampled false only for "0"/"false" (lightstep-tracer-cpp src/tracer/propagation/propagation_options.cpp
/// SetInjectExtractPropagationModes, lightstep_propagator.cpp, multiheader_propagator.cpp). The ids are 64-bit there,
/// so the trace id sent is the right-most 64 bits. UNCONFIRMED for Istio's legacy bootstrap template path.</item>
/// <item>CONFIRMED — Envoy only traces a request whose x-request-id is absent or a UUID (istio/istio#17973,
/// envoyproxy/envoy#12808; envoy source/extensions/request_id/uuid: the version nibble carries the trace reason), so the
/// console sends a fresh random UUID v4. The gateway may regenerate it at the edge anyway.</item>
/// <item>x-client-trace-id asks Envoy to force tracing of this request (conn_manager_utility.cc: ClientForced, subject
/// to client_sampling, 100% by default). UNCONFIRMED that Istio's gateways keep that default.</item>
/// <item>B3 multi-header is neither tracer's input (UNCONFIRMED that any Istio release configures B3 extraction); it is
/// sent because Bookinfo's services forward x-b3-* and it costs nothing. It carries the same ids.</item>
/// </list>
/// </summary>
public static class TraceContextHeaders
{
    public const string RequestId = "x-request-id";
    public const string ClientTraceId = "x-client-trace-id";
    public const string TraceParent = "traceparent";
    public const string B3TraceId = "x-b3-traceid";
    public const string B3SpanId = "x-b3-spanid";
    public const string B3Sampled = "x-b3-sampled";
    public const string LightStepTraceId = "ot-tracer-traceid";
    public const string LightStepSpanId = "ot-tracer-spanid";
    public const string LightStepSampled = "ot-tracer-sampled";

    /// <summary>The headers for one request, with a fresh random UUID v4 as x-request-id.</summary>
    public static IReadOnlyList<PropagationHeader> For(IstioForm form, TraceIdentity id) => For(form, id, Guid.NewGuid());

    /// <param name="requestId">The x-request-id; must be a version-4 UUID (Envoy reads the version nibble as the trace reason).</param>
    public static IReadOnlyList<PropagationHeader> For(IstioForm form, TraceIdentity id, Guid requestId)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (requestId.Version != 4) throw new ArgumentException("x-request-id must be a version-4 UUID.", nameof(requestId));
        var trace = id.TraceIdHex;
        var span = id.SpanIdHex;
        var headers = new List<PropagationHeader>(9)
        {
            new(RequestId, requestId.ToString("D"), PropagationFormat.EnvoyRequestId),
            new(ClientTraceId, trace, PropagationFormat.EnvoyRequestId),
            new(TraceParent, $"00-{trace}-{span}-01", PropagationFormat.W3CTraceContext),
            new(B3TraceId, trace, PropagationFormat.B3Multi),
            new(B3SpanId, span, PropagationFormat.B3Multi),
            new(B3Sampled, "1", PropagationFormat.B3Multi),
        };
        if (form is IstioForm.InstallValues or IstioForm.MeshConfigProxyTracing)
        {
            headers.Add(new(LightStepTraceId, id.TraceId.LowHex, PropagationFormat.LightStepTextMap));
            headers.Add(new(LightStepSpanId, span, PropagationFormat.LightStepTextMap));
            headers.Add(new(LightStepSampled, "true", PropagationFormat.LightStepTextMap));
        }
        return headers;
    }

    /// <summary>
    /// The trace id the gateway continues with for <paramref name="form"/>: the full 128-bit id for the OpenTelemetry
    /// tracer, the right-most 64 bits (high half zero) for Envoy's LightStep tracer. The console's root span must be
    /// reported with this id so that the gateway's span joins it.
    /// </summary>
    public static TraceId ContinuedTraceId(IstioForm form, TraceId id) =>
        form is IstioForm.InstallValues or IstioForm.MeshConfigProxyTracing ? new TraceId(0, id.Low) : id;
}
