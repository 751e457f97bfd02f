using System.Collections.Concurrent;
using System.Globalization;
using MeshConsole.Domain.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TrafficStandIns;

/// <summary>The tracer an Envoy gateway runs, which decides the trace context it reads.</summary>
public enum GatewayTracer
{
    /// <summary>Envoy's OpenTelemetry tracer (Istio 1.16+): traceparent only; an invalid one means no trace.</summary>
    OpenTelemetry,
    /// <summary>Envoy's native LightStep tracer (Istio before 1.16): x-ot-span-context, falling back to ot-tracer-*.</summary>
    LightStep,
}

/// <summary>What the gateway made of one request's trace context.</summary>
/// <param name="Arrival">1-based, in the order requests arrived.</param>
/// <param name="WouldContinue">A valid, sampled context in the tracer's format and an x-request-id Envoy traces (absent or a UUID).</param>
/// <param name="Reason">Why not, when it would not.</param>
/// <param name="ContextHeader">The header the context was read from (traceparent, x-ot-span-context or ot-tracer-traceid).</param>
public sealed record GatewayObservation(
    int Arrival,
    bool WouldContinue,
    string? Reason,
    TraceId? TraceId,
    SpanId? ParentId,
    string? RequestId,
    bool RequestIdIsUuid,
    IReadOnlyDictionary<string, string> Headers,
    string? ContextHeader = null);

/// <summary>
/// An Envoy ingress gateway plus Bookinfo's productpage, for tracing purposes only: GET /productpage reads the incoming
/// trace context the way the configured tracer would (research report sections 1 and 2), records whether it would
/// continue it, and answers with productpage HTML. It can be told to fail, to be slow, or to stop listening, and
/// (<see cref="ReportSpansTo"/>) to report its own server span to a collector, as the mesh's proxies do.
/// </summary>
public sealed class GatewayStandIn : IAsyncDisposable
{
    /// <summary>
    /// The markers of Bookinfo's productpage (istio/istio samples/bookinfo/src/productpage/templates/productpage.html):
    /// the title, the "BookInfo Sample" brand, the product title and the details and reviews sections.
    /// </summary>
    public const string ProductPageHtml =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Simple Bookstore App</title></head><body>" +
        "<nav><a href=\"#\">BookInfo Sample</a></nav><h1>The Comedy of Errors</h1>" +
        "<h4>Book Details</h4><h4>Book Reviews</h4></body></html>";

    private readonly ConcurrentQueue<GatewayObservation> observations = new();
    private WebApplication? app;
    private int arrivals;
    private CollectorStandIn? spanSink;

    private GatewayStandIn(GatewayTracer tracer) => Tracer = tracer;

    /// <summary>The service name of the gateway's own spans (see <see cref="ReportSpansTo"/>).</summary>
    public const string ServiceName = "istio-ingressgateway";

    public GatewayTracer Tracer { get; }
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request to /productpage in arrival order, with its headers and what the tracer made of them.</summary>
    public IReadOnlyCollection<GatewayObservation> Observations => observations;

    /// <summary>Requests to /productpage so far, whether or not they were recorded.</summary>
    public int Arrivals => Volatile.Read(ref arrivals);

    /// <summary>Whether <see cref="Observations"/> keeps each request; a benchmark turns it off to measure serving only.</summary>
    public bool RecordObservations { get; set; } = true;

    /// <summary>The status to answer for an arrival (1-based), or null for 200 with the page.</summary>
    public Func<int, int?> FailWith { get; set; } = _ => null;

    /// <summary>The HTML a successful answer carries; another application's page makes the gateway route elsewhere.</summary>
    public string PageHtml { get; set; } = ProductPageHtml;

    /// <summary>
    /// Request headers the modelled proxy does not see (as if an intermediary dropped them), e.g. x-ot-span-context to
    /// prove that ot-tracer-* alone continue the same trace.
    /// </summary>
    public IReadOnlySet<string> HiddenHeaders { get; set; } = new HashSet<string>();

    /// <summary>How long to wait before answering an arrival.</summary>
    public Func<int, TimeSpan> DelayFor { get; set; } = _ => TimeSpan.Zero;

    public static async Task<GatewayStandIn> StartAsync(GatewayTracer tracer = GatewayTracer.OpenTelemetry)
    {
        var gateway = new GatewayStandIn(tracer);
        (gateway.app, gateway.BaseUrl) = await LoopbackHost.StartAsync(app => app.MapGet("/productpage", (Func<HttpContext, Task<IResult>>)gateway.HandleAsync));
        return gateway;
    }

    /// <summary>
    /// From now on, every request whose trace context the tracer would continue adds a server span to
    /// <paramref name="collector"/> (child of the caller's span, same trace id, the collector's first token), the way the
    /// gateway's proxy reports its span to LightStep.
    /// </summary>
    public void ReportSpansTo(CollectorStandIn collector) => spanSink = collector;

    /// <summary>
    /// From now on, a request whose context the gateway continues also produces the spans Bookinfo's proxies would
    /// report (see <see cref="BookinfoMesh"/>), recorded into the collector given to <see cref="ReportSpansTo"/>.
    /// </summary>
    public BookinfoMesh? Bookinfo { get; set; }

    /// <summary>Stops listening: new connections to <see cref="BaseUrl"/> are refused.</summary>
    public async Task StopListeningAsync()
    {
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var arrival = Interlocked.Increment(ref arrivals);
        var started = DateTimeOffset.UtcNow;
        var observation = RecordObservations || spanSink is not null ? Observe(arrival, context.Request.Headers) : null;
        if (RecordObservations) observations.Enqueue(observation!);
        if (spanSink is { } sink && observation is { WouldContinue: true, TraceId: { } traceId })
        {
            var startMicros = TraceIdentity.ToUnixMicros(started);
            if (Bookinfo is { } mesh)
                mesh.Emit(sink, arrival, traceId, observation.ParentId!.Value, startMicros);
            else
                sink.Record(new ReceivedSpan(traceId, SpanId.NewRandom(), observation.ParentId, "GET /productpage", startMicros,
                    TraceIdentity.ToUnixMicros(DateTimeOffset.UtcNow), "server", ServiceName, "mesh", sink.AccessToken));
        }
        var delay = DelayFor(arrival);
        if (delay > TimeSpan.Zero)
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { return Results.Empty; }
        }
        return FailWith(arrival) is { } status
            ? Results.Text("upstream connect error or disconnect/reset before headers", "text/plain", statusCode: status)
            : Results.Content(PageHtml, "text/html; charset=utf-8");
    }

    private GatewayObservation Observe(int arrival, IHeaderDictionary incoming)
    {
        var headers = incoming.Where(h => !HiddenHeaders.Contains(h.Key.ToLowerInvariant()))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var requestId = headers.GetValueOrDefault(TraceContextHeaders.RequestId);
        // Envoy's UUID request-id extension: absent is fine (it makes one), anything that is not a UUID is untraceable.
        var requestIdIsUuid = requestId is not null && Guid.TryParseExact(requestId, "D", out _);
        var (traceId, parentId, sampled, reason) = Tracer == GatewayTracer.OpenTelemetry ? ReadTraceParent(headers) : ReadLightStep(headers);
        if (reason is null && !sampled) reason = "not sampled";
        if (reason is null && requestId is not null && !requestIdIsUuid) reason = "x-request-id is not a UUID";
        var contextHeader = Tracer == GatewayTracer.OpenTelemetry ? TraceContextHeaders.TraceParent
            : headers.ContainsKey(TraceContextHeaders.LightStepSpanContext) ? TraceContextHeaders.LightStepSpanContext
            : TraceContextHeaders.LightStepTraceId;
        return new GatewayObservation(arrival, reason is null, reason, traceId, parentId, requestId, requestIdIsUuid, headers,
            traceId is null ? null : contextHeader);
    }

    // envoy source/extensions/tracers/opentelemetry/span_context_extractor.cc: exactly 55 characters,
    // version-traceid(32 hex)-parentid(16 hex)-flags(2 hex), neither id all zero; sampled = flags & 1.
    private static (TraceId?, SpanId?, bool, string?) ReadTraceParent(Dictionary<string, string> headers)
    {
        if (!headers.TryGetValue(TraceContextHeaders.TraceParent, out var value)) return (null, null, false, "no traceparent");
        var parts = value.Split('-');
        if (value.Length != 55 || parts.Length != 4 || parts[0].Length != 2 || !IsHex(parts[0]) || !IsHex(parts[3]) || parts[3].Length != 2)
            return (null, null, false, "malformed traceparent");
        if (!TraceId.TryParse(parts[1], out var trace) || !SpanId.TryParse(parts[2], out var parent))
            return (null, null, false, "invalid ids in traceparent");
        var flags = byte.Parse(parts[3], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return (trace, parent, (flags & 1) == 1, null);
    }

    // Envoy's LightStep tracer in Istio's setup (default propagation mode ENVOY): lightstep-tracer-cpp tries
    // x-ot-span-context first (envoy_propagator.cpp: base64 of BinaryCarrier; empty or unparsable is corrupt and stops
    // extraction) and only when it is absent the ot-tracer-* text map (propagation_options.cpp, propagation.cpp).
    private static (TraceId?, SpanId?, bool, string?) ReadLightStep(Dictionary<string, string> headers) =>
        headers.TryGetValue(TraceContextHeaders.LightStepSpanContext, out var single) ? ReadBinaryCarrier(single) : ReadLightStepTextMap(headers);

    private static (TraceId?, SpanId?, bool, string?) ReadBinaryCarrier(string base64)
    {
        Lightstep.BinaryCarrier carrier;
        try
        {
            var bytes = Convert.FromBase64String(base64);
            if (bytes.Length == 0) return (null, null, false, "span_context_corrupted");
            carrier = Lightstep.BinaryCarrier.Parser.ParseFrom(bytes);
        }
        catch (Exception e) when (e is FormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return (null, null, false, "span_context_corrupted");
        }
        var basic = carrier.BasicCtx;
        if (basic is null || basic.TraceId == 0 || basic.SpanId == 0) return (null, null, false, "zero ids");
        return (new TraceId(0, basic.TraceId), new SpanId(basic.SpanId), basic.Sampled, null);
    }

    // lightstep-tracer-cpp lightstep_propagator.cpp / multiheader_propagator.cpp: ot-tracer-traceid and -spanid in hex,
    // both required; sampled is false only for "0" and "false". The trace id is at most 128 bits.
    private static (TraceId?, SpanId?, bool, string?) ReadLightStepTextMap(Dictionary<string, string> headers)
    {
        var hasTrace = headers.TryGetValue(TraceContextHeaders.LightStepTraceId, out var traceHex);
        var hasSpan = headers.TryGetValue(TraceContextHeaders.LightStepSpanId, out var spanHex);
        if (!hasTrace && !hasSpan) return (null, null, false, "no ot-tracer-* context");
        if (!hasTrace || !hasSpan) return (null, null, false, "span_context_corrupted");
        if (traceHex!.Length is 0 or > 32 || !IsHex(traceHex) || spanHex!.Length is 0 or > 16 || !IsHex(spanHex))
            return (null, null, false, "span_context_corrupted");
        var padded = traceHex.PadLeft(32, '0');
        if (!TraceId.TryParse(padded, out var trace) || !SpanId.TryParse(spanHex.PadLeft(16, '0'), out var parent))
            return (null, null, false, "zero ids");
        var sampledText = headers.GetValueOrDefault(TraceContextHeaders.LightStepSampled);
        return (trace, parent, sampledText is not ("0" or "false"), null);
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);

    public async ValueTask DisposeAsync() => await StopListeningAsync();
}
