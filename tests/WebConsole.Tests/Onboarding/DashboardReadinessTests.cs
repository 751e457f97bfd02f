using MeshConsole.Domain.Onboarding;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Components;
using WebConsole.Drafts;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Onboarding;

namespace WebConsole.Tests.Onboarding;

/// <summary>
/// The facilitator's dashboard and the end-of-session summary show Bookinfo's readiness as the participants'
/// namespaces hold it, whatever their tabs (reloaded, or on a restarted console) have seen.
/// </summary>
public sealed class DashboardReadinessTests
{
    private static async Task<Circuit> JoinAsync(ConsoleProcess console, string sessionId, string name, bool reporting)
    {
        var circuit = console.Open(name);
        Assert.True(await circuit.Onboarding.JoinAsync(sessionId, name), $"{circuit.Onboarding.LastFailure} {circuit.Onboarding.LastRefusal}");
        // The wizard page starts the reporter when it opens, as a participant's tab does.
        if (reporting) circuit.Services.GetRequiredService<ParticipantReporter>().Start();
        return circuit;
    }

    /// <summary>Deploys Bookinfo from the participant's Bookinfo step and waits until the step has seen every Deployment ready.</summary>
    private static async Task DeployAsync(Circuit participant)
    {
        var bookinfo = participant.Services.GetRequiredService<BookinfoWorkflow>();
        await bookinfo.CheckNamespaceAsync();
        participant.Wizard.SetConfirmInjectionLabel(true);
        await bookinfo.PreviewAsync();
        Assert.True(bookinfo.CanDeploy, bookinfo.LastFailure?.ToString());
        await bookinfo.DeployAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(bookinfo.AllReady, string.Join(", ", bookinfo.Deployments?.Select(d => $"{d.Name}:{d.State}") ?? []));
    }

    private static async Task<ParticipantProgress> StoredAsync(TeamSessionCluster cluster, string sessionId, string name) =>
        (await new SessionStore(cluster.Cluster.Gateway, cluster.Clock).GetParticipantAsync(sessionId, name)).Value!;

    private static async Task<ParticipantProgress> UntilStoredAsync(TeamSessionCluster cluster, string sessionId, string name, Func<ParticipantProgress, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var stored = await StoredAsync(cluster, sessionId, name);
            if (condition(stored)) return stored;
            Assert.True(DateTime.UtcNow < deadline, $"{name}'s record never got there: {stored}");
            await Task.Delay(20);
        }
    }

    private static string Readiness(IEnumerable<ParticipantProgress> participants) =>
        string.Join("; ", participants.OrderBy(p => p.Name).Select(p => $"{p.Name} {p.DeploymentsReady}/{p.DeploymentsTotal}"));

    [Fact]
    public async Task A_reload_and_a_console_restart_keep_both_participants_bookinfo_ready_on_the_dashboard_and_in_the_final_summary()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        cluster.Emulator.Rollouts.Enable(TimeSpan.Zero, cluster.Clock);
        var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        var alice = await JoinAsync(console, sessionId, "Alice", reporting: true);
        // Bob's tab never reports what it saw (it was closed before it could): only the cluster knows his Bookinfo is up.
        var bob = await JoinAsync(console, sessionId, "Bob", reporting: false);
        await DeployAsync(alice);
        await DeployAsync(bob);
        alice.Wizard.SetActiveStep(WizardStep.Traffic);
        await UntilStoredAsync(cluster, sessionId, "Alice", p => p is { DeploymentsReady: 6, DeploymentsTotal: 6, Step: "Traffic" });
        Assert.Equal("Alice 6/6; Bob 6/6", Readiness((await fran.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants));

        // Alice reloads her tab: the new circuit rejoins from the stored name and has read no Deployment yet.
        await alice.DisposeAsync();
        var reloaded = await JoinAsync(console, sessionId, "Alice", reporting: true);
        Assert.Null(reloaded.Services.GetRequiredService<BookinfoWorkflow>().Deployments);
        reloaded.Wizard.SetActiveStep(WizardStep.Cleanup);
        var afterReload = await UntilStoredAsync(cluster, sessionId, "Alice", p => p.Step == "Cleanup");
        Assert.Equal((6, 6), (afterReload.DeploymentsReady, afterReload.DeploymentsTotal));
        Assert.Equal("Alice 6/6; Bob 6/6", Readiness((await fran.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants));

        // The console restarts: every tab comes back on a console that knows nothing but what the cluster holds.
        await console.DisposeAsync();
        await using var restarted = cluster.StartConsole();
        var franAgain = restarted.Open("Fran");
        await JoinAsync(restarted, sessionId, "Alice", reporting: true);
        await JoinAsync(restarted, sessionId, "Bob", reporting: true);
        await UntilStoredAsync(cluster, sessionId, "Bob", p => p.Step == "Bookinfo");
        Assert.Equal("Alice 6/6; Bob 6/6", Readiness((await franAgain.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants));

        // The end: the summary keeps the readiness after the namespaces are gone.
        var ending = await franAgain.Onboarding.EndAsync(sessionId);
        Assert.NotNull(ending);
        Assert.Equal("Alice 6/6; Bob 6/6", Readiness(ending.Summary.Participants));
        var removed = await franAgain.Onboarding.RemoveNamespacesAsync(sessionId, ending.ParticipantNamespaces);
        Assert.All(removed, r => Assert.True(r.Removed, r.Namespace));
        var afterRemoval = (await franAgain.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants;
        Assert.Equal("Alice 6/6; Bob 6/6", Readiness(afterRemoval));
        Assert.Contains("Bob,bookinfo-bob,Bookinfo,6,6,", SessionSummary.Of(ending.Session, afterRemoval).ToCsv());
    }

    [Fact]
    public async Task Removing_bookinfo_during_the_session_shows_no_deployments_on_the_dashboard()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        cluster.Emulator.Rollouts.Enable(TimeSpan.Zero, cluster.Clock);
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        var alice = await JoinAsync(console, sessionId, "Alice", reporting: true);
        await JoinAsync(console, sessionId, "Bob", reporting: true);
        await DeployAsync(alice);
        await UntilStoredAsync(cluster, sessionId, "Alice", p => p.DeploymentsReady == 6);

        await alice.Services.GetRequiredService<BookinfoWorkflow>().RemoveAsync();

        Assert.Equal("Alice 0/0; Bob 0/0", Readiness((await fran.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants));
    }
}
