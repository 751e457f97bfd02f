using WebConsole.Features.Onboarding;
using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebConsole.Features.Access;
using WebConsole.Features.Bundle;
using WebConsole.Features.Cluster;
using WebConsole.Features.Guides;
using WebConsole.Features.Localization;
using WebConsole.Features.Traffic;
using WebConsole.Drafts;
using WebConsole.Features.Apply;
using WebConsole.Components;

namespace WebConsole.Tests.Support;

/// <summary>A clock that stands still, so certificate validity and draft lifetimes are deterministic.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public DateTimeOffset Now { get; set; } = now;
    public FixedTimeProvider() : this(DefaultNow) { }
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The console's services, as MeshConsoleServices registers them, for bUnit tests of step components and pages.
/// Offline (KUBECONFIG points at a file that does not exist) and with Loose JS interop, as MudBlazor needs.
/// IAsyncLifetime because xUnit v2 only calls the synchronous Dispose, which MudBlazor's async-only services reject.
/// </summary>
public abstract class ConsoleTestContext : BunitContext, IAsyncLifetime
{
    private readonly CultureInfo _previousUiCulture = CultureInfo.CurrentUICulture;
    private readonly CultureInfo _previousCulture = CultureInfo.CurrentCulture;

    protected ConsoleTestContext()
    {
        UseCulture("en");
        // bUnit's 1 s default is too tight for steps that talk to the emulator or stand-ins on a loaded 2-core CI machine.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Clock = new FixedTimeProvider();

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "mesh-console-tests-" + Guid.NewGuid().ToString("N"), "no-such-kubeconfig"),
            })
            .Build();

        Services.AddMudServices();
        Services.AddLocalization(options => options.ResourcesPath = "Resources");
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<ConsoleText>();
        Services.AddSingleton<GuideCatalog>();
        Services.AddSingleton<WizardDraftStore>();
        Services.AddSingleton<KubeconfigCatalog>();
        Services.AddClusterOperations();
        Services.AddScoped<ClusterWorkflow>();
        Services.AddSingleton<IAuditLog>(Audit);
        Services.AddSingleton<ICurrentUser>(User);
        Services.AddSingleton<PlanBundle>();
        Services.AddScoped<WizardState>();
        Services.AddScoped<TabDraft>();
        Services.AddScoped<IDraftOwner>(services => new DraftOwner(AccessSettings.Read(new ConfigurationBuilder().Build()), services.GetRequiredService<ICurrentUser>()));
        Services.AddOnboardingServices();
        Services.AddScoped<ParticipantReporter>();
        Services.AddSingleton<ITrafficRunLimiter>(RunLimiter);
        Services.AddBookinfoAndTrafficServices(configuration);
        // The Wizard page keeps the draft id in ProtectedSessionStorage: real data protection, JS calls faked by bUnit.
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddScoped<ProtectedSessionStorage>();
    }

    protected FixedTimeProvider Clock { get; }

    /// <summary>Traffic runs per user and minute, as Console:Access:TrafficRunsPerMinute sets them.</summary>
    protected TrafficRunLimiter RunLimiter { get; } = new(60);

    /// <summary>Every audit entry the components' cluster actions recorded.</summary>
    protected RecordingAuditLog Audit { get; } = new();

    /// <summary>The user the components see; not signed in (sign-in off) unless a test says otherwise.</summary>
    protected TestUser User { get; } = new();

    protected WizardState State => Services.GetRequiredService<WizardState>();

    /// <summary>Attaches a fresh draft, as the Wizard page does on its first render, and returns the state.</summary>
    protected WizardState AttachFreshDraft()
    {
        var state = State;
        state.Attach(null, DraftOwners.LocalUser);
        return state;
    }

    protected static void UseCulture(string name)
    {
        var culture = new CultureInfo(name);
        CultureInfo.CurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
    }

    /// <summary>The English (or current-culture) text of a resource, read the way the app reads it.</summary>
    protected string Text(string key, params object[] args) => Services.GetRequiredService<ConsoleText>().Format(key, args);

    Task IAsyncLifetime.InitializeAsync() => InitializeTestAsync();

    /// <summary>Starts what a test class needs besides the services (stand-ins, servers).</summary>
    protected virtual Task InitializeTestAsync() => Task.CompletedTask;

    /// <summary>Stops what <see cref="InitializeTestAsync"/> started; runs before the services are disposed.</summary>
    protected virtual Task DisposeTestAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeTestAsync();
        await base.DisposeAsync();
        CultureInfo.CurrentUICulture = _previousUiCulture;
        CultureInfo.CurrentCulture = _previousCulture;
    }
}

public sealed class RecordingAuditLog : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];
    public IReadOnlyList<AuditEntry> Entries { get { lock (_entries) return [.. _entries]; } }
    public void Record(AuditEntry entry) { lock (_entries) _entries.Add(entry); }
}

public sealed class TestUser : ICurrentUser
{
    public string Name { get; set; } = "test user (local, no sign-in)";
    public bool IsAuthenticated { get; set; }
    public string? SessionId { get; set; }
}
