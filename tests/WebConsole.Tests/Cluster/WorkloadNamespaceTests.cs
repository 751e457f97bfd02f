using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using WebConsole.Cli;
using WebConsole.Features.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// A namespace chosen in the Namespaces step that does not exist yet: the plan creates it ahead of its CA Secret, the
/// preview says so, and undo deletes it again; an existing namespace is neither written nor journaled, so undo keeps it
/// with whatever changed in it since.
/// </summary>
public sealed class WorkloadNamespaceTests
{
    private static SortedDictionary<string, string> Snapshot(KubeApiEmulator emulator) =>
        RawObjects.Snapshot(emulator, [("v1", "Namespace"), ("v1", "Secret"), ("v1", "ConfigMap"), ("install.istio.io/v1alpha1", "IstioOperator")]);

    [Fact]
    public async Task Apply_into_a_missing_namespace_creates_it_and_undo_leaves_the_cluster_as_it_was()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        Assert.Null(cluster.Emulator.Store.Get("v1", "Namespace", null, "shop"));
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3", "default", "shop"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        Assert.True(report.CanApply);
        var before = Snapshot(cluster.Emulator);

        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;
        var previews = await cluster.Applier().PreviewAsync(set, force: true, default);

        Assert.All(previews, p => Assert.Null(p.Failure));
        // Only the missing namespace is part of the change; default exists and is left alone.
        var created = Assert.Single(previews, p => p.Change.Target.Kind == "Namespace");
        Assert.Equal(("shop", ChangeKind.Create, "Role.WorkloadNamespace"), (created.Change.Target.Name, created.Kind, created.Change.PurposeCode));
        var secret = Assert.Single(previews, p => p.Change.Target is { Kind: "Secret", Namespace: "shop" });
        Assert.Equal((ChangeKind.Create, true), (secret.Kind, secret.AwaitsNamespace));
        Assert.Equal(before, Snapshot(cluster.Emulator));

        var applied = await cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);

        Assert.All(applied, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Namespace", null, "shop"));
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Secret", "shop", PlanBuilder.SecretName));

        var undone = await cluster.Applier().UndoAsync("istio-system", null, default);

        Assert.All(undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Contains(undone, o => o is { Kind: ApplyOutcomeKind.Deleted, Target: { Kind: "Namespace", Name: "shop" } });
        Assert.Null(cluster.Emulator.Store.Get("v1", "Namespace", null, "shop"));
        Assert.Equal(before, Snapshot(cluster.Emulator));
    }

    [Fact]
    public async Task An_existing_namespace_is_not_journaled_and_keeps_later_changes_through_undo()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3", "default"));
        var report = await cluster.Preflight().RunAsync(plan, default);
        var set = (await LiveChangePlanner.PlanAsync(cluster.Gateway, plan, report.Istio, default)).Value!;

        Assert.DoesNotContain(set.Changes, c => c.Target.Kind == "Namespace");
        var applied = await cluster.Applier().ApplyAsync(set, "istio-system", force: true, null, default);
        Assert.All(applied, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));

        // The team labels the namespace after the apply; undoing the console's change must not take that back.
        var labelled = cluster.Emulator.Store.Get("v1", "Namespace", null, "default")!.DeepClone().AsObject();
        labelled["metadata"]!["labels"] = new JsonObject { ["istio-injection"] = "enabled" };
        cluster.Emulator.Store.Put(labelled, "kubectl-label", asApply: false);
        var undone = await cluster.Applier().UndoAsync("istio-system", null, default);

        Assert.All(undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.DoesNotContain(undone, o => o.Target.Kind == "Namespace");
        var kept = cluster.Emulator.Store.Get("v1", "Namespace", null, "default");
        Assert.Equal("enabled", (string?)kept?["metadata"]?["labels"]?["istio-injection"]);
    }

    [Fact]
    public async Task The_command_line_preview_and_cleanup_say_the_console_creates_and_then_deletes_the_namespace()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var dir = Directory.CreateTempSubdirectory("mesh-console-namespace-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "token.txt"), EmulatedCluster.Token + "\n");
            File.WriteAllText(Path.Combine(dir, "ca.pem"), TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath }).Build();
            async Task<(int Code, string Out)> Run(params string[] args)
            {
                var stdout = new StringWriter();
                var stderr = new StringWriter();
                var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(""), configuration);
                return (code, stdout.ToString() + stderr);
            }

            var (code, output) = await Run("apply", "--token-file", Path.Combine(dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
                "--cacert", Path.Combine(dir, "ca.pem"), "--istio-version", "1.14.3", "--namespace", "shop", "--yes", "--force-conflicts");

            Assert.True(code == 0, output);
            Assert.Matches(@"Namespace/shop\s+will be created", output);
            Assert.Matches(@"Namespace/shop\s+created", output);
            Assert.NotNull(cluster.Emulator.Store.Get("v1", "Namespace", null, "shop"));

            var (cleanup, cleanupOut) = await Run("cleanup", "--yes");

            Assert.True(cleanup == 0, cleanupOut);
            Assert.Contains("Namespace/shop: will be deleted (the console created it)", cleanupOut);
            Assert.Null(cluster.Emulator.Store.Get("v1", "Namespace", null, "shop"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
