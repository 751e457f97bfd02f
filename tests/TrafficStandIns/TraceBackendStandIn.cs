using System.Buffers.Binary;
using System.Text.Json;
using MeshConsole.Domain.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TrafficStandIns;

/// <summary>
/// A trace backend's query API on loopback, answering from what a <see cref="CollectorStandIn"/> received:
/// <list type="bullet">
/// <item>Jaeger: <c>GET /api/traces/{traceID}</c> → <c>{"data":[{"traceID","spans":[…],"processes":{…}}]}</c>
/// (jaegertracing/jaeger model/json/model.go), 404 with <c>{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}</c>.
/// Jaeger writes a 64-bit trace id as 16 hex digits.</item>
/// <item>Tempo: <c>GET /api/traces/{traceID}</c> → <c>{"batches":[{"resource":{"attributes":[…]},"scopeSpans":[{"spans":[…]}]}]}</c>
/// with ids base64 and times as strings of nanoseconds (grafana/tempo#3802, #5437), 404 "trace not found".</item>
/// </list>
/// With <see cref="ApiKey"/> set, requests without <c>Authorization: Bearer {key}</c> get 401.
/// </summary>
public sealed class TraceBackendStandIn : IAsyncDisposable
{
    private readonly CollectorStandIn collector;
    private WebApplication? app;
    private int requests;

    private TraceBackendStandIn(CollectorStandIn collector, TraceQueryApi api, string? apiKey)
    {
        this.collector = collector;
        Api = api;
        ApiKey = apiKey;
    }

    public TraceQueryApi Api { get; }
    public string? ApiKey { get; }
    public Uri BaseUrl { get; private set; } = null!;
    public int Requests => Volatile.Read(ref requests);

    public static async Task<TraceBackendStandIn> StartAsync(CollectorStandIn collector, TraceQueryApi api, string? apiKey = null)
    {
        if (api == TraceQueryApi.LightStepPublicApi) throw new ArgumentException("LightStep's API is LightStepApiStandIn.", nameof(api));
        var backend = new TraceBackendStandIn(collector, api, apiKey);
        (backend.app, backend.BaseUrl) = await LoopbackHost.StartAsync(a => a.MapGet("/api/traces/{traceId}", (Func<HttpContext, string, Task>)backend.AnswerAsync));
        return backend;
    }

    private async Task AnswerAsync(HttpContext context, string traceId)
    {
        Interlocked.Increment(ref requests);
        var response = context.Response;
        // The scheme is case-insensitive (RFC 9110 §11.1), the credentials are not.
        var authorization = context.Request.Headers.Authorization.ToString();
        if (ApiKey is not null && !(authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..] == ApiKey))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var padded = traceId.ToLowerInvariant().PadLeft(32, '0');
        var spans = TraceId.TryParse(padded, out var id)
            ? collector.Spans.Values.Where(s => s.TraceId == id).OrderBy(s => s.StartMicros).ToList()
            : [];
        response.ContentType = "application/json";
        if (spans.Count == 0)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            await response.WriteAsync(Api == TraceQueryApi.JaegerQuery
                ? """{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}"""
                : "trace not found");
            return;
        }
        await using var json = new Utf8JsonWriter(response.Body);
        if (Api == TraceQueryApi.JaegerQuery) WriteJaeger(json, id, spans);
        else WriteTempo(json, spans);
        await json.FlushAsync();
    }

    private static string JaegerId(TraceId id) => id.High == 0 ? id.LowHex : id.ToString();

    private static void WriteJaeger(Utf8JsonWriter json, TraceId traceId, IReadOnlyList<ReceivedSpan> spans)
    {
        var processes = spans.Select(s => (s.ServiceName ?? "", s.NodeId)).Distinct().Select((p, i) => (Key: $"p{i + 1}", p.Item1, p.NodeId)).ToList();
        json.WriteStartObject();
        json.WriteStartArray("data");
        json.WriteStartObject();
        json.WriteString("traceID", JaegerId(traceId));
        json.WriteStartArray("spans");
        foreach (var span in spans)
        {
            json.WriteStartObject();
            json.WriteString("traceID", JaegerId(span.TraceId));
            json.WriteString("spanID", span.SpanId.ToString());
            json.WriteString("operationName", span.Name);
            json.WriteStartArray("references");
            if (span.ParentSpanId is { } parent)
            {
                json.WriteStartObject();
                json.WriteString("refType", "CHILD_OF");
                json.WriteString("traceID", JaegerId(span.TraceId));
                json.WriteString("spanID", parent.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("startTime", span.StartMicros);
            json.WriteNumber("duration", span.EndMicros - span.StartMicros);
            json.WriteStartArray("tags");
            WriteTag(json, "span.kind", span.Kind.ToLowerInvariant());
            if (span.NodeId is { } node) WriteTag(json, "node_id", node);
            if (span.IsError)
            {
                json.WriteStartObject();
                json.WriteString("key", "error");
                json.WriteString("type", "bool");
                json.WriteBoolean("value", true);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("processID", processes.First(p => p.Item2 == (span.ServiceName ?? "") && p.NodeId == span.NodeId).Key);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("processes");
        foreach (var (key, service, _) in processes)
        {
            json.WriteStartObject(key);
            json.WriteString("serviceName", service);
            json.WriteStartArray("tags");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTag(Utf8JsonWriter json, string key, string value)
    {
        json.WriteStartObject();
        json.WriteString("key", key);
        json.WriteString("type", "string");
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static void WriteTempo(Utf8JsonWriter json, IReadOnlyList<ReceivedSpan> spans)
    {
        json.WriteStartObject();
        json.WriteStartArray("batches");
        foreach (var group in spans.GroupBy(s => s.ServiceName ?? ""))
        {
            json.WriteStartObject();
            json.WriteStartObject("resource");
            json.WriteStartArray("attributes");
            json.WriteStartObject();
            json.WriteString("key", "service.name");
            json.WriteStartObject("value");
            json.WriteString("stringValue", group.Key);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("scopeSpans");
            json.WriteStartObject();
            json.WriteStartArray("spans");
            foreach (var span in group)
            {
                json.WriteStartObject();
                json.WriteString("traceId", Convert.ToBase64String(TraceBytes(span.TraceId)));
                json.WriteString("spanId", Convert.ToBase64String(SpanBytes(span.SpanId)));
                if (span.ParentSpanId is { } parent) json.WriteString("parentSpanId", Convert.ToBase64String(SpanBytes(parent)));
                json.WriteString("name", span.Name);
                json.WriteString("kind", span.Kind.Equals("client", StringComparison.OrdinalIgnoreCase) ? "SPAN_KIND_CLIENT" : "SPAN_KIND_SERVER");
                json.WriteString("startTimeUnixNano", (span.StartMicros * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("endTimeUnixNano", (span.EndMicros * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteStartArray("attributes");
                if (span.NodeId is { } node)
                {
                    json.WriteStartObject();
                    json.WriteString("key", "node_id");
                    json.WriteStartObject("value");
                    json.WriteString("stringValue", node);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartObject("status");
                if (span.IsError) json.WriteString("code", "STATUS_CODE_ERROR");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static byte[] TraceBytes(TraceId id)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, id.High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), id.Low);
        return bytes;
    }

    private static byte[] SpanBytes(SpanId id)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, id.Value);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }
}
