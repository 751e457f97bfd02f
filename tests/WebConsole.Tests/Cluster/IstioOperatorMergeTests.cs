using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using WebConsole.Cli;
using WebConsole.Features.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// The operator-reconciled IstioOperator after the team edited it with kubectl: Zipkin tracing in the mesh config and a
/// NodePort ingress gateway with an HPA. Applying must keep what the console does not own.
/// </summary>
public sealed class IstioOperatorMergeTests : IAsyncLifetime
{
    private const string OperatorName = "istio-controlplane";
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-iop-").FullName;
    private EmulatedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstioWithOperator);
        var iop = TeamOperator();
        var spec = iop["spec"]!.AsObject();
        spec["meshConfig"]!["defaultConfig"] = JsonNode.Parse("""{ "tracing": { "sampling": 5, "zipkin": { "address": "zipkin.tracing:9411" } } }""");
        spec["components"]!["ingressGateways"] = JsonNode.Parse("""
            [ { "name": "istio-ingressgateway", "enabled": true,
                "k8s": { "service": { "type": "NodePort" }, "hpaSpec": { "minReplicas": 2, "maxReplicas": 6 } } } ]
            """);
        _cluster.Emulator.Store.Put(iop, "kubectl-client-side-apply", asApply: false);
        File.WriteAllText(Path.Combine(_dir, "token.txt"), EmulatedCluster.Token + "\n");
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private JsonObject TeamOperator() =>
        _cluster.Emulator.Store.Get("install.istio.io/v1alpha1", "IstioOperator", "istio-system", OperatorName)!;

    [Fact]
    public async Task Apply_removes_zipkin_with_a_warning_keeps_the_gateway_fields_and_undo_restores_them()
    {
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3", "default"));
        var report = await _cluster.Preflight().RunAsync(plan, default);
        var before = TeamOperator().DeepClone().AsObject();

        var set = (await LiveChangePlanner.PlanAsync(_cluster.Gateway, plan, report.Istio, default)).Value!;
        var note = Assert.Single(set.Notes, n => n.Code == "Note.OtherTracerRemoved");
        Assert.Equal(["zipkin", $"IstioOperator/{OperatorName} -n istio-system"], note.Arguments.Select(a => a.ToString()));

        var previews = await _cluster.Applier().PreviewAsync(set, force: false, default);
        var preview = Assert.Single(previews, p => p.Change.Target.Kind == "IstioOperator");
        Assert.Equal(ChangeKind.Change, preview.Kind);
        Assert.Contains(preview.Diff!.Lines, l => l.Kind == MeshConsole.Domain.Cluster.DiffLineKind.Removed && l.Text.Contains("zipkin", StringComparison.Ordinal));
        Assert.Contains(preview.Diff!.Lines, l => l.Kind == MeshConsole.Domain.Cluster.DiffLineKind.Added && l.Text.Contains("lightstep-certs", StringComparison.Ordinal));
        Assert.DoesNotContain(preview.Diff!.Lines, l => l.Kind == MeshConsole.Domain.Cluster.DiffLineKind.Removed && l.Text.Contains("NodePort", StringComparison.Ordinal));

        var outcomes = await _cluster.Applier().ApplyAsync(set, "istio-system", force: false, null, default);
        Assert.All(outcomes, o => Assert.True(o.Failure is null, o.Failure?.ToString()));

        var after = TeamOperator()["spec"]!;
        var tracing = after["meshConfig"]!["defaultConfig"]!["tracing"]!.AsObject();
        Assert.False(tracing.ContainsKey("zipkin"));
        Assert.Equal("lightstep-satellite.lightstep:9292", (string?)tracing["lightstep"]!["address"]);
        var gateway = Assert.Single(after["components"]!["ingressGateways"]!.AsArray())!;
        Assert.Equal("NodePort", (string?)gateway["k8s"]!["service"]!["type"]);
        Assert.Equal(6, (int)gateway["k8s"]!["hpaSpec"]!["maxReplicas"]!);
        Assert.Contains("lightstep-certs", gateway["k8s"]!["overlays"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("/dev/stdout", (string?)after["meshConfig"]!["accessLogFile"]);

        var again = (await LiveChangePlanner.PlanAsync(_cluster.Gateway, plan, report.Istio, default)).Value!;
        Assert.DoesNotContain(again.Notes, n => n.Code == "Note.OtherTracerRemoved");
        var reapplied = await _cluster.Applier().ApplyAsync(again, "istio-system", force: false, null, default);
        Assert.Equal(ApplyOutcomeKind.Unchanged, Assert.Single(reapplied, o => o.Target.Kind == "IstioOperator").Kind);

        var undone = await _cluster.Applier().UndoAsync("istio-system", null, default);
        Assert.All(undone, o => Assert.True(o.Failure is null, o.Failure?.ToString()));
        Assert.True(JsonNode.DeepEquals(before["spec"], TeamOperator()["spec"]), TeamOperator()["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task Preview_dry_runs_the_operator_replace_so_a_refused_update_shows_before_anything_is_applied()
    {
        // RBAC that lets the user read IstioOperators but not update them: the whole-object PUT is the only write the
        // preview did not send as a dry run, so the refusal only came halfway through the apply.
        _cluster.Emulator.Access.Deny("update", "istiooperators", group: "install.istio.io");
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3", "default"));
        var report = await _cluster.Preflight().RunAsync(plan, default);
        var before = TeamOperator()["metadata"]!["resourceVersion"]!.GetValue<string>();
        _cluster.Emulator.ClearRequests();

        var set = (await LiveChangePlanner.PlanAsync(_cluster.Gateway, plan, report.Istio, default)).Value!;
        var previews = await _cluster.Applier().PreviewAsync(set, force: false, default);

        var preview = Assert.Single(previews, p => p.Change.Target.Kind == "IstioOperator");
        Assert.Equal(MeshConsole.Domain.Cluster.ClusterFailureKind.Forbidden, preview.Failure?.Kind);
        Assert.False(new PreviewedChange(set, previews, Force: false).CanApply);
        var put = Assert.Single(_cluster.Emulator.Requests, r => r.Method == "PUT");
        Assert.Equal("All", put.QueryValue("dryRun"));
        Assert.Equal(before, TeamOperator()["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Preview_of_the_operator_replace_reports_a_stale_read_as_a_conflict()
    {
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3", "default"));
        var report = await _cluster.Preflight().RunAsync(plan, default);
        var set = (await LiveChangePlanner.PlanAsync(_cluster.Gateway, plan, report.Istio, default)).Value!;
        // Someone (the operator, a teammate's kubectl) changes it between the read and the preview.
        var changed = TeamOperator();
        changed["metadata"]!["labels"] = new JsonObject { ["team"] = "payments" };
        _cluster.Emulator.Store.Put(changed, "kubectl-edit", asApply: false);

        var previews = await _cluster.Applier().PreviewAsync(set, force: false, default);

        var preview = Assert.Single(previews, p => p.Change.Target.Kind == "IstioOperator");
        Assert.Equal(MeshConsole.Domain.Cluster.ClusterFailureKind.Conflict, preview.Failure?.Kind);
    }

    [Fact]
    public async Task Apply_yes_prints_the_operator_diff_and_the_warning()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = _cluster.KubeconfigPath }).Build();

        var code = await CommandLine.RunAsync(
            ["apply", "--token-file", Path.Combine(_dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
             "--cacert", Path.Combine(_dir, "ca.pem"), "--istio-version", "1.14.3", "--namespace", "default", "--yes"],
            stdout, stderr, new StringReader(""), configuration);

        var output = stdout.ToString();
        Assert.True(code == 0, stderr + output);
        Assert.Contains("The zipkin tracer in IstioOperator/istio-controlplane -n istio-system is removed", output);
        var lines = output.Split('\n');
        Assert.Contains(lines, l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal) && l.Contains("zipkin", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("+ ", StringComparison.Ordinal) && l.Contains("lightstep-certs", StringComparison.Ordinal));
        Assert.DoesNotContain(EmulatedCluster.Token, output + stderr);
        Assert.Equal("NodePort", (string?)TeamOperator()["spec"]!["components"]!["ingressGateways"]![0]!["k8s"]!["service"]!["type"]);
    }
}
