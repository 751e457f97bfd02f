using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeEmulator;
using Microsoft.Extensions.Configuration;
using TrafficStandIns;
using WebConsole.Cli;
using WebConsole.Tests.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cli;

/// <summary>`plan --check-satellite` against a TLS satellite stand-in: the check runs before anything is written.</summary>
public sealed class CheckSatelliteFlagTests : IAsyncLifetime
{
    private const string Token = "check-flag-token-6b2f90d4e1";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-check-").FullName;
    private readonly SatellitePki _pki = new("Satellite Pool", Now);
    private readonly SatellitePki _other = new("Someone Else", Now);
    private X509Certificate2 _served = null!;
    private CollectorStandIn _satellite = null!;

    public async Task InitializeAsync()
    {
        _served = _pki.Issue("localhost", Now.AddHours(-1), Now.AddDays(30));
        _satellite = await CollectorStandIn.StartAsync(_served, Token);
        File.WriteAllText(Path.Combine(_dir, "token.txt"), Token + "\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(_dir, "right.pem"), _pki.Pem);
        File.WriteAllText(Path.Combine(_dir, "other.pem"), _other.Pem);
    }

    public async Task DisposeAsync()
    {
        await _satellite.DisposeAsync();
        _served.Dispose();
        _pki.Dispose();
        _other.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<(int Code, string Stdout, string Stderr)> PlanAsync(string ca, string outDir, params string[] extra) =>
        RunAsync(null, ["plan", "--token-file", Path.Combine(_dir, "token.txt"), "--satellite", $"localhost:{_satellite.TlsUrl!.Port}",
            "--cacert", Path.Combine(_dir, ca), "--istio-version", "1.26", "--out", outDir, .. extra]);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? kubeconfig, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig ?? "/nonexistent/kubeconfig" }).Build();
        var code = await CommandLine.RunAsync(args, stdout, stderr, TextReader.Null, configuration);
        Assert.DoesNotContain(Token, stdout.ToString() + stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_right_ca_passes_the_check_and_the_plan_is_written()
    {
        var outDir = Path.Combine(_dir, "right");

        var (code, stdout, stderr) = await PlanAsync("right.pem", outDir, "--check-satellite");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"Satellite check of localhost:{_satellite.TlsUrl!.Port}, trusting only the uploaded CA:", stdout);
        Assert.Contains("served: CN=localhost, issued by " + _pki.Subject, stdout);
        Assert.Contains("ok    A test span with the access token was accepted.", stdout);
        Assert.DoesNotContain("FAIL", stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "manifests.yaml")));
        Assert.Single(_satellite.Received);
    }

    [Fact]
    public async Task Another_ca_fails_the_check_with_exit_one_and_nothing_is_written()
    {
        var outDir = Path.Combine(_dir, "other");

        var (code, stdout, stderr) = await PlanAsync("other.pem", outDir, "--check-satellite");

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains($"FAIL  This CA did not issue the satellite's certificate; it was issued by {_pki.Subject}.", stdout);
        Assert.StartsWith("--check-satellite: ", stderr.Trim());
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(_satellite.Received);
    }

    [Fact]
    public async Task Without_the_flag_nothing_is_checked()
    {
        var outDir = Path.Combine(_dir, "unchecked");

        var (code, stdout, _) = await PlanAsync("other.pem", outDir);

        Assert.Equal(0, code);
        Assert.DoesNotContain("Satellite check", stdout);
        Assert.Empty(_satellite.Received);
        Assert.True(File.Exists(Path.Combine(outDir, "manifests.yaml")));
    }

    [Fact]
    public async Task Apply_with_a_failed_check_exits_one_before_it_reads_or_changes_the_cluster()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.ClearRequests();
        var rv = cluster.Emulator.Store.ResourceVersion;

        var (code, stdout, _) = await RunAsync(cluster.KubeconfigPath, ["apply", "--token-file", Path.Combine(_dir, "token.txt"),
            "--satellite", $"localhost:{_satellite.TlsUrl!.Port}", "--cacert", Path.Combine(_dir, "other.pem"), "--istio-version", "1.26",
            "--check-satellite", "--yes"]);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("FAIL  This CA did not issue the satellite's certificate", stdout);
        Assert.Empty(cluster.Emulator.Requests);
        Assert.Equal(rv, cluster.Emulator.Store.ResourceVersion);
    }
}
