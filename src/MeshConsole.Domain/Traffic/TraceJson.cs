using System.Globalization;
using System.Text.Json;

namespace MeshConsole.Domain.Traffic;

/// <summary>Thrown when a backend's 200 answer is not the document its API describes.</summary>
public sealed class TraceFormatException(string message) : FormatException(message);

/// <summary>
/// Reads the trace documents of the backends the console asks (pure: JSON in, spans out). Every reader tolerates
/// fields it does not know and refuses a document without the structure it needs.
/// </summary>
public static class TraceJson
{
    /// <summary>
    /// Jaeger's query API, <c>GET /api/traces/{traceID}</c>: <c>{"data":[{"traceID","spans":[{"traceID","spanID",
    /// "operationName","references":[{"refType":"CHILD_OF","spanID"}],"startTime" (µs),"duration" (µs),"tags":[{"key",
    /// "type","value"}],"processID"}],"processes":{"p1":{"serviceName","tags"}}}]}</c> (jaegertracing/jaeger
    /// model/json/model.go; the UI's types in jaeger-ui packages/jaeger-ui/src/types/trace.tsx). Ids are lowercase hex,
    /// a 64-bit trace id as 16 digits. Errors are marked by the tag <c>error=true</c> (OpenTracing semantic conventions,
    /// which Envoy follows).
    /// </summary>
    public static FetchedTrace ParseJaeger(string json)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw new TraceFormatException("Jaeger: no data array.");
        var spans = new List<TraceSpan>();
        foreach (var trace in data.EnumerateArray())
        {
            var processes = new Dictionary<string, (string Service, Dictionary<string, string> Tags)>(StringComparer.Ordinal);
            if (trace.TryGetProperty("processes", out var procs) && procs.ValueKind == JsonValueKind.Object)
                foreach (var p in procs.EnumerateObject())
                    processes[p.Name] = (String(p.Value, "serviceName") ?? "", JaegerTags(p.Value));
            if (!trace.TryGetProperty("spans", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new TraceFormatException("Jaeger: a trace without spans.");
            foreach (var span in list.EnumerateArray())
            {
                var traceId = HexTraceId(String(span, "traceID")) ?? throw new TraceFormatException("Jaeger: bad traceID.");
                var spanId = HexSpanId(String(span, "spanID")) ?? throw new TraceFormatException("Jaeger: bad spanID.");
                SpanId? parent = null;
                if (span.TryGetProperty("references", out var refs) && refs.ValueKind == JsonValueKind.Array)
                    foreach (var r in refs.EnumerateArray())
                        if (String(r, "refType") == "CHILD_OF" && HexSpanId(String(r, "spanID")) is { } p) { parent = p; break; }
                var tags = JaegerTags(span);
                var process = processes.GetValueOrDefault(String(span, "processID") ?? "");
                var allTags = new Dictionary<string, string>(process.Tags ?? [], StringComparer.Ordinal);
                foreach (var (k, v) in tags) allTags[k] = v;
                spans.Add(new TraceSpan(traceId, spanId, parent, process.Service ?? "", String(span, "operationName") ?? "",
                    Long(span, "startTime"), Long(span, "duration"),
                    tags.GetValueOrDefault("error") == "true" ? TraceSpanStatus.Error : tags.ContainsKey("otel.status_code") && tags["otel.status_code"] == "OK" ? TraceSpanStatus.Ok : TraceSpanStatus.Unset,
                    Reporter(allTags), tags.GetValueOrDefault("span.kind")));
            }
        }
        return new FetchedTrace(spans);
    }

    /// <summary>
    /// OTLP JSON as Grafana Tempo's <c>GET /api/traces/{traceID}</c> answers it: top-level <c>batches</c> (Tempo's name,
    /// grafana/tempo#3802) or <c>resourceSpans</c> (OTLP's), each with <c>resource.attributes</c> and
    /// <c>scopeSpans</c> (older Tempo: <c>instrumentationLibrarySpans</c>, grafana/tempo PR #427's example) of spans
    /// with <c>traceId</c>, <c>spanId</c>, <c>parentSpanId</c>, <c>name</c>, <c>kind</c>, <c>startTimeUnixNano</c>,
    /// <c>endTimeUnixNano</c> (strings, as protobuf JSON writes 64-bit numbers), <c>status.code</c>. Tempo writes ids
    /// base64 (protobuf's JSON mapping of bytes, grafana/tempo#5437); OTLP/JSON writes hex
    /// (opentelemetry.io/docs/specs/otlp "JSON Protobuf Encoding"): both are read.
    /// </summary>
    public static FetchedTrace ParseOtlp(string json)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("trace", out var inner) && inner.ValueKind == JsonValueKind.Object)
            root = inner; // Tempo's /api/v2/traces wraps the trace in "trace"
        JsonElement batches = default;
        if (root.ValueKind != JsonValueKind.Object
            || !(root.TryGetProperty("batches", out batches) || root.TryGetProperty("resourceSpans", out batches))
            || batches.ValueKind != JsonValueKind.Array)
            throw new TraceFormatException("OTLP: no batches or resourceSpans array.");
        var spans = new List<TraceSpan>();
        foreach (var batch in batches.EnumerateArray())
        {
            var resource = batch.TryGetProperty("resource", out var r) ? OtlpAttributes(r) : [];
            var service = resource.GetValueOrDefault("service.name") ?? "";
            foreach (var scopeKey in new[] { "scopeSpans", "instrumentationLibrarySpans" })
            {
                if (!batch.TryGetProperty(scopeKey, out var scopes) || scopes.ValueKind != JsonValueKind.Array) continue;
                foreach (var scope in scopes.EnumerateArray())
                {
                    if (!scope.TryGetProperty("spans", out var list) || list.ValueKind != JsonValueKind.Array) continue;
                    foreach (var span in list.EnumerateArray())
                    {
                        var traceId = OtlpTraceId(String(span, "traceId")) ?? throw new TraceFormatException("OTLP: bad traceId.");
                        var spanId = OtlpSpanId(String(span, "spanId")) ?? throw new TraceFormatException("OTLP: bad spanId.");
                        var parentText = String(span, "parentSpanId");
                        var parent = string.IsNullOrEmpty(parentText) ? null : OtlpSpanId(parentText);
                        var start = Long(span, "startTimeUnixNano") / 1000;
                        var end = Long(span, "endTimeUnixNano") / 1000;
                        var attributes = OtlpAttributes(span);
                        var all = new Dictionary<string, string>(resource, StringComparer.Ordinal);
                        foreach (var (k, v) in attributes) all[k] = v;
                        spans.Add(new TraceSpan(traceId, spanId, parent, service, String(span, "name") ?? "", start, Math.Max(0, end - start),
                            OtlpStatus(span), Reporter(all), OtlpKind(span)));
                    }
                }
            }
        }
        return new FetchedTrace(spans);
    }

    /// <summary>
    /// LightStep's public API, <c>GET /public/v0.2/{org}/projects/{project}/stored-traces?span-id=…</c>: JSON:API with
    /// <c>data[].attributes.spans[]</c> of <c>{"span-id","trace-id" (64-bit hex),"span-name","start-time-micros",
    /// "end-time-micros","is-error","reporter-id","tags":{"parent_span_guid",…}}</c> and
    /// <c>data[].relationships.reporters[]</c> of <c>{"reporter-id","attributes":{"lightstep.component_name",…}}</c>
    /// (a response recorded by kubeshop/tracetest server/tracedb/lightstep/lightstep_output.json, parsed by its
    /// response.go).
    /// </summary>
    public static FetchedTrace ParseLightStepStoredTraces(string json)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data)
            || data.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            throw new TraceFormatException("LightStep: no data.");
        var spans = new List<TraceSpan>();
        foreach (var trace in data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data])
        {
            var reporters = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            if (trace.TryGetProperty("relationships", out var rel) && rel.TryGetProperty("reporters", out var reps) && reps.ValueKind == JsonValueKind.Array)
                foreach (var rep in reps.EnumerateArray())
                    if (String(rep, "reporter-id") is { } id && rep.TryGetProperty("attributes", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
                        reporters[id] = attrs.EnumerateObject().ToDictionary(a => a.Name, a => Text(a.Value), StringComparer.Ordinal);
            if (!trace.TryGetProperty("attributes", out var attributes) || !attributes.TryGetProperty("spans", out var list) || list.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var span in list.EnumerateArray())
            {
                var traceId = HexTraceId(String(span, "trace-id")) ?? throw new TraceFormatException("LightStep: bad trace-id.");
                var spanId = HexSpanId(String(span, "span-id")) ?? throw new TraceFormatException("LightStep: bad span-id.");
                var tags = span.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object
                    ? t.EnumerateObject().ToDictionary(a => a.Name, a => Text(a.Value), StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal);
                var reporter = reporters.GetValueOrDefault(String(span, "reporter-id") ?? "") ?? [];
                var all = new Dictionary<string, string>(reporter, StringComparer.Ordinal);
                foreach (var (k, v) in tags) all[k] = v;
                var start = Long(span, "start-time-micros");
                var service = tags.GetValueOrDefault("service.name") ?? reporter.GetValueOrDefault("lightstep.component_name") ?? "";
                var isError = span.TryGetProperty("is-error", out var e) && e.ValueKind == JsonValueKind.True;
                spans.Add(new TraceSpan(traceId, spanId, HexSpanId(tags.GetValueOrDefault("parent_span_guid")), service,
                    String(span, "span-name") ?? "", start, Math.Max(0, Long(span, "end-time-micros") - start),
                    isError ? TraceSpanStatus.Error : TraceSpanStatus.Unset, Reporter(all), tags.GetValueOrDefault("span.kind")));
            }
        }
        return new FetchedTrace(spans);
    }

    /// <summary>
    /// Who reported a span. Envoy tags its spans with its node id (Envoy's Tracing::Tags, <c>NodeId = "node_id"</c>), which
    /// Istio sets to <c>{type}~{ip}~{pod}.{namespace}~{namespace}.svc.cluster.local</c> with type "sidecar", or "router"
    /// for gateways (istio/istio pilot/pkg/model/context.go at 1.15.0: ServiceNode, SidecarProxy, Router). Otherwise the OpenTracing
    /// <c>component</c> tag, then the OpenTelemetry SDK's <c>telemetry.sdk.name</c> resource attribute.
    /// </summary>
    public static string? Reporter(IReadOnlyDictionary<string, string> tags)
    {
        if (tags.GetValueOrDefault("node_id") is { } node)
        {
            var parts = node.Split('~');
            if (parts.Length == 4 && parts[0].Length > 0)
            {
                var pod = parts[2].Split('.')[0];
                return pod.Length > 0 ? $"{parts[0]} {pod}" : parts[0];
            }
            return node;
        }
        if (tags.GetValueOrDefault("component") is { Length: > 0 } component) return component;
        if (tags.GetValueOrDefault("telemetry.sdk.name") is { Length: > 0 } sdk)
            return tags.GetValueOrDefault("telemetry.sdk.language") is { Length: > 0 } language ? $"{sdk} ({language})" : sdk;
        return null;
    }

    private static JsonDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { throw new TraceFormatException("Not JSON."); }
    }

    private static Dictionary<string, string> JaegerTags(JsonElement owner)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var tag in list.EnumerateArray())
                if (String(tag, "key") is { } key && tag.TryGetProperty("value", out var value))
                    tags[key] = Text(value);
        return tags;
    }

    private static Dictionary<string, string> OtlpAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.TryGetProperty("attributes", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var attribute in list.EnumerateArray())
                if (String(attribute, "key") is { } key && attribute.TryGetProperty("value", out var any) && any.ValueKind == JsonValueKind.Object)
                    foreach (var v in any.EnumerateObject()) { attributes[key] = Text(v.Value); break; }
        return attributes;
    }

    // opentelemetry-proto trace.proto Status.StatusCode: 0 UNSET, 1 OK, 2 ERROR; protobuf JSON writes the enum's name.
    private static TraceSpanStatus OtlpStatus(JsonElement span)
    {
        if (!span.TryGetProperty("status", out var status) || !status.TryGetProperty("code", out var code)) return TraceSpanStatus.Unset;
        return Text(code) switch
        {
            "2" or "STATUS_CODE_ERROR" => TraceSpanStatus.Error,
            "1" or "STATUS_CODE_OK" => TraceSpanStatus.Ok,
            _ => TraceSpanStatus.Unset,
        };
    }

    // Span.SpanKind: 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER.
    private static string? OtlpKind(JsonElement span)
    {
        if (!span.TryGetProperty("kind", out var kind)) return null;
        return Text(kind) switch
        {
            "2" or "SPAN_KIND_SERVER" => "server",
            "3" or "SPAN_KIND_CLIENT" => "client",
            "1" or "SPAN_KIND_INTERNAL" => "internal",
            "4" or "SPAN_KIND_PRODUCER" => "producer",
            "5" or "SPAN_KIND_CONSUMER" => "consumer",
            _ => null,
        };
    }

    private static string? String(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static long Long(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value)) return 0;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s)) return s;
        throw new TraceFormatException($"Not a number: {name}.");
    }

    /// <summary>16 or 32 hex digits (Jaeger drops the zero high half of a 64-bit id; shorter forms are left-padded).</summary>
    private static TraceId? HexTraceId(string? hex) =>
        hex is { Length: > 0 and <= 32 } && hex.All(char.IsAsciiHexDigit) && TraceId.TryParse(hex.PadLeft(32, '0'), out var id) ? id : null;

    private static SpanId? HexSpanId(string? hex) =>
        hex is { Length: > 0 and <= 16 } && hex.All(char.IsAsciiHexDigit) && SpanId.TryParse(hex.PadLeft(16, '0'), out var id) ? id : null;

    private static TraceId? OtlpTraceId(string? text)
    {
        if (text is { Length: 32 } && text.All(char.IsAsciiHexDigit)) return HexTraceId(text);
        var bytes = Base64(text);
        return bytes is { Length: 16 } ? new TraceId(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8))) is { IsValid: true } t ? t : null : null;
    }

    private static SpanId? OtlpSpanId(string? text)
    {
        if (text is { Length: 16 } && text.All(char.IsAsciiHexDigit)) return HexSpanId(text);
        var bytes = Base64(text);
        return bytes is { Length: 8 } && System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) is var v and not 0 ? new SpanId(v) : null;
    }

    private static byte[]? Base64(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { return null; }
    }
}
