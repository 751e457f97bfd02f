using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Access;
using WebConsole.Features.Bundle;
using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;
using WebConsole.Features.Traffic;
using WebConsole.Drafts;
using WebConsole.Tests.Cluster;
using WebConsole.Tests.Support;
using WebConsole.Features.Apply;
using WebConsole.Components;

namespace WebConsole.Tests.Onboarding;

/// <summary>
/// One console process against the emulated cluster, registered like MeshConsoleServices: singletons (draft store,
/// session activity, kubeconfig catalog) shared, and every <see cref="Circuit"/> its own DI scope, as each browser tab's
/// circuit is (its own WizardState, ClusterWorkflow, OnboardingWorkflow and signed-in user). Disposing it is a console
/// stopping: every draft in memory is gone, the cluster keeps what was written to it.
/// </summary>
public sealed class ConsoleProcess : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<Circuit> _circuits = [];

    public ConsoleProcess(string kubeconfigPath, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfigPath })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(clock);
        services.AddSingleton<WizardDraftStore>();
        services.AddSingleton<KubeconfigCatalog>();
        services.AddClusterOperations();
        services.AddScoped<ClusterWorkflow>();
        services.AddSingleton<IAuditLog>(Audit);
        services.AddScoped<TestUser>();
        services.AddScoped<ICurrentUser>(s => s.GetRequiredService<TestUser>());
        services.AddSingleton<PlanBundle>();
        services.AddScoped<WizardState>();
        services.AddOnboardingServices();
        services.AddScoped<ParticipantReporter>();
        services.AddSingleton<ITrafficRunLimiter>(new TrafficRunLimiter(600));
        services.AddBookinfoAndTrafficServices(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public RecordingAuditLog Audit { get; } = new();

    public SessionActivity Activity => _services.GetRequiredService<SessionActivity>();

    /// <summary>A new browser tab of <paramref name="user"/>: a fresh draft attached, the kubeconfig's context selected.</summary>
    public Circuit Open(string user)
    {
        var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestUser>().Name = user;
        var circuit = new Circuit(scope);
        circuit.Wizard.Attach(null, DraftOwners.LocalUser);
        circuit.Cluster.RestoreContext();
        lock (_circuits) _circuits.Add(circuit);
        return circuit;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var circuit in _circuits) await circuit.DisposeAsync();
        await _services.DisposeAsync();
    }
}

/// <summary>One user's circuit: the scoped services the pages of one tab share.</summary>
public sealed class Circuit(AsyncServiceScope scope) : IAsyncDisposable
{
    public IServiceProvider Services => scope.ServiceProvider;
    public WizardState Wizard => Services.GetRequiredService<WizardState>();
    public ClusterWorkflow Cluster => Services.GetRequiredService<ClusterWorkflow>();
    public OnboardingWorkflow Onboarding => Services.GetRequiredService<OnboardingWorkflow>();
    public string User => Services.GetRequiredService<TestUser>().Name;

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}

/// <summary>The emulated cluster of a team session and the steps a facilitator takes in the UI, through the real workflows.</summary>
public sealed class TeamSessionCluster : IAsyncDisposable
{
    public const string Token = "lsTEAM-session-token-7c6b5a49382716";
    public const string Project = "team-onboarding";

    private TeamSessionCluster(EmulatedCluster cluster) => Cluster = cluster;

    public EmulatedCluster Cluster { get; }
    public KubeApiEmulator Emulator => Cluster.Emulator;
    public FixedTimeProvider Clock { get; } = new();
    public string CaPem { get; private set; } = "";

    public static async Task<TeamSessionCluster> StartAsync(ClusterFixture fixture = ClusterFixture.MidIstio)
    {
        var cluster = new TeamSessionCluster(await EmulatedCluster.StartAsync(fixture));
        cluster.CaPem = TestCertificates.CreateCa(cluster.Clock.Now, "CN=Team Satellite CA, O=Tests").CertificatePem;
        return cluster;
    }

    /// <summary>A console process on this cluster (start another one to model a restart).</summary>
    public ConsoleProcess StartConsole() => new(Cluster.KubeconfigPath, Clock);

    /// <summary>What the facilitator enters in the wizard's shared steps: on-prem satellites with a CA, Istio 1.14.3, a project.</summary>
    public void EnterSharedSettings(WizardState wizard, string namespaces = "default")
    {
        wizard.SetProduct(LightStepProduct.OnPremSatellites);
        wizard.SetAccessToken(Token);
        wizard.SetOnPremSatelliteAddress("lightstep-satellite.lightstep:9292");
        wizard.SetCertificate(CaCertificateInspector.Inspect(Encoding.ASCII.GetBytes(CaPem), Clock.Now), "satellite-ca.pem");
        wizard.SetNamespacesText(namespaces);
        wizard.SetIstioVersionText("1.14.3");
        wizard.SetLightStepProject(Project);
        Assert.NotNull(wizard.Plan);
    }

    /// <summary>The facilitator's tab: shared settings entered, connected, session started.</summary>
    public async Task<(Circuit Facilitator, string SessionId)> StartSessionAsync(ConsoleProcess console, string facilitator = "Fran",
        string pattern = "bookinfo-{name}")
    {
        var circuit = console.Open(facilitator);
        EnterSharedSettings(circuit.Wizard);
        Assert.True(circuit.Cluster.IsConnected);
        var started = await circuit.Onboarding.StartAsync("Platform team", pattern);
        Assert.True(started is not null, $"{circuit.Onboarding.LastFailure} {string.Join(", ", circuit.Onboarding.Issues.Select(i => i.Code))}");
        return (circuit, started!.Session.Id);
    }

    /// <summary>Preflight and preview as the Apply step does, taking over the istio-operator's fields when the preview asks to.</summary>
    public static async Task PreviewAsync(ClusterWorkflow cluster)
    {
        await cluster.RunPreflightAsync();
        await cluster.PreviewAsync();
        if (cluster.HasConflicts)
        {
            cluster.ForceConflicts = true;
            await cluster.PreviewAsync();
        }
    }

    public JsonObject? Namespace(string name) => Emulator.Store.Get("v1", "Namespace", null, name);

    public IReadOnlyList<string> NamespaceNames() =>
        Emulator.Store.List("v1", "Namespace").Select(n => (string)n["metadata"]!["name"]!).Order(StringComparer.Ordinal).ToList();

    public void CreateNamespace(string name, IReadOnlyDictionary<string, string>? labels = null) => Emulator.Store.Put(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject((labels ?? new Dictionary<string, string>()).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
        },
    }, "kubectl-create", asApply: false);

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
