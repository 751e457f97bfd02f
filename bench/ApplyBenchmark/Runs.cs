using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace ApplyBenchmark;

/// <summary>One measured run of one tool: wall time, the emulator's requests, and when they arrived.</summary>
public sealed record Sample(double WallMs, Counts Counts, double FirstRequestMs, double LastRequestMs, IReadOnlyDictionary<string, double> PhasesMs,
    IReadOnlyList<RecordedRequest> Requests);

/// <summary>Create on a fresh cluster, then the same apply again (no change), plus the console's steps outside the ratio.</summary>
public sealed record RunPair(Sample Create, Sample Reapply, Sample? Preflight = null, Sample? RestartLookup = null);

/// <summary>The workload of one size: the plan, the console's view of it, and the manifests kubectl gets.</summary>
public sealed record Workload(int N, IReadOnlyList<string> Namespaces, Plan Plan, string SecretManifestsYaml, int FullManifestDocuments, string ExpectedData)
{
    public int Objects => Namespaces.Count;
}

public static class Runs
{
    public const string AccessToken = "lsBENCH-token-0123456789-abcdefghijklmnop";

    public static Workload Workload(int n, string caPem)
    {
        var namespaces = Enumerable.Range(1, n).Select(i => $"bench-{i}").ToList();
        var plan = PlanBuilder.Build(new PlanInput
        {
            Product = LightStepProduct.OnPremSatellites,
            AccessToken = AccessToken,
            SatelliteAddress = "lightstep-satellite.lightstep:9292",
            CaCertificatePem = caPem,
            Namespaces = namespaces,
            IstioVersion = IstioVersion.Parse("1.26"),
        });
        // What kubectl can apply to a cluster without Istio: the CA Secrets in the user's namespaces, i.e. exactly the
        // objects LiveChangePlanner keeps when no Istio is found (it drops istio.io objects and anything in istio-system).
        var secrets = plan.Objects
            .Where(o => o.Role == PlannedObjectRole.CaCertificateSecret && o.Namespace != PlanBuilder.IstioNamespace)
            .Select(o => o.Resource)
            .ToList();
        var full = PlanRenderer.ManifestsYaml(plan);
        var documents = full.Split("\n---", StringSplitOptions.RemoveEmptyEntries).Count(d => d.Contains("kind:"));
        return new Workload(n, namespaces, plan, PlanRenderer.Yaml(secrets), documents, Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem)));
    }

    private static async Task<KubeApiEmulator> FreshClusterAsync(Workload w)
    {
        var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio);
        foreach (var ns in w.Namespaces)
            emulator.Store.Put(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        emulator.ClearRequests();
        return emulator;
    }

    // ---------------------------------------------------------------- console

    /// <summary>
    /// The console's user path on a fresh emulator: preflight (measured, outside the ratio), then the timed part:
    /// LiveChangePlanner (GET per object) + PreviewAsync (server dry-run per object + diff) + ApplyAsync (journal +
    /// one apply per object), with the UI's default force=false. Then the same again on the now-populated cluster.
    /// </summary>
    public static async Task<RunPair> ConsoleAsync(Workload w, string workDir, CancellationToken ct)
    {
        await using var emulator = await FreshClusterAsync(w);
        var kubeconfig = emulator.WriteKubeconfig(Path.Combine(workDir, "kubeconfig"));
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var gateway = new KubeGateway(client, w.Plan.SensitiveValues);
        var clock = TimeProvider.System;

        PreflightReport report = null!;
        var preflight = await MeasureAsync(emulator, async phases =>
        {
            report = await new Preflight(gateway, clock).RunAsync(w.Plan, ct);
        });
        Require(report.ApiReachable && report.CanApply && report.Istio is null, "console preflight: " + (report.Api.Failure?.Kind.ToString() ?? "cannot apply / Istio found"));
        var journalNamespace = report.Istio?.Namespace ?? PlanBuilder.IstioNamespace;

        var create = await MeasureAsync(emulator, async phases =>
            await ConsoleApplyAsync(gateway, w, report, journalNamespace, phases, expectCreate: true, ct));
        VerifyStored(emulator, w);

        var restarts = await MeasureAsync(emulator, async _ =>
        {
            var found = await new WorkloadRestarts(gateway, clock).FindAsync(w.Namespaces, ct);
            Require(found.Succeeded, "console restart lookup failed");
        });

        var rv = emulator.Store.ResourceVersion;
        var reapply = await MeasureAsync(emulator, async phases =>
            await ConsoleApplyAsync(gateway, w, report, journalNamespace, phases, expectCreate: false, ct));
        Require(emulator.Store.ResourceVersion == rv, "console re-apply changed the cluster");
        return new RunPair(create, reapply, preflight, restarts);
    }

    private static async Task ConsoleApplyAsync(KubeGateway gateway, Workload w, PreflightReport report, string journalNamespace,
        Dictionary<string, double> phases, bool expectCreate, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var planned = await LiveChangePlanner.PlanAsync(gateway, w.Plan, report.Istio, ct);
        Require(planned.Succeeded, "LiveChangePlanner: " + planned.Failure?.ServerMessage);
        var set = planned.Value!;
        Require(set.Changes.Count == w.Objects && set.Changes.All(c => c.Target.Kind == "Secret"),
            $"LiveChangePlanner kept {set.Changes.Count} objects, expected the {w.Objects} namespace Secrets kubectl applies");
        phases["plan (GET/object)"] = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var applier = new ClusterApplier(gateway, new UndoJournal(gateway, TimeProvider.System), w.Plan.SensitiveValues);
        var previews = await applier.PreviewAsync(set, force: false, ct);
        Require(previews.All(p => p.Failure is null && p.Kind == (expectCreate ? ChangeKind.Create : ChangeKind.NoChange)),
            "PreviewAsync: " + string.Join("; ", previews.Select(p => $"{p.Change.Target.Namespace}: {p.Kind} {p.Failure?.Kind} {p.Failure?.ServerMessage}")));
        phases["preview (dry-run/object + diff)"] = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var outcomes = await applier.ApplyAsync(set, journalNamespace, force: false, null, ct);
        var expected = expectCreate ? ApplyOutcomeKind.Created : ApplyOutcomeKind.Unchanged;
        Require(outcomes.Count == w.Objects && outcomes.All(o => o.Kind == expected),
            "ApplyAsync: " + string.Join("; ", outcomes.Select(o => $"{o.Target.Namespace}: {o.Kind} {o.Failure?.Kind} {o.Failure?.ServerMessage}")));
        phases["apply (journal + apply/object)"] = sw.Elapsed.TotalMilliseconds;
    }

    // ---------------------------------------------------------------- kubectl

    /// <summary>
    /// `kubectl apply --server-side` of the same Secrets on a fresh emulator (empty discovery cache: a new cluster),
    /// then the same command again with the cache the first run left (what a second run within 10 minutes sees).
    /// </summary>
    public static async Task<RunPair> KubectlAsync(Workload w, string kubectl, string workDir, CancellationToken ct)
    {
        await using var emulator = await FreshClusterAsync(w);
        var kubeconfig = emulator.WriteKubeconfig(Path.Combine(workDir, "kubeconfig"));
        var manifests = Path.Combine(workDir, PlanRenderer.ManifestsFile);
        await File.WriteAllTextAsync(manifests, w.SecretManifestsYaml, ct);
        var cacheDir = Path.Combine(workDir, "kube-cache");
        string[] arguments =
        [
            "--kubeconfig", kubeconfig, "--cache-dir", cacheDir,
            "apply", "--server-side", $"--field-manager={PlanBuilder.FieldManager}", "--validate=false", "-f", manifests,
        ];

        var create = await MeasureAsync(emulator, async _ =>
        {
            var (code, output) = await RunProcessAsync(kubectl, arguments, workDir, ct);
            Require(code == 0 && CountLines(output, "serverside-applied") == w.Objects, $"kubectl apply (create) exited {code}:\n{output}");
        });
        VerifyStored(emulator, w);

        var rv = emulator.Store.ResourceVersion;
        var reapply = await MeasureAsync(emulator, async _ =>
        {
            var (code, output) = await RunProcessAsync(kubectl, arguments, workDir, ct);
            Require(code == 0 && CountLines(output, "serverside-applied") == w.Objects, $"kubectl apply (re-apply) exited {code}:\n{output}");
        });
        Require(emulator.Store.ResourceVersion == rv, "kubectl re-apply changed the cluster");
        return new RunPair(create, reapply);
    }

    public static async Task<(int ExitCode, string Output)> RunProcessAsync(string file, IEnumerable<string> arguments, string workDir, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["HOME"] = workDir; // no ~/.kube of the machine's user
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    // ---------------------------------------------------------------- shared

    private static async Task<Sample> MeasureAsync(KubeApiEmulator emulator, Func<Dictionary<string, double>, Task> run)
    {
        var phases = new Dictionary<string, double>();
        emulator.ClearRequests();
        var startedAt = DateTimeOffset.UtcNow;
        var sw = Stopwatch.StartNew();
        await run(phases);
        var wall = sw.Elapsed.TotalMilliseconds;
        var requests = emulator.Requests;
        var first = requests.Count == 0 ? 0 : (requests.Min(r => r.At) - startedAt).TotalMilliseconds;
        var last = requests.Count == 0 ? 0 : (requests.Max(r => r.At) - startedAt).TotalMilliseconds;
        return new Sample(wall, RequestKinds.Count(requests), first, last, phases, requests);
    }

    /// <summary>Both tools must leave the same thing behind: each namespace's Secret with the CA, applied by lightstep-console.</summary>
    private static void VerifyStored(KubeApiEmulator emulator, Workload w)
    {
        foreach (var ns in w.Namespaces)
        {
            var secret = emulator.Store.Get("v1", "Secret", ns, PlanBuilder.SecretName);
            Require(secret is not null, $"Secret {ns}/{PlanBuilder.SecretName} was not created");
            Require((string?)secret!["data"]?[PlanBuilder.SecretKey] == w.ExpectedData, $"Secret {ns}/{PlanBuilder.SecretName} has other data");
            Require(secret["metadata"]!["managedFields"]!.AsArray().Any(m =>
                    (string?)m!["manager"] == PlanBuilder.FieldManager && (string?)m["operation"] == "Apply"),
                $"Secret {ns}/{PlanBuilder.SecretName} is not server-side applied by {PlanBuilder.FieldManager}");
        }
    }

    private static int CountLines(string output, string marker) =>
        output.Split('\n').Count(l => l.Contains(marker, StringComparison.Ordinal));

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new InvalidOperationException("benchmark run invalid: " + message);
    }
}
