namespace MeshConsole.Domain.Traffic;

public enum TraceSpanStatus : byte
{
    Unset,
    Ok,
    Error,
}

/// <summary>
/// One span of a fetched trace, whichever backend held it.
/// </summary>
/// <param name="TraceId">For 64-bit backends (LightStep, Envoy's LightStep tracer) the high half is zero.</param>
/// <param name="Service">The service the span belongs to (service.name, Jaeger's process serviceName, LightStep's component).</param>
/// <param name="Reporter">The proxy or app that reported it, e.g. "sidecar productpage-v1-7d9c…" from Envoy's node id, or null.</param>
public sealed record TraceSpan(
    TraceId TraceId,
    SpanId SpanId,
    SpanId? ParentSpanId,
    string Service,
    string Operation,
    long StartMicros,
    long DurationMicros,
    TraceSpanStatus Status,
    string? Reporter,
    string? Kind = null)
{
    public long EndMicros => StartMicros + DurationMicros;
}

/// <summary>One trace as a backend returned it: its spans ordered by start time (then span id, for a stable order).</summary>
public sealed class FetchedTrace
{
    public FetchedTrace(IEnumerable<TraceSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        Spans = spans.DistinctBy(s => s.SpanId).OrderBy(s => s.StartMicros).ThenBy(s => s.SpanId.Value).ToList();
    }

    public IReadOnlyList<TraceSpan> Spans { get; }

    public long StartMicros => Spans.Count == 0 ? 0 : Spans.Min(s => s.StartMicros);

    public long EndMicros => Spans.Count == 0 ? 0 : Spans.Max(s => s.EndMicros);

    public long DurationMicros => EndMicros - StartMicros;

    /// <summary>Spans in tree order (each parent before its children, siblings by start), with their depth; orphans at depth 0.</summary>
    public IReadOnlyList<(TraceSpan Span, int Depth)> InTreeOrder()
    {
        var ids = Spans.Select(s => s.SpanId).ToHashSet();
        var children = Spans.Where(s => s.ParentSpanId is { } p && ids.Contains(p)).ToLookup(s => s.ParentSpanId!.Value);
        var result = new List<(TraceSpan, int)>(Spans.Count);
        var stack = new Stack<(TraceSpan, int)>();
        foreach (var root in Spans.Where(s => s.ParentSpanId is not { } p || !ids.Contains(p)).Reverse()) stack.Push((root, 0));
        var seen = new HashSet<SpanId>();
        while (stack.Count > 0)
        {
            var (span, depth) = stack.Pop();
            if (!seen.Add(span.SpanId)) continue; // a cycle in broken data must not loop forever
            result.Add((span, depth));
            foreach (var child in children[span.SpanId].Reverse()) stack.Push((child, depth + 1));
        }
        return result;
    }
}
