using System.Diagnostics;
using System.Net;
using KubeEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Cluster;
using WebConsole.Features.Health;
using WebConsole.Tests.Web;

namespace WebConsole.Tests.Health;

public sealed class HealthEndpointsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lsmc-health-").FullName;
    private WebApplication? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Just the health services and endpoints, with the console's cluster catalog for <paramref name="kubeconfigPath"/>.</summary>
    private async Task<HttpClient> StartAsync(string kubeconfigPath)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfigPath });
        builder.Services.AddSingleton<KubeconfigCatalog>();
        builder.Services.AddHealthServices();
        _app = builder.Build();
        _app.MapHealthEndpoints();
        await _app.StartAsync();
        return _app.GetTestClient();
    }

    private string NoKubeconfig => Path.Combine(_directory, "absent", "kubeconfig");

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Liveness_says_ok()
    {
        var client = await StartAsync(NoKubeconfig);

        Assert.Equal((HttpStatusCode.OK, "ok\n"), await GetAsync(client, HealthEndpoints.LivenessPath));
    }

    [Fact]
    public async Task Offline_is_ready()
    {
        var client = await StartAsync(NoKubeconfig);

        Assert.Equal((HttpStatusCode.OK, "ok (offline: no cluster configured)\n"), await GetAsync(client, HealthEndpoints.ReadinessPath));
    }

    [Fact]
    public async Task A_reachable_api_server_is_ready()
    {
        await using var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio);
        var client = await StartAsync(emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), contextName: "demo"));

        Assert.Equal((HttpStatusCode.OK, "ok (context demo: API server v1.31.0)\n"), await GetAsync(client, HealthEndpoints.ReadinessPath));
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await GetAsync(client, HealthEndpoints.LivenessPath));
    }

    [Fact]
    public async Task A_slow_api_server_is_not_ready_after_two_seconds()
    {
        await using var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio);
        emulator.Faults.Delay("GET", "^/version/?$", TimeSpan.FromSeconds(5));
        var client = await StartAsync(emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), contextName: "demo"));
        var clock = Stopwatch.StartNew();

        var (status, body) = await GetAsync(client, HealthEndpoints.ReadinessPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not ready: context demo: the API server did not answer /version within 2 s\n", body);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(4));
        // Liveness does not depend on the cluster.
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await GetAsync(client, HealthEndpoints.LivenessPath));
    }

    [Fact]
    public async Task An_api_server_error_is_reported_by_status_only()
    {
        await using var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio);
        emulator.Faults.Fail("GET", "^/version/?$", 401, message: "token " + KubeApiEmulator.Token + " rejected");
        var client = await StartAsync(emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), contextName: "demo"));

        var (status, body) = await GetAsync(client, HealthEndpoints.ReadinessPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not ready: context demo: the API server answered /version with HTTP 401\n", body);
        Assert.DoesNotContain(KubeApiEmulator.Token, body);
    }

    [Fact]
    public async Task An_unreachable_api_server_is_not_ready()
    {
        string kubeconfig;
        await using (var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio))
            kubeconfig = emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), contextName: "demo");
        var client = await StartAsync(kubeconfig);

        var (status, body) = await GetAsync(client, HealthEndpoints.ReadinessPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not ready: context demo: the API server cannot be reached\n", body);
    }

    [Fact]
    public async Task An_unreadable_kubeconfig_is_not_ready_and_not_quoted()
    {
        var path = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(path, "clusters: [ {{ not yaml secret-looking-value");
        var client = await StartAsync(path);

        var (status, body) = await GetAsync(client, HealthEndpoints.ReadinessPath);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready: the kubeconfig cannot be read\n"), (status, body));
    }

    /// <summary>The console itself serves both endpoints (MeshConsoleServices wires AddHealthServices and MapHealthEndpoints).</summary>
    [Fact]
    public async Task The_console_serves_the_health_endpoints()
    {
        await using var factory = new OfflineAppFactory();
        using var client = factory.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "ok\n"), await GetAsync(client, HealthEndpoints.LivenessPath));
        Assert.Equal((HttpStatusCode.OK, "ok (offline: no cluster configured)\n"), await GetAsync(client, HealthEndpoints.ReadinessPath));
    }
}
