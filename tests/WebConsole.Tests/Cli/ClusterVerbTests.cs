using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using WebConsole.Cli;
using WebConsole.Features.Cluster;
using WebConsole.Tests.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cli;

/// <summary>
/// What `apply` and `cleanup` print and do against the emulator when the cluster is not the common case: Istio outside
/// istio-system, an object the server rejects, a conflict Status without a name, a re-apply that changes nothing.
/// </summary>
public sealed class ClusterVerbTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-verbs-").FullName;
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

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = _cluster.KubeconfigPath }).Build();
        var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(""), configuration);
        Assert.DoesNotContain(EmulatedCluster.Token, stdout.ToString() + stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string[] Apply(params string[] extra) =>
    [
        "apply", "--token-file", Path.Combine(_dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
        "--cacert", Path.Combine(_dir, "ca.pem"), "--istio-version", "1.14.3", .. extra,
    ];

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Cleanup_undoes_an_apply_that_journaled_next_to_Istio_outside_istio_system()
    {
        // istiod runs in istio-operator (which the console also searches); istio-system still exists, so a journal
        // looked for only in istio-system and default is not found.
        var store = _cluster.Emulator.Store;
        store.Put(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "istio-operator" } });
        var istiod = store.Get("apps/v1", "Deployment", "istio-system", "istiod")!.DeepClone().AsObject();
        var metadata = istiod["metadata"]!.AsObject();
        foreach (var volatileField in new[] { "resourceVersion", "uid", "creationTimestamp", "managedFields", "generation" }) metadata.Remove(volatileField);
        metadata["namespace"] = "istio-operator";
        istiod.Remove("status");
        store.Put(istiod);
        Assert.True(store.Delete("apps/v1", "Deployment", "istio-system", "istiod"));

        var (code, stdout, stderr) = await RunAsync(Apply("--namespace", "default", "--yes", "--force-conflicts"));
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("istio-operator", stdout);
        Assert.NotNull(store.Get("v1", "Secret", "istio-operator", UndoJournal.SecretName));
        Assert.NotNull(store.Get("v1", "ConfigMap", "istio-operator", "istio"));

        var (cleanup, cleanupOut, cleanupErr) = await RunAsync("cleanup", "--yes");

        Assert.True(cleanup == 0, cleanupErr + cleanupOut);
        Assert.DoesNotContain("Nothing to undo", cleanupOut);
        Assert.Null(store.Get("v1", "Secret", "default", PlanBuilder.SecretName));
        Assert.Null(store.Get("v1", "ConfigMap", "istio-operator", "istio"));
        Assert.Null(store.Get("v1", "Secret", "istio-operator", UndoJournal.SecretName));
    }

    [Fact]
    public async Task A_rejected_object_names_the_rejected_fields_on_its_row()
    {
        // A Secret's type is immutable: the planned Opaque Secret cannot replace this TLS one (422, cause field "type").
        var (certificatePem, keyPem, _) = TestCertificates.CreateCa(DateTimeOffset.UtcNow);
        _cluster.Emulator.Store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = PlanBuilder.SecretName, ["namespace"] = "default" },
            ["type"] = "kubernetes.io/tls",
            ["stringData"] = new JsonObject { ["tls.crt"] = certificatePem, ["tls.key"] = keyPem },
        });

        var (code, stdout, _) = await RunAsync(Apply("--namespace", "default", "--dry-run", "--force-conflicts"));

        Assert.Equal(CommandLine.Failed, code);
        var lines = Lines(stdout);
        var row = Array.FindIndex(lines, l => l.StartsWith("Secret/lightstep.cacert -n default", StringComparison.Ordinal));
        Assert.True(row >= 0, stdout);
        var failure = lines[row + 1];
        Assert.Contains("(422)", failure);
        Assert.Contains("Fields the server rejected: type", failure);
        Assert.Contains("Secret default/lightstep.cacert", failure);
    }

    [Fact]
    public async Task A_conflict_row_names_the_object_from_the_request_when_the_Status_does_not()
    {
        // kube-apiserver's server-side apply conflict: a Status with reason Conflict, the conflicts in the message, no details.
        _cluster.Emulator.Faults.Fail("PATCH", "/configmaps/istio$", 409, reason: "Conflict",
            message: "Apply failed with 1 conflict: conflict with \"istio-operator\" using v1: .data.mesh");

        var (code, stdout, _) = await RunAsync(Apply("--namespace", "default", "--dry-run"));

        Assert.Equal(CommandLine.Failed, code);
        var conflicts = Lines(stdout).Where(l => l.Contains("fields are owned by another field manager", StringComparison.Ordinal)).ToList();
        // Every conflict row names its object (the injector values conflict for real, the mesh config through the fault).
        Assert.All(conflicts, l => Assert.StartsWith("ConfigMap istio-system/istio", l));
        var failure = Assert.Single(conflicts, l => l.StartsWith("ConfigMap istio-system/istio: ", StringComparison.Ordinal));
        Assert.Contains(".data.mesh", failure);
        Assert.Contains("istio-operator", failure);
    }

    [Fact]
    public async Task The_restart_hint_appears_only_after_an_apply_that_changed_something()
    {
        // The ingress gateway in istio-system runs an istio-proxy container, so it reads tracing settings at start.
        var (first, firstOut, firstErr) = await RunAsync(Apply("--namespace", "istio-system", "--yes", "--force-conflicts"));
        Assert.True(first == 0, firstErr + firstOut);
        Assert.Contains("restart to pick up the settings: kubectl rollout restart deployment/istio-ingressgateway -n istio-system", firstOut);

        var (again, againOut, againErr) = await RunAsync(Apply("--namespace", "istio-system", "--yes", "--force-conflicts"));

        Assert.True(again == 0, againErr + againOut);
        Assert.Contains("Nothing changed", againOut);
        Assert.DoesNotContain("restart to pick up the settings", againOut);
    }
}
