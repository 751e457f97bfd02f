using System.Text.Json.Nodes;
using k8s;
using KubeEmulator;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;
using WebConsole.Tests.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Onboarding;

/// <summary>The emulated cluster with onboarding services; <see cref="NewConsole"/> is another console process on the same cluster.</summary>
public sealed class OnboardingCluster : IAsyncDisposable
{
    public const string SessionToken = "lsSESSION-token-9f8e7d6c5b4a3210";
    private readonly List<IKubernetes> _otherClients = [];

    private OnboardingCluster(EmulatedCluster cluster) => Cluster = cluster;

    public EmulatedCluster Cluster { get; }
    public KubeApiEmulator Emulator => Cluster.Emulator;
    public FixedTimeProvider Clock { get; } = new();

    public static async Task<OnboardingCluster> StartAsync() => new(await EmulatedCluster.StartAsync(ClusterFixture.NoIstio));

    public SessionStore Store() => new(Cluster.Gateway, Clock);

    public ClusterWideApplyLock Lock(TimeSpan? expiry = null) => new(Cluster.Gateway, Clock, expiry: expiry);

    /// <summary>A fresh client and gateway from the kubeconfig, as a restarted or second console has; the gateway knows no session token.</summary>
    public KubeGateway NewConsole()
    {
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.KubeconfigPath));
        _otherClients.Add(client);
        return new KubeGateway(client, [], attemptTimeout: TimeSpan.FromSeconds(2));
    }

    public static SharedSettings Settings() => new(
        LightStepProduct.OnPremSatellites, "lightstep-satellite.lightstep:9292",
        TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem, SessionToken, "onboarding", new IstioVersion(1, 14, 3), 100m);

    public async Task<SessionRecord> CreateSessionAsync(SessionStore? store = null, string pattern = OnboardingSession.DefaultNamespacePattern)
    {
        var created = await (store ?? Store()).CreateSessionAsync("Platform team", "kind-workshop", "Fran", Settings(), pattern);
        Assert.True(created.Succeeded, created.Failure?.ToString());
        return created.Value!;
    }

    public void CreateNamespace(string name) => Emulator.Store.Put(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _otherClients) client.Dispose();
        await Cluster.DisposeAsync();
    }
}
