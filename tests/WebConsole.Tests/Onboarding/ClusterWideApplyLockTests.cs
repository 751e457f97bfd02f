using MeshConsole.Domain.Planning;
using WebConsole.Features.Onboarding;

namespace WebConsole.Tests.Onboarding;

public sealed class ClusterWideApplyLockTests
{
    [Fact]
    public async Task Of_two_consoles_applying_at_once_exactly_one_gets_the_lock_and_the_other_sees_who_has_it_for_what_and_since_when()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var fran = new ClusterWideApplyLock(cluster.NewConsole(), cluster.Clock);
        var sam = new ClusterWideApplyLock(cluster.NewConsole(), cluster.Clock);

        var attempts = await Task.WhenAll(fran.TryAcquireAsync("Fran", "mesh-tracing"), sam.TryAcquireAsync("Sam", "telemetry"));

        Assert.All(attempts, a => Assert.True(a.Succeeded, a.Failure?.ToString()));
        var winner = Assert.Single(attempts, a => a.Value!.Acquired).Value!;
        var loser = Assert.Single(attempts, a => !a.Value!.Acquired).Value!;
        Assert.Equal(winner.Lease!.Holder, loser.HeldBy);
        Assert.Equal(cluster.Clock.Now, loser.HeldBy!.Since);
        Assert.Contains((loser.HeldBy.Who, loser.HeldBy.Action), new[] { ("Fran", "mesh-tracing"), ("Sam", "telemetry") });
        var stored = cluster.Emulator.Store.Get("v1", "ConfigMap", OnboardingObjects.DefaultNamespace, ClusterWideApplyLock.ConfigMapName)!;
        Assert.Equal(PlanBuilder.ManagedByValue, (string?)stored["metadata"]!["labels"]![PlanBuilder.ManagedByLabel]);
    }

    [Fact]
    public async Task Releasing_lets_the_next_one_in()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var applyLock = cluster.Lock();
        var first = (await applyLock.TryAcquireAsync("Fran", "mesh-tracing")).Value!.Lease!;
        Assert.False((await applyLock.TryAcquireAsync("Sam", "telemetry")).Value!.Acquired);

        Assert.True((await first.ReleaseAsync()).Value);
        Assert.False((await first.ReleaseAsync()).Value);
        await using (var second = (await applyLock.TryAcquireAsync("Sam", "telemetry")).Value!.Lease!)
        {
            Assert.Equal("Sam", (await applyLock.CurrentHolderAsync()).Value!.Who);
        }

        Assert.Null((await applyLock.CurrentHolderAsync()).Value);
    }

    [Fact]
    public async Task A_lock_older_than_the_expiry_is_taken_over_and_its_old_holder_cannot_release_the_new_one()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var applyLock = cluster.Lock(TimeSpan.FromMinutes(10));
        var abandoned = (await applyLock.TryAcquireAsync("Fran", "mesh-tracing")).Value!.Lease!;

        cluster.Clock.Now += TimeSpan.FromMinutes(9);
        var tooEarly = (await applyLock.TryAcquireAsync("Sam", "telemetry")).Value!;
        cluster.Clock.Now += TimeSpan.FromMinutes(2);
        var takeover = (await applyLock.TryAcquireAsync("Sam", "telemetry")).Value!;
        var oldRelease = await abandoned.ReleaseAsync();

        Assert.Equal("Fran", tooEarly.HeldBy?.Who);
        Assert.True(takeover.Acquired);
        Assert.Equal(cluster.Clock.Now, takeover.Lease!.Holder.Since);
        Assert.True(oldRelease.Succeeded);
        Assert.False(oldRelease.Value);
        Assert.Equal(("Sam", "telemetry"), ((await applyLock.CurrentHolderAsync()).Value!.Who, (await applyLock.CurrentHolderAsync()).Value!.Action));
    }

    [Fact]
    public async Task Two_consoles_taking_over_an_expired_lock_at_once_end_with_one_holder()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        await cluster.Lock().TryAcquireAsync("Fran", "mesh-tracing");
        cluster.Clock.Now += TimeSpan.FromMinutes(11);

        var attempts = await Task.WhenAll(
            new ClusterWideApplyLock(cluster.NewConsole(), cluster.Clock).TryAcquireAsync("Sam", "telemetry"),
            new ClusterWideApplyLock(cluster.NewConsole(), cluster.Clock).TryAcquireAsync("Kim", "telemetry"));

        var winner = Assert.Single(attempts, a => a.Value!.Acquired).Value!.Lease!;
        Assert.Equal(winner.Holder, Assert.Single(attempts, a => !a.Value!.Acquired).Value!.HeldBy);
        Assert.Equal(winner.Holder.Who, (await cluster.Lock().CurrentHolderAsync()).Value!.Who);
    }

    [Fact]
    public async Task A_completed_mesh_wide_apply_is_recorded_in_the_session_for_everyone_to_see()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var store = cluster.Store();
        var session = (await cluster.CreateSessionAsync(store)).Session;
        var applyLock = cluster.Lock();

        await using (var lease = (await applyLock.TryAcquireAsync("Fran", "mesh-tracing")).Value!.Lease!)
        {
            var recorded = await store.RecordSharedApplyAsync(session.Id, lease.Holder.Who, lease.Holder.Action,
                ["ConfigMap/istio -n istio-system", "Secret/lightstep.cacert -n default"]);
            Assert.True(recorded.Succeeded, recorded.Failure?.ToString());
        }
        cluster.Clock.Now += TimeSpan.FromMinutes(1);
        var second = (await applyLock.TryAcquireAsync("Sam", "mesh-tracing")).Value!;
        await store.RecordSharedApplyAsync(session.Id, "Sam", "mesh-tracing", ["ConfigMap/istio -n istio-system"]);

        var applies = (await new SessionStore(cluster.NewConsole(), cluster.Clock).GetSessionAsync(session.Id)).Value!.Applies;
        Assert.True(second.Acquired);
        Assert.Equal([("Fran", "mesh-tracing", cluster.Clock.Now.AddMinutes(-1)), ("Sam", "mesh-tracing", cluster.Clock.Now)],
            applies.Select(a => (a.Who, a.Action, a.At)));
        Assert.Equal(2, applies[0].Objects.Count);
    }
}
