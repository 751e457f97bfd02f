using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Security;
using WebConsole.Features.Access;
using WebConsole.Drafts;

namespace WebConsole.Features.Cluster;

/// <summary>
/// Where an undo journal lives. Apply writes it and undo reads it through the same location, so undo finds the journal
/// wherever apply wrote it: the detected Istio namespace (istio-system without Istio, then default, where
/// <see cref="UndoJournal"/> falls back), or, for a session participant, their own namespace and nowhere else.
/// </summary>
public sealed record JournalLocation(string Namespace, bool Exact)
{
    public static JournalLocation ForCluster(IstioInstallation? istio) => new(istio?.Namespace ?? PlanBuilder.IstioNamespace, Exact: false);

    /// <summary>Fifty participants writing one shared journal Secret at once would overwrite each other's entries.</summary>
    public static JournalLocation ForParticipant(string ns) => new(ns, Exact: true);
}

/// <summary>A server dry-run of a plan on this cluster: what would be sent, each object's diff, and the force choice it was made with.</summary>
public sealed record PreviewedChange(LiveChangeSet Set, IReadOnlyList<ChangePreview> Previews, bool Force)
{
    public bool CanApply => Previews.All(p => p.Failure is null);
    public bool HasConflicts => Previews.Any(p => p.Failure?.Kind == ClusterFailureKind.FieldManagerConflict);
}

public static class ApplyOutcomes
{
    public static bool AnyFailed(this IEnumerable<ApplyOutcome> outcomes) => outcomes.Any(o => o.Kind == ApplyOutcomeKind.Failed);

    /// <summary>
    /// Sidecars read their tracing settings when they start, so running workloads need a restart only when an object
    /// was created or changed; when everything was already as planned (or failed) there is nothing to restart for.
    /// </summary>
    public static bool ChangedSomething(this IEnumerable<ApplyOutcome> outcomes) =>
        outcomes.Any(o => o.Kind is ApplyOutcomeKind.Created or ApplyOutcomeKind.Changed);
}

/// <summary>The user the audit log names for the command line: the operating-system account, marked "(cli)".</summary>
public sealed class CommandLineUser : ICurrentUser
{
    public string Name => Environment.UserName + " (cli)";
    public bool IsAuthenticated => false;
    public string? SessionId => null;
}

/// <summary>
/// The one cluster operation pipeline, used by the wizard's Apply and Cleanup steps, Bookinfo, team sessions and every
/// command-line verb: preflight → plan on the live cluster → server dry-run and diff → (the caller confirms) → journal →
/// apply → a result per object; and its inverse, undo from the journal. It composes <see cref="Preflight"/>,
/// <see cref="LiveChangePlanner"/>, <see cref="ClusterApplier"/> and <see cref="UndoJournal"/>, masks the sensitive
/// values in everything it returns, names the object a failure is about from the request (a real API server's
/// conflict Status carries no kind or name), and records every dry-run, change and undo in the audit log.
/// For a team session participant (<paramref name="participantNamespace"/> names their namespace) it refuses, before
/// sending anything, every change outside that namespace and every undo of another journal: the server refuses, not
/// only the page.
/// </summary>
public sealed class ClusterOperations(ClusterConnection connection, TimeProvider clock, IAuditLog audit, ICurrentUser user, Func<SensitiveValues> sensitive,
    Func<string?>? participantNamespace = null)
{
    public bool IsConnected => connection.IsConnected;
    public KubeContextInfo? Target => connection.Target;
    public ClusterConnection Connection => connection;
    public TimeProvider Clock => clock;
    public string UserName => user.Name;

    /// <summary>How long undo and session cleanup wait for a deleted namespace to be gone.</summary>
    public NamespaceTermination NamespaceTermination { get; set; } = NamespaceTermination.Default;

    /// <summary>Raised when a request waits before its retry (a 429's <c>Retry-After</c>, a 5xx's backoff), so a caller can show the wait.</summary>
    public event Action<RetryWait>? Waiting;

    /// <summary>A gateway to the selected cluster that masks the input's sensitive values in every failure.</summary>
    public KubeGateway Gateway()
    {
        var gateway = new KubeGateway(connection.Client, sensitive());
        gateway.Waiting += wait => Waiting?.Invoke(wait);
        return gateway;
    }

    /// <summary>
    /// Runs the preflight; the newest one for the selected context is kept (<see cref="LastPreflight"/>), so every
    /// workflow of the tab (Apply, Bookinfo, sessions) reads the same detected Istio.
    /// </summary>
    public async Task<PreflightReport> PreflightAsync(Plan? plan, CancellationToken ct)
    {
        var context = Target?.Name;
        var report = await new Preflight(Gateway(), clock).RunAsync(plan, ct);
        _lastPreflight = (context, report);
        return report;
    }

    /// <summary>The newest preflight of the selected context; null before one ran or after a context switch.</summary>
    public PreflightReport? LastPreflight => _lastPreflight is { } last && last.Context == Target?.Name ? last.Report : null;

    private (string? Context, PreflightReport Report)? _lastPreflight;

    public Task<IReadOnlyList<AccessCheck>> CheckAccessAsync(IReadOnlyList<AccessRequirement> requirements, CancellationToken ct) =>
        new Preflight(Gateway(), clock).CheckAccessAsync(requirements, ct);

    /// <summary>
    /// The journal of this user's work: a participant's own namespace; otherwise where Istio was detected, detecting
    /// it first when <paramref name="istio"/> is not known yet (after a reload, or on the command line).
    /// </summary>
    public async Task<ClusterResult<JournalLocation>> JournalAsync(IstioInstallation? istio, string? participantNamespace, CancellationToken ct)
    {
        if (participantNamespace is not null) return JournalLocation.ForParticipant(participantNamespace);
        if (istio is not null) return JournalLocation.ForCluster(istio);
        var report = await PreflightAsync(null, ct);
        if ((report.Api.Failure ?? report.IstioLookupFailure) is { } failure) return ClusterResult<JournalLocation>.Failed(failure);
        return JournalLocation.ForCluster(report.Istio);
    }

    /// <summary>Plans the change on the live cluster and dry-runs every object, with a diff each; recorded as dry-runs.</summary>
    public async Task<ClusterResult<PreviewedChange>> PreviewAsync(Plan plan, IstioInstallation? istio, bool force, CancellationToken ct)
    {
        if (OutsideParticipantScope(plan.Objects.Select(o => new ResourceRef(o.Resource.ApiVersion, o.Kind, o.Namespace, o.Name))) is { } refused)
            return ClusterResult<PreviewedChange>.Failed(refused);
        var gateway = Gateway();
        var set = await LiveChangePlanner.PlanAsync(gateway, plan, istio, ct);
        if (!set.Succeeded) return ClusterResult<PreviewedChange>.Failed(set.Failure!);
        var previews = (await Applier(gateway, exactJournal: false).PreviewAsync(set.Value!, force, ct))
            .Select(p => p with { Failure = AboutTarget(p.Failure, p.Change.Target) }).ToList();
        audit.RecordPreviews(user.Name, Target?.Name, previews, clock);
        return new PreviewedChange(set.Value!, previews, force);
    }

    /// <summary>Journals what each object was, then applies the previewed change; one outcome per object.</summary>
    public async Task<IReadOnlyList<ApplyOutcome>> ApplyAsync(PreviewedChange change, JournalLocation journal, CancellationToken ct)
    {
        if (OutsideParticipantScope(change.Set.Changes.Select(c => c.Target), journal) is { } refused)
            return change.Set.Changes.Select(c => new ApplyOutcome(c.Target, ApplyOutcomeKind.Failed, refused)).ToList();
        var outcomes = AboutTargets(await Applier(Gateway(), journal.Exact).ApplyAsync(change.Set, journal.Namespace, change.Force, null, ct));
        audit.RecordOutcomes(user.Name, Target?.Name, AuditVerb.Apply, outcomes, clock);
        return outcomes;
    }

    /// <summary>
    /// Plans and applies without a preview (nothing the user chose: a participant's own namespace and CA Secret).
    /// The objects <paramref name="unjournaled"/> selects go first and without a journal entry, because another record
    /// owns their removal (a session's end deletes its namespaces); the rest are journaled in <paramref name="journal"/>.
    /// </summary>
    public async Task<ClusterResult<IReadOnlyList<ApplyOutcome>>> ApplyDirectlyAsync(
        Plan plan, JournalLocation journal, Func<ResourceRef, bool> unjournaled, CancellationToken ct)
    {
        if (OutsideParticipantScope(plan.Objects.Select(o => new ResourceRef(o.Resource.ApiVersion, o.Kind, o.Namespace, o.Name)), journal) is { } refused)
            return ClusterResult<IReadOnlyList<ApplyOutcome>>.Failed(refused);
        var gateway = Gateway();
        var set = await LiveChangePlanner.PlanAsync(gateway, plan, null, ct);
        if (!set.Succeeded) return ClusterResult<IReadOnlyList<ApplyOutcome>>.Failed(set.Failure!);
        var applier = Applier(gateway, journal.Exact);
        var first = set.Value! with { Changes = set.Value!.Changes.Where(c => unjournaled(c.Target)).ToList() };
        var rest = set.Value! with { Changes = set.Value!.Changes.Where(c => !unjournaled(c.Target)).ToList() };
        var outcomes = new List<ApplyOutcome>(await applier.ApplyUnjournaledAsync(first, force: false, ct));
        if (!outcomes.AnyFailed())
            outcomes.AddRange(await applier.ApplyAsync(rest, journal.Namespace, force: false, null, ct));
        var named = AboutTargets(outcomes);
        audit.RecordOutcomes(user.Name, Target?.Name, AuditVerb.Apply, named, clock);
        return new ClusterResult<IReadOnlyList<ApplyOutcome>>(named, null);
    }

    /// <summary>The journal's entries (what undo would restore or delete), and the namespace it was found in.</summary>
    public Task<ClusterResult<(string Namespace, List<UndoEntry> Entries)>> ReadJournalAsync(JournalLocation journal, CancellationToken ct) =>
        Journal(Gateway(), journal.Exact).ReadAsync(journal.Namespace, ct);

    /// <summary>Restores what <paramref name="only"/> selects of the journal (everything when null), newest first.</summary>
    public async Task<IReadOnlyList<ApplyOutcome>> UndoAsync(JournalLocation journal, Func<ResourceRef, bool>? only, CancellationToken ct)
    {
        if (OutsideParticipantScope([], journal) is { } refused)
            return [new ApplyOutcome(new ResourceRef("v1", "Secret", journal.Namespace, UndoJournal.SecretName), ApplyOutcomeKind.Failed, refused)];
        var outcomes = AboutTargets(await Applier(Gateway(), journal.Exact).UndoAsync(journal.Namespace, only, null, ct));
        audit.RecordUndo(user.Name, Target?.Name, outcomes, clock);
        return outcomes;
    }

    /// <summary>The workloads to restart after <paramref name="applied"/>: none unless something was created or changed.</summary>
    public async Task<ClusterResult<IReadOnlyList<RestartCandidate>>> RestartCandidatesAsync(
        IReadOnlyList<ApplyOutcome> applied, IEnumerable<string> namespaces, CancellationToken ct) =>
        applied.ChangedSomething()
            ? await new WorkloadRestarts(Gateway(), clock).FindAsync(namespaces, ct)
            : new ClusterResult<IReadOnlyList<RestartCandidate>>([], null);

    public async Task<IReadOnlyList<ApplyOutcome>> RestartAsync(IReadOnlyList<RestartCandidate> candidates, CancellationToken ct)
    {
        if (OutsideParticipantScope(candidates.Select(c => new ResourceRef("apps/v1", "Deployment", c.Namespace, c.Deployment))) is { } refused)
            return candidates.Select(c => new ApplyOutcome(new ResourceRef("apps/v1", "Deployment", c.Namespace, c.Deployment), ApplyOutcomeKind.Failed, refused)).ToList();
        var restarted = await new WorkloadRestarts(Gateway(), clock).RestartAsync(candidates, ct);
        audit.RecordOutcomes(user.Name, Target?.Name, AuditVerb.Restart, restarted, clock);
        return restarted;
    }

    /// <summary>Records changes made outside the applier (a session's namespaces deleted at its end).</summary>
    public void Record(AuditVerb verb, IReadOnlyList<ApplyOutcome> outcomes) => audit.RecordOutcomes(user.Name, Target?.Name, verb, outcomes, clock);

    /// <summary>
    /// Null when this user is no session participant, or every target is their namespace or in it and the journal is
    /// theirs alone; otherwise the refusal naming the first object (or journal) outside.
    /// </summary>
    private ClusterFailure? OutsideParticipantScope(IEnumerable<ResourceRef> targets, JournalLocation? journal = null)
    {
        if (participantNamespace?.Invoke() is not { } own) return null;
        if (journal is not null && (!journal.Exact || journal.Namespace != own))
            return ClusterFailure.OutsideParticipantNamespace(own, $"Secret/{UndoJournal.SecretName} -n {journal.Namespace}");
        var outside = targets.FirstOrDefault(t => !(t is { Kind: "Namespace", Namespace: null } && t.Name == own) && t.Namespace != own);
        return outside is null ? null : ClusterFailure.OutsideParticipantNamespace(own, outside.Display);
    }

    private ClusterApplier Applier(KubeGateway gateway, bool exactJournal) => new(gateway, Journal(gateway, exactJournal), sensitive(), NamespaceTermination, clock);

    private UndoJournal Journal(KubeGateway gateway, bool exact) => new(gateway, clock, exactNamespace: exact, changedBy: user.Name);

    private static IReadOnlyList<ApplyOutcome> AboutTargets(IEnumerable<ApplyOutcome> outcomes) =>
        outcomes.Select(o => o with { Failure = AboutTarget(o.Failure, o.Target) }).ToList();

    private static ClusterFailure? AboutTarget(ClusterFailure? failure, ResourceRef target) =>
        failure?.AboutObject(target.Kind, target.Namespace, target.Name);
}

public static class ClusterOperationServices
{
    /// <summary>The circuit's pipeline: its user, its cluster connection and context, and the wizard draft's sensitive values.</summary>
    public static IServiceCollection AddClusterOperations(this IServiceCollection services)
    {
        services.AddScoped<ClusterConnection>();
        services.AddScoped<ClusterContext>();
        services.AddScoped<IDraftObserver>(s => s.GetRequiredService<ClusterContext>());
        services.AddScoped(s =>
        {
            var wizard = s.GetRequiredService<WizardState>();
            return new ClusterOperations(s.GetRequiredService<ClusterConnection>(), s.GetRequiredService<TimeProvider>(),
                s.GetRequiredService<IAuditLog>(), s.GetRequiredService<ICurrentUser>(), () => wizard.SensitiveValues,
                () => wizard.Draft.Participation?.Namespace);
        });
        return services;
    }
}
