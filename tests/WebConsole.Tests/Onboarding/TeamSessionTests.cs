using System.Text;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;
using WebConsole.Drafts;
using WebConsole.Tests.Packaging;
using WebConsole.Tests.Support;
using static WebConsole.Tests.Onboarding.SessionSteps;
using WebConsole.Features.Apply;

namespace WebConsole.Tests.Onboarding;

/// <summary>
/// A facilitator and their participants against one emulated cluster, each in a circuit of their own, driving the real
/// OnboardingWorkflow, ClusterWorkflow and WizardState the way the pages do.
/// </summary>
public sealed class TeamSessionTests
{
    private static readonly string[] Names =
        ["Alice", "Bob", "Carol Danvers", "Dmitri", "Eve", "José", "Kim", "Lee", "Mo", "Nadia"];

    private static string SecretData(JsonObject secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![key]!));

    /// <summary>The undo journal's entries in <paramref name="ns"/> ("Kind/name -n namespace"), or null when there is no journal there.</summary>
    private static IReadOnlyList<string>? JournalTargets(TeamSessionCluster cluster, string ns)
    {
        var secret = cluster.Emulator.Store.Get("v1", "Secret", ns, UndoJournal.SecretName);
        if (secret is null) return null;
        return JsonNode.Parse(SecretData(secret, UndoJournal.DataKey))!["entries"]!.AsArray()
            .Select(e => $"{(string?)e!["kind"]}/{(string?)e["name"]} -n {(string?)e["namespace"]}")
            .ToList();
    }

    private static async Task<Circuit[]> JoinAllAsync(ConsoleProcess console, string sessionId, IEnumerable<string> names)
    {
        var circuits = names.Select(console.Open).ToArray();
        var joined = await Task.WhenAll(circuits.Select(c => c.Onboarding.JoinAsync(sessionId, c.User)));
        for (var i = 0; i < circuits.Length; i++)
            Assert.True(joined[i], $"{circuits[i].User}: {circuits[i].Onboarding.LastFailure} {circuits[i].Onboarding.LastRefusal}");
        return circuits;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public async Task Participants_joining_at_once_after_the_mesh_wide_apply_each_get_an_isolated_namespace_with_the_ca_and_their_own_journal(int count)
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (facilitator, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(facilitator);
        var facilitatorJournal = JournalTargets(cluster, PlanBuilder.IstioNamespace);
        Assert.NotNull(facilitatorJournal);

        var participants = await JoinAllAsync(console, sessionId, Names.Take(count));

        var namespaces = participants.Select(p => p.Wizard.Draft.Participation!.Namespace).ToList();
        Assert.Equal(count, namespaces.Distinct().Count());
        Assert.All(participants, p => Assert.Equal("bookinfo-" + ParticipantNamespace.Slug(p.User), p.Wizard.Draft.Participation!.Namespace));
        foreach (var p in participants)
        {
            var me = p.Wizard.Draft.Participation!;
            Assert.Equal((sessionId, p.User), (me.SessionId, me.Name));
            Assert.True(p.Wizard.IsParticipant);
            Assert.Equal(WizardStep.Bookinfo, p.Wizard.Draft.ActiveStep);
            Assert.Equal(me.Namespace, p.Wizard.BookinfoNamespace);
            Assert.Equal([me.Namespace], p.Wizard.Namespaces);
            Assert.Null(p.Wizard.Draft.FacilitatedSessionId);
            Assert.Equal(TeamSessionCluster.Project, p.Wizard.Draft.LightStepProject);

            var ns = cluster.Namespace(me.Namespace);
            Assert.NotNull(ns);
            Assert.Equal(sessionId, (string?)ns["metadata"]!["labels"]![PlanBuilder.SessionLabel]);
            var secret = cluster.Emulator.Store.Get("v1", "Secret", me.Namespace, PlanBuilder.SecretName);
            Assert.NotNull(secret);
            Assert.Equal("lightstep", (string?)secret["metadata"]!["labels"]!["app"]);
            Assert.Equal(cluster.CaPem.Trim(), SecretData(secret, PlanBuilder.SecretKey).Trim());

            // Isolation: the participant's undo journal is in their namespace and holds only their namespace's objects.
            Assert.Equal(me.Namespace, p.Cluster.JournalNamespace);
            var journal = JournalTargets(cluster, me.Namespace);
            Assert.NotNull(journal);
            Assert.Equal([$"Secret/{PlanBuilder.SecretName} -n {me.Namespace}"], journal);
        }
        // The facilitator's journal is untouched by the joins: undoing the mesh-wide apply never reaches a participant.
        Assert.Equal(facilitatorJournal, JournalTargets(cluster, PlanBuilder.IstioNamespace));
        Assert.Null(JournalTargets(cluster, "default"));
        var listed = await facilitator.Onboarding.ReadDashboardAsync(sessionId);
        Assert.Equal(namespaces.Order(), listed!.Value.Participants.Select(p => p.Namespace).Order());
    }

    [Fact]
    public async Task Two_facilitators_applying_at_the_same_moment_are_serialized_and_the_session_records_who_applied()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console, "Fran");
        var sam = console.Open("Sam");
        cluster.EnterSharedSettings(sam.Wizard);
        sam.Wizard.SetFacilitatedSession(sessionId);
        await TeamSessionCluster.PreviewAsync(fran.Cluster);
        await TeamSessionCluster.PreviewAsync(sam.Cluster);
        Assert.True(fran.Cluster.CanApply && sam.Cluster.CanApply);
        // The mesh config write is slow, so the first apply still holds the lock when the second one asks for it.
        cluster.Emulator.Faults.Delay("PATCH", "/namespaces/istio-system/configmaps/istio$", TimeSpan.FromMilliseconds(400));

        await Task.WhenAll(fran.Cluster.ApplyAsync(), sam.Cluster.ApplyAsync());

        var winner = Assert.Single(new[] { fran, sam }, c => c.Cluster.Outcomes.Count > 0);
        var loser = Assert.Single(new[] { fran, sam }, c => c.Cluster.Outcomes.Count == 0);
        Assert.All(winner.Cluster.Outcomes, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Null(winner.Cluster.LockHeldBy);
        Assert.Equal(winner.User, loser.Cluster.LockHeldBy?.Who);
        Assert.Equal(ClusterWorkflow.SessionApplyAction, loser.Cluster.LockHeldBy!.Action);
        var record = (await fran.Onboarding.ReadDashboardAsync(sessionId))!.Value.Record;
        var apply = Assert.Single(record.Applies);
        Assert.Equal((winner.User, ClusterWorkflow.SessionApplyAction), (apply.Who, apply.Action));
        Assert.Contains("ConfigMap/istio -n istio-system", apply.Objects);
        // The lock was released: the other facilitator's apply now goes through and is recorded too.
        Assert.Null((await new ClusterWideApplyLock(cluster.Cluster.Gateway, cluster.Clock).CurrentHolderAsync()).Value);
        cluster.Emulator.Faults.Clear();
        await TeamSessionCluster.PreviewAsync(loser.Cluster);
        await loser.Cluster.ApplyAsync();
        Assert.Null(loser.Cluster.LockHeldBy);
        Assert.NotEmpty(loser.Cluster.Outcomes);
        record = (await fran.Onboarding.ReadDashboardAsync(sessionId))!.Value.Record;
        Assert.Equal([winner.User, loser.User], record.Applies.Select(a => a.Who));
    }

    [Fact]
    public async Task Ending_the_session_removes_exactly_the_participants_namespaces_and_the_summary_lists_everyone()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        cluster.CreateNamespace("team-tools", new Dictionary<string, string> { ["owner"] = "platform" });
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        var participants = await JoinAllAsync(console, sessionId, ["Alice", "Bob", "Carol Danvers"]);
        // Bob's Bookinfo runs: the dashboard and the summary count its Deployments in his namespace.
        cluster.Emulator.Rollouts.Enable(TimeSpan.Zero, cluster.Clock);
        await DeployBookinfoAsync(participants[1]);
        await participants[0].Onboarding.ReportProgressAsync(p => p with { Step = nameof(WizardStep.Traffic), RequestsSent = 20, TracesLinked = 20 });
        await participants[1].Onboarding.ReportProgressAsync(p => p with { Step = nameof(WizardStep.Bookinfo), DeploymentsReady = 6, DeploymentsTotal = 6 });
        // Carol's namespace was deleted by hand and someone else created one with the same name, without the session label.
        cluster.Emulator.Store.Delete("v1", "Namespace", null, "bookinfo-carol-danvers");
        cluster.CreateNamespace("bookinfo-carol-danvers", new Dictionary<string, string> { ["owner"] = "someone-else" });
        var before = cluster.NamespaceNames();

        var ending = await fran.Onboarding.EndAsync(sessionId);

        Assert.NotNull(ending);
        Assert.Equal(["bookinfo-alice", "bookinfo-bob", "bookinfo-carol-danvers"], ending.ParticipantNamespaces);
        Assert.True(ending.Session.HasEnded);
        var latecomer = console.Open("Zed");
        Assert.False(await latecomer.Onboarding.JoinAsync(sessionId, "Zed"));
        Assert.Equal(JoinRefusal.SessionEnded, latecomer.Onboarding.LastRefusal);

        var removals = await fran.Onboarding.RemoveNamespacesAsync(sessionId, ending.ParticipantNamespaces);

        Assert.Equal([("bookinfo-alice", true), ("bookinfo-bob", true), ("bookinfo-carol-danvers", false)],
            removals.Select(r => (r.Namespace, r.Removed)));
        Assert.All(removals, r => Assert.Null(r.Failure));
        Assert.Equal(before.Except(["bookinfo-alice", "bookinfo-bob"]), cluster.NamespaceNames());
        Assert.Contains("team-tools", cluster.NamespaceNames());
        Assert.Contains("default", cluster.NamespaceNames());
        Assert.Equal("someone-else", (string?)cluster.Namespace("bookinfo-carol-danvers")!["metadata"]!["labels"]!["owner"]);
        // The facilitator's own CA Secret (namespace "default") is not a participant's and stays.
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));

        var csv = ending.Summary.ToCsv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("Alice,bookinfo-alice,Traffic,0,0,20,20,", csv[1]);
        Assert.StartsWith("Bob,bookinfo-bob,Bookinfo,6,6,0,0,", csv[2]);
        Assert.StartsWith("Carol Danvers,bookinfo-carol-danvers,joined,", csv[3]);
        var json = JsonNode.Parse(ending.Summary.ToJson())!;
        Assert.Equal(sessionId, (string?)json["session"]!["id"]);
        Assert.NotNull((string?)json["session"]!["endedAt"]);
        Assert.Equal([("Alice", "Traffic"), ("Bob", "Bookinfo"), ("Carol Danvers", "joined")],
            json["participants"]!.AsArray().Select(p => ((string)p!["name"]!, (string)p["step"]!)));
        Assert.DoesNotContain(TeamSessionCluster.Token, ending.Summary.ToJson() + ending.Summary.ToCsv());
    }

    [Fact]
    public async Task Only_the_signed_in_facilitator_can_end_a_session_or_remove_its_namespaces_not_a_participant_or_another_user()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        SignIn(fran);
        var alice = (await JoinAllAsync(console, sessionId, ["Alice"]))[0];
        SignIn(alice);
        var mallory = console.Open("Mallory");
        SignIn(mallory);

        Assert.Null(await alice.Onboarding.EndAsync(sessionId));
        Assert.Equal("Onboarding.OnlyFacilitator", Assert.Single(alice.Onboarding.Issues).Code);
        Assert.Null(await mallory.Onboarding.EndAsync(sessionId));
        Assert.Empty(await mallory.Onboarding.RemoveNamespacesAsync(sessionId, ["bookinfo-alice"]));
        Assert.Equal("Onboarding.OnlyFacilitator", Assert.Single(mallory.Onboarding.Issues).Code);
        Assert.NotNull(cluster.Namespace("bookinfo-alice"));
        Assert.False((await new SessionStore(fran.Cluster.Gateway(), cluster.Clock).GetSessionAsync(sessionId)).Value!.Session.HasEnded);

        var ending = await fran.Onboarding.EndAsync(sessionId);
        var removals = await fran.Onboarding.RemoveNamespacesAsync(sessionId, ending!.ParticipantNamespaces);

        Assert.Equal([("bookinfo-alice", true)], removals.Select(r => (r.Namespace, r.Removed)));
        Assert.Null(cluster.Namespace("bookinfo-alice"));
    }

    [Fact]
    public async Task A_participant_namespace_that_stays_terminating_is_reported_not_removed_and_a_later_removal_finishes_it()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        await JoinAllAsync(console, sessionId, ["Alice", "Bob"]);
        fran.Services.GetRequiredService<ClusterOperations>().NamespaceTermination =
            new NamespaceTermination(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50));
        // A finalizer nobody removes keeps Bob's namespace Terminating after its DELETE.
        cluster.Emulator.Namespaces.Hold("bookinfo-bob");
        var ending = await fran.Onboarding.EndAsync(sessionId);

        var removals = await fran.Onboarding.RemoveNamespacesAsync(sessionId, ending!.ParticipantNamespaces);

        Assert.Equal([("bookinfo-alice", true), ("bookinfo-bob", false)], removals.Select(r => (r.Namespace, r.Removed)));
        Assert.Null(removals[0].Failure);
        Assert.Equal("Cluster.NamespaceStillTerminating", removals[1].Failure!.Code);
        Assert.Null(cluster.Namespace("bookinfo-alice"));
        Assert.Equal("Terminating", (string?)cluster.Namespace("bookinfo-bob")!["status"]!["phase"]);

        cluster.Emulator.Namespaces.Release("bookinfo-bob");
        var again = await fran.Onboarding.RemoveNamespacesAsync(sessionId, ["bookinfo-bob"]);

        Assert.Equal([("bookinfo-bob", true)], again.Select(r => (r.Namespace, r.Removed)));
        Assert.Null(again[0].Failure);
        Assert.Null(cluster.Namespace("bookinfo-bob"));
    }

    [Fact]
    public async Task Removing_participant_namespaces_waits_until_they_are_gone_not_only_terminating()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        await JoinAllAsync(console, sessionId, ["Alice", "Bob"]);
        fran.Services.GetRequiredService<ClusterOperations>().NamespaceTermination =
            new NamespaceTermination(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        cluster.Emulator.Namespaces.Configure(TimeSpan.FromMilliseconds(300));
        var ending = await fran.Onboarding.EndAsync(sessionId);

        var removals = await fran.Onboarding.RemoveNamespacesAsync(sessionId, ending!.ParticipantNamespaces);

        Assert.All(removals, r => Assert.True(r.Removed && r.Failure is null, r.ToString()));
        Assert.Null(cluster.Namespace("bookinfo-alice"));
        Assert.Null(cluster.Namespace("bookinfo-bob"));
    }

    private static void SignIn(Circuit circuit) => circuit.Services.GetRequiredService<TestUser>().IsAuthenticated = true;

    [Fact]
    public async Task A_console_restart_in_the_middle_of_a_session_loses_no_session_participant_step_or_namespace()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        string sessionId;
        Dictionary<string, string> namespaces;
        await using (var first = cluster.StartConsole())
        {
            (var fran, sessionId) = await cluster.StartSessionAsync(first);
            await ApplyMeshWideAsync(fran);
            var participants = await JoinAllAsync(first, sessionId, Names.Take(4));
            cluster.Emulator.Rollouts.Enable(TimeSpan.Zero, cluster.Clock);
            await DeployBookinfoAsync(participants[1]);
            await participants[0].Onboarding.ReportProgressAsync(p => p with { Step = nameof(WizardStep.Traffic), RequestsSent = 50, TracesLinked = 48 });
            await participants[1].Onboarding.ReportProgressAsync(p => p with { Step = nameof(WizardStep.Cleanup), DeploymentsReady = 6, DeploymentsTotal = 6 });
            namespaces = participants.ToDictionary(p => p.User, p => p.Wizard.Draft.Participation!.Namespace);
        }
        var journalBefore = JournalTargets(cluster, "bookinfo-alice");
        Assert.NotNull(journalBefore);

        await using var restarted = cluster.StartConsole();
        var facilitator = restarted.Open("Fran");
        var dashboard = await facilitator.Onboarding.ReadDashboardAsync(sessionId);
        var sessions = await facilitator.Onboarding.ListSessionsAsync();
        // Alice comes back from a new tab; Bob's tab reconnects under a differently cased name.
        var alice = restarted.Open("Alice");
        var bob = restarted.Open("Bob");
        var rejoined = await Task.WhenAll(alice.Onboarding.JoinAsync(sessionId, "Alice"), bob.Onboarding.JoinAsync(sessionId, "bob"));

        Assert.Equal([sessionId], sessions.Select(s => s.Id));
        Assert.NotNull(dashboard);
        Assert.Equal(TeamSessionCluster.Token, dashboard.Value.Record.Settings.AccessToken);
        Assert.Single(dashboard.Value.Record.Applies);
        var progress = dashboard.Value.Participants.ToDictionary(p => p.Name);
        Assert.Equal(namespaces.Keys.Order(), progress.Keys.Order());
        Assert.All(namespaces, kv => Assert.Equal(kv.Value, progress[kv.Key].Namespace));
        Assert.Equal(("Traffic", 50L, 48L), (progress["Alice"].Step, progress["Alice"].RequestsSent, progress["Alice"].TracesLinked));
        Assert.Equal(("Cleanup", 6), (progress["Bob"].Step, progress["Bob"].DeploymentsReady));

        Assert.All(rejoined, Assert.True);
        Assert.Equal(new Participation(sessionId, "Alice", namespaces["Alice"]), alice.Wizard.Draft.Participation);
        Assert.Equal(WizardStep.Traffic, alice.Wizard.Draft.ActiveStep);
        Assert.Equal(new Participation(sessionId, "Bob", namespaces["Bob"]), bob.Wizard.Draft.Participation);
        Assert.Equal(WizardStep.Cleanup, bob.Wizard.Draft.ActiveStep);
        Assert.Equal(4, (await facilitator.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants.Count);
        Assert.Equal(journalBefore, JournalTargets(cluster, "bookinfo-alice"));
        Assert.Equal(4, cluster.NamespaceNames().Count(n => n.StartsWith("bookinfo-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Participants_deploying_bookinfo_at_once_journal_it_in_their_own_namespace_and_removing_one_leaves_the_other()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        var facilitatorJournal = JournalTargets(cluster, PlanBuilder.IstioNamespace);
        var participants = await JoinAllAsync(console, sessionId, ["Alice", "Bob"]);

        await Task.WhenAll(participants.Select(DeployBookinfoAsync));

        foreach (var ns in new[] { "bookinfo-alice", "bookinfo-bob" })
        {
            var journal = JournalTargets(cluster, ns)!;
            Assert.Contains($"Deployment/productpage-v1 -n {ns}", journal);
            Assert.All(journal, t => Assert.True(t.EndsWith($" -n {ns}", StringComparison.Ordinal) || t == $"Namespace/{ns} -n ", t));
            Assert.Equal("enabled", (string?)cluster.Namespace(ns)!["metadata"]!["labels"]!["istio-injection"]);
        }
        Assert.Equal(facilitatorJournal, JournalTargets(cluster, PlanBuilder.IstioNamespace));

        await participants[0].Services.GetRequiredService<BookinfoWorkflow>().RemoveAsync();

        Assert.Empty(cluster.Emulator.Store.List("apps/v1", "Deployment", "bookinfo-alice"));
        Assert.Equal(6, cluster.Emulator.Store.List("apps/v1", "Deployment", "bookinfo-bob").Count);
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio"));
        Assert.Equal(facilitatorJournal, JournalTargets(cluster, PlanBuilder.IstioNamespace));
    }

    [Fact]
    public async Task A_join_cut_short_before_the_namespace_was_created_completes_when_the_participant_comes_back_after_a_restart()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        string sessionId;
        await using (var first = cluster.StartConsole())
        {
            (_, sessionId) = await cluster.StartSessionAsync(first);
            cluster.Emulator.Faults.Fail("PATCH", "^/api/v1/namespaces/bookinfo-alice$", 403);
            var alice = first.Open("Alice");
            Assert.False(await alice.Onboarding.JoinAsync(sessionId, "Alice"));
            Assert.Equal(ClusterFailureKind.Forbidden, alice.Onboarding.LastFailure?.Kind);
            Assert.False(alice.Wizard.IsParticipant);
            Assert.Null(cluster.Namespace("bookinfo-alice"));
            cluster.Emulator.Faults.Clear();
        }

        await using var restarted = cluster.StartConsole();
        var again = restarted.Open("Alice");
        Assert.True(await again.Onboarding.JoinAsync(sessionId, "Alice"));

        Assert.Equal("bookinfo-alice", again.Wizard.Draft.Participation!.Namespace);
        Assert.Equal(sessionId, (string?)cluster.Namespace("bookinfo-alice")!["metadata"]!["labels"]![PlanBuilder.SessionLabel]);
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Secret", "bookinfo-alice", PlanBuilder.SecretName));
        Assert.Equal(["Alice"], (await again.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants.Select(p => p.Name));
    }

    [Fact]
    public async Task A_participant_coming_back_after_the_session_ended_and_its_namespaces_were_removed_does_not_recreate_theirs()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await JoinAllAsync(console, sessionId, ["Alice"]);
        var ending = await fran.Onboarding.EndAsync(sessionId);
        await fran.Onboarding.RemoveNamespacesAsync(sessionId, ending!.ParticipantNamespaces);
        Assert.Null(cluster.Namespace("bookinfo-alice"));

        // The join page resumes from the name the browser kept, e.g. when Alice opens the link the next day.
        var alice = console.Open("Alice");
        var resumed = await alice.Onboarding.JoinAsync(sessionId, "Alice");

        Assert.True(resumed);
        Assert.Equal("bookinfo-alice", alice.Wizard.Draft.Participation?.Namespace);
        Assert.Null(cluster.Namespace("bookinfo-alice"));
        Assert.Empty(cluster.Emulator.Store.List("v1", "Secret", "bookinfo-alice"));
    }

    [Fact]
    public async Task A_participant_tab_left_open_after_the_session_ended_deploys_nothing_and_does_not_recreate_the_removed_namespace()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        var alice = (await JoinAllAsync(console, sessionId, ["Alice"]))[0];
        var bookinfo = alice.Services.GetRequiredService<BookinfoWorkflow>();
        await bookinfo.CheckNamespaceAsync();
        alice.Wizard.SetConfirmInjectionLabel(true);
        await bookinfo.PreviewAsync();
        Assert.True(bookinfo.CanDeploy, bookinfo.LastFailure?.ToString());
        Assert.Null(bookinfo.SessionEndedAt);

        // Alice previewed, then went for coffee; the facilitator ended the session and removed its namespaces.
        var ending = await fran.Onboarding.EndAsync(sessionId);
        await fran.Onboarding.RemoveNamespacesAsync(sessionId, ending!.ParticipantNamespaces);
        Assert.Null(cluster.Namespace("bookinfo-alice"));

        await bookinfo.DeployAsync();

        Assert.NotNull(bookinfo.SessionEndedAt);
        Assert.Empty(bookinfo.Outcomes);
        Assert.False(bookinfo.CanDeploy);
        Assert.Null(cluster.Namespace("bookinfo-alice"));
        Assert.Empty(cluster.Emulator.Store.List("apps/v1", "Deployment", "bookinfo-alice"));
        await bookinfo.PreviewAsync();
        Assert.Null(bookinfo.Previews);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resetting_the_demo_returns_the_cluster_to_how_it_was_before_the_session(bool consoleRestartedBeforeReset)
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        var namespacesBefore = cluster.NamespaceNames();
        var istioBefore = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!.ToJsonString();
        var injectorBefore = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio-sidecar-injector")!["data"]!.ToJsonString();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        await JoinAllAsync(console, sessionId, Names.Take(3));
        Assert.NotEqual(istioBefore, cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!.ToJsonString());
        await using var restarted = consoleRestartedBeforeReset ? cluster.StartConsole() : null;
        if (restarted is not null)
        {
            // The facilitator opens the dashboard on a console that knows nothing of the session but what the cluster holds.
            await console.DisposeAsync();
            fran = restarted.Open("Fran");
        }

        var reset = await fran.Onboarding.ResetDemoAsync(sessionId);

        Assert.NotNull(reset);
        Assert.Null(fran.Onboarding.LastFailure);
        Assert.All(reset.Value.Namespaces, r => Assert.True(r.Removed, r.Namespace));
        Assert.Equal(3, reset.Value.Namespaces.Count);
        Assert.All(reset.Value.Undone, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        Assert.Equal(istioBefore, cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!.ToJsonString());
        Assert.Equal(injectorBefore, cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio-sidecar-injector")!["data"]!.ToJsonString());
        Assert.Null(cluster.Emulator.Store.Get("v1", "Secret", "default", PlanBuilder.SecretName));
        Assert.Null(JournalTargets(cluster, PlanBuilder.IstioNamespace));
        // Only the console's own (now empty) namespace is left of the session.
        Assert.Equal(namespacesBefore.Append(OnboardingObjects.DefaultNamespace).Order(StringComparer.Ordinal), cluster.NamespaceNames());
        Assert.Empty(cluster.Emulator.Store.List("v1", "Secret", OnboardingObjects.DefaultNamespace));
        Assert.Empty(cluster.Emulator.Store.List("v1", "ConfigMap", OnboardingObjects.DefaultNamespace));
        Assert.Empty(await fran.Onboarding.ListSessionsAsync());
        Assert.Null(fran.Wizard.Draft.FacilitatedSessionId);
    }

    [Fact]
    public async Task A_console_holding_only_the_rbac_generated_with_team_sessions_runs_a_whole_session_without_one_forbidden_request()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        cluster.Emulator.Access.AllowOnly(InClusterRbacTests.Granted(InClusterRbac.Build(["default"], teamSessions: true)));
        await using var console = cluster.StartConsole();

        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        var participants = await JoinAllAsync(console, sessionId, ["Alice", "Bob"]);
        await DeployBookinfoAsync(participants[0]);
        await participants[0].Onboarding.ReportProgressAsync(p => p with { Step = "Traffic" });
        await participants[0].Services.GetRequiredService<BookinfoWorkflow>().RemoveAsync();
        Assert.Contains((await fran.Onboarding.ReadDashboardAsync(sessionId))!.Value.Participants, p => p is { Name: "Alice", Step: "Traffic" });
        Assert.NotNull(await fran.Onboarding.EndAsync(sessionId));
        var reset = await fran.Onboarding.ResetDemoAsync(sessionId);

        Assert.NotNull(reset);
        Assert.Null(fran.Onboarding.LastFailure);
        Assert.All(reset.Value.Namespaces, r => Assert.True(r.Removed, r.Namespace));
        Assert.Empty(cluster.Emulator.Requests.Where(r => r.StatusCode == 403).Select(r => $"{r.Method} {r.Path}"));
        Assert.Null(cluster.Namespace("bookinfo-alice"));
    }

    [Fact]
    public async Task With_the_rbac_generated_without_team_sessions_starting_a_session_is_refused_as_forbidden()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        cluster.Emulator.Access.AllowOnly(InClusterRbacTests.Granted(InClusterRbac.Build(["default"])));
        await using var console = cluster.StartConsole();
        var fran = console.Open("Fran");
        cluster.EnterSharedSettings(fran.Wizard);

        var started = await fran.Onboarding.StartAsync("Platform team", "bookinfo-{name}");

        Assert.Null(started);
        Assert.Equal(ClusterFailureKind.Forbidden, fran.Onboarding.LastFailure?.Kind);
        Assert.Empty(cluster.Emulator.Store.List("v1", "Secret", OnboardingObjects.DefaultNamespace));
    }
}
