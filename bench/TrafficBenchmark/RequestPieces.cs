using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WebConsole.Features.Traffic;

namespace TrafficBenchmark;

/// <summary>
/// The runner's per-request pieces measured alone on one thread, side by side: the trace context as the runner built
/// it before issue 13's last change (TraceId.NewRandom, Guid.NewGuid, TraceContextHeaders.For, one header at a time)
/// and as it builds it now (RandomTraceIds, TraceContextHeaders.Write), both onto a new HttpRequestMessage; and the
/// client span (start, tags, end) through a TracerProvider set up as TrafficRunner.BuildProvider sets it up for
/// OTLP/HTTP and for OTLP/gRPC, exporting to the collector stand-in's child process (this process's CPU: the span and the exporter's
/// thread serializing and sending it).
/// </summary>
public static class RequestPieces
{
    public static void Print(Uri url, Uri otlpHttpEndpoint, Uri grpcEndpoint, string token, int iterations)
    {
        Console.WriteLine($"== The runner's per-request pieces alone, one thread, {iterations} iterations after as many warm-up (CPU of this process, bytes allocated on the thread) ==");
        foreach (var form in new[] { IstioForm.OpenTelemetry, IstioForm.InstallValues })
        {
            var before = Measure(iterations, () => TraceContextBefore(url, form));
            var ids = new RandomTraceIds();
            var now = Measure(iterations, () => TraceContextNow(url, form, ids));
            Console.WriteLine($"  trace context + request, {form,-14} before: {before.CpuMicros,5:0.00} µs {before.Bytes,6:0} B   now: {now.CpuMicros,5:0.00} µs {now.Bytes,6:0} B   saved {before.CpuMicros - now.CpuMicros:0.00} µs per request");
        }

        // The runner's per-request timeout (one linked source per worker, re-armed per request), which HttpClient alone lacks.
        using (var run = new CancellationTokenSource())
        {
            var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
            var rearm = Measure(iterations, () =>
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                if (!timeout.TryReset())
                {
                    timeout.Dispose();
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
                }
            });
            timeout.Dispose();
            Console.WriteLine($"  request timeout armed and reset (CancelAfter + TryReset): {rearm.CpuMicros:0.00} µs {rearm.Bytes:0} B");
        }
        foreach (var (protocol, endpoint) in new[] { (OtlpExportProtocol.HttpProtobuf, otlpHttpEndpoint), (OtlpExportProtocol.Grpc, grpcEndpoint) })
        {
            using var source = new ActivitySource($"{TrafficRunner.ActivitySourceName}.pieces.{protocol}");
            using var provider = SpanProvider(source.Name, protocol, endpoint, token, iterations);
            var urlText = url.ToString();
            var idsForSpans = new RandomTraceIds();
            // Flushed every 10,000 spans, as a run of 10,000 requests ends: the queue holds no more than a run's spans.
            var span = Measure(iterations, () => Span(source, urlText, idsForSpans), () => provider.ForceFlush(30_000), every: 10_000);
            Console.WriteLine($"  client span (start, 3 tags, end) + OTLP batch export over {(protocol == OtlpExportProtocol.Grpc ? "gRPC" : "HTTP")}: {span.CpuMicros:0.00} µs {span.Bytes:0} B on the request's thread (the export's own thread in the CPU, not in the bytes)");
        }
        Console.WriteLine();
    }

    private static void TraceContextBefore(Uri url, IstioForm form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var traceId = TraceContextHeaders.ContinuedTraceId(form, TraceId.NewRandom());
        var identity = new TraceIdentity(traceId, SpanId.NewRandom(), 1_893_499_200_123_456);
        foreach (var header in TraceContextHeaders.For(form, identity, Guid.NewGuid()))
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
    }

    private static void TraceContextNow(Uri url, IstioForm form, RandomTraceIds ids)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var traceId = TraceContextHeaders.ContinuedTraceId(form, ids.NextTraceId());
        var headers = new Sink(request.Headers);
        TraceContextHeaders.Write(form, traceId, SpanId.NewRandom(), ids.NextRequestId(), ref headers);
    }

    /// <summary>As TrafficRunner's sink: one string per value, the trace id's shared by the headers that carry it.</summary>
    private struct Sink(HttpRequestHeaders headers) : IPropagationHeaderSink
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

    private static void Span(ActivitySource source, string urlText, RandomTraceIds ids)
    {
        Activity.Current = null;
        var traceId = ids.NextTraceId();
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, traceId.High);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], traceId.Low);
        var parent = new ActivityContext(ActivityTraceId.CreateFromBytes(bytes), default, ActivityTraceFlags.Recorded);
        using var activity = source.StartActivity(TrafficRunner.SpanName, ActivityKind.Client, parent);
        activity?.SetTag("http.method", "GET");
        activity?.SetTag("http.url", urlText);
        activity?.SetTag("http.status_code", 200);
    }

    // TrafficRunner.BuildProvider's OTLP branch (it is internal to the console).
    private static TracerProvider SpanProvider(string sourceName, OtlpExportProtocol protocol, Uri endpoint, string token, int spans) =>
        Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .ConfigureResource(r => r.AddService(TrafficRunner.ServiceName))
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
#pragma warning disable CS0618 // OTLP/gRPC is marked obsolete in the exporter but is what LightStep and Istio use.
                o.Protocol = protocol;
#pragma warning restore CS0618
                o.Headers = TrafficTarget.AccessTokenHeader + "=" + token;
                o.ExportProcessorType = ExportProcessorType.Batch;
                o.BatchExportProcessorOptions = new BatchExportProcessorOptions<Activity>
                {
                    MaxQueueSize = Math.Max(2048, spans * 2), MaxExportBatchSize = 512, ScheduledDelayMilliseconds = 200,
                };
            })
            .Build()!;

    private static (double CpuMicros, double Bytes) Measure(int iterations, Action body, Action? after = null, int every = int.MaxValue)
    {
        for (var i = 1; i <= iterations; i++)
        {
            body();
            if (i % every == 0) after?.Invoke();
        }
        after?.Invoke();
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var afterBytes = 0L;
        for (var i = 1; i <= iterations; i++)
        {
            body();
            if (i % every == 0 && after is not null)
            {
                // The flush's allocations on this thread are the export's, not the request's.
                var flushStart = GC.GetAllocatedBytesForCurrentThread();
                after();
                afterBytes += GC.GetAllocatedBytesForCurrentThread() - flushStart;
            }
        }
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated - afterBytes;
        after?.Invoke();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (used.TotalMicroseconds / iterations, (double)bytes / iterations);
    }
}
