using System.Globalization;
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
    /// <summary>
    /// Envoy's single header x-ot-span-context: base64 of LightStep's BinaryCarrier, as lightstep-tracer-cpp's "envoy"
    /// propagator reads it.
    /// </summary>
    LightStepSingleHeader,
}

/// <summary>Receives one request's trace headers from <see cref="TraceContextHeaders.Write"/>.</summary>
public interface IPropagationHeaderSink
{
    /// <param name="value">Formatted in a buffer that is reused once the call returns: copy it to keep it.</param>
    void Add(string name, scoped ReadOnlySpan<char> value, PropagationFormat format);

    /// <summary>A header whose value is the same on every request ("1", "true").</summary>
    void AddConstant(string name, string value, PropagationFormat format);
}

/// <summary>
/// The headers that make the console's client span the parent of the ingress gateway's span, per Istio form.
/// Sources (research report /tmp/research/traffic-and-links.md, sections 1 and 2, and the files it cites):
/// <list type="bullet">
/// <item>CONFIRMED — Istio 1.16+ (both extension-provider forms) runs Envoy's OpenTelemetry tracer, whose extractor reads
/// only <c>traceparent</c> (envoy source/extensions/tracers/opentelemetry/span_context_extractor.cc; istio/istio#40032).
/// An invalid traceparent means no trace at all, so it is always well-formed here.</item>
/// <item>CONFIRMED — Istio before 1.16 runs Envoy's LightStep tracer without <c>propagation_modes</c>: neither the bootstrap
/// template (tools/packaging/common/envoy_bootstrap.json at 1.9.0 and 1.15.0: collector_cluster and access_token_file
/// only) nor the extension provider (pilot/pkg/networking/core/v1alpha3/tracing.go at 1.15.0: CollectorCluster and
/// AccessTokenFile) sets it. Envoy then uses its default, ENVOY, "the single header x-ot-span-context" (envoy
/// api/envoy/config/trace/v3/lightstep.proto; source/extensions/tracers/lightstep/lightstep_tracer_impl.cc
/// MakePropagationModes; older Envoys set use_single_key_propagation, the same thing). The driver extracts through the
/// tracer (config.cc passes OpenTracingDriver::PropagationMode::TracerNative to opentracing_driver_impl.cc), and
/// lightstep-tracer-cpp tries x-ot-span-context first, then falls back to the "lightstep" text map ot-tracer-* when
/// that header is absent (src/tracer/propagation/propagation_options.cpp SetInjectExtractPropagationModes; v0.8.0
/// src/propagation.cpp: "fall back to multikey extraction"). A present but corrupt x-ot-span-context stops extraction
/// (propagation.cpp: "One of the injected span contexts is corrupt"), so it must be exact: base64 of BinaryCarrier
/// { basic_ctx = BasicTracerCarrier { trace_id, span_id, sampled } } (lightstep-tracer-cpp envoy_propagator.cpp,
/// binary_propagation.cpp; lightstep-tracer-common/lightstep_carrier.proto). ot-tracer-* carry the same ids, so the
/// request continues the same trace whichever the proxy reads. The ids are 64-bit there (trace_id is fixed64), so
/// the trace id sent is the right-most 64 bits.</item>
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
    public const string LightStepSpanContext = "x-ot-span-context";

    /// <summary>The headers for one request, with a fresh random UUID v4 as x-request-id.</summary>
    public static IReadOnlyList<PropagationHeader> For(IstioForm form, TraceIdentity id) => For(form, id, Guid.NewGuid());

    /// <param name="requestId">The x-request-id; must be a version-4 UUID (Envoy reads the version nibble as the trace reason).</param>
    public static IReadOnlyList<PropagationHeader> For(IstioForm form, TraceIdentity id, Guid requestId)
    {
        ArgumentNullException.ThrowIfNull(id);
        var headers = new HeaderList(new List<PropagationHeader>(10));
        Write(form, id.TraceId, id.SpanId, requestId, ref headers);
        return headers.Headers;
    }

    /// <summary>
    /// The same headers as <see cref="For(IstioForm, TraceIdentity, Guid)"/>, in the same order, handed to
    /// <paramref name="sink"/> one by one with their values formatted in a stack buffer: a traffic run writes them for
    /// every request, and nothing here allocates.
    /// </summary>
    /// <param name="requestId">The x-request-id; must be a version-4 UUID (Envoy reads the version nibble as the trace reason).</param>
    public static void Write<TSink>(IstioForm form, TraceId traceId, SpanId spanId, Guid requestId, ref TSink sink)
        where TSink : IPropagationHeaderSink, allows ref struct
    {
        if (!traceId.IsValid) throw new ArgumentException("A trace id is 32 hex digits, not all zero.", nameof(traceId));
        if (!spanId.IsValid) throw new ArgumentException("A span id is 16 hex digits, not all zero.", nameof(spanId));
        if (requestId.Version != 4) throw new ArgumentException("x-request-id must be a version-4 UUID.", nameof(requestId));

        // traceparent = "00-" trace "-" span "-01" (55 characters); the trace and span ids are written once, into it,
        // and the other headers are slices of it.
        Span<char> traceParent = stackalloc char[55];
        "00-".CopyTo(traceParent);
        traceId.High.TryFormat(traceParent.Slice(3, 16), out _, "x16", CultureInfo.InvariantCulture);
        traceId.Low.TryFormat(traceParent.Slice(19, 16), out _, "x16", CultureInfo.InvariantCulture);
        traceParent[35] = '-';
        spanId.Value.TryFormat(traceParent.Slice(36, 16), out _, "x16", CultureInfo.InvariantCulture);
        "-01".CopyTo(traceParent[52..]);
        ReadOnlySpan<char> trace = traceParent.Slice(3, 32);
        ReadOnlySpan<char> span = traceParent.Slice(36, 16);

        Span<char> uuid = stackalloc char[36];
        requestId.TryFormat(uuid, out _, "D");

        sink.Add(RequestId, uuid, PropagationFormat.EnvoyRequestId);
        sink.Add(ClientTraceId, trace, PropagationFormat.EnvoyRequestId);
        sink.Add(TraceParent, traceParent, PropagationFormat.W3CTraceContext);
        sink.Add(B3TraceId, trace, PropagationFormat.B3Multi);
        sink.Add(B3SpanId, span, PropagationFormat.B3Multi);
        sink.AddConstant(B3Sampled, "1", PropagationFormat.B3Multi);
        if (form is IstioForm.InstallValues or IstioForm.MeshConfigProxyTracing)
        {
            Span<byte> carrier = stackalloc byte[LightStepBinaryCarrier.MaxLength];
            var carrierLength = LightStepBinaryCarrier.Write(traceId.Low, spanId.Value, sampled: true, carrier);
            Span<char> base64 = stackalloc char[LightStepBinaryCarrier.MaxBase64Length];
            Convert.TryToBase64Chars(carrier[..carrierLength], base64, out var base64Length);
            sink.Add(LightStepSpanContext, base64[..base64Length], PropagationFormat.LightStepSingleHeader);
            sink.Add(LightStepTraceId, trace[16..], PropagationFormat.LightStepTextMap);
            sink.Add(LightStepSpanId, span, PropagationFormat.LightStepTextMap);
            sink.AddConstant(LightStepSampled, "true", PropagationFormat.LightStepTextMap);
        }
    }

    private readonly struct HeaderList(List<PropagationHeader> headers) : IPropagationHeaderSink
    {
        public List<PropagationHeader> Headers => headers;
        public void Add(string name, scoped ReadOnlySpan<char> value, PropagationFormat format) => headers.Add(new(name, value.ToString(), format));
        public void AddConstant(string name, string value, PropagationFormat format) => headers.Add(new(name, value, format));
    }

    /// <summary>
    /// The trace id the gateway continues with for <paramref name="form"/>: the full 128-bit id for the OpenTelemetry
    /// tracer, the right-most 64 bits (high half zero) for Envoy's LightStep tracer. The console's root span must be
    /// reported with this id so that the gateway's span joins it.
    /// </summary>
    public static TraceId ContinuedTraceId(IstioForm form, TraceId id) =>
        form is IstioForm.InstallValues or IstioForm.MeshConfigProxyTracing ? new TraceId(0, id.Low) : id;
}
