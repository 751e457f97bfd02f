namespace WebConsole.Features.Traffic;

/// <summary>
/// How the collector answered the run's export calls, whichever protocol carried them. Keeps the first failure (a
/// refused token wins over anything else, since it explains the rest); details are one line with the token masked.
/// </summary>
internal sealed class SpanExportStatus(string accessToken)
{
    private readonly object gate = new();
    private int calls;
    private int? failureStatus;
    private SpanExportOutcome? failure;
    private string? failureDetail;

    public int Calls => Volatile.Read(ref calls);

    public void CountCall() => Interlocked.Increment(ref calls);

    /// <param name="status">An HTTP status, when the failure came with one.</param>
    /// <param name="detail">"HTTP 401: body…" / "gRPC Unauthenticated: …" style text; masked here.</param>
    public void Record(SpanExportOutcome outcome, int? status, string detail)
    {
        lock (gate)
        {
            if (failure is null || (outcome == SpanExportOutcome.TokenRefused && failure != SpanExportOutcome.TokenRefused))
            {
                failure = outcome;
                failureStatus = status;
                failureDetail = Mask(detail);
            }
        }
    }

    /// <summary>The outcome of all export calls so far; <paramref name="flushed"/> is whether the final flush completed.</summary>
    public SpanExportReport Report(bool flushed)
    {
        lock (gate)
        {
            var n = Calls;
            return failure switch
            {
                SpanExportOutcome.TokenRefused => new(SpanExportOutcome.TokenRefused, n, failureStatus, $"The collector refused the access token ({failureDetail})."),
                SpanExportOutcome.Rejected => new(SpanExportOutcome.Rejected, n, failureStatus, $"The collector rejected the spans ({failureDetail})."),
                SpanExportOutcome.Unreachable => new(SpanExportOutcome.Unreachable, n, null, $"The collector could not be reached: {failureDetail}"),
                _ when !flushed => new(SpanExportOutcome.NotFlushed, n, null, "Some spans were still being exported when the run ended."),
                _ when n == 0 => new(SpanExportOutcome.NothingExported, 0, null, "No spans were exported."),
                _ => new(SpanExportOutcome.Exported, n, null, $"The collector accepted the spans ({n} export calls)."),
            };
        }
    }

    private string Mask(string? text)
    {
        var flat = string.Join(' ', (text ?? "").Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        if (!string.IsNullOrEmpty(accessToken)) flat = flat.Replace(accessToken, "••••", StringComparison.Ordinal);
        return flat.Length <= 200 ? flat : flat[..199] + "…";
    }
}
