using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;
using TrafficStandIns;
using WebConsole.Cli;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cli;

/// <summary>
/// `plan --check-satellite` with a backend other than LightStep: the wizard's endpoint check (TLS or a plaintext
/// connection, then a test span with the headers in the entered protocol) runs before anything is written.
/// </summary>
public sealed class OtherBackendCheckFlagTests : IAsyncLifetime
{
    private const string TeamKey = "cli-team-key-4d1e7a90c2-QRST";
    private const string HeaderName = "x-team-key";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-endpoint-check-").FullName;
    private readonly SatellitePki _pki = new("Private Endpoint CA", Now);
    private X509Certificate2 _served = null!;
    private CollectorStandIn _collector = null!;

    public async Task InitializeAsync()
    {
        _served = _pki.Issue("localhost", Now.AddHours(-1), Now.AddDays(30));
        _collector = await CollectorStandIn.StartAsync(_served, TeamKey);
        _collector.TokenHeader = HeaderName;
        File.WriteAllText(Path.Combine(_dir, "team-key.txt"), TeamKey + "\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(_dir, "wrong-key.txt"), "wrong-key-0a9b8c7d6e\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), _pki.Pem);
    }

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        _served.Dispose();
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Stdout, string Stderr)> PlanAsync(string outDir, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = "/nonexistent/kubeconfig" }).Build();
        var code = await CommandLine.RunAsync(["plan", "--istio-version", "1.26", "--out", outDir, "--check-satellite", .. args], stdout, stderr, TextReader.Null, configuration);
        Assert.DoesNotContain(TeamKey, stdout.ToString() + stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Header(string file) => $"{HeaderName}={Path.Combine(_dir, file)}";

    [Fact]
    public async Task A_tls_endpoint_is_checked_against_the_cacert_and_accepts_a_test_span_with_the_headers_over_grpc()
    {
        var outDir = Path.Combine(_dir, "tls");

        var (code, stdout, stderr) = await PlanAsync(outDir, "--backend", "otlp", "--otlp-endpoint", $"localhost:{_collector.TlsUrl!.Port}",
            "--cacert", Path.Combine(_dir, "ca.pem"), "--otlp-header-file", Header("team-key.txt"));

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"Endpoint check of localhost:{_collector.TlsUrl.Port}, trusting only the uploaded CA:", stdout);
        Assert.Contains("served: CN=localhost, issued by " + _pki.Subject, stdout);
        Assert.Contains("ok    The certificate chains to the uploaded CA", stdout);
        Assert.Contains("ok    A test span with the headers was accepted over OTLP/gRPC.", stdout);
        Assert.DoesNotContain("FAIL", stdout);
        Assert.Equal("otlp-grpc", Assert.Single(_collector.Received).Protocol);
        Assert.True(File.Exists(Path.Combine(outDir, "manifests.yaml")));
    }

    [Fact]
    public async Task A_plaintext_otlp_http_endpoint_gets_the_test_span_posted_to_its_path()
    {
        var outDir = Path.Combine(_dir, "http");

        var (code, stdout, stderr) = await PlanAsync(outDir, "--backend", "otlp", "--otlp-endpoint", $"localhost:{_collector.BaseUrl.Port}", "--insecure",
            "--otlp-protocol", "http", "--otlp-path", "/v1/traces", "--otlp-header-file", Header("team-key.txt"));

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"Endpoint check of localhost:{_collector.BaseUrl.Port}, without TLS as entered:", stdout);
        Assert.Contains("ok    A test span with the headers was accepted over OTLP/HTTP.", stdout);
        Assert.Equal("otlp-http", Assert.Single(_collector.Received).Protocol);
    }

    [Fact]
    public async Task A_wrong_otlp_http_path_is_refused_with_the_endpoints_404_and_nothing_is_written()
    {
        var outDir = Path.Combine(_dir, "wrong-path");

        var (code, stdout, stderr) = await PlanAsync(outDir, "--backend", "otlp", "--otlp-endpoint", $"localhost:{_collector.BaseUrl.Port}", "--insecure",
            "--otlp-protocol", "http", "--otlp-path", "/not/traces", "--otlp-header-file", Header("team-key.txt"));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("FAIL  A test span was refused: The collector rejected the spans (HTTP 404).", stdout);
        Assert.Equal("--check-satellite: the endpoint check failed (above); nothing was written or applied", stderr.Trim());
        Assert.Empty(_collector.Received);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_refused_header_fails_with_exit_one_without_printing_any_value()
    {
        var outDir = Path.Combine(_dir, "refused");

        var (code, stdout, stderr) = await PlanAsync(outDir, "--backend", "otlp", "--otlp-endpoint", $"localhost:{_collector.TlsUrl!.Port}",
            "--cacert", Path.Combine(_dir, "ca.pem"), "--otlp-header-file", Header("wrong-key.txt"));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("FAIL  A test span was refused for its headers (check their values)", stdout);
        Assert.DoesNotContain("wrong-key-0a9b8c7d6e", stdout + stderr);
        Assert.Empty(_collector.Received);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_cluster_internal_name_is_said_to_be_checkable_only_from_inside_the_cluster()
    {
        var outDir = Path.Combine(_dir, "jaeger");

        var (code, stdout, _) = await PlanAsync(outDir, "--backend", "jaeger");

        Assert.Equal(CommandLine.Failed, code);
        Assert.StartsWith("jaeger-collector.istio-system.svc.cluster.local is a name inside the cluster: it resolves only from inside that cluster, so it can be checked only from there", stdout);
        Assert.Contains("Endpoint check of jaeger-collector.istio-system.svc.cluster.local:4317", stdout);
        Assert.Contains("FAIL  ", stdout);
    }
}
