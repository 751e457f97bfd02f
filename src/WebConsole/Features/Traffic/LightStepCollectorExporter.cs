using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using LightStep.Collector;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace WebConsole.Features.Traffic;

/// <summary>
/// Exports the run's client spans with LightStep's own collector protocol (gRPC
/// <c>lightstep.collector.CollectorService/Report</c>, messages generated from its published proto), for satellites
/// that do not speak OTLP. LightStep ids are 64-bit: the trace id sent is the right-most 64 bits, which is also what
/// LightStep keeps for OTLP-ingested spans, so the console's root and the mesh's spans meet in one trace.
/// The token travels as <c>Auth.access_token</c> and as <c>lightstep-access-token</c> metadata.
/// </summary>
internal sealed class LightStepCollectorExporter : BaseExporter<Activity>
{
    private readonly GrpcChannel channel;
    private readonly CollectorService.CollectorServiceClient client;
    private readonly string accessToken;
    private readonly SpanExportStatus status;
    private readonly TimeSpan timeout;
    private readonly ulong reporterId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    public LightStepCollectorExporter(Uri endpoint, string accessToken, SpanExportStatus status, TimeSpan timeout, string? trustedCaPem = null)
    {
        this.accessToken = accessToken;
        this.status = status;
        this.timeout = timeout;
        channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = SpanExportTls.Handler(trustedCaPem, timeout),
            DisposeHttpClient = true,
        });
        client = new CollectorService.CollectorServiceClient(channel);
    }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var request = new ReportRequest
        {
            Reporter = new Reporter { ReporterId = reporterId },
            Auth = new Auth { AccessToken = accessToken },
        };
        var service = ServiceName();
        request.Reporter.Tags.Add(new KeyValue { Key = "lightstep.component_name", StringValue = service });
        request.Reporter.Tags.Add(new KeyValue { Key = "service.name", StringValue = service });
        foreach (var activity in batch) request.Spans.Add(ToSpan(activity));

        status.CountCall();
        try
        {
            using var suppress = SuppressInstrumentationScope.Begin();
            var response = client.Report(request, new Metadata { { TrafficTarget.AccessTokenHeader, accessToken } }, DateTime.UtcNow + timeout);
            if (response.Errors.Count == 0) return ExportResult.Success;
            var errors = string.Join("; ", response.Errors);
            status.Record(errors.Contains("token", StringComparison.OrdinalIgnoreCase) ? SpanExportOutcome.TokenRefused : SpanExportOutcome.Rejected,
                null, "collector errors: " + errors);
            return ExportResult.Failure;
        }
        catch (RpcException exception)
        {
            var outcome = exception.StatusCode switch
            {
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => SpanExportOutcome.TokenRefused,
                StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled => SpanExportOutcome.Unreachable,
                _ => SpanExportOutcome.Rejected,
            };
            status.Record(outcome, null, $"gRPC {exception.StatusCode}: {exception.Status.Detail}");
            return ExportResult.Failure;
        }
        catch (Exception exception)
        {
            status.Record(SpanExportOutcome.Unreachable, null, exception.Message);
            return ExportResult.Failure;
        }
    }

    private string ServiceName()
    {
        foreach (var attribute in ParentProvider?.GetResource().Attributes ?? [])
            if (attribute.Key == "service.name" && attribute.Value is string name) return name;
        return TrafficRunner.ServiceName;
    }

    private static Span ToSpan(Activity activity)
    {
        var span = new Span
        {
            SpanContext = new SpanContext { TraceId = Low64(activity.TraceId), SpanId = Id(activity.SpanId) },
            OperationName = activity.DisplayName,
            StartTimestamp = Timestamp.FromDateTime(DateTime.SpecifyKind(activity.StartTimeUtc, DateTimeKind.Utc)),
            DurationMicros = (ulong)Math.Max(0, activity.Duration.Ticks / 10),
        };
        if (activity.ParentSpanId != default)
            span.References.Add(new Reference
            {
                Relationship = Reference.Types.Relationship.ChildOf,
                SpanContext = new SpanContext { TraceId = Low64(activity.TraceId), SpanId = Id(activity.ParentSpanId) },
            });
        span.Tags.Add(new KeyValue { Key = "span.kind", StringValue = activity.Kind.ToString().ToLowerInvariant() });
        foreach (var (key, value) in activity.TagObjects)
        {
            var tag = new KeyValue { Key = key };
            switch (value)
            {
                case int i: tag.IntValue = i; break;
                case long l: tag.IntValue = l; break;
                case bool b: tag.BoolValue = b; break;
                case double d: tag.DoubleValue = d; break;
                default: tag.StringValue = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""; break;
            }
            span.Tags.Add(tag);
        }
        return span;
    }

    private static ulong Low64(ActivityTraceId id) => Convert.ToUInt64(id.ToHexString()[16..], 16);

    private static ulong Id(ActivitySpanId id) => Convert.ToUInt64(id.ToHexString(), 16);

    protected override void Dispose(bool disposing)
    {
        if (disposing) channel.Dispose();
        base.Dispose(disposing);
    }
}
