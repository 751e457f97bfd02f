using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using MeshConsole.Domain.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TrafficStandIns;

/// <summary>One stored-traces request as the API stand-in answered it.</summary>
/// <param name="SpanId">The span-id query parameter as sent.</param>
/// <param name="KeyAccepted">Whether the Authorization header carried "bearer {the API key}".</param>
public sealed record ApiRequest(string Organization, string Project, string? SpanId, bool KeyAccepted, int Status);

/// <summary>
/// LightStep's public API on loopback, for the one endpoint the console uses:
/// <c>GET /public/v0.2/{organization}/projects/{project}/stored-traces?span-id={hex}</c> with
/// <c>Authorization: bearer {api key}</c>. It answers from what a <see cref="CollectorStandIn"/> received: the trace
/// holding the span (every span with the same right-most 64 bits of trace id, as LightStep keeps 64-bit ids) in the
/// shape LightStep returns (a JSON:API document whose <c>data</c> is an array of "stored-traces" with
/// <c>attributes.spans</c>; recorded by kubeshop/tracetest server/tracedb/lightstep/lightstep_output.json).
/// A wrong or missing key gets 401, an unknown organization/project or span 404, errors as <c>{"errors":[…]}</c>.
/// It can be told to answer 429 with Retry-After, or any status, for given requests.
/// </summary>
public sealed class LightStepApiStandIn : IAsyncDisposable
{
    private readonly CollectorStandIn collector;
    private readonly ConcurrentQueue<ApiRequest> requests = new();
    private WebApplication? app;
    private int count;
    private int rateLimitRemaining;
    private TimeSpan rateLimitRetryAfter;

    private LightStepApiStandIn(CollectorStandIn collector, string apiKey, string organization, string project)
    {
        this.collector = collector;
        ApiKey = apiKey;
        Organization = organization;
        Project = project;
    }

    public string ApiKey { get; }
    public string Organization { get; }
    public string Project { get; }

    /// <summary>The API's base URL (what TraceVerificationSettings.ApiBaseUrl takes).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request in arrival order.</summary>
    public IReadOnlyCollection<ApiRequest> Requests => requests;

    /// <summary>The status to answer request N (1-based) with instead of looking the trace up, or null.</summary>
    public Func<int, int?> FailWith { get; set; } = _ => null;

    public static async Task<LightStepApiStandIn> StartAsync(CollectorStandIn collector, string apiKey, string organization = "demo-org", string project = "demo")
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var api = new LightStepApiStandIn(collector, apiKey, organization, project);
        (api.app, api.BaseUrl) = await LoopbackHost.StartAsync(app =>
            app.MapGet("/public/v0.2/{organization}/projects/{project}/stored-traces", (Func<HttpContext, string, string, Task>)api.StoredTracesAsync));
        return api;
    }

    /// <summary>The next <paramref name="requests"/> requests (with an accepted key) get 429 with Retry-After in whole seconds.</summary>
    public void AnswerTooManyRequests(int requests, TimeSpan retryAfter)
    {
        rateLimitRetryAfter = retryAfter;
        Volatile.Write(ref rateLimitRemaining, requests);
    }

    /// <summary>Stops listening: new connections are refused.</summary>
    public async Task StopListeningAsync()
    {
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    public async ValueTask DisposeAsync() => await StopListeningAsync();

    private async Task StoredTracesAsync(HttpContext context, string organization, string project)
    {
        var number = Interlocked.Increment(ref count);
        var spanIdText = context.Request.Query["span-id"].FirstOrDefault();
        var keyAccepted = KeyAccepted(context.Request.Headers.Authorization.ToString());
        var status = await AnswerAsync(context, number, organization, project, spanIdText, keyAccepted);
        requests.Enqueue(new ApiRequest(organization, project, spanIdText, keyAccepted, status));
    }

    private async Task<int> AnswerAsync(HttpContext context, int number, string organization, string project, string? spanIdText, bool keyAccepted)
    {
        var response = context.Response;
        if (!keyAccepted) return await ErrorAsync(response, StatusCodes.Status401Unauthorized, "invalid API key");
        if (FailWith(number) is { } injected) return await ErrorAsync(response, injected, "injected failure");
        if (Interlocked.Decrement(ref rateLimitRemaining) >= 0)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(rateLimitRetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return await ErrorAsync(response, StatusCodes.Status429TooManyRequests, "rate limit exceeded");
        }
        Interlocked.Exchange(ref rateLimitRemaining, 0);
        if (organization != Organization || project != Project) return await ErrorAsync(response, StatusCodes.Status404NotFound, "project not found");
        if (!SpanId.TryParse(spanIdText?.ToLowerInvariant(), out var spanId))
            return await ErrorAsync(response, StatusCodes.Status400BadRequest, "span-id must be 16 hex digits");
        var spans = collector.TraceOf(spanId);
        if (spans.Count == 0) return await ErrorAsync(response, StatusCodes.Status404NotFound, "trace not found");

        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteStartArray("data");
        json.WriteStartObject();
        json.WriteString("type", "stored-traces");
        json.WriteString("id", spanId.ToString());
        json.WriteStartObject("attributes");
        json.WriteNumber("start-time-micros", spans.Min(s => s.StartMicros));
        json.WriteNumber("end-time-micros", spans.Max(s => s.EndMicros));
        json.WriteStartArray("spans");
        foreach (var span in spans)
        {
            json.WriteStartObject();
            json.WriteString("span-name", span.Name);
            json.WriteString("span-id", span.SpanId.ToString());
            json.WriteBoolean("is-error", span.IsError);
            json.WriteNumber("start-time-micros", span.StartMicros);
            json.WriteNumber("end-time-micros", span.EndMicros);
            json.WriteString("trace-id", span.TraceId.LowHex);
            json.WriteString("reporter-id", ReporterId(span.ServiceName));
            json.WriteStartObject("tags");
            if (span.ParentSpanId is { } parent) json.WriteString("parent_span_guid", parent.ToString());
            if (span.ServiceName is { } service) json.WriteString("service.name", service);
            json.WriteString("span.kind", span.Kind.ToLowerInvariant());
            if (span.NodeId is { } node) json.WriteString("node_id", node);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("relationships");
        json.WriteStartArray("reporters");
        foreach (var service in spans.Select(s => s.ServiceName).Distinct())
        {
            json.WriteStartObject();
            json.WriteString("reporter-id", ReporterId(service));
            json.WriteStartObject("attributes");
            json.WriteString("lightstep.component_name", service ?? "");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("links");
        json.WriteString("self", context.Request.Scheme + "://" + context.Request.Host + context.Request.Path + context.Request.QueryString);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync();
        return StatusCodes.Status200OK;
    }

    private bool KeyAccepted(string authorization)
    {
        var space = authorization.IndexOf(' ');
        return space > 0
            && authorization[..space].Equals("bearer", StringComparison.OrdinalIgnoreCase)
            && authorization[(space + 1)..] == ApiKey;
    }

    private static string ReporterId(string? service) =>
        ((ulong)(service ?? "").GetHashCode(StringComparison.Ordinal) & 0xffffffffUL).ToString("x16", CultureInfo.InvariantCulture);

    private static async Task<int> ErrorAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(JsonSerializer.Serialize(new { errors = new[] { message } }));
        return status;
    }
}
