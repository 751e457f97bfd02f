// These tests run the real kubectl against the emulator. They need a kubectl binary:
//
//     apt-get update && apt-get install -y kubernetes-client     # Debian's kubectl (1.20.2 on bookworm)
//
// Any kubectl on PATH works, or set KUBECTL=/path/to/kubectl. (If a kubectl from another package already owns
// /usr/bin/kubectl, e.g. Google Cloud SDK's, apt refuses to overwrite it; that kubectl is then used as it is.)
// Without any kubectl the tests FAIL with the install hint: they are never skipped, so a machine or CI without
// kubectl is noticed. The kubeconfig points at the emulator's HTTPS listener: kubectl sends no token over plain HTTP.

using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeEmulator.Tests;

public class KubectlTests
{
    private const string Manifest = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: lightstep.cacert
          namespace: istio-system
          labels:
            app.kubernetes.io/managed-by: mesh-console
        type: Opaque
        stringData:
          cacert.pem: |
            -----BEGIN CERTIFICATE-----
            MIIBkTCB+wIJAKHHIG...
            -----END CERTIFICATE-----
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: ServiceEntry
        metadata:
          name: lightstep-satellites
          namespace: istio-system
        spec:
          hosts:
          - ingest.lightstep.com
          location: MESH_EXTERNAL
          ports:
          - name: https
            number: 443
            protocol: TLS
          resolution: DNS
        """;

    [Fact]
    public async Task Kubectl_server_side_apply_and_get_work_against_the_emulator()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var kubectl = new Kubectl(cluster);
        var manifest = Path.Combine(Path.GetDirectoryName(cluster.KubeconfigPath)!, "manifest.yaml");
        await File.WriteAllTextAsync(manifest, Manifest);

        var apply = await kubectl.RunAsync("apply", "--server-side", "--validate=false", "--field-manager=mesh-console", "-f", manifest);
        Assert.True(apply.ExitCode == 0, apply.Describe(cluster));
        Assert.Contains("secret/lightstep.cacert serverside-applied", apply.Output);
        Assert.Contains("serviceentry.networking.istio.io/lightstep-satellites serverside-applied", apply.Output);

        var stored = cluster.Emulator.Store.Get("v1", "Secret", "istio-system", "lightstep.cacert");
        Assert.NotNull(stored);
        Assert.Contains(stored!["metadata"]!["managedFields"]!.AsArray(),
            e => e!["manager"]!.GetValue<string>() == "mesh-console" && e["operation"]!.GetValue<string>() == "Apply");
        var applyRequests = cluster.Emulator.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.All(applyRequests, r => Assert.Equal("application/apply-patch+yaml", r.MediaType));

        var get = await kubectl.RunAsync("get", "secret", "lightstep.cacert", "-n", "istio-system", "-o", "json");
        Assert.True(get.ExitCode == 0, get.Describe(cluster));
        var secret = JsonNode.Parse(get.Output)!;
        var pem = Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["cacert.pem"]!.GetValue<string>()));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem);

        // Re-applying the same manifest changes nothing.
        var rv = cluster.Emulator.Store.ResourceVersion;
        var again = await kubectl.RunAsync("apply", "--server-side", "--validate=false", "--field-manager=mesh-console", "-f", manifest);
        Assert.True(again.ExitCode == 0, again.Describe(cluster));
        Assert.Equal(rv, cluster.Emulator.Store.ResourceVersion);
    }

    [Fact]
    public async Task Kubectl_reports_apply_conflicts_and_forbidden_errors_from_the_emulator()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);
        var kubectl = new Kubectl(cluster);
        var manifest = Path.Combine(Path.GetDirectoryName(cluster.KubeconfigPath)!, "mesh.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: istio
              namespace: istio-system
            data:
              mesh: |
                enableTracing: true
            """);

        var conflict = await kubectl.RunAsync("apply", "--server-side", "--validate=false", "-f", manifest);
        Assert.True(conflict.ExitCode != 0, conflict.Describe(cluster));
        Assert.Contains("conflict with \"istio-operator\"", conflict.Error);
        Assert.Contains(".data.mesh", conflict.Error);

        var forced = await kubectl.RunAsync("apply", "--server-side", "--force-conflicts", "--validate=false", "-f", manifest);
        Assert.True(forced.ExitCode == 0, forced.Describe(cluster));

        cluster.Emulator.Access.Deny("get", "secrets", ns: "istio-system");
        var forbidden = await kubectl.RunAsync("get", "secret", "istio-ca-secret", "-n", "istio-system");
        Assert.True(forbidden.ExitCode != 0, forbidden.Describe(cluster));
        Assert.Contains("secrets \"istio-ca-secret\" is forbidden: User \"emulator-user\" cannot get resource \"secrets\"", forbidden.Error);
    }

    [Fact]
    public async Task Kubectl_delete_waits_through_a_watch_until_a_finalizer_lets_the_object_go()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"guarded","finalizers":["example.com/keep"]}}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, created.Code);
        var kubectl = new Kubectl(cluster);

        // kubectl delete (--wait by default) lists the object after its DELETE and then watches it from that list's
        // resourceVersion until it is gone; the finalizer goes only once that list was answered, so the DELETED event
        // can only reach kubectl through the watch.
        var deleting = kubectl.RunAsync("delete", "configmap", "guarded", "-n", "default", "--timeout=20s");
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!deleting.IsCompleted && !cluster.Emulator.Requests.SkipWhile(r => r.Method != "DELETE")
                   .Any(r => r.Method == "GET" && r.QueryValue("watch") != "true" && (r.QueryValue("fieldSelector")?.Contains("guarded", StringComparison.Ordinal) ?? false)))
        {
            Assert.True(DateTime.UtcNow < until, "kubectl never listed the object after deleting it");
            await Task.Delay(50);
        }

        var held = cluster.Emulator.Store.Get("v1", "ConfigMap", "default", "guarded")!;
        held["metadata"]!.AsObject().Remove("finalizers");
        cluster.Emulator.Store.Put(held, "keeper", asApply: false);
        var deleted = await deleting;

        Assert.True(deleted.ExitCode == 0, deleted.Describe(cluster));
        Assert.Contains("configmap \"guarded\" deleted", deleted.Output);
        Assert.Null(cluster.Emulator.Store.Get("v1", "ConfigMap", "default", "guarded"));
    }

    [Fact]
    public async Task Kubectl_lists_and_shows_objects_in_its_default_table_format()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);
        var kubectl = new Kubectl(cluster);

        var pods = await kubectl.RunAsync("get", "pods", "-n", "istio-system", "-l", "app=istiod");
        var version = await kubectl.RunAsync("version", "-o", "json");

        Assert.True(pods.ExitCode == 0, pods.Describe(cluster));
        Assert.Contains("istiod-", pods.Output);
        Assert.True(version.ExitCode == 0, version.Describe(cluster));
        Assert.Equal("v1.31.0", JsonNode.Parse(version.Output)!["serverVersion"]!["gitVersion"]!.GetValue<string>());
    }

    /// <summary>
    /// What the bundle's install.sh and uninstall.sh rely on (src/MeshConsole.Domain/Planning/InstallCommands.cs): given
    /// only an object's kind, name and namespace, `get --ignore-not-found -o yaml -f` prints nothing and succeeds for an
    /// absent object (its record says "created by install.sh") and prints the object when present; `delete
    /// --ignore-not-found -f` removes it and succeeds again when it is already gone.
    /// </summary>
    [Fact]
    public async Task Kubectl_get_and_delete_by_identity_with_ignore_not_found_behave_as_the_bundles_scripts_expect()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var kubectl = new Kubectl(cluster);
        var directory = Path.GetDirectoryName(cluster.KubeconfigPath)!;
        var manifest = Path.Combine(directory, "manifest.yaml");
        var identity = Path.Combine(directory, "identity.yaml");
        await File.WriteAllTextAsync(manifest, Manifest);
        await File.WriteAllTextAsync(identity, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: lightstep.cacert\n  namespace: istio-system\n");

        var absent = await kubectl.RunAsync("get", "--ignore-not-found", "-o", "yaml", "-f", identity);
        Assert.True(absent.ExitCode == 0, absent.Describe(cluster));
        Assert.Equal("", absent.Output.Trim());

        var apply = await kubectl.RunAsync("apply", "--server-side", "--validate=false", "--field-manager=lightstep-console", "-f", manifest);
        Assert.True(apply.ExitCode == 0, apply.Describe(cluster));
        var present = await kubectl.RunAsync("get", "--ignore-not-found", "-o", "yaml", "-f", identity);
        Assert.True(present.ExitCode == 0, present.Describe(cluster));
        Assert.Contains("kind: Secret", present.Output);
        Assert.Contains("name: lightstep.cacert", present.Output);

        var delete = await kubectl.RunAsync("delete", "--ignore-not-found", "-f", identity);
        Assert.True(delete.ExitCode == 0, delete.Describe(cluster));
        Assert.Null(cluster.Emulator.Store.Get("v1", "Secret", "istio-system", "lightstep.cacert"));
        var again = await kubectl.RunAsync("delete", "--ignore-not-found", "-f", identity);
        Assert.True(again.ExitCode == 0, again.Describe(cluster));
    }

    /// <summary>Runs kubectl with the emulator's kubeconfig and a private cache directory.</summary>
    private sealed class Kubectl(TestCluster cluster)
    {
        private readonly string _cacheDirectory = Path.Combine(Path.GetDirectoryName(cluster.KubeconfigPath)!, "kubectl-cache");

        public async Task<KubectlResult> RunAsync(params string[] arguments)
        {
            var executable = FindKubectl() ?? throw new Xunit.Sdk.XunitException(
                "kubectl was not found (neither $KUBECTL nor kubectl on PATH). Install it with: "
                + "apt-get update && apt-get install -y kubernetes-client");
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--kubeconfig");
            start.ArgumentList.Add(cluster.KubeconfigPath);
            start.ArgumentList.Add("--cache-dir");
            start.ArgumentList.Add(_cacheDirectory);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = Path.GetDirectoryName(cluster.KubeconfigPath);
            start.Environment.Remove("KUBECONFIG");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return new KubectlResult(string.Join(' ', arguments), process.ExitCode, await output, await error);
        }

        private static string? FindKubectl()
        {
            var configured = Environment.GetEnvironmentVariable("KUBECTL");
            if (!string.IsNullOrEmpty(configured))
            {
                return File.Exists(configured) ? configured : null;
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "kubectl"))
                .FirstOrDefault(File.Exists);
        }
    }

    private sealed record KubectlResult(string Command, int ExitCode, string Output, string Error)
    {
        /// <summary>Everything needed to debug a failed kubectl run: its output and what the emulator saw.</summary>
        public string Describe(TestCluster cluster) =>
            $"kubectl {Command} exited {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}\n--- requests ---\n"
            + string.Join("\n", cluster.Emulator.Requests.Select(r => r.ToString()));
    }
}
