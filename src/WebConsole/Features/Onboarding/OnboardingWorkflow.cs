using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Access;
using WebConsole.Features.Cluster;
using WebConsole.Drafts;

namespace WebConsole.Features.Onboarding;

/// <summary>
/// Tells this console's open dashboards that a session changed, so they re-read it at once instead of at their next
/// poll. The cluster stays the truth: dashboards also poll, which covers changes made through other console instances.
/// </summary>
public sealed class SessionActivity
{
    public event Action<string>? Changed;
    public void Notify(string sessionId) => Changed?.Invoke(sessionId);
}

/// <summary>What the facilitator's undo journal (in <paramref name="JournalNamespace"/>) says the console changed mesh-wide.</summary>
public sealed record MeshWideChanges(string JournalNamespace, IReadOnlyList<UndoEntry> Entries);

/// <summary>The outcome of removing one participant namespace when a session ends.</summary>
public sealed record NamespaceRemoval(string Namespace, bool Removed, ClusterFailure? Failure);

/// <summary>
/// Team sessions for one circuit: the facilitator starts, watches and ends them; a participant joins, gets their own
/// namespace with the CA Secret, and reports progress. Every state lives in the cluster (<see cref="SessionStore"/>).
/// A failure is kept for the page and changes nothing the user entered.
/// </summary>
public sealed class OnboardingWorkflow(
    ClusterOperations operations, ClusterContext context, WizardState wizard, TimeProvider clock, ICurrentUser user, SessionActivity activity) : ClusterOperationWorkflow
{
    public IReadOnlyList<ValidationIssue> Issues { get; private set; } = [];
    public JoinRefusal? LastRefusal { get; private set; }
    public bool IsConnected => operations.IsConnected;

    private SessionStore Store() => new(operations.Gateway(), clock);

    /// <summary>
    /// Ending a session, removing its namespaces and resetting the demo are the facilitator's: with sign-in, only the
    /// user who started it; a participant's tab never (the join link carries the session id, so it cannot be the key).
    /// Without sign-in the console cannot tell people apart and trusts everyone who reaches it, as it does for applies.
    /// </summary>
    public bool MayFacilitate(OnboardingSession session) => !wizard.IsParticipant && (!user.IsAuthenticated || user.Name == session.Facilitator);

    private async Task<bool> AuthorizeFacilitatorAsync(string sessionId, CancellationToken ct)
    {
        var read = await Store().GetSessionAsync(sessionId, ct);
        if (!Keep(read.Failure)) return false;
        if (read.Value is { } record && MayFacilitate(record.Session)) return true;
        Issues = [ValidationIssue.Error(WizardField.SessionName, "Onboarding.OnlyFacilitator", read.Value?.Session.Facilitator ?? "")];
        return false;
    }

    /// <summary>What this user may do of <see cref="TeamSessionRequirements"/>; null until <see cref="CheckSessionAccessAsync"/> ran.</summary>
    public IReadOnlyList<AccessCheck>? SessionAccess { get; private set; }

    /// <summary>Asks the cluster (SelfSubjectAccessReviews) whether this user may run team sessions, before they start one.</summary>
    public Task CheckSessionAccessAsync(CancellationToken ct = default) => RunAsync("Busy.CheckSessionAccess", async () =>
    {
        SessionAccess = await operations.CheckAccessAsync(TeamSessionRequirements.For(), ct);
        Keep(SessionAccess.FirstOrDefault(a => a.Failure is not null)?.Failure);
    }, needsCluster: true);

    /// <summary>Starts a session with the shared settings of this user's wizard; null (with <see cref="Issues"/> or <see cref="LastFailure"/>) when it cannot.</summary>
    public async Task<SessionRecord?> StartAsync(string name, string namespacePattern, CancellationToken ct = default)
    {
        SessionRecord? started = null;
        await RunAsync("Busy.StartSession", async () =>
        {
            var issues = new List<ValidationIssue>();
            // A participant's wizard holds the facilitator's token: it must not seed sessions of its own.
            if (wizard.IsParticipant) issues.Add(ValidationIssue.Error(WizardField.SessionName, "Onboarding.ParticipantCannotStart"));
            if (string.IsNullOrWhiteSpace(name)) issues.Add(ValidationIssue.Error(WizardField.SessionName, "Onboarding.SessionNameEmpty"));
            issues.AddRange(ParticipantNamespace.ValidatePattern(namespacePattern));
            if (wizard.SharedSettingsFromDraft() is not { } shared)
                issues.Add(ValidationIssue.Error(WizardField.SessionName, "Onboarding.SharedSettingsIncomplete"));
            else if (string.IsNullOrWhiteSpace(shared.Project))
                issues.Add(ValidationIssue.Error(WizardField.SessionName, "Onboarding.ProjectMissing"));
            Issues = issues;
            if (issues.HasErrors() || operations.Target is not { } target) return;
            var created = await Store().CreateSessionAsync(name.Trim(), target.Name, user.Name, wizard.SharedSettingsFromDraft()!, namespacePattern, ct);
            if (!Keep(created.Failure)) return;
            started = created.Value;
            wizard.SetFacilitatedSession(started!.Session.Id);
        });
        return started;
    }

    public async Task<IReadOnlyList<OnboardingSession>> ListSessionsAsync(CancellationToken ct = default)
    {
        var listed = await Store().ListSessionsAsync(ct);
        Keep(listed.Failure);
        return listed.Value ?? [];
    }

    /// <summary>
    /// The session and its participants, for the dashboard, with Bookinfo's readiness read from their namespaces unless
    /// <paramref name="readiness"/> is false (then as they reported it); null when it does not exist or could not be read.
    /// </summary>
    public async Task<(SessionRecord Record, IReadOnlyList<ParticipantProgress> Participants)?> ReadDashboardAsync(string sessionId,
        CancellationToken ct = default, bool readiness = true)
    {
        var store = Store();
        var session = await store.GetSessionAsync(sessionId, ct);
        if (!Keep(session.Failure) || session.Value is null) return null;
        var participants = await store.ListParticipantsAsync(sessionId, ct);
        if (!Keep(participants.Failure)) return null;
        return (session.Value, readiness ? await ReadReadinessAsync(session.Value.Session, participants.Value!, ct) : participants.Value!);
    }

    /// <summary><paramref name="participants"/> with Bookinfo's readiness as their namespaces hold it (<see cref="ParticipantReadiness"/>).</summary>
    public Task<IReadOnlyList<ParticipantProgress>> ReadReadinessAsync(OnboardingSession session, IReadOnlyList<ParticipantProgress> participants,
        CancellationToken ct = default) =>
        ParticipantReadiness.FromClusterAsync(operations.Gateway(), session, participants, ct);

    /// <summary>True or false when the cluster says whether the session exists; null when it cannot be asked.</summary>
    public async Task<bool?> SessionExistsAsync(string sessionId, CancellationToken ct = default)
    {
        if (!operations.IsConnected) return null;
        var read = await Store().GetSessionAsync(sessionId, ct);
        return read.Succeeded ? read.Value is not null : null;
    }

    /// <summary>
    /// The mesh-wide changes the cluster holds, as the facilitator's undo journal records them (each object, when it was
    /// first changed and by whom), also when they were applied before the session started or from another console.
    /// Null when the journal could not be read: the dashboard then shows only what the session recorded.
    /// </summary>
    public async Task<MeshWideChanges?> ReadMeshWideAsync(CancellationToken ct = default)
    {
        var location = await operations.JournalAsync(operations.LastPreflight?.Istio, participantNamespace: null, ct);
        if (!location.Succeeded) return null;
        var journal = await operations.ReadJournalAsync(location.Value!, ct);
        return journal.Succeeded ? new MeshWideChanges(journal.Value.Namespace, journal.Value.Entries) : null;
    }

    /// <summary>
    /// Joins (or rejoins) the session under <paramref name="displayName"/>: the participant's namespace is created with
    /// the CA Secret through the one applier, and this tab's wizard becomes theirs. True when joined.
    /// </summary>
    public async Task<bool> JoinAsync(string sessionId, string displayName, CancellationToken ct = default)
    {
        var joined = false;
        await RunAsync("Busy.JoinSession", async () =>
        {
            LastRefusal = null;
            Issues = [];
            var store = Store();
            var join = await store.JoinAsync(sessionId, displayName, ct);
            if (!Keep(join.Failure)) return;
            if (!join.Value!.Joined)
            {
                LastRefusal = join.Value.Refusal;
                Issues = join.Value.Issues;
                return;
            }
            var record = await store.GetSessionAsync(sessionId, ct);
            if (!Keep(record.Failure) || record.Value is null) return;
            var participant = join.Value.Participant!;
            context.Select(record.Value.Session.ClusterContext);
            // Once the session has ended its namespaces may have been removed on purpose: coming back never recreates them.
            if (!record.Value.Session.HasEnded && !await ProvisionNamespaceAsync(record.Value, participant.Namespace, ct)) return;
            wizard.JoinSession(record.Value, participant, clock.GetUtcNow());
            joined = true;
            activity.Notify(sessionId);
        }, needsCluster: true);
        return joined;
    }

    private async Task<bool> ProvisionNamespaceAsync(SessionRecord record, string ns, CancellationToken ct)
    {
        var plan = PlanBuilder.BuildParticipantNamespace(ns, record.Session.Id, record.Settings.CaCertificatePem, record.Settings.IstioVersion);
        // The namespace without a journal entry: its removal belongs to the session's end, which deletes it.
        // The CA Secret goes through the journal kept in that namespace, like everything the participant applies.
        var applied = await operations.ApplyDirectlyAsync(plan, JournalLocation.ForParticipant(ns), target => target.Kind == "Namespace", ct);
        return Keep(applied.Failure ?? applied.Value!.FirstOrDefault(o => o.Failure is not null)?.Failure);
    }

    /// <summary>Stores where this participant is now. Failures are kept quietly: reporting must never stop the participant.</summary>
    public async Task ReportProgressAsync(Func<ParticipantProgress, ParticipantProgress> change, CancellationToken ct = default)
    {
        if (wizard.Draft.Participation is not { } me || !operations.IsConnected) return;
        var updated = await Store().UpdateProgressAsync(me.SessionId, me.Name, change, ct);
        if (updated.Succeeded) activity.Notify(me.SessionId);
    }

    /// <summary>Ends the session (no one new can join) and lists the participants' namespaces for the confirmation.</summary>
    public async Task<SessionEnding?> EndAsync(string sessionId, CancellationToken ct = default)
    {
        SessionEnding? ending = null;
        await RunAsync("Busy.EndSession", async () =>
        {
            Issues = [];
            if (!await AuthorizeFacilitatorAsync(sessionId, ct)) return;
            var store = Store();
            var ended = await store.EndSessionAsync(sessionId, ct);
            if (!Keep(ended.Failure)) return;
            // The participants' records keep Bookinfo's readiness as the cluster holds it at the end, so the summary
            // still has it after the namespaces are removed (and whatever a reloaded tab reported before).
            var atEnd = await ParticipantReadiness.FromClusterAsync(operations.Gateway(), ended.Value!.Session, ended.Value.Summary.Participants, ct);
            foreach (var participant in atEnd.Except(ended.Value.Summary.Participants))
                Keep((await store.RecordReadinessAsync(sessionId, participant.Name, participant.DeploymentsReady, participant.DeploymentsTotal, ct)).Failure);
            ending = ended.Value with { Summary = SessionSummary.Of(ended.Value.Session, atEnd) };
            activity.Notify(sessionId);
        });
        return ending;
    }

    /// <summary>Deletes the participants' namespaces the facilitator confirmed: only namespaces this session labeled as its own.</summary>
    public async Task<IReadOnlyList<NamespaceRemoval>> RemoveNamespacesAsync(string sessionId, IReadOnlyList<string> namespaces, CancellationToken ct = default)
    {
        var removals = new List<NamespaceRemoval>();
        await RunAsync("Busy.RemoveNamespaces", async () =>
        {
            Issues = [];
            if (!await AuthorizeFacilitatorAsync(sessionId, ct)) return;
            var gateway = operations.Gateway();
            foreach (var ns in namespaces)
            {
                var target = new ResourceRef("v1", "Namespace", null, ns);
                var live = await gateway.GetAsync(target, ct);
                if (!live.Succeeded)
                {
                    removals.Add(new NamespaceRemoval(ns, false, live.Failure));
                    continue;
                }
                if (live.Value is null)
                {
                    removals.Add(new NamespaceRemoval(ns, true, null));
                    continue;
                }
                if ((string?)live.Value["metadata"]?["labels"]?[PlanBuilder.SessionLabel] != sessionId)
                {
                    // Someone else's namespace with the same name (created after the claim): never delete it.
                    removals.Add(new NamespaceRemoval(ns, false, null));
                    continue;
                }
                var deletion = await NamespaceTermination.StartDeletionAsync(gateway, ns, ct);
                removals.Add(new NamespaceRemoval(ns, deletion is null, deletion));
            }
            // All deletions run at once; each namespace counts as removed only once it is gone, not while Terminating.
            for (var i = 0; i < removals.Count; i++)
            {
                if (!removals[i].Removed || removals[i].Failure is not null) continue;
                var gone = await operations.NamespaceTermination.WaitUntilGoneAsync(gateway, removals[i].Namespace, clock, ct);
                if (gone is not null) removals[i] = removals[i] with { Removed = false, Failure = gone };
            }
            operations.Record(AuditVerb.Delete,
                removals.Select(r => new ApplyOutcome(new ResourceRef("v1", "Namespace", null, r.Namespace),
                    r.Removed ? ApplyOutcomeKind.Deleted : ApplyOutcomeKind.Failed, r.Failure)).ToList());
            activity.Notify(sessionId);
        });
        return removals;
    }

    /// <summary>
    /// A rehearsal's reset: ends the session, deletes every participant namespace, undoes the mesh-wide changes from
    /// the undo journal, and removes the session's records, so the next group starts from the cluster as it was.
    /// </summary>
    public async Task<(IReadOnlyList<NamespaceRemoval> Namespaces, IReadOnlyList<ApplyOutcome> Undone)?> ResetDemoAsync(string sessionId, CancellationToken ct = default)
    {
        var ending = await EndAsync(sessionId, ct);
        if (ending is null) return null;
        var removals = await RemoveNamespacesAsync(sessionId, ending.ParticipantNamespaces, ct);
        if (removals.Any(r => r.Failure is not null)) return (removals, []);
        IReadOnlyList<ApplyOutcome> undone = [];
        await RunAsync("Busy.ResetDemo", async () =>
        {
            var journal = await operations.JournalAsync(operations.LastPreflight?.Istio, participantNamespace: null, ct);
            if (!Keep(journal.Failure)) return;
            undone = await operations.UndoAsync(journal.Value!, only: null, ct);
            if (undone.AnyFailed()) return;
            var deleted = await Store().DeleteSessionAsync(sessionId, ct);
            if (Keep(deleted.Failure)) wizard.SetFacilitatedSession(null);
            activity.Notify(sessionId);
        });
        return (removals, undone);
    }

    private bool Keep(ClusterFailure? failure) => Run.Keep(failure);

    private Task RunAsync(string busy, Func<Task> work, bool needsCluster = true) =>
        Run.RunAsync(busy, work, canRun: !needsCluster || operations.IsConnected, clearFailure: true);
}

public static class OnboardingServices
{
    public static IServiceCollection AddOnboardingServices(this IServiceCollection services)
    {
        services.AddSingleton<SessionActivity>();
        services.AddScoped<OnboardingWorkflow>();
        services.AddScoped<TabSession>();
        services.AddTransient<SessionDashboard>();
        return services;
    }
}
