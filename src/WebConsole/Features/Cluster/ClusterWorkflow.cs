using WebConsole.Features.Onboarding;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Access;
using WebConsole.Features.Wizard;

namespace WebConsole.Features.Cluster;

/// <summary>
/// The Apply and Cleanup steps of one user: preflight, dry-run previews, apply, restarts and undo against the
/// selected cluster. Holds their results for the page; the wizard's own input is never touched by a failure.
/// Every dry-run, apply, restart and undo result is recorded in the audit log with the current user.
/// </summary>
public sealed class ClusterWorkflow(ClusterConnection connection, WizardState wizard, TimeProvider clock, IAuditLog audit, ICurrentUser user)
{
    public PreflightReport? Preflight { get; private set; }
    public LiveChangeSet? ChangeSet { get; private set; }
    public IReadOnlyList<ChangePreview>? Previews { get; private set; }
    public List<ApplyOutcome> Outcomes { get; } = [];
    public IReadOnlyList<RestartCandidate>? RestartCandidates { get; private set; }
    public List<ApplyOutcome> RestartOutcomes { get; } = [];
    public List<ApplyOutcome> UndoOutcomes { get; } = [];
    public ClusterFailure? LastFailure { get; private set; }
    public string? Busy { get; private set; }
    public bool ForceConflicts { get; set; }
    public event Action? Changed;

    public bool IsConnected => connection.IsConnected;
    public KubeContextInfo? Target => connection.Target;
    public Plan? Plan => wizard.Plan;
    public bool HasConflicts => Previews?.Any(p => p.Failure?.Kind == ClusterFailureKind.FieldManagerConflict) == true;
    /// <summary>The preview matches what would be applied now: same manifests, same force choice.</summary>
    public bool PreviewIsCurrent => Previews is not null && wizard.Plan is { } plan
        && _previewedManifests == PlanRenderer.ManifestsYaml(plan) && _previewedForce == ForceConflicts;
    public bool CanApply => !wizard.IsParticipant && PreviewIsCurrent && Preflight is { CanApply: true } && Previews!.All(p => p.Failure is null) && Busy is null;

    /// <summary>
    /// Where the undo journal lives. A session participant journals in their own namespace: fifty participants writing
    /// one shared journal Secret at once would overwrite each other's entries.
    /// </summary>
    public string JournalNamespace => wizard.Draft.Participation?.Namespace ?? Preflight?.Istio?.Namespace ?? PlanBuilder.IstioNamespace;

    /// <summary>Who held the cluster-wide apply lock when this user's session apply was refused.</summary>
    public ApplyLockHolder? LockHeldBy { get; private set; }

    private string? _previewedManifests;
    private bool _previewedForce;

    public void SelectContext(string contextName)
    {
        // MudSelect reports its value again when it re-renders; only a real switch resets the results.
        if (connection.Target?.Name == contextName || !connection.Select(contextName)) return;
        wizard.SetClusterContext(contextName);
        Reset();
    }

    /// <summary>Selects the draft's context (or the kubeconfig's current one) when the page starts.</summary>
    public void RestoreContext()
    {
        if (!connection.Catalog.IsOffline && !connection.Select(wizard.Draft.ClusterContext))
            connection.Select(null);
        Changed?.Invoke();
    }

    public Task RunPreflightAsync(CancellationToken ct = default) => RunAsync("Busy.Preflight", async () =>
    {
        Preflight = await new Preflight(Gateway(), clock).RunAsync(wizard.Plan, ct);
        LastFailure = Preflight.Api.Failure ?? Preflight.IstioLookupFailure;
        if (Preflight.Istio?.Version is { } detected && string.IsNullOrWhiteSpace(wizard.Draft.IstioVersionText))
            wizard.SetIstioVersionText(detected.ToString());
    });

    public Task PreviewAsync(CancellationToken ct = default) => RunAsync("Busy.Preview", async () =>
    {
        if (wizard.Plan is not { } plan) return;
        var gateway = Gateway();
        var set = await LiveChangePlanner.PlanAsync(gateway, plan, Preflight?.Istio, ct);
        if (!set.Succeeded)
        {
            LastFailure = set.Failure;
            return;
        }
        ChangeSet = set.Value;
        Previews = await Applier(gateway).PreviewAsync(set.Value!, ForceConflicts, ct);
        audit.RecordPreviews(user.Name, Target?.Name, Previews, clock);
        _previewedManifests = PlanRenderer.ManifestsYaml(plan);
        _previewedForce = ForceConflicts;
        LastFailure = null;
    });

    public const string SessionApplyAction = "mesh-wide tracing settings";

    public Task ApplyAsync(CancellationToken ct = default) => !CanApply || ChangeSet is null ? Task.CompletedTask : RunAsync("Busy.Apply", async () =>
    {
        Outcomes.Clear();
        LockHeldBy = null;
        var gateway = Gateway();
        var sessionId = wizard.Draft.FacilitatedSessionId;
        ApplyLease? lease = null;
        if (sessionId is not null)
        {
            var attempt = await new ClusterWideApplyLock(gateway, clock).TryAcquireAsync(user.Name, SessionApplyAction, ct);
            if (!attempt.Succeeded)
            {
                LastFailure = attempt.Failure;
                return;
            }
            if (!attempt.Value!.Acquired)
            {
                LockHeldBy = attempt.Value.HeldBy;
                return;
            }
            lease = attempt.Value.Lease;
        }
        IReadOnlyList<ApplyOutcome> outcomes;
        try
        {
            outcomes = await Applier(gateway).ApplyAsync(ChangeSet, JournalNamespace, ForceConflicts, null, ct);
            if (sessionId is not null)
                await new SessionStore(gateway, clock).RecordSharedApplyAsync(sessionId, user.Name, SessionApplyAction,
                    outcomes.Where(o => o.Kind != ApplyOutcomeKind.Failed).Select(o => o.Target.Display).ToList(), ct);
        }
        finally
        {
            if (lease is not null) await lease.ReleaseAsync(CancellationToken.None);
        }
        Outcomes.AddRange(outcomes);
        audit.RecordOutcomes(user.Name, Target?.Name, AuditVerb.Apply, outcomes, clock);
        Previews = null;
        var restarts = await new WorkloadRestarts(gateway, clock).FindAsync(wizard.Plan?.Namespaces ?? [], ct);
        RestartCandidates = restarts.Value;
        LastFailure = restarts.Failure;
    });

    public Task RestartAsync(string ns, CancellationToken ct = default) => RunAsync("Busy.Restart", async () =>
    {
        var candidates = RestartCandidates?.Where(c => c.Namespace == ns).ToList() ?? [];
        var restarted = await new WorkloadRestarts(Gateway(), clock).RestartAsync(candidates, ct);
        RestartOutcomes.AddRange(restarted);
        audit.RecordOutcomes(user.Name, Target?.Name, AuditVerb.Restart, restarted, clock);
    });

    public Task UndoAsync(CancellationToken ct = default) => wizard.IsParticipant ? Task.CompletedTask : RunAsync("Busy.Undo", async () =>
    {
        UndoOutcomes.Clear();
        var gateway = Gateway();
        var undone = await Applier(gateway).UndoAsync(JournalNamespace, null, ct);
        UndoOutcomes.AddRange(undone);
        audit.RecordUndo(user.Name, Target?.Name, undone, clock);
        Previews = null;
    });

    private IReadOnlyList<string> Sensitive =>
        new[] { wizard.Draft.AccessToken, wizard.Draft.VerificationApiKey }.Where(s => s.Length > 0).ToList();

    /// <summary>A gateway to the selected cluster that masks the wizard's secrets in every failure.</summary>
    public KubeGateway Gateway() => new(connection.Client, Sensitive);

    /// <summary>
    /// The one applier, journaling into this cluster's undo journal; a session participant's (or, with
    /// <paramref name="participantJournal"/>, one about to become one) only ever in their own namespace's journal.
    /// </summary>
    public ClusterApplier Applier(KubeGateway gateway, bool participantJournal = false) => new(gateway, Journal(gateway, participantJournal), Sensitive);

    private UndoJournal Journal(KubeGateway gateway, bool participantJournal) =>
        new(gateway, clock, exactNamespace: participantJournal || wizard.IsParticipant);

    private void Reset()
    {
        Preflight = null;
        ChangeSet = null;
        Previews = null;
        Outcomes.Clear();
        RestartCandidates = null;
        RestartOutcomes.Clear();
        UndoOutcomes.Clear();
        LastFailure = null;
        Changed?.Invoke();
    }

    private async Task RunAsync(string busy, Func<Task> work)
    {
        if (Busy is not null || !connection.IsConnected) return;
        Busy = busy;
        Changed?.Invoke();
        try
        {
            await work();
        }
        finally
        {
            Busy = null;
            Changed?.Invoke();
        }
    }
}
