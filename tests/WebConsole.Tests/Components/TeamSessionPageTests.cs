using Bunit;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Components.Pages;
using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Onboarding;
using WebConsole.Tests.Support;
using WebConsole.Features.Apply;
using WebConsole.Components;

namespace WebConsole.Tests.Components;

/// <summary>
/// The session pages as the facilitator and participants see them, with the console connected to the emulated cluster:
/// the read-only shared steps, the lock refusal on the Apply step, and the live dashboard.
/// </summary>
public class TeamSessionPageTests : ConsoleTestContext
{
    private TeamSessionCluster _cluster = null!;
    private readonly List<AsyncServiceScope> _scopes = [];
    private readonly List<ConsoleProcess> _otherConsoles = [];

    protected override async Task InitializeTestAsync()
    {
        _cluster = await TeamSessionCluster.StartAsync(ClusterFixture.MidIstio);
        // The page's console reads the emulator's kubeconfig (the base context registers an offline one).
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = _cluster.Cluster.KubeconfigPath })
            .Build());
        Services.AddScoped<ProtectedLocalStorage>();
    }

    protected override async Task DisposeTestAsync()
    {
        DashboardPage.PollInterval = TimeSpan.FromSeconds(2);
        foreach (var scope in _scopes) await scope.DisposeAsync();
        foreach (var console in _otherConsoles) await console.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private ConsoleProcess OtherConsole()
    {
        var console = _cluster.StartConsole();
        _otherConsoles.Add(console);
        return console;
    }

    /// <summary>This console's user as the facilitator: shared settings entered, connected, session started.</summary>
    private async Task<string> StartSessionHereAsync()
    {
        var state = AttachFreshDraft();
        _cluster.EnterSharedSettings(state);
        var cluster = Services.GetRequiredService<ClusterWorkflow>();
        cluster.RestoreContext();
        Assert.True(cluster.IsConnected);
        var started = await Services.GetRequiredService<OnboardingWorkflow>().StartAsync("Platform team", "bookinfo-{name}");
        Assert.NotNull(started);
        return started.Session.Id;
    }

    /// <summary>Another tab on this same console (its own circuit, sharing this console's singletons), joined as <paramref name="name"/>.</summary>
    private async Task<IServiceProvider> JoinHereAsync(string sessionId, string name)
    {
        var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        _scopes.Add(scope);
        await JoinAsync(scope.ServiceProvider, sessionId, name);
        return scope.ServiceProvider;
    }

    /// <summary>The tab whose services these are, joined as <paramref name="name"/> with a fresh draft.</summary>
    private static async Task JoinAsync(IServiceProvider services, string sessionId, string name)
    {
        services.GetRequiredService<WizardState>().Attach(null, DraftOwners.LocalUser);
        services.GetRequiredService<ClusterWorkflow>().RestoreContext();
        var onboarding = services.GetRequiredService<OnboardingWorkflow>();
        Assert.True(await onboarding.JoinAsync(sessionId, name), onboarding.LastFailure?.ToString());
    }

    /// <summary>This tab joined as <paramref name="name"/> to a session another console started, with the wizard rendered.</summary>
    private async Task<(string SessionId, IRenderedComponent<Wizard> Wizard)> JoinAnotherConsolesSessionAsync(string name)
    {
        var (_, sessionId) = await _cluster.StartSessionAsync(OtherConsole());
        await JoinAsync(Services, sessionId, name);
        return (sessionId, Render<Wizard>());
    }

    private static Dictionary<string, (string Step, string Requests, string Namespace)> Rows(IRenderedComponent<DashboardPage> cut) =>
        cut.FindAll("tr.participant").ToDictionary(r => r.GetAttribute("data-name")!,
            r => (r.GetAttribute("data-step")!, r.GetAttribute("data-requests")!, r.GetAttribute("data-namespace")!));

    private IRenderedComponent<DashboardPage> RenderDashboard(string sessionId)
    {
        var cut = Render<DashboardPage>(p => p.Add(d => d.SessionId, sessionId));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#dashboard-state").GetAttribute("data-ready")));
        return cut;
    }

    [Fact]
    public async Task A_participant_sees_every_shared_step_read_only_and_without_the_token_and_their_steps_reach_the_session()
    {
        var (sessionId, cut) = await JoinAnotherConsolesSessionAsync("Alice");
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#circuit-state").GetAttribute("data-interactive")));

        Assert.Equal("Bookinfo", cut.Find("#circuit-state").GetAttribute("data-step"));
        Assert.Equal("bookinfo-alice", cut.Find("#participant-banner").GetAttribute("data-namespace"));
        Assert.Empty(cut.FindAll(".shared-step-readonly"));
        foreach (var step in Enum.GetValues<WizardStep>().Where(WizardState.IsSharedStep))
        {
            State.SetActiveStep(step);
            cut.WaitForAssertion(() => Assert.Equal(step.ToString(), cut.Find(".shared-step-readonly").GetAttribute("data-step")));
            var section = cut.Find($"#step-{step.ToString().ToLowerInvariant()}");
            Assert.Empty(section.QuerySelectorAll("input, textarea, select, button"));
            Assert.DoesNotContain(TeamSessionCluster.Token, cut.Markup);
            Assert.DoesNotContain(TeamSessionCluster.Token[^4..], section.TextContent);
            Assert.Empty(cut.FindAll("#apply-run"));
            if (step == WizardStep.Namespaces) Assert.Contains("bookinfo-alice", section.TextContent);
            if (step == WizardStep.Istio) Assert.Contains("1.14.3", section.TextContent);
        }
        // The participant reporter tells the session where the participant is.
        var store = new SessionStore(_cluster.Cluster.Gateway, Clock);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await store.GetParticipantAsync(sessionId, "Alice")).Value!.Step != "Apply" && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal("Apply", (await store.GetParticipantAsync(sessionId, "Alice")).Value!.Step);

        State.SetActiveStep(WizardStep.Bookinfo);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".shared-step-readonly")));
        Assert.NotEmpty(cut.Find("#step-bookinfo").QuerySelectorAll("button"));
    }

    [Fact]
    public async Task Joining_from_the_join_page_opens_the_wizard_as_a_participant_and_a_newcomer_to_an_ended_session_is_told_why_not()
    {
        var console = OtherConsole();
        var (fran, sessionId) = await _cluster.StartSessionAsync(console);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/join/{sessionId}");
        var cut = Render<JoinPage>(p => p.Add(j => j.SessionId, sessionId));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#join-state").GetAttribute("data-ready")));
        Assert.Null(State.Draft.Participation);

        await cut.InvokeAsync(() => cut.Find("#join-name").Input("  Alice "));
        await cut.InvokeAsync(() => cut.Find("#join-submit").Click());

        cut.WaitForAssertion(() => Assert.Equal(new Participation(sessionId, "Alice", "bookinfo-alice"), State.Draft.Participation), TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal(navigation.BaseUri, navigation.Uri));
        Assert.NotNull(_cluster.Namespace("bookinfo-alice"));
        // The name is kept in the browser (encrypted) for the next visit.
        var kept = Assert.Single(JSInterop.Invocations, i => i.Identifier == "localStorage.setItem");
        Assert.DoesNotContain("Alice", kept.Arguments[1]!.ToString());

        await fran.Onboarding.EndAsync(sessionId);
        var newcomer = Render<JoinPage>(p => p.Add(j => j.SessionId, sessionId));
        newcomer.WaitForAssertion(() => Assert.Equal("true", newcomer.Find("#join-state").GetAttribute("data-ready")));
        await newcomer.InvokeAsync(() => newcomer.Find("#join-name").Input("Zed"));
        await newcomer.InvokeAsync(() => newcomer.Find("#join-submit").Click());

        newcomer.WaitForAssertion(() => Assert.Equal("SessionEnded", newcomer.Find("#join-refused").GetAttribute("data-refusal")));
        Assert.Null(_cluster.Namespace("bookinfo-zed"));
    }

    [Fact]
    public async Task A_facilitator_applying_while_someone_else_holds_the_lock_is_told_who_and_nothing_is_applied()
    {
        var sessionId = await StartSessionHereAsync();
        var cluster = Services.GetRequiredService<ClusterWorkflow>();
        await TeamSessionCluster.PreviewAsync(cluster);
        Assert.True(cluster.CanApply);
        var samLock = new ClusterWideApplyLock(_cluster.Cluster.Gateway, Clock);
        var sam = (await samLock.TryAcquireAsync("Sam", ClusterWorkflow.SessionApplyAction)).Value!.Lease!;
        var istio = _cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["metadata"]!["resourceVersion"]!.ToString();
        var cut = Render<ApplyStep>();

        CertificateStepTests.CheckBoxInput(cut, "#apply-confirm").Change(true);
        cut.Find("#apply-run").Click();

        cut.WaitForAssertion(() => Assert.Equal("Sam", cut.Find("#apply-lock-held").GetAttribute("data-who")));
        Assert.StartsWith($"Not applied: Sam is applying {ClusterWorkflow.SessionApplyAction}", cut.Find("#apply-lock-held").TextContent.Trim());
        Assert.Empty(cut.FindAll("#apply-results"));
        Assert.Equal(istio, _cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["metadata"]!["resourceVersion"]!.ToString());
        Assert.Empty((await new SessionStore(_cluster.Cluster.Gateway, Clock).GetSessionAsync(sessionId)).Value!.Applies);

        await sam.ReleaseAsync();
        CertificateStepTests.CheckBoxInput(cut, "#apply-confirm").Change(true);
        cut.Find("#apply-run").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#apply-results")), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("#apply-lock-held"));
        Assert.Equal(User.Name, Assert.Single((await new SessionStore(_cluster.Cluster.Gateway, Clock).GetSessionAsync(sessionId)).Value!.Applies).Who);
    }

    [Fact]
    public async Task The_bookinfo_manifests_are_rendered_only_when_their_panel_is_opened_and_show_the_participants_namespace()
    {
        var (_, cut) = await JoinAnotherConsolesSessionAsync("Alice");
        cut.WaitForAssertion(() => Assert.Equal("Bookinfo", cut.Find("#circuit-state").GetAttribute("data-step")));

        Assert.NotEmpty(cut.FindAll("#bookinfo-manifests"));
        Assert.Empty(cut.FindAll("#bookinfo-yaml"));
        cut.Find("#bookinfo-manifests .mud-expand-panel-header").Click();
        cut.WaitForAssertion(() => Assert.Contains("namespace: bookinfo-alice", cut.Find("#bookinfo-yaml").TextContent));
    }

    [Fact]
    public void The_sessions_page_names_each_permission_team_sessions_lack_with_its_grant_and_does_not_start_a_session_without_it()
    {
        _cluster.Emulator.Access.Deny("create", "secrets", ns: OnboardingObjects.DefaultNamespace);
        _cluster.EnterSharedSettings(AttachFreshDraft());
        Services.GetRequiredService<ClusterWorkflow>().RestoreContext();

        var cut = Render<SessionsPage>();

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("#sessions-permissions").GetAttribute("data-ok")));
        var denied = Assert.Single(cut.FindAll(".denied-permission"));
        Assert.Equal(("create", "secrets", OnboardingObjects.DefaultNamespace),
            (denied.GetAttribute("data-verb"), denied.GetAttribute("data-resource"), denied.GetAttribute("data-namespace")));
        Assert.Contains($"kubectl create role lightstep-console-secrets --verb=create --resource=secrets -n {OnboardingObjects.DefaultNamespace}", denied.TextContent);
        Assert.True(cut.Find("#session-start").HasAttribute("disabled"));

        _cluster.Emulator.Access.AllowAll();
        var again = Render<SessionsPage>();
        again.WaitForAssertion(() => Assert.Equal("true", again.Find("#sessions-permissions").GetAttribute("data-ok")));
        Assert.Empty(again.FindAll(".denied-permission"));
        Assert.False(again.Find("#session-start").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_dashboard_follows_each_participant_of_this_console_as_they_join_and_progress_without_waiting_for_a_poll()
    {
        DashboardPage.PollInterval = TimeSpan.FromHours(1);
        var sessionId = await StartSessionHereAsync();
        var cut = RenderDashboard(sessionId);
        Assert.NotNull(cut.Find("#participants-none"));

        var alice = await JoinHereAsync(sessionId, "Alice");
        var bob = await JoinHereAsync(sessionId, "Bob");

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        Assert.Equal(("joined", "0", "bookinfo-alice"), Rows(cut)["Alice"]);
        Assert.Equal(("joined", "0", "bookinfo-bob"), Rows(cut)["Bob"]);

        await alice.GetRequiredService<OnboardingWorkflow>().ReportProgressAsync(p => p with { Step = nameof(WizardStep.Traffic), RequestsSent = 20 });
        // Bob's wizard page reports through the ParticipantReporter, as the page starts it.
        bob.GetRequiredService<ParticipantReporter>().Start();
        bob.GetRequiredService<WizardState>().SetActiveStep(WizardStep.Cleanup);

        cut.WaitForAssertion(() => Assert.Equal(("Traffic", "20"), (Rows(cut)["Alice"].Step, Rows(cut)["Alice"].Requests)));
        cut.WaitForAssertion(() => Assert.Equal("Cleanup", Rows(cut)["Bob"].Step));
        Assert.Contains("Traffic & traces", cut.FindAll("tr.participant").Single(r => r.GetAttribute("data-name") == "Alice").TextContent);
    }

    [Fact]
    public async Task A_participant_reporter_reports_wizard_changes_until_it_is_disposed_and_not_after()
    {
        DashboardPage.PollInterval = TimeSpan.FromHours(1);
        var sessionId = await StartSessionHereAsync();
        var cut = RenderDashboard(sessionId);
        var bob = await JoinHereAsync(sessionId, "Bob");
        var reporter = bob.GetRequiredService<ParticipantReporter>();
        reporter.Start();
        bob.GetRequiredService<WizardState>().SetActiveStep(WizardStep.Traffic);
        cut.WaitForAssertion(() => Assert.Equal("Traffic", Rows(cut)["Bob"].Step));

        reporter.Dispose();
        bob.GetRequiredService<WizardState>().SetActiveStep(WizardStep.Cleanup);
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal("Traffic", Rows(cut)["Bob"].Step);
    }

    [Fact]
    public async Task The_dashboard_polls_the_cluster_for_participants_served_by_another_console_and_ends_the_session_with_confirmed_removal()
    {
        DashboardPage.PollInterval = TimeSpan.FromMilliseconds(100);
        var sessionId = await StartSessionHereAsync();
        _cluster.CreateNamespace("team-tools");
        var cut = RenderDashboard(sessionId);
        var elsewhere = OtherConsole();
        var carol = elsewhere.Open("Carol");
        var dmitri = elsewhere.Open("Dmitri");

        await Task.WhenAll(carol.Onboarding.JoinAsync(sessionId, "Carol"), dmitri.Onboarding.JoinAsync(sessionId, "Dmitri"));
        await carol.Onboarding.ReportProgressAsync(p => p with { Step = nameof(WizardStep.Traffic), RequestsSent = 7 });

        cut.WaitForAssertion(() => Assert.Equal(["Carol", "Dmitri"], Rows(cut).Keys.Order()), TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal(("Traffic", "7"), (Rows(cut)["Carol"].Step, Rows(cut)["Carol"].Requests)), TimeSpan.FromSeconds(5));

        await cut.InvokeAsync(() => cut.Find("#end-session").Click());
        cut.WaitForAssertion(() => Assert.Equal(["bookinfo-carol", "bookinfo-dmitri"],
            cut.FindAll("#end-namespaces li").Select(li => li.TextContent.Trim())));
        // The dashboard re-reads the session (and its participants' namespaces) once the end is recorded.
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#dashboard-ended")));
        cut.WaitForAssertion(() => Assert.True(cut.Find("#end-remove").HasAttribute("disabled")));
        Assert.NotNull(_cluster.Namespace("bookinfo-carol"));

        await cut.InvokeAsync(() => CertificateStepTests.CheckBoxInput(cut, "#end-confirm").Change(true));
        await cut.InvokeAsync(() => cut.Find("#end-remove").Click());

        cut.WaitForAssertion(() => Assert.Null(_cluster.Namespace("bookinfo-dmitri")));
        Assert.Null(_cluster.Namespace("bookinfo-carol"));
        Assert.NotNull(_cluster.Namespace("team-tools"));
        Assert.NotNull(_cluster.Namespace("default"));
        await cut.InvokeAsync(() => cut.Find("#summary-csv").Click());
        cut.WaitForAssertion(() => Assert.Equal([$"session-{sessionId}.csv"],
            JSInterop.Invocations.Where(i => i.Identifier == "meshConsole.downloadFromStream").Select(i => i.Arguments[0])));
    }
}
