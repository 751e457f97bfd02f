using System.Text;
using KubeEmulator;
using Microsoft.Extensions.Configuration;
using WebConsole.Cli;
using WebConsole.Tests.Cluster;

namespace WebConsole.Tests.Cli;

/// <summary>`apply --backend …` against the emulator (Istio 1.28): the collector route to another backend is applied.</summary>
public sealed class BackendApplyTests : IAsyncLifetime
{
    private const string HoneycombKey = "HC-APPLY-KEY-0b1c2d3e";

    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-backend-apply-").FullName;
    private EmulatedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        File.WriteAllText(Path.Combine(_dir, "honeycomb.key"), HoneycombKey + "\n");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = _cluster.KubeconfigPath }).Build();
        var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(""), configuration);
        Assert.DoesNotContain(HoneycombKey, stdout.ToString() + stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("jaeger")]
    [InlineData("honeycomb")]
    public async Task Apply_creates_the_collector_that_exports_to_the_backend(string backend)
    {
        // The collector route chosen: an in-cluster Jaeger would otherwise go direct (OtherBackendDirectApplyTests).
        string[] args = ["apply", "--backend", backend, "--route", "collector", "--istio-version", "1.28", "--namespace", "default", "--yes", "--force-conflicts"];
        if (backend == "honeycomb") args = [.. args, "--otlp-header-file", "x-honeycomb-team=" + Path.Combine(_dir, "honeycomb.key")];

        var (code, stdout, stderr) = await RunAsync(args);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains(backend == "jaeger" ? "form: In-cluster OpenTelemetry Collector form · Istio 1.28.0: as chosen," : "form: In-cluster OpenTelemetry Collector form · Istio 1.28.0: the backend needs a header or TLS", stdout);
        var store = _cluster.Emulator.Store;
        var config = store.Get("v1", "ConfigMap", "lightstep-collector", "lightstep-collector")!["data"]!["collector.yaml"]!.GetValue<string>();
        Assert.Contains(backend == "jaeger" ? "endpoint: jaeger-collector.istio-system.svc.cluster.local:4317" : "endpoint: api.honeycomb.io:443", config);
        Assert.DoesNotContain(HoneycombKey, config);
        var secret = store.Get("v1", "Secret", "lightstep-collector", "lightstep-collector");
        Assert.NotNull(secret);
        var data = secret["data"]?.AsObject();
        if (backend == "honeycomb")
            Assert.Equal(HoneycombKey, Encoding.UTF8.GetString(Convert.FromBase64String(data!["header-0"]!.GetValue<string>())));
        else
            Assert.True(data is null || data.Count == 0);
    }
}
