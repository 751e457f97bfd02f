using k8s;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cluster;

/// <summary>An emulated cluster plus the console's cluster services pointed at it through a real kubeconfig.</summary>
public sealed class EmulatedCluster : IAsyncDisposable
{
    public const string Token = "lsCLUSTER-token-0123456789-WXYZ";
    private readonly string _directory = Directory.CreateTempSubdirectory("lsmc-cluster-").FullName;

    private EmulatedCluster(KubeApiEmulator emulator)
    {
        Emulator = emulator;
        KubeconfigPath = emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        // Short timeouts keep fault tests quick; the retry policy itself is what is under test.
        Gateway = new KubeGateway(Client, [Token], attemptTimeout: TimeSpan.FromSeconds(2));
    }

    public KubeApiEmulator Emulator { get; }
    public string KubeconfigPath { get; }
    public IKubernetes Client { get; }
    public KubeGateway Gateway { get; }
    public TimeProvider Clock { get; } = TimeProvider.System;

    public static async Task<EmulatedCluster> StartAsync(ClusterFixture fixture) => new(await KubeApiEmulator.StartAsync(fixture));

    public Preflight Preflight() => new(Gateway, Clock);

    public ClusterApplier Applier() => new(Gateway, new UndoJournal(Gateway, Clock), [Token]);

    /// <summary>
    /// An on-prem input with a private CA on the direct route wherever Istio allows it, so each namespace gets the CA
    /// Secret these tests look for; from 1.27 only the collector route can carry spans with a private CA.
    /// </summary>
    public static PlanInput Input(string istioVersion, params string[] namespaces)
    {
        var input = new PlanInput
        {
            Product = LightStepProduct.OnPremSatellites,
            AccessToken = Token,
            SatelliteAddress = "lightstep-satellite.lightstep:9292",
            CaCertificatePem = TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem,
            Namespaces = namespaces.Length > 0 ? namespaces : ["default"],
            IstioVersion = IstioVersion.Parse(istioVersion),
        };
        return SpanRoutes.Refusal(input, SpanRoute.Direct) is null ? input with { Route = SpanRoute.Direct } : input;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
