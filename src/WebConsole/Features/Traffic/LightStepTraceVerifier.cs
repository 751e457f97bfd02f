using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MeshConsole.Domain.Traffic;

namespace WebConsole.Features.Traffic;

/// <summary>The reason codes of <see cref="TraceVerification.Failed"/> this verifier gives ("Traffic.Verification.{Code}").</summary>
public static class VerificationReasons
{
    /// <summary>401 or 403: the API key is wrong, revoked, or not allowed to read the project.</summary>
    public const string ApiKeyRefused = "ApiKeyRefused";
    /// <summary>429 more often than the verifier retries.</summary>
    public const string RateLimited = "RateLimited";
    /// <summary>A 5xx answer.</summary>
    public const string ServerError = "ServerError";
    /// <summary>Any other status (400, 405, …).</summary>
    public const string UnexpectedStatus = "UnexpectedStatus";
    /// <summary>A 200 whose body is not the stored-traces document.</summary>
    public const string InvalidResponse = "InvalidResponse";
    /// <summary>No connection (DNS, refused, TLS).</summary>
    public const string Unreachable = "Unreachable";
    /// <summary>No answer within the HttpClient's timeout.</summary>
    public const string Timeout = "Timeout";
    /// <summary>Through the API server's service proxy: the Service does not exist.</summary>
    public const string ServiceNotFound = "ServiceNotFound";
    /// <summary>Through the API server's service proxy: 503, the Service has no ready endpoint (or no such port).</summary>
    public const string NoEndpoints = "NoEndpoints";
}

/// <summary>
/// Asks LightStep's public API whether each row's trace arrived, by the row's root span id:
/// <c>GET {base}/public/v0.2/{organization}/projects/{project}/stored-traces?span-id={16 hex}</c> with
/// <c>Authorization: bearer {api key}</c>.
/// <para>What the API answers, as far as public sources show:</para>
/// <list type="bullet">
/// <item>Authorization is the API key with the <c>bearer</c> identifier (docs.lightstep.com/reference, "Authorization";
/// lightstep/terraform-provider-lightstep client/client.go sends <c>bearer {apiKey}</c>).</item>
/// <item>Responses follow JSON:API with a top-level <c>data</c> (api-docs.lightstep.com/reference/json-structure).
/// For stored-traces, <c>data</c> is an array of <c>{"type":"stored-traces","id":…,"attributes":{"start-time-micros",
/// "end-time-micros","spans":[{"span-id","trace-id" (64-bit hex),"span-name","start-time-micros",…}]},
/// "relationships":{"reporters":[…]}}</c>: a response recorded by kubeshop/tracetest
/// (server/tracedb/lightstep/lightstep_output.json, parsed by server/tracedb/lightstep/response.go). The span count
/// is the length of <c>spans</c>, summed over <c>data</c> (one element per trace; the span id names one trace).</item>
/// <item>An unknown span id is 404 (kubeshop/tracetest server/tracedb/lightstepdb.go maps 404 to "trace not found");
/// an empty <c>data</c> or <c>spans</c> is treated the same: not there yet.</item>
/// <item>Error bodies carry <c>{"errors":["…"]}</c> (terraform-provider-lightstep client.go <c>Body.Errors []string</c>);
/// the verifier never shows them, since it reports codes only.</item>
/// <item>Rate limit: per organization for the whole public API (docs.lightstep.com/reference, "Rate Limits":
/// 100 requests/second; apis.io's LightStep profile: 600 requests/minute, throttled with 429). UNCONFIRMED that
/// LightStep sends Retry-After; when it does (seconds or an HTTP date, RFC 9110 §10.2.3) it is honoured, otherwise
/// the verifier waits <see cref="DefaultRetryAfter"/>.</item>
/// </list>
/// The API key goes only into the Authorization header: never into a reason, an exception or a log.
/// </summary>
public sealed class LightStepTraceVerifier(HttpClient http)
{
    /// <summary>How long to wait after a 429 without Retry-After.</summary>
    public static TimeSpan DefaultRetryAfter { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest Retry-After honoured; a longer one fails the row as rate-limited.</summary>
    public static TimeSpan MaxRetryAfter { get; } = TimeSpan.FromSeconds(60);

    /// <summary>429 answers tolerated for one row before it fails as <see cref="VerificationReasons.RateLimited"/>.</summary>
    public const int MaxRateLimitRetries = 5;

    private readonly HttpClient http = http ?? throw new ArgumentNullException(nameof(http));

    /// <summary>Arrived with the span count, NotYet (404 or no spans), or Failed with a reason code.</summary>
    /// <exception cref="ArgumentException">The settings have errors (see <see cref="TraceVerificationSettings.Validate"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled.</exception>
    public async Task<TraceVerification> VerifyAsync(TraceVerificationSettings settings, TrafficRow row, CancellationToken ct)
    {
        EnsureValid(settings);
        return await VerifyWithRetriesAsync(settings, row, new RateLimitGate(), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies every row, <paramref name="concurrency"/> at a time, reporting each row's result once (by its index in
    /// <paramref name="rows"/>) as it is known. A 429 pauses every worker for its Retry-After, then the row is asked
    /// again. A 401/403 stops the verification: that row and every row not yet answered are reported
    /// Failed(<see cref="VerificationReasons.ApiKeyRefused"/>) without further requests.
    /// </summary>
    /// <exception cref="ArgumentException">The settings have errors.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled; rows reported so far stay reported.</exception>
    public async Task VerifyAllAsync(TraceVerificationSettings settings, IReadOnlyList<TrafficRow> rows, int concurrency,
        IProgress<(int Index, TraceVerification Result)> progress, CancellationToken ct)
    {
        EnsureValid(settings);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        if (rows.Count == 0) return;

        var gate = new RateLimitGate();
        var next = -1;
        var refused = 0;
        async Task WorkAsync()
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var index = Interlocked.Increment(ref next);
                if (index >= rows.Count) return;
                if (Volatile.Read(ref refused) == 1)
                {
                    progress.Report((index, TraceVerification.Failed(VerificationReasons.ApiKeyRefused)));
                    continue;
                }
                var result = await VerifyWithRetriesAsync(settings, rows[index], gate, ct).ConfigureAwait(false);
                if (result.Reason == VerificationReasons.ApiKeyRefused) Volatile.Write(ref refused, 1);
                progress.Report((index, result));
            }
        }

        var workers = new Task[Math.Min(concurrency, rows.Count)];
        for (var w = 0; w < workers.Length; w++) workers[w] = Task.Run(WorkAsync, CancellationToken.None);
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// The whole trace holding <paramref name="spanId"/>, read from the same stored-traces answer the verification
    /// counts (<see cref="TraceJson.ParseLightStepStoredTraces"/>), with the same retries after 429.
    /// </summary>
    /// <exception cref="ArgumentException">The settings have errors.</exception>
    public async Task<TraceFetchResult> FetchTraceAsync(TraceVerificationSettings settings, SpanId spanId, CancellationToken ct)
    {
        EnsureValid(settings);
        var transport = new DirectTraceQueryTransport(http, settings.ApiBaseUrl);
        var relative = settings.StoredTracesUrl(spanId).PathAndQuery.TrimStart('/');
        var baseLength = transport.BaseUrl.AbsolutePath.TrimStart('/').Length;
        relative = relative[baseLength..];
        var gate = new RateLimitGate();
        for (var attempt = 0; ; attempt++)
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            var result = await TraceQuery.FetchAsync(transport, relative, "application/json", ("Authorization", settings.ApiKey),
                TraceJson.ParseLightStepStoredTraces, ct).ConfigureAwait(false);
            if (result.Reason != VerificationReasons.RateLimited || attempt >= MaxRateLimitRetries) return result;
            gate.PauseFor(DefaultRetryAfter);
        }
    }

    private async Task<TraceVerification> VerifyWithRetriesAsync(TraceVerificationSettings settings, TrafficRow row, RateLimitGate gate, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            var (result, retryAfter) = await AskOnceAsync(settings, row.SpanId, ct).ConfigureAwait(false);
            if (retryAfter is not { } wait) return result;
            if (attempt >= MaxRateLimitRetries || wait > MaxRetryAfter) return TraceVerification.Failed(VerificationReasons.RateLimited);
            gate.PauseFor(wait);
        }
    }

    /// <summary>One request; a 429 comes back as a retry delay instead of a result.</summary>
    private async Task<(TraceVerification Result, TimeSpan? RetryAfter)> AskOnceAsync(TraceVerificationSettings settings, SpanId spanId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, settings.StoredTracesUrl(spanId));
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", settings.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    await using (var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
                        return (await CountSpansAsync(body, ct).ConfigureAwait(false), null);
                case HttpStatusCode.NotFound:
                    return (TraceVerification.NotYet, null);
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return (TraceVerification.Failed(VerificationReasons.ApiKeyRefused), null);
                case HttpStatusCode.TooManyRequests:
                    return (default, RetryAfter(response.Headers.RetryAfter));
                case >= HttpStatusCode.InternalServerError:
                    return (TraceVerification.Failed(VerificationReasons.ServerError), null);
                default:
                    return (TraceVerification.Failed(VerificationReasons.UnexpectedStatus), null);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (TraceVerification.Failed(VerificationReasons.Timeout), null);
        }
        catch (HttpRequestException)
        {
            return (TraceVerification.Failed(VerificationReasons.Unreachable), null);
        }
    }

    private static async Task<TraceVerification> CountSpansAsync(Stream body, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data)
                || data.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
                return TraceVerification.Failed(VerificationReasons.InvalidResponse);
            var spans = 0;
            foreach (var trace in data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : Enumerable.Repeat(data, 1))
            {
                if (trace.ValueKind == JsonValueKind.Object
                    && trace.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
                    && attributes.TryGetProperty("spans", out var list) && list.ValueKind == JsonValueKind.Array)
                    spans += list.GetArrayLength();
            }
            return spans > 0 ? TraceVerification.Arrived(spans) : TraceVerification.NotYet;
        }
        catch (JsonException)
        {
            return TraceVerification.Failed(VerificationReasons.InvalidResponse);
        }
    }

    private static TimeSpan RetryAfter(RetryConditionHeaderValue? header)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => DefaultRetryAfter,
        };
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static void EnsureValid(TraceVerificationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate().Where(i => i.IsError).Select(i => i.Code).ToList();
        if (errors.Count > 0)
            throw new ArgumentException("The verification settings are not valid: " + string.Join(", ", errors) + ".", nameof(settings));
    }

    /// <summary>Shared by a verification's workers: after a 429 nobody asks again before the Retry-After has passed.</summary>
    private sealed class RateLimitGate
    {
        private long resumeAtTicks;

        public void PauseFor(TimeSpan wait)
        {
            var resumeAt = DateTime.UtcNow.Ticks + wait.Ticks;
            long current;
            do
            {
                current = Interlocked.Read(ref resumeAtTicks);
                if (current >= resumeAt) return;
            } while (Interlocked.CompareExchange(ref resumeAtTicks, resumeAt, current) != current);
        }

        public async Task WaitAsync(CancellationToken ct)
        {
            while (true)
            {
                var wait = Interlocked.Read(ref resumeAtTicks) - DateTime.UtcNow.Ticks;
                if (wait <= 0) return;
                await Task.Delay(TimeSpan.FromTicks(wait), ct).ConfigureAwait(false);
            }
        }
    }
}
