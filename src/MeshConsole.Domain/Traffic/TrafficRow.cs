using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace MeshConsole.Domain.Traffic;

public enum VerificationState : byte
{
    NotChecked,
    Arrived,
    NotYet,
    Failed,
}

/// <summary>Whether LightStep's API has the trace: arrived with N spans, not yet, or the check failed (with a reason code).</summary>
public readonly record struct TraceVerification
{
    private TraceVerification(VerificationState state, int spanCount, string? reason)
    {
        State = state;
        SpanCount = spanCount;
        Reason = reason;
    }

    public VerificationState State { get; }

    /// <summary>Spans LightStep holds for the trace; only for <see cref="VerificationState.Arrived"/>.</summary>
    public int SpanCount { get; }

    /// <summary>A short code (no prose, no secrets) for <see cref="VerificationState.Failed"/>, e.g. "Unauthorized".</summary>
    public string? Reason { get; }

    public static TraceVerification NotChecked => default;
    public static TraceVerification NotYet => new(VerificationState.NotYet, 0, null);

    public static TraceVerification Arrived(int spanCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spanCount);
        return new(VerificationState.Arrived, spanCount, null);
    }

    public static TraceVerification Failed(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(VerificationState.Failed, 0, reason);
    }
}

/// <summary>
/// Why a request failed: a short code for the app's resources ("Traffic.Error.{Code}") and a one-line message for the
/// table and exports. Messages are capped and scrubbed of the secrets the caller names (token, API key).
/// </summary>
public sealed record TrafficError
{
    public const int MaxMessageLength = 200;

    public TrafficError(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
        Message = OneLine(message ?? "");
    }

    public string Code { get; }
    public string Message { get; }

    public static TrafficError Timeout { get; } = new("Timeout", "The request did not complete in time.");
    public static TrafficError Canceled { get; } = new("Canceled", "The run was canceled before the request completed.");

    /// <summary>Only built for status 500 and above: the error column holds server errors, the status column the rest.</summary>
    public static TrafficError? ForStatus(int status) =>
        status >= 500 ? new("ServerError", $"HTTP {status} {ReasonPhrase(status)}".TrimEnd()) : null;

    /// <summary>A code for a failed request's exception; <paramref name="secrets"/> are masked in the message.</summary>
    public static TrafficError FromException(Exception exception, IEnumerable<string>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = exception switch
        {
            TimeoutException or TaskCanceledException { InnerException: TimeoutException } => "Timeout",
            OperationCanceledException => "Canceled",
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "NameResolution",
            HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "ConnectionRefused",
            HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable } } => "Unreachable",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "TlsFailed",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "ConnectionFailed",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "ResponseEnded",
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => "InvalidResponse",
            HttpRequestException => "RequestFailed",
            _ => "Failed",
        };
        var message = exception.Message;
        foreach (var secret in secrets ?? [])
            if (!string.IsNullOrEmpty(secret)) message = message.Replace(secret, "••••", StringComparison.Ordinal);
        return new TrafficError(code, message);
    }

    private static string ReasonPhrase(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "";

    private static string OneLine(string text)
    {
        var flat = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= MaxMessageLength ? flat : flat[..(MaxMessageLength - 1)] + "…";
    }
}

/// <summary>
/// One request of a traffic run. Built for a 10,000-row table: ids are held as integers (<see cref="TraceId"/>,
/// <see cref="SpanId"/>), the time as ticks, and successful rows hold no references at all; hex strings and the
/// <see cref="DateTimeOffset"/> are made on demand.
/// </summary>
public readonly struct TrafficRow : IEquatable<TrafficRow>
{
    private readonly long startedAtUtcTicks;
    private readonly ushort status; // 0 = no response

    public TrafficRow(int sequence, DateTimeOffset startedAt, int? status, long latencyMicros, TraceId traceId, SpanId spanId, TrafficError? error = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        if (status is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(status), status, "An HTTP status is 100..999.");
        ArgumentOutOfRangeException.ThrowIfNegative(latencyMicros);
        Sequence = sequence;
        startedAtUtcTicks = startedAt.UtcTicks;
        this.status = (ushort)(status ?? 0);
        LatencyMicros = latencyMicros;
        TraceId = traceId;
        SpanId = spanId;
        Error = error;
    }

    /// <summary>1-based, in the order requests were started.</summary>
    public int Sequence { get; }
    public DateTimeOffset StartedAt => new(startedAtUtcTicks, TimeSpan.Zero);
    public long StartMicros => (startedAtUtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The HTTP status; null when no response arrived (connection refused, timeout).</summary>
    public int? Status => status == 0 ? null : status;
    public long LatencyMicros { get; }
    public TraceId TraceId { get; }
    public SpanId SpanId { get; }
    public string TraceIdHex => TraceId.ToString();
    public string SpanIdHex => SpanId.ToString();
    public TrafficError? Error { get; }
    public TraceVerification Verification { get; init; }

    public bool Succeeded => Error is null && status is >= 200 and < 400;

    /// <summary>The root span's identity, for links.</summary>
    public TraceIdentity Identity => new(TraceId, SpanId, StartMicros);

    public TrafficRow WithVerification(TraceVerification verification) => this with { Verification = verification };

    public bool Equals(TrafficRow other) =>
        Sequence == other.Sequence && startedAtUtcTicks == other.startedAtUtcTicks && status == other.status
        && LatencyMicros == other.LatencyMicros && TraceId == other.TraceId && SpanId == other.SpanId
        && Equals(Error, other.Error) && Verification == other.Verification;

    public override bool Equals(object? obj) => obj is TrafficRow other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Sequence, startedAtUtcTicks, TraceId, SpanId);
    public static bool operator ==(TrafficRow left, TrafficRow right) => left.Equals(right);
    public static bool operator !=(TrafficRow left, TrafficRow right) => !left.Equals(right);
}

/// <summary>How many requests a run sends and how many are in flight at once.</summary>
public sealed record TrafficSettings(int Requests, int Concurrency)
{
    public const int MinRequests = 1;
    public const int MaxRequests = 10_000;
    public const int MinConcurrency = 1;
    public const int MaxConcurrency = 64;

    public IReadOnlyList<Validation.ValidationIssue> Validate()
    {
        var issues = new List<Validation.ValidationIssue>();
        if (Requests is < MinRequests or > MaxRequests)
            issues.Add(Validation.ValidationIssue.Error(Validation.WizardField.TrafficRequestCount, "Traffic.RequestsOutOfRange", MinRequests, MaxRequests, Requests));
        if (Concurrency is < MinConcurrency or > MaxConcurrency)
            issues.Add(Validation.ValidationIssue.Error(Validation.WizardField.TrafficConcurrency, "Traffic.ConcurrencyOutOfRange", MinConcurrency, MaxConcurrency, Concurrency));
        else if (issues.Count == 0 && Concurrency > Requests)
            issues.Add(Validation.ValidationIssue.Warning(Validation.WizardField.TrafficConcurrency, "Traffic.ConcurrencyAboveRequests", Concurrency, Requests));
        return issues;
    }
}
