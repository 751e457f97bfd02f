using KubeEmulator;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using WebConsole.Cli;
using WebConsole.Features.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cluster;

/// <summary>`apply` and `cleanup` against the emulator through a kubeconfig, as a demo script would run them.</summary>
public sealed class ClusterCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-apply-").FullName;
    private EmulatedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        File.WriteAllText(Path.Combine(_dir, "token.txt"), EmulatedCluster.Token + "\n");
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = _cluster.KubeconfigPath }).Build();
        var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(stdin), configuration);
        Assert.DoesNotContain(EmulatedCluster.Token, stdout.ToString() + stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string[] PlanArgs(params string[] extra) =>
    [
        "apply", "--token-file", Path.Combine(_dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
        "--cacert", Path.Combine(_dir, "ca.pem"), "--istio-version", "1.14.3", "--namespace", "default", .. extra,
    ];

    [Fact]
    public async Task Dry_run_prints_the_diff_and_changes_nothing()
    {
        var rv = _cluster.Emulator.Store.ResourceVersion;

        var (code, stdout, _) = await RunAsync("", PlanArgs("--dry-run", "--force-conflicts"));

        Assert.Equal(0, code);
        Assert.Contains("Secret/lightstep.cacert -n default", stdout);
        Assert.Contains("will be created", stdout);
        Assert.Contains("+ ", stdout);
        Assert.Equal(rv, _cluster.Emulator.Store.ResourceVersion);
    }

    [Fact]
    public async Task Apply_reports_each_object_then_reapplying_changes_nothing_and_cleanup_undoes_it()
    {
        var mesh = _cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!;
        mesh["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject
        {
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}\n",
        };
        _cluster.Emulator.Store.Put(mesh, "kubectl-client-side-apply", asApply: false);
        var meshBefore = RawObjects.Get(_cluster.Emulator, "v1", "ConfigMap", "istio-system", "istio");

        var (code, stdout, stderr) = await RunAsync("", PlanArgs("--yes", "--force-conflicts"));
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("created", stdout);
        Assert.NotNull(_cluster.Emulator.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));

        var (again, againOut, _) = await RunAsync("", PlanArgs("--yes", "--force-conflicts"));
        Assert.Equal(0, again);
        Assert.Contains("Nothing changed", againOut);

        var (cleanup, cleanupOut, cleanupErr) = await RunAsync("", "cleanup", "--yes");
        Assert.True(cleanup == 0, cleanupErr + cleanupOut);
        Assert.Contains("deleted", cleanupOut);
        Assert.Null(_cluster.Emulator.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));
        Assert.Null(_cluster.Emulator.Store.Get("v1", "Secret", "istio-system", UndoJournal.SecretName));
        Assert.Equal(meshBefore, RawObjects.Get(_cluster.Emulator, "v1", "ConfigMap", "istio-system", "istio"));
    }

    [Fact]
    public async Task A_throttled_apply_waits_as_the_server_asked_and_says_so_on_stderr()
    {
        _cluster.Emulator.Faults.Fail("PATCH", "/configmaps/istio$", 429, times: 1, retryAfterSeconds: 1);

        var (code, stdout, stderr) = await RunAsync("", PlanArgs("--yes", "--force-conflicts"));

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("The API server asked to wait: waiting 1 s as it asked (Retry-After 1 s), then retry 1.", stderr);
    }

    [Fact]
    public async Task A_conflict_without_force_fails_naming_the_owner()
    {
        var (code, stdout, _) = await RunAsync("", PlanArgs("--yes"));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("istio-operator", stdout);
        Assert.Null(_cluster.Emulator.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));
    }

    [Fact]
    public async Task Declining_the_confirmation_changes_nothing()
    {
        var (code, _, stderr) = await RunAsync("n\n", PlanArgs("--force-conflicts"));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("Nothing was changed", stderr);
        Assert.Null(_cluster.Emulator.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));
    }

    [Fact]
    public async Task A_missing_permission_fails_preflight_with_the_command_that_grants_it()
    {
        _cluster.Emulator.Access.Deny("patch", "secrets", "", "default");

        var (code, stdout, _) = await RunAsync("", PlanArgs("--yes", "--force-conflicts"));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("Missing permission: patch secrets in default", stdout);
        Assert.Contains("kubectl create role", stdout);
    }

    [Fact]
    public async Task An_unknown_context_is_invalid_input()
    {
        var (code, _, stderr) = await RunAsync("", PlanArgs("--context", "nope"));

        Assert.Equal(CommandLine.InvalidInput, code);
        Assert.Contains("--context: no context \"nope\"", stderr);
    }

    [Fact]
    public async Task Cleanup_with_nothing_recorded_says_so()
    {
        var (code, stdout, _) = await RunAsync("", "cleanup", "--yes");

        Assert.Equal(0, code);
        Assert.Contains("Nothing to undo", stdout);
    }
}
