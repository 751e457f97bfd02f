using System.Text.Json.Nodes;
using k8s;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace ApplyBenchmark;

/// <summary>
/// Requests per object written in a first apply (preflight + plan + dry-run + journal + apply), per emulator fixture,
/// with each permission-check strategy side by side on fresh emulators in one run.
/// </summary>
public static class RequestsPerObject
{
    private static readonly (ClusterFixture Fixture, string Version)[] Fixtures =
    [
        (ClusterFixture.NoIstio, "1.26"),
        (ClusterFixture.OldIstio, "1.7.8"),
        (ClusterFixture.MidIstio, "1.14.3"),
        (ClusterFixture.MidIstioWithOperator, "1.14.3"),
        (ClusterFixture.NewIstio, "1.28.0"),
    ];

    public sealed record Strategy(string Name, Func<KubeGateway, Preflight> Preflight);

    public static async Task<int> RunAsync(IReadOnlyList<Strategy> strategies, string caPem, string workDir)
    {
        Console.WriteLine("Requests per object written: first apply (Preflight + LiveChangePlanner + PreviewAsync + ApplyAsync, force), namespace \"default\", fresh emulator per row");
        Console.WriteLine($"{"fixture",-22} {"istio",-7} {"strategy",-22} {"objs",4} {"req",5} {"reviews",8} {"other",6} {"const",6} {"req/obj",8} {"(req-const)/obj",16}");
        foreach (var (fixture, version) in Fixtures)
        {
            foreach (var strategy in strategies)
            {
                var (objects, requests, reviews, constant) = await FirstApplyAsync(fixture, version, strategy, caPem, workDir);
                Console.WriteLine($"{fixture,-22} {version,-7} {strategy.Name,-22} {objects,4} {requests,5} {reviews,8} {requests - reviews,6} {constant,6} {(double)requests / objects,8:0.00} {(double)(requests - constant) / objects,16:0.00}");
            }
        }
        Console.WriteLine("reviews = SelfSubjectAccessReviews + SelfSubjectRulesReviews; const = requests that do not grow with objects:");
        Console.WriteLine("the whole preflight (/version, Istio detection, mesh checks, permission reviews per namespace and cluster-scoped kind)");
        Console.WriteLine("and the undo journal's reads and write; the rest is per object (read, dry-run, apply).");
        return 0;
    }

    private static async Task<(int Objects, int Requests, int Reviews, int Constant)> FirstApplyAsync(
        ClusterFixture fixture, string version, Strategy strategy, string caPem, string workDir)
    {
        await using var emulator = await KubeApiEmulator.StartAsync(fixture);
        var kubeconfig = emulator.WriteKubeconfig(Path.Combine(workDir, $"kubeconfig-{fixture}-{strategy.Name}".Replace(' ', '-')));
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var plan = PlanBuilder.Build(new PlanInput
        {
            Product = LightStepProduct.OnPremSatellites,
            AccessToken = Runs.AccessToken,
            SatelliteAddress = "lightstep-satellite.lightstep:9292",
            CaCertificatePem = caPem,
            Namespaces = ["default"],
            IstioVersion = IstioVersion.Parse(version),
        });
        var gateway = new KubeGateway(client, plan.SensitiveValues);
        emulator.ClearRequests();

        var report = await strategy.Preflight(gateway).RunAsync(plan, CancellationToken.None);
        if (!report.CanApply) throw new InvalidOperationException($"{fixture}: preflight says the apply is not possible");
        var preflightRequests = emulator.Requests.Count;
        var set = (await LiveChangePlanner.PlanAsync(gateway, plan, report.Istio, CancellationToken.None)).Value
            ?? throw new InvalidOperationException($"{fixture}: planning failed");
        var applier = new ClusterApplier(gateway, new UndoJournal(gateway, TimeProvider.System), plan.SensitiveValues);
        var previews = await applier.PreviewAsync(set, force: true, CancellationToken.None);
        if (previews.Any(p => p.Failure is not null)) throw new InvalidOperationException($"{fixture}: dry-run failed");
        var outcomes = await applier.ApplyAsync(set, report.Istio?.Namespace ?? PlanBuilder.IstioNamespace, force: true, null, CancellationToken.None);
        if (outcomes.Any(o => o.Kind == ApplyOutcomeKind.Failed)) throw new InvalidOperationException($"{fixture}: apply failed");

        var requests = emulator.Requests;
        var written = outcomes.Count(o => o.Kind is ApplyOutcomeKind.Created or ApplyOutcomeKind.Changed);
        var reviews = requests.Count(r => r.Path.Contains("/selfsubject", StringComparison.Ordinal));
        var rulesReviews = requests.Count(r => r.Path.EndsWith("/selfsubjectrulesreviews", StringComparison.Ordinal));
        // Constant: the preflight (its lists, reads and reviews depend on the namespaces, the detected Istio and the
        // cluster-scoped kinds, not on how many objects are written) and the undo journal's reads and write. What is left
        // is what the objects themselves cost: a read, a dry-run and the apply each.
        var constant = preflightRequests
            + requests.Skip(preflightRequests).Count(r => r.Path.Contains("/secrets/" + UndoJournal.SecretName, StringComparison.Ordinal));
        return (written, requests.Count, reviews, constant);
    }

}
