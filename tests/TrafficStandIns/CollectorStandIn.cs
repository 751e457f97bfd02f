using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using LightStep.Collector;
using MeshConsole.Domain.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Opentelemetry.Proto.Collector.Trace.V1;
using OtlpTraceService = Opentelemetry.Proto.Collector.Trace.V1.TraceService;

namespace TrafficStandIns;

/// <summary>One span as the collector decoded it, with the access token its export call carried.</summary>
/// <param name="TraceId">For the LightStep collector protocol (64-bit ids) the high half is zero.</param>
/// <param name="Protocol">"otlp-http", "otlp-grpc", "lightstep-collector", or "mesh" for spans a stand-in recorded directly.</param>
/// <param name="NodeId">Envoy's node id tag for spans a proxy reported (Istio: {sidecar|router}~{ip}~{pod}.{ns}~{ns}.svc.cluster.local).</param>
public sealed record ReceivedSpan(
    TraceId TraceId,
    SpanId SpanId,
    SpanId? ParentSpanId,
    string Name,
    long StartMicros,
    long EndMicros,
    string Kind,
    string? ServiceName,
    string Protocol,
    string AccessToken,
    string? NodeId = null,
    bool IsError = false);

/// <summary>
/// A LightStep satellite on loopback, checking the access token on every protocol it speaks:
/// <list type="bullet">
/// <item>OTLP/HTTP: POST /traces/otlp/v0.9 (LightStep's path) and /v1/traces with a protobuf ExportTraceServiceRequest;
/// a missing or unknown <c>lightstep-access-token</c> gets 401 with a google.rpc.Status-shaped JSON body.</item>
/// <item>OTLP/gRPC and LightStep's collector protocol (lightstep.collector.CollectorService/Report) on a cleartext
/// HTTP/2 listener; an unknown token gets UNAUTHENTICATED.</item>
/// </list>
/// It accepts several tokens (one per LightStep project, or per user of a shared console) and keeps, per span, the
/// token it came with. Messages are the official opentelemetry-proto ones and the console's collector.proto.
/// </summary>
public sealed class CollectorStandIn : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(TraceId, SpanId), ReceivedSpan> spans = new();
    private readonly ConcurrentQueue<ReceivedSpan> received = new();
    private readonly HashSet<string> accessTokens;
    private WebApplication? app;
    private int calls;
    private int spanCount;
    private int accepted;
    private int refused;

    private CollectorStandIn(IReadOnlyList<string> accessTokens)
    {
        if (accessTokens.Count == 0 || accessTokens.Any(string.IsNullOrEmpty))
            throw new ArgumentException("The collector needs at least one non-empty access token.", nameof(accessTokens));
        AccessTokens = accessTokens;
        this.accessTokens = new HashSet<string>(accessTokens, StringComparer.Ordinal);
    }

    /// <summary>The tokens the collector accepts; the first is <see cref="AccessToken"/>.</summary>
    public IReadOnlyList<string> AccessTokens { get; }
    public string AccessToken => AccessTokens[0];

    /// <summary>The header OTLP exports carry the token in: LightStep's, or another backend's (x-honeycomb-team).</summary>
    public string TokenHeader { get; set; } = "lightstep-access-token";

    /// <summary>The HTTP/1.1 listener (OTLP/HTTP).</summary>
    public Uri BaseUrl { get; private set; } = null!;
    /// <summary>The cleartext HTTP/2 listener for both gRPC protocols.</summary>
    public Uri GrpcUrl { get; private set; } = null!;
    public Uri OtlpHttpEndpoint => new(BaseUrl, "/traces/otlp/v0.9");
    /// <summary>The TLS listener (https://localhost:port, all protocols), when the collector was started with a certificate.</summary>
    public Uri? TlsUrl { get; private set; }

    /// <summary>The last copy of every span received, by (trace id, span id).</summary>
    public IReadOnlyDictionary<(TraceId, SpanId), ReceivedSpan> Spans => spans;

    /// <summary>Every span in the order received, duplicates included (a span exported twice is here twice).</summary>
    public IReadOnlyCollection<ReceivedSpan> Received => received;

    /// <summary>Whether each span is kept (<see cref="Spans"/>, <see cref="Received"/>); a benchmark turns it off so the
    /// stand-in's own memory is not counted as the console's. <see cref="SpanCount"/> counts either way.</summary>
    public bool RecordSpans { get; set; } = true;

    /// <summary>Spans received so far, duplicates included, whether or not they were kept.</summary>
    public int SpanCount => Volatile.Read(ref spanCount);

    /// <summary>Export calls that carried an accepted token and were answered with success.</summary>
    public int AcceptedCalls => Volatile.Read(ref accepted);
    /// <summary>Export calls refused for their token.</summary>
    public int RefusedCalls => Volatile.Read(ref refused);

    /// <summary>The HTTP status to answer export call N (1-based, all protocols) with, or null to accept it. gRPC
    /// calls get the matching status code (401 UNAUTHENTICATED, 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, else INTERNAL).</summary>
    public Func<int, int?> FailWith { get; set; } = _ => null;

    /// <summary>How long to wait before answering export call N (1-based).</summary>
    public Func<int, TimeSpan> DelayFor { get; set; } = _ => TimeSpan.Zero;

    /// <summary>Starts the collector on free loopback ports, accepting <paramref name="accessTokens"/>.</summary>
    public static Task<CollectorStandIn> StartAsync(params IReadOnlyList<string> accessTokens) => StartAsync(null, accessTokens);

    /// <summary>Like <see cref="StartAsync(IReadOnlyList{string})"/>, plus a TLS listener (<see cref="TlsUrl"/>) serving
    /// <paramref name="tlsCertificate"/> (with its private key) for every protocol.</summary>
    public static async Task<CollectorStandIn> StartAsync(X509Certificate2? tlsCertificate, params IReadOnlyList<string> accessTokens)
    {
        var collector = new CollectorStandIn(accessTokens);
        var (app, urls) = await LoopbackHost.StartAsync(
            services =>
            {
                services.AddGrpc();
                services.AddSingleton(new OtlpGrpcService(collector));
                services.AddSingleton(new LightStepGrpcService(collector));
            },
            app =>
            {
                app.MapPost("/traces/otlp/v0.9", collector.ExportHttpAsync);
                app.MapPost("/v1/traces", collector.ExportHttpAsync);
                app.MapGrpcService<OtlpGrpcService>();
                app.MapGrpcService<LightStepGrpcService>();
            },
            [(HttpProtocols.Http1, null), (HttpProtocols.Http2, null), .. tlsCertificate is null ? [] : new[] { (HttpProtocols.Http1AndHttp2, tlsCertificate) }]);
        collector.app = app;
        collector.BaseUrl = urls[0];
        collector.GrpcUrl = urls[1];
        collector.TlsUrl = tlsCertificate is null ? null : new UriBuilder(urls[2]) { Host = "localhost" }.Uri;
        return collector;
    }

    /// <summary>Records a span as if another reporter (the mesh's proxies) had exported it with <paramref name="span"/>'s token.</summary>
    public void Record(ReceivedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        Interlocked.Increment(ref spanCount);
        if (!RecordSpans) return;
        spans[(span.TraceId, span.SpanId)] = span;
        received.Enqueue(span);
    }

    /// <summary>
    /// The spans LightStep would show as one trace with <paramref name="spanId"/>: every span whose trace id has the same
    /// right-most 64 bits (LightStep keeps 64-bit trace ids), or none when the span was never received.
    /// </summary>
    public IReadOnlyList<ReceivedSpan> TraceOf(SpanId spanId)
    {
        var found = spans.Values.FirstOrDefault(s => s.SpanId == spanId);
        if (found is null) return [];
        var low = found.TraceId.Low;
        return spans.Values.Where(s => s.TraceId.Low == low).OrderBy(s => s.StartMicros).ToList();
    }

    /// <summary>Stops listening: new connections are refused.</summary>
    public async Task StopListeningAsync()
    {
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    /// <summary>Counts the call, waits as told, then gives the status to fail it with (null: go on).</summary>
    private async Task<int?> BeginCallAsync(CancellationToken aborted)
    {
        var call = Interlocked.Increment(ref calls);
        var delay = DelayFor(call);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, aborted);
        return FailWith(call);
    }

    private bool Allows(string? token)
    {
        if (token is not null && accessTokens.Contains(token)) return true;
        Interlocked.Increment(ref refused);
        return false;
    }

    private async Task ExportHttpAsync(HttpContext context)
    {
        var token = context.Request.Headers[TokenHeader].ToString();
        if (await BeginCallAsync(context.RequestAborted) is { } status)
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status429TooManyRequests) context.Response.Headers.RetryAfter = "1";
            return;
        }
        if (!Allows(token))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"code\":16,\"message\":\"invalid access token\",\"details\":[]}");
            return;
        }
        if (!(context.Request.ContentType ?? "").StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Record(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()), "otlp-http", token);
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray());
    }

    private void Record(ExportTraceServiceRequest request, string protocol, string token)
    {
        if (!RecordSpans)
        {
            Interlocked.Add(ref spanCount, request.ResourceSpans.SelectMany(r => r.ScopeSpans).Sum(s => s.Spans.Count));
            Interlocked.Increment(ref accepted);
            return;
        }
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = resourceSpans.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue;
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            foreach (var span in scopeSpans.Spans)
            {
                var traceId = TraceId.Parse(Convert.ToHexStringLower(span.TraceId.Span));
                var spanId = SpanId.Parse(Convert.ToHexStringLower(span.SpanId.Span));
                SpanId? parent = span.ParentSpanId.IsEmpty ? null : SpanId.Parse(Convert.ToHexStringLower(span.ParentSpanId.Span));
                Record(new ReceivedSpan(traceId, spanId, parent, span.Name, (long)(span.StartTimeUnixNano / 1000),
                    (long)(span.EndTimeUnixNano / 1000), span.Kind.ToString(), service, protocol, token));
            }
        }
        Interlocked.Increment(ref accepted);
    }

    private void Record(ReportRequest request, string token)
    {
        if (!RecordSpans)
        {
            Interlocked.Add(ref spanCount, request.Spans.Count);
            Interlocked.Increment(ref accepted);
            return;
        }
        var service = request.Reporter?.Tags.FirstOrDefault(t => t.Key == "lightstep.component_name")?.StringValue;
        foreach (var span in request.Spans)
        {
            var traceId = new TraceId(0, span.SpanContext.TraceId);
            var spanId = new SpanId(span.SpanContext.SpanId);
            SpanId? parent = span.References.FirstOrDefault(r => r.Relationship == Reference.Types.Relationship.ChildOf) is { } childOf
                ? new SpanId(childOf.SpanContext.SpanId) : null;
            var kind = span.Tags.FirstOrDefault(t => t.Key == "span.kind")?.StringValue ?? "";
            var startMicros = (span.StartTimestamp.Seconds * 1_000_000) + (span.StartTimestamp.Nanos / 1000);
            Record(new ReceivedSpan(traceId, spanId, parent, span.OperationName, startMicros, startMicros + (long)span.DurationMicros,
                kind, service, "lightstep-collector", token));
        }
        Interlocked.Increment(ref accepted);
    }

    private static StatusCode GrpcStatusFor(int httpStatus) => httpStatus switch
    {
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        429 => StatusCode.ResourceExhausted,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    public async ValueTask DisposeAsync() => await StopListeningAsync();

    private sealed class OtlpGrpcService(CollectorStandIn collector) : OtlpTraceService.TraceServiceBase
    {
        public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            if (await collector.BeginCallAsync(context.CancellationToken) is { } status)
                throw new RpcException(new Status(GrpcStatusFor(status), $"injected failure (HTTP {status})"));
            var token = context.RequestHeaders.GetValue(collector.TokenHeader);
            if (!collector.Allows(token))
                throw new RpcException(new Status(StatusCode.Unauthenticated, "invalid access token"));
            collector.Record(request, "otlp-grpc", token!);
            return new ExportTraceServiceResponse();
        }
    }

    private sealed class LightStepGrpcService(CollectorStandIn collector) : CollectorService.CollectorServiceBase
    {
        public override async Task<ReportResponse> Report(ReportRequest request, ServerCallContext context)
        {
            if (await collector.BeginCallAsync(context.CancellationToken) is { } status)
                throw new RpcException(new Status(GrpcStatusFor(status), $"injected failure (HTTP {status})"));
            var token = request.Auth?.AccessToken;
            if (string.IsNullOrEmpty(token)) token = context.RequestHeaders.GetValue("lightstep-access-token");
            if (!collector.Allows(token))
                throw new RpcException(new Status(StatusCode.Unauthenticated, "invalid access token"));
            collector.Record(request, token!);
            return new ReportResponse();
        }
    }
}
