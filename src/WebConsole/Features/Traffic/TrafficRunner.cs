using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using MeshConsole.Domain.Traffic;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WebConsole.Features.Traffic;

/// <summary>
/// Sends a traffic run through the ingress gateway: N requests to /productpage, C at a time, each the root of its own
/// trace. For every request the console starts a client span, injects that span's context in the formats the
/// gateway's tracer reads (<see cref="TraceContextHeaders.Write"/>),
/// records a <see cref="TrafficRow"/> whatever happens (status, latency, error) and ends the span. The spans go to
/// LightStep over OTLP with the mesh's access token, through a TracerProvider built for the run, so the trace has a
/// known root whose ids are the row's.
/// </summary>
public sealed class TrafficRunner
{
    /// <summary>The prefix of every run's ActivitySource name (the OTLP instrumentation scope); a run adds its own id.</summary>
    public const string ActivitySourceName = "LightStepMeshConsole.Traffic";
    public const string ServiceName = "lightstep-mesh-console";
    public const string SpanName = "GET /productpage";

    private readonly TrafficRunOptions options;

    public TrafficRunner() : this(new TrafficRunOptions()) { }

    public TrafficRunner(TrafficRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary>
    /// Runs the traffic. Cancellation stops starting requests and aborts the ones in flight (their rows say
    /// "Canceled"); the rows already recorded are kept and the spans are still flushed.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are out of range.</exception>
    public async Task<TrafficRunResult> RunAsync(TrafficTarget target, TrafficSettings settings, IProgress<TrafficProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Validate().Any(i => i.Severity == MeshConsole.Domain.Validation.IssueSeverity.Error))
            throw new ArgumentException($"A run sends {TrafficSettings.MinRequests}..{TrafficSettings.MaxRequests} requests with concurrency {TrafficSettings.MinConcurrency}..{TrafficSettings.MaxConcurrency}.", nameof(settings));

        // TracerProviders pick spans by ActivitySource name, so every run has a source of its own and a provider
        // subscribed to that name only: runs of different users proceed at once, each exporting only its own spans
        // with its own token.
        using var source = new ActivitySource($"{ActivitySourceName}.{Guid.NewGuid():N}");
        var exportStatus = new SpanExportStatus(target.AccessToken);
        using var exportHandler = new ExportStatusHandler(exportStatus) { InnerHandler = SpanExportTls.Handler(target.TrustedCaPem) };
        var provider = BuildProvider(source.Name, target, settings.Requests, exportStatus, exportHandler);
        var rows = new TrafficRow[settings.Requests];
        var clock = Stopwatch.StartNew();
        var state = new RunState();
        var flushed = false;
        try
        {
            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = settings.Concurrency,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = options.RequestTimeout,
                AllowAutoRedirect = false,
                UseCookies = false,
                // The console sets the trace context itself; HttpClient's own propagation must not add or change any.
                ActivityHeadersPropagator = null,
            };
            using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
            var url = target.ProductPageUrl;
            var urlText = url.ToString();
            var workers = new Task[Math.Min(settings.Concurrency, settings.Requests)];
            for (var w = 0; w < workers.Length; w++)
                workers[w] = Task.Run(() => WorkAsync(source, client, url, urlText, target, rows, state, progress, cancellationToken), CancellationToken.None);
            await Task.WhenAll(workers).ConfigureAwait(false);
            clock.Stop();
        }
        finally
        {
            // Even when a progress callback threw, the spans already ended are exported and the provider released.
            var flushMillis = (int)Math.Min(int.MaxValue, options.FlushTimeout.TotalMilliseconds);
            flushed = await Task.Run(() =>
            {
                var done = provider.ForceFlush(flushMillis);
                provider.Dispose();
                return done;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        var report = exportStatus.Report(flushed);

        var count = Math.Min(state.Started, settings.Requests);
        var canceled = cancellationToken.IsCancellationRequested
            && (count < settings.Requests || rows.Take(count).Any(r => r.Error?.Code == TrafficError.Canceled.Code));
        return new TrafficRunResult(rows, count, canceled, clock.Elapsed, report);
    }

    /// <summary>The run's span pipeline; the satellite check sends its test span through the same one.</summary>
    internal TracerProvider BuildProvider(string sourceName, TrafficTarget target, int requests, SpanExportStatus exportStatus, ExportStatusHandler exportHandler)
    {
        var exportTimeout = (int)Math.Min(int.MaxValue, options.ExportTimeout.TotalMilliseconds);
        var batch = new BatchExportProcessorOptions<Activity>
        {
            // Room for every span of the run: a full queue would drop spans silently.
            MaxQueueSize = Math.Max(2048, requests),
            MaxExportBatchSize = 512,
            ScheduledDelayMilliseconds = (int)Math.Max(1, options.ExportDelay.TotalMilliseconds),
            ExporterTimeoutMilliseconds = exportTimeout,
        };
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .ConfigureResource(r => r.AddService(ServiceName));
        if (target.Protocol == SpanProtocol.LightStepCollector)
        {
            var exporter = new LightStepCollectorExporter(target.ExporterEndpoint, target.AccessToken, exportStatus, options.ExportTimeout, target.TrustedCaPem);
            builder.AddProcessor(new BatchActivityExportProcessor(exporter, batch.MaxQueueSize, batch.ScheduledDelayMilliseconds,
                batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize));
        }
        else
        {
            builder.AddOtlpExporter(o =>
            {
                o.Endpoint = target.ExporterEndpoint;
#pragma warning disable CS0618 // OTLP/gRPC is marked obsolete in the exporter but is what LightStep and Istio use.
                o.Protocol = target.Protocol == SpanProtocol.OtlpGrpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
#pragma warning restore CS0618
                // The exporter's Headers setting is "name=value,…" (OtlpExporterOptions, as OTEL_EXPORTER_OTLP_HEADERS).
                o.Headers = target.ExportHeaders is { } headers
                    ? string.Join(",", headers.Select(h => h.Key + "=" + h.Value))
                    : TrafficTarget.AccessTokenHeader + "=" + target.AccessToken;
                o.TimeoutMilliseconds = exportTimeout;
                o.HttpClientFactory = () => new HttpClient(exportHandler, disposeHandler: false)
                {
                    Timeout = TimeSpan.FromMilliseconds(exportTimeout),
                };
                o.ExportProcessorType = ExportProcessorType.Batch;
                o.BatchExportProcessorOptions = batch;
            });
        }
        return builder.Build()!;
    }

    private async Task WorkAsync(ActivitySource source, HttpClient client, Uri url, string urlText, TrafficTarget target, TrafficRow[] rows, RunState state, IProgress<TrafficProgress>? progress, CancellationToken cancellationToken)
    {
        // One timeout source per worker, re-armed for each request (TryReset) instead of a new timer per request.
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ids = new RandomTraceIds();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var sequence = Interlocked.Increment(ref state.Started);
                if (sequence > rows.Length) return;
                var row = await SendOneAsync(source, client, url, urlText, target, ids, sequence, timeout, cancellationToken).ConfigureAwait(false);
                if (!timeout.TryReset())
                {
                    timeout.Dispose();
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }
                Record(rows, row, state, progress);
            }
        }
        finally
        {
            timeout.Dispose();
        }
    }

    private static void Record(TrafficRow[] rows, TrafficRow row, RunState state, IProgress<TrafficProgress>? progress)
    {
        rows[row.Sequence - 1] = row;
        var completed = Interlocked.Increment(ref state.Completed);
        var succeeded = row.Succeeded ? Interlocked.Increment(ref state.Succeeded) : Volatile.Read(ref state.Succeeded);
        var failed = row.Succeeded ? Volatile.Read(ref state.Failed) : Interlocked.Increment(ref state.Failed);
        progress?.Report(new TrafficProgress(rows.Length, completed, succeeded, failed, row));
    }

    private async Task<TrafficRow> SendOneAsync(ActivitySource source, HttpClient client, Uri url, string urlText, TrafficTarget target, RandomTraceIds ids, int sequence,
        CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        // Each request is the root of a new trace, whatever activity the caller (a Blazor circuit) is in.
        Activity.Current = null;
        var traceId = TraceContextHeaders.ContinuedTraceId(target.Form, ids.NextTraceId());
        // A parent context with a trace id but no span id makes a ROOT span with that trace id: the 64-bit tracer of
        // Istio before 1.16 continues only the right-most 64 bits, so the root must carry exactly those.
        var rootContext = new ActivityContext(ToActivityTraceId(traceId), default, ActivityTraceFlags.Recorded);
        using var activity = source.StartActivity(SpanName, ActivityKind.Client, rootContext);
        // Nothing in the request reads the current activity (the handler's ActivityHeadersPropagator is null, the parent
        // is given explicitly above), and leaving the span current would make every await of the request flow a
        // non-default ExecutionContext. Ending the span sets Current back to its Parent, null here: a no-op.
        Activity.Current = null;
        var started = activity is null ? DateTimeOffset.UtcNow : new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero);
        var spanId = activity is null ? SpanId.NewRandom() : ToSpanId(activity.SpanId);
        activity?.SetTag("http.method", "GET");
        activity?.SetTag("http.url", urlText);

        var begin = Stopwatch.GetTimestamp();
        int? status = null;
        TrafficError? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            var headers = new RequestHeaders(request.Headers);
            TraceContextHeaders.Write(target.Form, traceId, spanId, ids.NextRequestId(), ref headers);
            timeout.CancelAfter(options.RequestTimeout);
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                await response.Content.CopyToAsync(Stream.Null, timeout.Token).ConfigureAwait(false);
                error = TrafficError.ForStatus(status.Value);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = TrafficError.Timeout;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error = TrafficError.Canceled;
        }
        catch (Exception exception)
        {
            error = TrafficError.FromException(exception, target.Sensitive);
        }
        var latencyMicros = (long)Stopwatch.GetElapsedTime(begin).TotalMicroseconds;

        if (activity is not null)
        {
            if (status is { } code) activity.SetTag("http.status_code", code);
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Code);
                activity.SetTag("error", true);
            }
        }
        return new TrafficRow(sequence, started, status, latencyMicros, traceId, spanId, error);
    }

    // Both hold ids big-endian, as their hex forms read.
    private static ActivityTraceId ToActivityTraceId(TraceId id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, id.High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], id.Low);
        return ActivityTraceId.CreateFromBytes(bytes);
    }

    private static SpanId ToSpanId(ActivitySpanId id)
    {
        Span<byte> bytes = stackalloc byte[8];
        id.CopyTo(bytes);
        return new SpanId(BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    /// <summary>
    /// Adds the trace headers to a request as <see cref="TraceContextHeaders.Write"/> formats them, one string per value;
    /// x-client-trace-id and x-b3-traceid share the trace id's.
    /// </summary>
    private struct RequestHeaders(System.Net.Http.Headers.HttpRequestHeaders headers) : IPropagationHeaderSink
    {
        private string? traceIdHex;

        public void Add(string name, scoped ReadOnlySpan<char> value, PropagationFormat format)
        {
            string text;
            if (value.Length == 32)
            {
                if (traceIdHex is null || !value.SequenceEqual(traceIdHex)) traceIdHex = value.ToString();
                text = traceIdHex;
            }
            else text = value.ToString();
            headers.TryAddWithoutValidation(name, text);
        }

        public void AddConstant(string name, string value, PropagationFormat format) => headers.TryAddWithoutValidation(name, value);
    }

    private sealed class RunState
    {
        public int Started;
        public int Completed;
        public int Succeeded;
        public int Failed;
    }
}
