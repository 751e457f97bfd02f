using KubeEmulator;
using TrafficStandIns;

namespace WebConsole.BrowserTests;

/// <summary>
/// The console pointed at an emulated cluster with Istio 1.28 whose Deployments roll out (the emulator's rollout
/// simulation), a gateway stand-in playing the ingress gateway plus productpage, and a collector stand-in playing the
/// LightStep satellites (OTLP/gRPC, checking the access token). <see cref="PrepareAsync"/> ties them together the way
/// a walk needs before the console starts.
/// </summary>
public abstract class MeshStandInsFixture(string token, string contextName) : ConsoleServerFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lsmc-browser-mesh-").FullName;

    public KubeApiEmulator Emulator { get; private set; } = null!;
    public GatewayStandIn Gateway { get; private set; } = null!;
    public CollectorStandIn Collector { get; private set; } = null!;

    /// <summary>Runs after the emulator and both stand-ins have started, before the console does.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    protected sealed override async Task<string> KubeconfigAsync()
    {
        Emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NewIstio);
        Emulator.Rollouts.Enable(TimeSpan.FromMilliseconds(500));
        Gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        Collector = await CollectorStandIn.StartAsync(token);
        await PrepareAsync();
        return Emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), contextName: contextName);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Gateway.DisposeAsync();
        await Collector.DisposeAsync();
        await Emulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
