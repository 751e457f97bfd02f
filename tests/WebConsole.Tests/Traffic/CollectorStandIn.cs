using System.Collections.Concurrent;
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

namespace WebConsole.Tests.Traffic;

/// <summary>One span as the collector decoded it.</summary>
/// <param name="TraceId">For the LightStep collector protocol (64-bit ids) the high half is zero.</param>
public sealed record ReceivedSpan(TraceId TraceId, SpanId SpanId, SpanId? ParentSpanId, string Name, long StartMicros, string Kind, string? ServiceName, string Protocol);

/// <summary>
/// A LightStep satellite on loopback, checking the access token on every protocol it speaks:
/// <list type="bullet">
/// <item>OTLP/HTTP: POST /traces/otlp/v0.9 (LightStep's path) and /v1/traces with a protobuf ExportTraceServiceRequest;
/// a missing or wrong <c>lightstep-access-token</c> gets 401 with a google.rpc.Status-shaped JSON body.</item>
/// <item>OTLP/gRPC and LightStep's collector protocol (lightstep.collector.CollectorService/Report) on a cleartext
/// HTTP/2 listener; a wrong token gets UNAUTHENTICATED.</item>
/// </list>
/// Messages are the official opentelemetry-proto ones and the console's collector.proto, compiled by Grpc.Tools.
/// </summary>
public sealed class CollectorStandIn : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(TraceId, SpanId), ReceivedSpan> spans = new();
    private WebApplication app = null!;
    private int accepted;
    private int refused;

    private CollectorStandIn(string accessToken) => AccessToken = accessToken;

    public string AccessToken { get; }
    public Uri BaseUrl { get; private set; } = null!;
    /// <summary>The cleartext HTTP/2 listener for both gRPC protocols.</summary>
    public Uri GrpcUrl { get; private set; } = null!;
    public Uri OtlpHttpEndpoint => new(BaseUrl, "/traces/otlp/v0.9");
    public IReadOnlyDictionary<(TraceId, SpanId), ReceivedSpan> Spans => spans;
    public int AcceptedCalls => Volatile.Read(ref accepted);
    public int RefusedCalls => Volatile.Read(ref refused);

    public static async Task<CollectorStandIn> StartAsync(string accessToken)
    {
        var collector = new CollectorStandIn(accessToken);
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
            HttpProtocols.Http1, HttpProtocols.Http2);
        collector.app = app;
        collector.BaseUrl = urls[0];
        collector.GrpcUrl = urls[1];
        return collector;
    }

    private bool Allows(string? token)
    {
        if (token == AccessToken) return true;
        Interlocked.Increment(ref refused);
        return false;
    }

    private async Task ExportHttpAsync(HttpContext context)
    {
        if (!Allows(context.Request.Headers["lightstep-access-token"].ToString()))
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
        Record(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()), "otlp-http");
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray());
    }

    private void Record(ExportTraceServiceRequest request, string protocol)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = resourceSpans.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue;
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            foreach (var span in scopeSpans.Spans)
            {
                var traceId = TraceId.Parse(Convert.ToHexStringLower(span.TraceId.Span));
                var spanId = SpanId.Parse(Convert.ToHexStringLower(span.SpanId.Span));
                SpanId? parent = span.ParentSpanId.IsEmpty ? null : SpanId.Parse(Convert.ToHexStringLower(span.ParentSpanId.Span));
                spans[(traceId, spanId)] = new ReceivedSpan(traceId, spanId, parent, span.Name,
                    (long)(span.StartTimeUnixNano / 1000), span.Kind.ToString(), service, protocol);
            }
        }
        Interlocked.Increment(ref accepted);
    }

    private void Record(ReportRequest request)
    {
        var service = request.Reporter?.Tags.FirstOrDefault(t => t.Key == "lightstep.component_name")?.StringValue;
        foreach (var span in request.Spans)
        {
            var traceId = new TraceId(0, span.SpanContext.TraceId);
            var spanId = new SpanId(span.SpanContext.SpanId);
            SpanId? parent = span.References.FirstOrDefault(r => r.Relationship == Reference.Types.Relationship.ChildOf) is { } childOf
                ? new SpanId(childOf.SpanContext.SpanId) : null;
            var kind = span.Tags.FirstOrDefault(t => t.Key == "span.kind")?.StringValue ?? "";
            var startMicros = (span.StartTimestamp.Seconds * 1_000_000) + (span.StartTimestamp.Nanos / 1000);
            spans[(traceId, spanId)] = new ReceivedSpan(traceId, spanId, parent, span.OperationName, startMicros, kind, service, "lightstep-collector");
        }
        Interlocked.Increment(ref accepted);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class OtlpGrpcService(CollectorStandIn collector) : OtlpTraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            if (!collector.Allows(context.RequestHeaders.GetValue("lightstep-access-token")))
                throw new RpcException(new Status(StatusCode.Unauthenticated, "invalid access token"));
            collector.Record(request, "otlp-grpc");
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class LightStepGrpcService(CollectorStandIn collector) : CollectorService.CollectorServiceBase
    {
        public override Task<ReportResponse> Report(ReportRequest request, ServerCallContext context)
        {
            var token = request.Auth?.AccessToken;
            if (string.IsNullOrEmpty(token)) token = context.RequestHeaders.GetValue("lightstep-access-token");
            if (!collector.Allows(token))
                throw new RpcException(new Status(StatusCode.Unauthenticated, "invalid access token"));
            collector.Record(request);
            return Task.FromResult(new ReportResponse());
        }
    }
}
