using Microsoft.Extensions.Configuration;
using WebConsole.Features.Access;

namespace WebConsole.Tests.Access;

public sealed class TrafficRunLimiterTests
{
    [Fact]
    public void Each_user_gets_the_configured_runs_per_minute_then_a_retry_after()
    {
        using var limiter = new TrafficRunLimiter(Settings(("Console:Access:TrafficRunsPerMinute", "3")));

        var permits = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire("alice")).ToList();
        using var refused = limiter.TryAcquire("alice");
        using var bob = limiter.TryAcquire("bob");

        Assert.All(permits, p => Assert.True(p.Acquired));
        Assert.False(refused.Acquired);
        Assert.NotNull(refused.RetryAfter);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.True(bob.Acquired);
        permits.ForEach(p => p.Dispose());
    }

    [Fact]
    public void The_default_is_six_runs_per_minute()
    {
        using var limiter = new TrafficRunLimiter(Settings());

        var acquired = Enumerable.Range(0, 10).Select(_ => limiter.TryAcquire("carol")).Count(p => p.Acquired);

        Assert.Equal(6, acquired);
    }

    [Fact]
    public void Names_are_compared_exactly()
    {
        using var limiter = new TrafficRunLimiter(1);

        Assert.True(limiter.TryAcquire("Dave").Acquired);
        Assert.True(limiter.TryAcquire("dave").Acquired);
        Assert.False(limiter.TryAcquire("Dave").Acquired);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    public void An_invalid_setting_refuses_to_start(string value)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => Settings(("Console:Access:TrafficRunsPerMinute", value)));
        Assert.Contains("Console:Access:TrafficRunsPerMinute", refused.Message);
    }

    private static AccessSettings Settings(params (string Key, string Value)[] values) =>
        AccessSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());
}
