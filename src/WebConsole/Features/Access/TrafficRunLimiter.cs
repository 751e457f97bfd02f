using System.Threading.RateLimiting;

namespace WebConsole.Features.Access;

/// <summary>
/// How often one user may start a traffic run (sending requests through Bookinfo). Traffic runs come with the
/// Bookinfo issue; nothing calls this yet.
/// </summary>
public interface ITrafficRunLimiter
{
    /// <summary>A permit for one run, or a refusal with how long to wait. Dispose the permit when the run ends.</summary>
    TrafficRunPermit TryAcquire(string user);
}

public sealed class TrafficRunPermit(RateLimitLease lease) : IDisposable
{
    public bool Acquired => lease.IsAcquired;

    /// <summary>When refused: how long until the next run is allowed, if the limiter knows.</summary>
    public TimeSpan? RetryAfter => lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;

    public void Dispose() => lease.Dispose();
}

/// <summary>
/// A token bucket per user name (<see cref="ICurrentUser.Name"/>): up to <c>Console:Access:TrafficRunsPerMinute</c>
/// runs at once (default 6), refilled evenly over the minute. All access-key users share one name, so one bucket.
/// </summary>
public sealed class TrafficRunLimiter : ITrafficRunLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public TrafficRunLimiter(AccessSettings settings) : this(settings.TrafficRunsPerMinute) { }

    public TrafficRunLimiter(int runsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runsPerMinute, 1);
        _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetTokenBucketLimiter(user, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = runsPerMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / runsPerMinute,
                QueueLimit = 0,
                AutoReplenishment = true,
            }), StringComparer.Ordinal);
    }

    public TrafficRunPermit TryAcquire(string user) => new(_limiter.AttemptAcquire(user));

    public void Dispose() => _limiter.Dispose();
}
