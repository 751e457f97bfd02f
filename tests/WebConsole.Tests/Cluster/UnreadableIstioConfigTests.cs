using System.Text;
using KubeEmulator;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Cli;
using WebConsole.Features.Cluster;
using WebConsole.Features.Localization;
using WebConsole.Drafts;
using WebConsole.Features.Apply;
using WebConsole.Tests.Access;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// A mesh config that is not YAML, or injector values that are not JSON: one clear failure naming the ConfigMap and
/// key, nothing written, no stack trace, in the wizard and on the command line.
/// </summary>
public sealed class UnreadableIstioConfigTests
{
    public static TheoryData<string, string, string, string> Broken => new()
    {
        // An unclosed flow sequence: YamlDotNet's parser stops at it.
        { "1.14.3", "istio", "mesh", "defaultConfig:\n  tracing: [unclosed\n  discoveryAddress: istiod.istio-system.svc:15012\n" },
        { "1.7.8", "istio-sidecar-injector", "values", "{\"global\": {\"proxy\": {\"tracer\": \"zipkin\",}" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task The_wizard_preview_fails_naming_the_configmap_and_key_and_writes_nothing(string version, string configMap, string key, string text)
    {
        await using var cluster = await StartWithBrokenAsync(version, configMap, key, text);
        var rv = cluster.Emulator.Store.ResourceVersion;
        using var factory = new ConsoleAppFactory(new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath });
        using var scope = factory.Services.CreateScope();
        var state = scope.ServiceProvider.GetRequiredService<WizardState>();
        state.Attach(null, DraftOwners.LocalUser);
        state.SetProduct(LightStepProduct.OnPremSatellites);
        state.SetAccessToken(EmulatedCluster.Token);
        state.SetOnPremSatelliteAddress("lightstep-satellite.lightstep:9292");
        state.SetCertificate(CaCertificateInspector.Inspect(Encoding.ASCII.GetBytes(TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem), DateTimeOffset.UtcNow), "ca.pem");
        state.SetNamespacesText("default");
        state.SetIstioVersionText(version);
        var workflow = scope.ServiceProvider.GetRequiredService<ClusterWorkflow>();
        workflow.RestoreContext();
        workflow.ForceConflicts = true;

        await workflow.RunPreflightAsync();
        await workflow.PreviewAsync();

        var failure = workflow.LastFailure;
        Assert.Equal(ClusterFailureKind.UnreadableConfig, failure?.Kind);
        Assert.False(workflow.CanApply);
        var shown = scope.ServiceProvider.GetRequiredService<ConsoleText>().Failure(failure!);
        Assert.StartsWith($"ConfigMap istio-system/{configMap}: key {key} is not readable {(key == "mesh" ? "YAML" : "JSON")} (stopped at line:column ", shown);
        Assert.Equal(rv, cluster.Emulator.Store.ResourceVersion);
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task The_command_line_exits_1_with_one_clear_error_and_writes_nothing(string version, string configMap, string key, string text)
    {
        await using var cluster = await StartWithBrokenAsync(version, configMap, key, text);
        var rv = cluster.Emulator.Store.ResourceVersion;
        var dir = Directory.CreateTempSubdirectory("lsmc-unreadable-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "token.txt"), EmulatedCluster.Token + "\n");
            File.WriteAllText(Path.Combine(dir, "ca.pem"), TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath }).Build();
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            var code = await CommandLine.RunAsync(["apply", "--token-file", Path.Combine(dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
                "--cacert", Path.Combine(dir, "ca.pem"), "--istio-version", version, "--namespace", "default", "--yes", "--force-conflicts"],
                stdout, stderr, new StringReader(""), configuration);

            Assert.Equal(CommandLine.Failed, code);
            var error = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"ConfigMap istio-system/{configMap}: key {key} is not readable", error);
            Assert.Contains($"kubectl edit configmap {configMap} -n istio-system", error);
            Assert.DoesNotContain("Exception", stdout.ToString() + stderr);
            Assert.DoesNotContain("   at ", stdout.ToString() + stderr);
            Assert.Equal(rv, cluster.Emulator.Store.ResourceVersion);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<EmulatedCluster> StartWithBrokenAsync(string version, string configMap, string key, string text)
    {
        var cluster = await EmulatedCluster.StartAsync(version == "1.7.8" ? ClusterFixture.OldIstio : ClusterFixture.MidIstio);
        var stored = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", configMap)!;
        stored["data"]![key] = text;
        cluster.Emulator.Store.Put(stored, "kubectl-edit", asApply: false);
        return cluster;
    }
}
