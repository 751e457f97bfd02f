using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

public class FaultTests
{
    [Fact]
    public async Task Fail_answers_with_a_Status_for_the_chosen_code_a_limited_number_of_times()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Faults.Fail("GET", "/configmaps/istio$", 500, times: 1);

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio", "istio-system"));
        var second = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio", "istio-system");

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("InternalError", status["reason"]!.GetValue<string>());
        Assert.Equal("istio", second.Metadata.Name);
        Assert.Equal([500, 200], cluster.Emulator.Requests.Where(r => r.Path.EndsWith("/istio")).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Fail_with_a_custom_reason_and_message_and_429_retry_after()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Emulator.Faults.Fail(null, "^/api/v1/namespaces$", 429);
        cluster.Emulator.Faults.Fail("PATCH", "/secrets/", 503, reason: "ServiceUnavailable", message: "etcd is having a bad day");

        var throttled = await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces");
        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch("{}", V1Patch.PatchType.MergePatch), "x", "default"));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Code);
        Assert.Equal("TooManyRequests", throttled.Json["reason"]!.GetValue<string>());
        Assert.Equal(1, throttled.Json["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("etcd is having a bad day", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delay_slows_the_matching_requests_only()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.ReadNamespaceAsync("default"); // warm up the client (JIT, TLS) before timing
        cluster.Emulator.Faults.Delay(null, "/namespaces/default$", TimeSpan.FromSeconds(1), times: 1);

        var watch = Stopwatch.StartNew();
        await cluster.Client.CoreV1.ReadNamespaceAsync("default");
        var delayed = watch.Elapsed;
        watch.Restart();
        await cluster.Client.CoreV1.ReadNamespaceAsync("default");
        var normal = watch.Elapsed;

        Assert.True(delayed >= TimeSpan.FromMilliseconds(950), $"delayed request took {delayed}");
        Assert.True(normal < TimeSpan.FromMilliseconds(900), $"second request took {normal}");
    }

    [Fact]
    public async Task Reset_connection_makes_the_client_throw_HttpRequestException_and_is_recorded()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Emulator.Faults.ResetConnection("GET", "/api/v1/namespaces/kube-system$", times: 1);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cluster.Client.CoreV1.ReadNamespaceAsync("kube-system"));
        var after = await cluster.Client.CoreV1.ReadNamespaceAsync("kube-system");

        Assert.Equal("kube-system", after.Metadata.Name);
        var recorded = cluster.Emulator.Requests.Where(r => r.Path == "/api/v1/namespaces/kube-system").ToList();
        Assert.Equal([0, 200], recorded.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Reset_after_commit_stores_the_write_and_the_client_never_sees_the_answer()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Faults.ResetConnectionAfterCommit("PATCH", "/configmaps/istio$", times: 1);
        var before = cluster.Emulator.Store.ResourceVersion;

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"data\":{\"extra\":\"committed\"}}", V1Patch.PatchType.MergePatch), "istio", "istio-system"));

        Assert.Equal("committed", cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["extra"]!.GetValue<string>());
        Assert.True(cluster.Emulator.Store.ResourceVersion > before);
        Assert.Equal([0], cluster.Emulator.Requests.Where(r => r.Method == "PATCH").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task A_429_carries_the_chosen_retry_after()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Emulator.Faults.Fail(null, "^/api/v1/namespaces$", 429, retryAfterSeconds: 7);

        var throttled = await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Code);
        Assert.Equal(7, throttled.Json["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal("7", throttled.RetryAfter);
    }

    [Fact]
    public async Task A_504_carries_Retry_After_as_the_api_conventions_ask_of_a_server_timeout_and_a_500_only_when_chosen()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Emulator.Faults.Fail(null, "^/api/v1/namespaces$", 504, times: 1);
        cluster.Emulator.Faults.Fail(null, "^/api/v1/nodes$", 500, times: 1);
        cluster.Emulator.Faults.Fail(null, "^/api/v1/namespaces/default$", 500, times: 1, retryAfterSeconds: 3);

        var timedOut = await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces");
        var failed = await cluster.RawAsync(HttpMethod.Get, "/api/v1/nodes");
        var failedWithWait = await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces/default");

        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.Code);
        Assert.Equal("1", timedOut.RetryAfter);
        Assert.Equal(1, timedOut.Json["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Null(failed.RetryAfter);
        Assert.Equal("3", failedWithWait.RetryAfter);
    }

    [Fact]
    public async Task Clear_removes_every_rule()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Emulator.Faults.Fail(null, ".", 500);
        cluster.Emulator.Faults.Clear();

        await cluster.Client.CoreV1.ListNamespaceAsync();
    }

    [Fact]
    public async Task Requests_record_method_path_query_content_type_status_and_time()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.ClearRequests();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var secret = new V1Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "istio-system" } };

        await cluster.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(secret, V1Patch.PatchType.ApplyPatch), "s", "istio-system",
            fieldManager: "mesh-console", force: true);
        await cluster.Client.CoreV1.ListNamespacedPodAsync("istio-system", labelSelector: "app=istiod,tier in (fe)");

        var (apply, list) = (cluster.Emulator.Requests[0], cluster.Emulator.Requests[1]);
        Assert.Equal("PATCH", apply.Method);
        Assert.Equal("/api/v1/namespaces/istio-system/secrets/s", apply.Path);
        Assert.Equal("application/apply-patch+yaml", apply.MediaType);
        Assert.Equal("mesh-console", apply.QueryValue("fieldManager"));
        Assert.Equal("true", apply.QueryValue("force"));
        Assert.Equal(201, apply.StatusCode);
        Assert.InRange(apply.At, before, DateTimeOffset.UtcNow);
        Assert.Equal("app=istiod,tier in (fe)", list.QueryValue("labelSelector"));
        Assert.Equal(200, list.StatusCode);
    }
}
