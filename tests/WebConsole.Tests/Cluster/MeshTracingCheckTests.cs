using KubeEmulator;
using KubeEmulator.Fixtures;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using WebConsole.Cli;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cluster;

/// <summary>The mesh checks preflight runs before apply, against fixture clusters with a team's tracing setup.</summary>
public sealed class MeshTracingCheckTests
{
    private static async Task<(EmulatedCluster Cluster, MeshTracingReport Report)> CheckAsync(
        ClusterFixture fixture, MeshTracingScenario? scenario, string version, params string[] namespaces)
    {
        var cluster = await EmulatedCluster.StartAsync(fixture);
        if (scenario is { } s) MeshTracingFixtures.Seed(cluster.Emulator.Store, s);
        var plan = PlanBuilder.Build(EmulatedCluster.Input(version, namespaces) with { SamplingPercent = 100m });
        var report = await cluster.Preflight().RunAsync(plan, default);
        Assert.Null(report.MeshTracingFailure);
        return (cluster, report.MeshTracing!);
    }

    [Fact]
    public async Task A_namespace_telemetry_overrides_the_planned_mesh_wide_sampling()
    {
        var (cluster, report) = await CheckAsync(ClusterFixture.NewIstio, MeshTracingScenario.NamespaceSamplingOverride, "1.28.0", "default", "shop");
        await using var _ = cluster;

        var overridden = Assert.Single(report.Sampling, s => s.Namespace == "default");
        Assert.True(overridden.Overridden);
        Assert.Equal(5m, overridden.Decision.Percent);
        Assert.Equal(SamplingSource.NamespaceTelemetry, overridden.Decision.Source);
        Assert.Equal("Telemetry/tracing-sampling -n default", overridden.Decision.SourceObject);

        var ours = Assert.Single(report.Sampling, s => s.Namespace == "shop");
        Assert.False(ours.Overridden);
        Assert.Equal(SamplingSource.MeshTelemetry, ours.Decision.Source);
        Assert.Equal(100m, ours.Decision.Percent);
    }

    [Fact]
    public async Task A_workload_telemetry_is_shown_as_an_override_for_the_workloads_it_selects()
    {
        var (cluster, report) = await CheckAsync(ClusterFixture.NewIstio, MeshTracingScenario.WorkloadSamplingOverride, "1.28.0", "default");
        await using var _ = cluster;

        var ns = Assert.Single(report.Sampling);
        Assert.Equal(100m, ns.Decision.Percent);
        var workload = Assert.Single(ns.WorkloadOverrides);
        Assert.Equal("app=reviews", workload.Telemetry.Selector);
        Assert.Equal(new SamplingDecision(50m, SamplingSource.WorkloadTelemetry, "Telemetry/reviews-tracing -n default"), workload.Decision);
        Assert.True(ns.Overridden);
    }

    [Fact]
    public async Task Before_1_20_a_telemetry_without_percentage_means_zero_not_the_mesh_config()
    {
        var (cluster, report) = await CheckAsync(ClusterFixture.MidIstio, MeshTracingScenario.TelemetryWithoutPercentage, "1.14.3", "default");
        await using var _ = cluster;

        var ns = Assert.Single(report.Sampling);
        Assert.Equal(new SamplingDecision(0m, SamplingSource.TelemetryDefault, "Telemetry/tracing-tags -n istio-system"), ns.Decision);
        Assert.True(ns.Overridden);
    }

    [Fact]
    public async Task Without_telemetry_the_planned_mesh_config_sampling_decides_and_zipkin_is_replaced()
    {
        var (cluster, report) = await CheckAsync(ClusterFixture.MidIstio, null, "1.14.3", "default");
        await using var _ = cluster;

        var ns = Assert.Single(report.Sampling);
        Assert.False(ns.Overridden);
        Assert.Equal(new SamplingDecision(100m, SamplingSource.ProxyConfig, "meshConfig.defaultConfig.tracing.sampling"), ns.Decision);
        var zipkin = Assert.Single(report.Providers);
        Assert.Equal(("zipkin", ProviderOutcome.Replaced, "LegacyTracerReplaced"), (zipkin.Name, zipkin.Outcome, zipkin.Reason));
    }

    [Fact]
    public async Task A_team_provider_selected_by_a_second_mesh_wide_telemetry_conflicts()
    {
        var (cluster, report) = await CheckAsync(ClusterFixture.NewIstio, MeshTracingScenario.OtherProviderSelected, "1.28.0", "default");
        await using var _ = cluster;

        Assert.Contains(report.Providers, p => p is { Name: "otel", Kind: "opentelemetry", Outcome: ProviderOutcome.Conflicting, Reason: "SelectedByTelemetry" }
                                               && p.Other == "Telemetry/otel-tracing -n istio-system");
        Assert.Contains(report.Providers, p => p is { Name: "otel-tracing", Outcome: ProviderOutcome.Conflicting, Reason: "SecondMeshTelemetry" });
    }

    [Fact]
    public async Task An_unselected_team_provider_is_kept()
    {
        var (cluster, report) = await CheckAsync(ClusterFixture.NewIstio, null, "1.28.0", "default");
        await using var _ = cluster;

        var otel = Assert.Single(report.Providers);
        Assert.Equal(("otel", ProviderOutcome.Kept, "NotSelected"), (otel.Name, otel.Outcome, otel.Reason));
    }

    [Theory]
    [InlineData(ClusterFixture.MidIstio, null, false, false, false)]
    [InlineData(ClusterFixture.MidIstioWithOperator, null, false, false, true)]
    [InlineData(ClusterFixture.MidIstio, MeshTracingScenario.GatewayMountsCa, true, true, true)]
    public async Task The_gateway_ca_check_reads_the_secret_and_the_mount(
        ClusterFixture fixture, MeshTracingScenario? scenario, bool secretExists, bool mounted, bool readyAfterApply)
    {
        var (cluster, report) = await CheckAsync(fixture, scenario, "1.14.3", "default");
        await using var _ = cluster;

        var ca = report.GatewayCa;
        Assert.Equal(GatewayCaState.Checked, ca.State);
        Assert.Equal((secretExists, mounted, readyAfterApply), (ca.SecretExists, ca.Mounted, ca.ReadyAfterApply));
        Assert.True(ca.PlanCreatesSecret);
    }

    [Fact]
    public async Task Apply_prints_the_mesh_checks_in_its_preflight()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        MeshTracingFixtures.Seed(cluster.Emulator.Store, MeshTracingScenario.NamespaceSamplingOverride);
        var dir = Directory.CreateTempSubdirectory("mesh-console-checks-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "token.txt"), EmulatedCluster.Token + "\n");
            File.WriteAllText(Path.Combine(dir, "ca.pem"), TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath }).Build();

            var code = await CommandLine.RunAsync(
                ["apply", "--token-file", Path.Combine(dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
                 "--cacert", Path.Combine(dir, "ca.pem"), "--istio-version", "1.28.0", "--namespace", "default", "--dry-run", "--force-conflicts"],
                stdout, stderr, new StringReader(""), configuration);

            Assert.True(code == 0, stderr.ToString() + stdout);
            Assert.Contains("warn  Sampling in default: 5%, not the planned 100%: set by Telemetry/tracing-sampling -n default, a namespace Telemetry", stdout.ToString());
            Assert.Contains("istio/istio#35750", stdout.ToString());
            Assert.Contains("ok    Extension provider otel (opentelemetry) is kept", stdout.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Pods_whose_proxy_config_annotation_overrides_the_plans_tracing_are_named()
    {
        // 1.14 without Telemetry: the mesh config's defaultConfig.tracing.sampling decides, and a pod's annotation replaces it.
        var (cluster, report) = await CheckAsync(ClusterFixture.MidIstio, MeshTracingScenario.PodProxyConfigAnnotations, "1.14.3", "default");
        await using var _ = cluster;

        var ns = Assert.Single(report.Sampling);
        Assert.Equal(new SamplingDecision(100m, SamplingSource.ProxyConfig, "meshConfig.defaultConfig.tracing.sampling"), ns.Decision);
        Assert.True(ns.Overridden);
        Assert.Equal(["details-v1", "ratings-v1", "reviews-v2"], ns.PodOverrides.Select(p => p.Pod[..p.Pod.IndexOf('-', p.Pod.IndexOf('-') + 1)]));

        var ratings = Assert.Single(ns.PodOverrides, p => p.Pod.StartsWith("ratings-v1-", StringComparison.Ordinal));
        Assert.Equal(10m, ratings.AnnotatedSampling);
        Assert.Equal(new SamplingDecision(10m, SamplingSource.PodAnnotation, $"Pod/{ratings.Pod} proxy.istio.io/config"), ratings.Decision);
        // Sampling 0 is read as unset: istiod's PILOT_TRACE_SAMPLING (1 in the fixture's istiod) decides, not 0.
        var reviews = Assert.Single(ns.PodOverrides, p => p.Pod.StartsWith("reviews-v2-", StringComparison.Ordinal));
        Assert.Equal(0m, reviews.AnnotatedSampling);
        Assert.Equal(new SamplingDecision(1m, SamplingSource.PilotTraceSampling, "PILOT_TRACE_SAMPLING"), reviews.Decision);
        // The plan's LightStep tracer lives in defaultConfig.tracing at 1.14: the annotation's zipkin replaces it for that pod.
        var details = Assert.Single(ns.PodOverrides, p => p.Pod.StartsWith("details-v1-", StringComparison.Ordinal));
        Assert.Equal(("zipkin", null), (details.Tracer, details.Decision));
    }

    [Fact]
    public async Task A_telemetry_percentage_outranks_a_pods_proxy_config_annotation()
    {
        var (cluster, report) = await CheckAsync(ClusterFixture.NewIstio, MeshTracingScenario.PodProxyConfigAnnotations, "1.28.0", "default");
        await using var _ = cluster;

        var ns = Assert.Single(report.Sampling);
        Assert.Equal(SamplingSource.MeshTelemetry, ns.Decision.Source);
        Assert.Empty(ns.PodOverrides);
        Assert.False(ns.Overridden);
    }

    [Fact]
    public async Task Apply_names_the_pods_that_override_the_plans_tracing()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        MeshTracingFixtures.Seed(cluster.Emulator.Store, MeshTracingScenario.PodProxyConfigAnnotations);
        var reviewsPod = cluster.Emulator.Store.List("v1", "Pod", "default").Select(p => (string)p["metadata"]!["name"]!)
            .Single(n => n.StartsWith("reviews-v2-", StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("mesh-console-checks-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "token.txt"), EmulatedCluster.Token + "\n");
            File.WriteAllText(Path.Combine(dir, "ca.pem"), TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath }).Build();

            var code = await CommandLine.RunAsync(
                ["apply", "--token-file", Path.Combine(dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
                 "--cacert", Path.Combine(dir, "ca.pem"), "--istio-version", "1.14.3", "--namespace", "default", "--dry-run", "--force-conflicts"],
                stdout, stderr, new StringReader(""), configuration);

            Assert.True(code == 0, stderr.ToString() + stdout);
            Assert.Contains($"warn  Pod/{reviewsPod} -n default: its proxy.istio.io/config annotation sets tracing.sampling 0, which Istio reads as unset, so istiod's PILOT_TRACE_SAMPLING decides: this pod samples 1%", stdout.ToString());
            Assert.Contains("annotation sets the zipkin tracer", stdout.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
