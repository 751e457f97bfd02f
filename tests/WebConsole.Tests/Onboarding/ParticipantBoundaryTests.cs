using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Cluster;
using static WebConsole.Tests.Onboarding.SessionSteps;

namespace WebConsole.Tests.Onboarding;

/// <summary>
/// What a session participant's circuit may change, against the emulated cluster: their own namespace keeps what each
/// part of the console applied to it (a rejoin does not strip Bookinfo's sidecar injection), and everything outside it,
/// mesh-wide settings included, is refused before a request is sent, whichever way the circuit asks.
/// </summary>
public sealed class ParticipantBoundaryTests
{
    private static async Task<Circuit> JoinAsync(ConsoleProcess console, string sessionId, string name)
    {
        var circuit = console.Open(name);
        Assert.True(await circuit.Onboarding.JoinAsync(sessionId, name), $"{circuit.Onboarding.LastFailure} {circuit.Onboarding.LastRefusal}");
        return circuit;
    }

    private static string? Label(TeamSessionCluster cluster, string ns, string key) =>
        (string?)cluster.Namespace(ns)?["metadata"]?["labels"]?[key];

    [Fact]
    public async Task Rejoining_through_the_join_link_after_bookinfo_keeps_sidecar_injection_and_so_does_deploying_bookinfo_again()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        var alice = await JoinAsync(console, sessionId, "Alice");
        await DeployBookinfoAsync(alice);
        Assert.Equal(SidecarInjection.EnabledValue, Label(cluster, "bookinfo-alice", SidecarInjection.InjectionLabel));

        // The README's way back after closing the tab: the join link again, in a new tab, and after a console restart.
        await JoinAsync(console, sessionId, "Alice");
        Assert.Equal(SidecarInjection.EnabledValue, Label(cluster, "bookinfo-alice", SidecarInjection.InjectionLabel));
        await using var restarted = cluster.StartConsole();
        var back = await JoinAsync(restarted, sessionId, "Alice");
        Assert.Equal(SidecarInjection.EnabledValue, Label(cluster, "bookinfo-alice", SidecarInjection.InjectionLabel));
        Assert.Equal(sessionId, Label(cluster, "bookinfo-alice", PlanBuilder.SessionLabel));

        // Deploying again: the namespace injects already, so nothing is proposed, and the label Bookinfo applied stays.
        var again = await DeployBookinfoAsync(back);
        Assert.Null(again.Injection!.LabelsToSet);
        Assert.Equal(SidecarInjection.EnabledValue, Label(cluster, "bookinfo-alice", SidecarInjection.InjectionLabel));
        Assert.Equal(sessionId, Label(cluster, "bookinfo-alice", PlanBuilder.SessionLabel));
        var managers = cluster.Namespace("bookinfo-alice")!["metadata"]!["managedFields"]!.AsArray()
            .Select(e => (string?)e!["manager"]).ToList();
        Assert.Contains(FieldManagers.Bookinfo, managers);
        Assert.Contains(FieldManagers.Session, managers);
    }

    /// <summary>Every (object, field manager) Apply entry in the store with the field paths it owns.</summary>
    private static Dictionary<string, HashSet<string>> AppliedFields(KubeApiEmulator emulator)
    {
        var owned = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (apiVersion, kind) in new[] { ("v1", "Namespace"), ("v1", "Secret"), ("v1", "ConfigMap"), ("v1", "ServiceAccount"), ("v1", "Service"), ("apps/v1", "Deployment") })
        foreach (var obj in emulator.Store.List(apiVersion, kind))
        foreach (var entry in obj["metadata"]?["managedFields"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if ((string?)entry["operation"] != "Apply") continue;
            var key = $"{kind}/{(string?)obj["metadata"]!["name"]} -n {(string?)obj["metadata"]!["namespace"]} by {(string?)entry["manager"]}";
            owned[key] = Paths(entry["fieldsV1"] as JsonObject, "").ToHashSet(StringComparer.Ordinal);
        }
        return owned;

        static IEnumerable<string> Paths(JsonObject? fields, string prefix) => (fields ?? []).SelectMany(f =>
            f.Value is JsonObject { Count: > 0 } inner ? Paths(inner, $"{prefix}/{f.Key}") : [$"{prefix}/{f.Key}"]);
    }

    [Fact]
    public async Task Across_a_whole_session_no_part_of_the_console_drops_a_field_its_field_manager_applied_before()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var snapshots = new List<(string Step, Dictionary<string, HashSet<string>> Owned)>();
        void Snapshot(string step) => snapshots.Add((step, AppliedFields(cluster.Emulator)));

        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        Snapshot("mesh-wide apply");
        var alice = await JoinAsync(console, sessionId, "Alice");
        var bob = await JoinAsync(console, sessionId, "Bob");
        Snapshot("joins");
        await Task.WhenAll(DeployBookinfoAsync(alice), DeployBookinfoAsync(bob));
        Snapshot("Bookinfo");
        await JoinAsync(console, sessionId, "Alice");
        await using var restarted = cluster.StartConsole();
        var bobAgain = await JoinAsync(restarted, sessionId, "Bob");
        Snapshot("rejoins");
        await DeployBookinfoAsync(bobAgain);
        Snapshot("Bookinfo again");
        var franAgain = restarted.Open("Fran");
        cluster.EnterSharedSettings(franAgain.Wizard);
        franAgain.Wizard.SetFacilitatedSession(sessionId);
        await ApplyMeshWideAsync(franAgain);
        Snapshot("mesh-wide apply again");

        var dropped = new List<string>();
        for (var i = 1; i < snapshots.Count; i++)
        foreach (var (entry, fields) in snapshots[i - 1].Owned)
        {
            var now = snapshots[i].Owned.GetValueOrDefault(entry) ?? [];
            foreach (var field in fields.Except(now)) dropped.Add($"{snapshots[i].Step}: {entry} no longer applies {field}");
        }
        Assert.True(dropped.Count == 0, string.Join("\n", dropped));
        var managers = snapshots[^1].Owned.Keys.Select(k => k[(k.LastIndexOf(" by ", StringComparison.Ordinal) + 4)..]).ToHashSet();
        Assert.Subset(FieldManagers.All.ToHashSet(), managers.Where(m => m.StartsWith("lightstep-console", StringComparison.Ordinal)).ToHashSet());
        Assert.Contains(FieldManagers.Bookinfo, managers);
        Assert.Contains(FieldManagers.Session, managers);
    }

    [Fact]
    public async Task A_participant_is_refused_bookinfo_in_another_namespace_by_the_step_and_by_the_pipeline_and_nothing_is_written()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        var alice = await JoinAsync(console, sessionId, "Alice");
        var bookinfo = alice.Services.GetRequiredService<BookinfoWorkflow>();
        var operations = alice.Services.GetRequiredService<ClusterOperations>();
        var resourceVersion = cluster.Emulator.Store.ResourceVersion;
        cluster.Emulator.ClearRequests();

        // The step: whatever the tab sends, the participant's Bookinfo goes to their own namespace.
        alice.Wizard.SetBookinfoNamespace(PlanBuilder.IstioNamespace);
        alice.Wizard.Draft.BookinfoNamespace = PlanBuilder.IstioNamespace;
        Assert.Equal("bookinfo-alice", alice.Wizard.BookinfoNamespace);
        Assert.Equal(["bookinfo-alice"], bookinfo.Plan!.Namespaces);
        Assert.All(bookinfo.Plan.Objects, o => Assert.True(o.Namespace == "bookinfo-alice" || o.Name == "bookinfo-alice", o.DisplayName));

        // The pipeline: a Bookinfo plan for istio-system handed to the participant's own cluster operations.
        var elsewhere = PlanBuilder.BuildBookinfo(new BookinfoInput(PlanBuilder.IstioNamespace, new IstioVersion(1, 14, 3)));
        var preview = await operations.PreviewAsync(elsewhere, null, force: false, default);
        var direct = await operations.ApplyDirectlyAsync(elsewhere, JournalLocation.ForParticipant("bookinfo-alice"), _ => false, default);
        var directToMeshJournal = await operations.ApplyDirectlyAsync(elsewhere, JournalLocation.ForCluster(null), _ => false, default);

        Assert.Equal(ClusterFailureKind.ParticipantScope, preview.Failure?.Kind);
        Assert.Equal(["bookinfo-alice", $"Namespace/{PlanBuilder.IstioNamespace}"], preview.Failure!.Arguments);
        Assert.Equal(ClusterFailureKind.ParticipantScope, direct.Failure?.Kind);
        Assert.Equal(ClusterFailureKind.ParticipantScope, directToMeshJournal.Failure?.Kind);
        Assert.Empty(cluster.Emulator.Requests);
        Assert.Equal(resourceVersion, cluster.Emulator.Store.ResourceVersion);
        Assert.Empty(cluster.Emulator.Store.List("apps/v1", "Deployment", PlanBuilder.IstioNamespace)
            .Where(d => (string?)d["metadata"]!["labels"]?[BookinfoSample.PartOfLabel] == BookinfoSample.PartOfValue));
    }

    [Fact]
    public async Task A_participants_circuit_is_refused_mesh_wide_apply_undo_end_and_reset_whichever_way_it_asks_and_nothing_is_written()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);
        await ApplyMeshWideAsync(fran);
        var alice = await JoinAsync(console, sessionId, "Alice");
        var aliceOperations = alice.Services.GetRequiredService<ClusterOperations>();
        // The facilitator's current preview of the mesh-wide change, as a participant's circuit could get hold of one.
        var franOperations = fran.Services.GetRequiredService<ClusterOperations>();
        var istio = franOperations.LastPreflight!.Istio;
        var meshChange = (await franOperations.PreviewAsync(fran.Wizard.Plan!, istio, force: true, default)).Value!;
        var istioConfig = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!.ToJsonString();
        var resourceVersion = cluster.Emulator.Store.ResourceVersion;
        cluster.Emulator.ClearRequests();

        // The Apply and Cleanup steps' own paths.
        await alice.Cluster.PreviewAsync();
        Assert.Equal(ClusterFailureKind.ParticipantScope, alice.Cluster.LastFailure?.Kind);
        await alice.Cluster.ApplyAsync();
        Assert.Equal("Cluster.ParticipantMeshWide", alice.Cluster.LastFailure?.Code);
        await alice.Cluster.UndoAsync();
        Assert.Equal("Cluster.ParticipantMeshWide", alice.Cluster.LastFailure?.Code);
        Assert.Empty(alice.Cluster.Outcomes);
        Assert.Empty(alice.Cluster.UndoOutcomes);

        // The pipeline itself, handed the mesh-wide change, the facilitator's journal, or workloads to restart.
        var applied = await aliceOperations.ApplyAsync(meshChange, JournalLocation.ForCluster(istio), default);
        var appliedToOwnJournal = await aliceOperations.ApplyAsync(meshChange, JournalLocation.ForParticipant("bookinfo-alice"), default);
        var undone = await aliceOperations.UndoAsync(JournalLocation.ForCluster(istio), null, default);
        var restarted = await aliceOperations.RestartAsync([new RestartCandidate("default", "productpage-v1", 1)], default);
        Assert.All(applied.Concat(appliedToOwnJournal).Concat(undone).Concat(restarted), o =>
        {
            Assert.Equal(ApplyOutcomeKind.Failed, o.Kind);
            Assert.Equal(ClusterFailureKind.ParticipantScope, o.Failure?.Kind);
        });
        Assert.Equal(meshChange.Set.Changes.Count, applied.Count);
        Assert.Equal($"Secret/{UndoJournal.SecretName} -n {istio!.Namespace}", Assert.Single(undone).Failure!.Arguments[1]);

        // Ending the session, removing its namespaces and resetting the demo are the facilitator's.
        Assert.Null(await alice.Onboarding.EndAsync(sessionId));
        Assert.Equal("Onboarding.OnlyFacilitator", Assert.Single(alice.Onboarding.Issues).Code);
        Assert.Empty(await alice.Onboarding.RemoveNamespacesAsync(sessionId, ["bookinfo-alice"]));
        Assert.Null(await alice.Onboarding.ResetDemoAsync(sessionId));
        Assert.Equal("Onboarding.OnlyFacilitator", Assert.Single(alice.Onboarding.Issues).Code);

        Assert.Empty(cluster.Emulator.Requests.Where(r => r.Method != "GET").Select(r => r.ToString()));
        Assert.Equal(resourceVersion, cluster.Emulator.Store.ResourceVersion);
        Assert.Equal(istioConfig, cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!.ToJsonString());
        Assert.NotNull(cluster.Namespace("bookinfo-alice"));
        var session = await new Features.Onboarding.SessionStore(cluster.Cluster.Gateway, cluster.Clock).GetSessionAsync(sessionId);
        Assert.False(session.Value!.Session.HasEnded);
    }
}
