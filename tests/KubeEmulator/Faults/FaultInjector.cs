using System.Text.RegularExpressions;

namespace KubeEmulator;

/// <summary>
/// Makes chosen requests fail, slow down or lose their connection. Rules match the HTTP method (null = any) and a
/// regular expression searched in the request path (without the query string), e.g. <c>"/configmaps/istio$"</c>.
/// <c>times</c> limits a rule to the first N matching requests (null = every matching request).
/// Faults run before authentication and normal handling; faulted requests are still recorded.
/// Every matching Delay rule adds its delay; then the first matching Fail or ResetConnection rule (in the order
/// they were added) ends the request, otherwise it is handled normally.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = [];

    /// <summary>
    /// Answers with <paramref name="statusCode"/> and a Status body (reason and message default per code). 429, 503 and
    /// 504 carry <c>Retry-After</c> and <c>details.retryAfterSeconds</c>: <paramref name="retryAfterSeconds"/>, default 1;
    /// other 5xx only when <paramref name="retryAfterSeconds"/> is given.
    /// </summary>
    public void Fail(string? method, string pathRegex, int statusCode, string? reason = null, string? message = null, int? times = null,
        int? retryAfterSeconds = null) =>
        Add(new FaultRule(FaultKind.Fail, method, new Regex(pathRegex), times)
        {
            StatusCode = statusCode,
            Reason = reason,
            Message = message,
            RetryAfterSeconds = retryAfterSeconds,
        });

    /// <summary>Waits <paramref name="delay"/> before handling the request (normally, unless another rule fails it).</summary>
    public void Delay(string? method, string pathRegex, TimeSpan delay, int? times = null) =>
        Add(new FaultRule(FaultKind.Delay, method, new Regex(pathRegex), times) { DelayBy = delay });

    /// <summary>Aborts the connection (HttpContext.Abort) before any response: clients see an HttpRequestException.</summary>
    public void ResetConnection(string? method, string pathRegex, int? times = null) =>
        Add(new FaultRule(FaultKind.Reset, method, new Regex(pathRegex), times));

    /// <summary>
    /// Handles the request normally (the write is committed) and then aborts the connection instead of answering: the
    /// client sees an HttpRequestException although the change is stored, as when a connection drops after the commit.
    /// </summary>
    public void ResetConnectionAfterCommit(string? method, string pathRegex, int? times = null) =>
        Add(new FaultRule(FaultKind.ResetAfterCommit, method, new Regex(pathRegex), times));

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    private void Add(FaultRule rule)
    {
        if (rule.Remaining is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), "times must be positive (or null for always)");
        }

        lock (_gate)
        {
            _rules.Add(rule);
        }
    }

    /// <summary>Consumes the rules matching this request and says what to do with it.</summary>
    internal FaultPlan Plan(string method, string path)
    {
        lock (_gate)
        {
            var delay = TimeSpan.Zero;
            FaultRule? terminal = null;
            foreach (var rule in _rules.Where(r => r.Matches(method, path)).ToList())
            {
                if (rule.Kind == FaultKind.Delay)
                {
                    delay += rule.DelayBy;
                    rule.Consume();
                }
                else if (terminal is null)
                {
                    terminal = rule;
                    rule.Consume();
                }
            }

            _rules.RemoveAll(r => r.Remaining is 0);
            return new FaultPlan(delay, terminal?.Kind == FaultKind.Reset, terminal?.Kind == FaultKind.Fail ? terminal : null,
                terminal?.Kind == FaultKind.ResetAfterCommit);
        }
    }

    internal enum FaultKind
    {
        Fail,
        Delay,
        Reset,
        ResetAfterCommit,
    }

    internal sealed class FaultRule(FaultKind kind, string? method, Regex path, int? times)
    {
        public FaultKind Kind { get; } = kind;

        public int? Remaining { get; private set; } = times;

        public int StatusCode { get; init; }

        public string? Reason { get; init; }

        public string? Message { get; init; }

        public TimeSpan DelayBy { get; init; }

        public int? RetryAfterSeconds { get; init; }

        public bool Matches(string requestMethod, string requestPath) =>
            Remaining is null or > 0
            && (method is null || string.Equals(method, requestMethod, StringComparison.OrdinalIgnoreCase))
            && path.IsMatch(requestPath);

        public void Consume()
        {
            if (Remaining is { } remaining)
            {
                Remaining = remaining - 1;
            }
        }
    }

    /// <summary>What happens to one request: an added delay, then maybe a reset or an injected failure.</summary>
    internal sealed record FaultPlan(TimeSpan Delay, bool ResetConnection, FaultRule? Failure, bool ResetAfterCommit);
}
