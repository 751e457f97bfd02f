using k8s;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>A 429 says how long to stay away: the console waits that long (capped), and says it waited.</summary>
public sealed class RetryAfterTests
{
    [Fact]
    public async Task A_429_is_retried_after_the_wait_the_server_asked_for_and_the_result_says_so()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.26"));
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, null, default)).Value!;
        var waits = new List<RetryWait>();
        cluster.Gateway.Waiting += waits.Add;
        cluster.Emulator.Faults.Fail("PATCH", "/namespaces/default/secrets/lightstep\\.cacert$", 429, times: 1, retryAfterSeconds: 2);

        var outcomes = await cluster.Applier().ApplyAsync(set, "istio-system", force: false, null, default);

        var secret = outcomes.Single(o => o.Target.Name == PlanBuilder.SecretName);
        Assert.Equal(ApplyOutcomeKind.Created, secret.Kind);
        Assert.Equal(TimeSpan.FromSeconds(2), secret.Throttled);
        Assert.Equal(new RetryWait(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), 1), Assert.Single(waits));
        var patches = cluster.Emulator.Requests.Where(r => r.Method == "PATCH" && r.Path.EndsWith("/secrets/" + PlanBuilder.SecretName)).ToList();
        Assert.Equal([429, 201], patches.Select(r => r.StatusCode));
        Assert.True(patches[1].At - patches[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {patches[1].At - patches[0].At}");
        Assert.Null(outcomes.Single(o => o.Target.Name == PlanBuilder.SecretName).Failure);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_5xx_with_Retry_After_is_retried_after_that_wait_not_sooner(int status)
    {
        // "The server should set the Retry-After HTTP header" on a ServerTimeout (kubernetes/community api-conventions.md).
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.26"));
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, null, default)).Value!;
        var waits = new List<RetryWait>();
        cluster.Gateway.Waiting += waits.Add;
        cluster.Emulator.Faults.Fail("PATCH", "/namespaces/default/secrets/lightstep\\.cacert$", status, times: 1, retryAfterSeconds: 2);

        var outcomes = await cluster.Applier().ApplyAsync(set, "istio-system", force: false, null, default);

        var secret = outcomes.Single(o => o.Target.Name == PlanBuilder.SecretName);
        Assert.Equal(ApplyOutcomeKind.Created, secret.Kind);
        Assert.Equal(TimeSpan.FromSeconds(2), secret.Throttled);
        Assert.Equal(new RetryWait(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), 1), Assert.Single(waits));
        var patches = cluster.Emulator.Requests.Where(r => r.Method == "PATCH" && r.Path.EndsWith("/secrets/" + PlanBuilder.SecretName)).ToList();
        Assert.Equal([status, 201], patches.Select(r => r.StatusCode));
        Assert.True(patches[1].At - patches[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {patches[1].At - patches[0].At}");
    }

    [Fact]
    public async Task A_longer_ask_than_the_cap_waits_only_the_cap()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        var gateway = new KubeGateway(cluster.Client, [EmulatedCluster.Token], TimeSpan.FromSeconds(2), retryAfterCap: TimeSpan.FromSeconds(1));
        var waits = new List<RetryWait>();
        gateway.Waiting += waits.Add;
        cluster.Emulator.Faults.Fail("GET", "/namespaces/default$", 429, times: 1, retryAfterSeconds: 600);
        var started = DateTimeOffset.UtcNow;

        var read = await gateway.GetAsync(new ResourceRef("v1", "Namespace", null, "default"), default);

        Assert.True(read.Succeeded);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10));
        var wait = Assert.Single(waits);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(600), true), (wait.Delay, wait.Asked, wait.Capped));
    }

    [Fact]
    public void The_default_cap_is_thirty_seconds() => Assert.Equal(TimeSpan.FromSeconds(30), KubeGateway.DefaultRetryAfterCap);
}
