using MeshConsole.Domain.Traffic;

namespace WebConsole.Features.Traffic;

/// <summary>Live counts after each finished request, with the row just recorded.</summary>
public readonly record struct TrafficProgress(int Total, int Completed, int Succeeded, int Failed, TrafficRow Row);

public enum SpanExportOutcome
{
    /// <summary>Every export call was accepted.</summary>
    Exported,
    /// <summary>The collector answered 401/403 (or gRPC UNAUTHENTICATED/PERMISSION_DENIED, or a 4xx naming the access token).</summary>
    TokenRefused,
    /// <summary>The collector answered with another error status.</summary>
    Rejected,
    /// <summary>The collector could not be reached (connection refused, DNS, TLS, timeout).</summary>
    Unreachable,
    /// <summary>Spans were still queued when the flush timeout ran out.</summary>
    NotFlushed,
    /// <summary>Nothing was exported (no request was sent).</summary>
    NothingExported,
}

/// <summary>How the run's client spans fared at the collector, as a code (for the app's resources) and an English sentence.</summary>
/// <param name="HttpStatus">The first failing HTTP status, when there was one.</param>
/// <param name="Message">One line; never contains the token.</param>
public sealed record SpanExportReport(SpanExportOutcome Outcome, int ExportCalls, int? HttpStatus, string Message)
{
    public bool Succeeded => Outcome == SpanExportOutcome.Exported;
}

/// <summary>The rows of a run (in sequence order; every request that was started has a row) and how it ended.</summary>
public sealed class TrafficRunResult(TrafficRow[] rows, int count, bool canceled, TimeSpan elapsed, SpanExportReport export)
{
    /// <summary>Rows 1..Count, in sequence order, without copying.</summary>
    public ReadOnlyMemory<TrafficRow> Rows { get; } = rows.AsMemory(0, count);
    public int Count => Rows.Length;
    public bool Canceled { get; } = canceled;
    public TimeSpan Elapsed { get; } = elapsed;
    public SpanExportReport Export { get; } = export;

    public int Succeeded
    {
        get
        {
            var n = 0;
            foreach (var row in Rows.Span) if (row.Succeeded) n++;
            return n;
        }
    }

    public int Failed => Count - Succeeded;
}
