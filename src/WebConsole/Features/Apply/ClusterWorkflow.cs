using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Drafts;

namespace WebConsole.Features.Apply;

/// <summary>
/// The Apply and Cleanup steps of one user: preflight, dry-run previews, apply, restarts and undo against the
/// selected cluster, through the one pipeline (<see cref="ClusterOperations"/>, which also audits). Holds their results
/// for the page; the wizard's own input is never touched by a failure.
/// </summary>
public sealed class ClusterWorkflow : ClusterOperationWorkflow
{
    private readonly ClusterOperations operations;
    private readonly ClusterContext context;
    private readonly WizardState wizard;
    private PreviewedChange? _previewed;
    private string? _previewedManifests;

    public ClusterWorkflow(ClusterOperations operations, ClusterContext context, WizardState wizard)
    {
        this.operations = operations;
        this.context = context;
        this.wizard = wizard;
        // A switch of context (here, in the app bar, or by joining a session) makes every result stale.
        operations.Connection.Changed += Reset;
    }

    /// <summary>The newest preflight of the selected context, whichever workflow ran it.</summary>
    public PreflightReport? Preflight => operations.LastPreflight;
    public LiveChangeSet? ChangeSet => _previewed?.Set;
    public IReadOnlyList<ChangePreview>? Previews => _previewed?.Previews;
    public List<ApplyOutcome> Outcomes { get; } = [];
    public IReadOnlyList<RestartCandidate>? RestartCandidates { get; private set; }
    public List<ApplyOutcome> RestartOutcomes { get; } = [];
    public List<ApplyOutcome> UndoOutcomes { get; } = [];
    public bool ForceConflicts { get; set; }

    public bool IsConnected => operations.IsConnected;
    public KubeContextInfo? Target => operations.Target;
    public Plan? Plan => wizard.Plan;
    public bool HasConflicts => _previewed?.HasConflicts == true;
    /// <summary>The preview matches what would be applied now: same manifests, same force choice.</summary>
    public bool PreviewIsCurrent => _previewed is not null && wizard.Plan is { } plan
        && _previewedManifests == PlanRenderer.ManifestsYaml(plan) && _previewed.Force == ForceConflicts;
    public bool CanApply => !wizard.IsParticipant && PreviewIsCurrent && Preflight is { CanApply: true } && _previewed!.CanApply && Busy is null;

    /// <summary>Where this user's undo journal lives (see <see cref="JournalLocation"/>).</summary>
    public string JournalNamespace => Journal.Namespace;

    private JournalLocation Journal => wizard.Draft.Participation is { } me
        ? JournalLocation.ForParticipant(me.Namespace)
        : JournalLocation.ForCluster(Preflight?.Istio);

    /// <summary>Who held the cluster-wide apply lock when this user's session apply was refused.</summary>
    public ApplyLockHolder? LockHeldBy { get; private set; }

    public void SelectContext(string contextName) => context.Select(contextName);

    /// <summary>Selects the draft's context (or the kubeconfig's current one) when the page starts.</summary>
    public void RestoreContext()
    {
        context.Restore();
        Run.NotifyChanged();
    }

    public Task RunPreflightAsync(CancellationToken ct = default) => RunAsync("Busy.Preflight", async () =>
    {
        var report = await operations.PreflightAsync(wizard.Plan, ct);
        Run.Keep(report.Api.Failure ?? report.IstioLookupFailure);
    });

    public Task PreviewAsync(CancellationToken ct = default) => RunAsync("Busy.Preview", async () =>
    {
        if (wizard.Plan is not { } plan) return;
        var previewed = await operations.PreviewAsync(plan, Preflight?.Istio, ForceConflicts, ct);
        if (!Run.Keep(previewed.Failure)) return;
        _previewed = previewed.Value;
        _previewedManifests = PlanRenderer.ManifestsYaml(plan);
    });

    public const string SessionApplyAction = "mesh-wide tracing settings";

    public Task ApplyAsync(CancellationToken ct = default) => RefusedToParticipant() || !CanApply ? Task.CompletedTask : RunAsync("Busy.Apply", async () =>
    {
        Outcomes.Clear();
        LockHeldBy = null;
        var sessionId = wizard.Draft.FacilitatedSessionId;
        ApplyLease? lease = null;
        if (sessionId is not null)
        {
            var attempt = await new ClusterWideApplyLock(operations.Gateway(), operations.Clock).TryAcquireAsync(operations.UserName, SessionApplyAction, ct);
            if (!Run.Keep(attempt.Failure)) return;
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
            outcomes = await operations.ApplyAsync(_previewed!, Journal, ct);
            if (sessionId is not null)
                await new SessionStore(operations.Gateway(), operations.Clock).RecordSharedApplyAsync(sessionId, operations.UserName, SessionApplyAction,
                    outcomes.Where(o => o.Kind != ApplyOutcomeKind.Failed).Select(o => o.Target.Display).ToList(), ct);
        }
        finally
        {
            if (lease is not null) await lease.ReleaseAsync(CancellationToken.None);
        }
        Outcomes.AddRange(outcomes);
        _previewed = null;
        var restarts = await operations.RestartCandidatesAsync(outcomes, wizard.Plan?.Namespaces ?? [], ct);
        RestartCandidates = restarts.Value;
        Run.Keep(restarts.Failure);
    });

    public Task RestartAsync(string ns, CancellationToken ct = default) => RunAsync("Busy.Restart", async () =>
    {
        var candidates = RestartCandidates?.Where(c => c.Namespace == ns).ToList() ?? [];
        RestartOutcomes.AddRange(await operations.RestartAsync(candidates, ct));
    });

    public Task UndoAsync(CancellationToken ct = default) => RefusedToParticipant() ? Task.CompletedTask : RunAsync("Busy.Undo", async () =>
    {
        UndoOutcomes.Clear();
        var journal = await operations.JournalAsync(Preflight?.Istio, wizard.Draft.Participation?.Namespace, ct);
        if (!Run.Keep(journal.Failure)) return;
        UndoOutcomes.AddRange(await operations.UndoAsync(journal.Value!, only: null, ct));
        _previewed = null;
    });

    /// <summary>
    /// The mesh-wide settings are the facilitator's: a participant's apply or undo is refused with that said, before
    /// anything is sent (their own namespace's objects are removed from the Bookinfo and Cleanup steps instead).
    /// </summary>
    private bool RefusedToParticipant()
    {
        if (wizard.Draft.Participation is not { } me) return false;
        Run.Keep(ClusterFailure.ParticipantMeshWide(me.Namespace));
        Run.NotifyChanged();
        return true;
    }

    /// <summary>A gateway to the selected cluster that masks the wizard's secrets in every failure.</summary>
    public KubeGateway Gateway() => operations.Gateway();

    private void Reset()
    {
        _previewed = null;
        Outcomes.Clear();
        RestartCandidates = null;
        RestartOutcomes.Clear();
        UndoOutcomes.Clear();
        Run.Keep(null);
        Run.NotifyChanged();
    }

    private Task RunAsync(string busy, Func<Task> work) => Run.RunAsync(busy, work, canRun: operations.IsConnected);
}
