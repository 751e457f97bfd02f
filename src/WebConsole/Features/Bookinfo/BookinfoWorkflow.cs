using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;
using WebConsole.Features.Traffic;
using WebConsole.Drafts;
using WebConsole.Hosting;

namespace WebConsole.Features.Bookinfo;

/// <summary>
/// The Bookinfo step of one user: the namespace and its sidecar injection, dry-run and apply of the Bookinfo plan
/// through the one applier (journaled, so it can be removed again), the wait for readiness, and the gateway URL.
/// A failure is kept for the page and leaves everything the user entered as it was.
/// </summary>
public sealed class BookinfoWorkflow(
    ClusterOperations operations, WizardState wizard, TimeProvider clock, GatewayProbe probe, ConsoleShutdown? shutdown = null) : ClusterOperationWorkflow
{
    public static readonly TimeSpan ReadinessTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ReadinessPollInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan GatewayCheckTimeout = TimeSpan.FromSeconds(10);

    public NamespaceInfo? Namespace { get; private set; }
    public InjectionState? Injection { get; private set; }
    public IReadOnlyList<ChangePreview>? Previews => _previewed?.Previews;
    public List<ApplyOutcome> Outcomes { get; } = [];
    public IReadOnlyList<DeploymentStatus>? Deployments { get; private set; }
    public ReadinessOutcome? LastWait { get; private set; }
    public bool Waiting { get; private set; }
    public GatewayDiscovery? Discovery { get; private set; }
    public GatewayCheck? GatewayCheck { get; private set; }
    public List<ApplyOutcome> RemoveOutcomes { get; } = [];

    /// <summary>
    /// Set when this tab is a participant's and their session has ended (or was reset away): from then on the tab sends
    /// nothing more to the cluster, because the facilitator removes the session's namespaces and a deploy would
    /// recreate one nobody cleans up.
    /// </summary>
    public DateTimeOffset? SessionEndedAt { get; private set; }

    public bool IsConnected => operations.IsConnected;
    public string TargetNamespace => wizard.BookinfoNamespace;

    /// <summary>The labels the user confirmed adding; null when nothing is proposed or the user has not confirmed.</summary>
    public IReadOnlyDictionary<string, string>? ConfirmedLabels =>
        Namespace?.Name == TargetNamespace && Injection?.LabelsToSet is { } labels && wizard.Draft.ConfirmInjectionLabel ? labels : null;

    /// <summary>
    /// The Namespace labels the Bookinfo plan applies: those its field manager applied before and still owns, then the
    /// confirmed ones. Under server-side apply an apply that omits a label its manager set removes it, so a second
    /// deploy (once the namespace already injects, nothing is proposed any more) must carry the first one's label.
    /// </summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels
    {
        get
        {
            var kept = Namespace?.Name == TargetNamespace ? Namespace.AppliedByBookinfo : null;
            if (kept is not { Count: > 0 }) return ConfirmedLabels;
            var labels = new Dictionary<string, string>(kept, StringComparer.Ordinal);
            foreach (var (key, value) in ConfirmedLabels ?? new Dictionary<string, string>()) labels[key] = value;
            return labels;
        }
    }

    /// <summary>The Bookinfo plan for the current choices (namespace, confirmed labels, Istio version).</summary>
    public Plan? Plan => Current()?.Plan;

    /// <summary>The plan's manifests as YAML (what the step shows and what a preview is compared with).</summary>
    public string? ManifestsYaml => Current()?.Yaml.Value;

    public IReadOnlyList<ValidationIssue> InputIssues => wizard.BookinfoInputFor(NamespaceLabels).Issues;

    public bool PreviewIsCurrent => Previews is not null && ManifestsYaml is { } yaml && _previewedManifests == yaml;
    public bool CanDeploy => PreviewIsCurrent && _previewed!.CanApply && Busy is null;
    public bool AllReady => LastWait?.AllReady == true || (Deployments is { Count: > 0 } d && d.All(IsReady));

    /// <summary>The address traffic goes to: the user's override when it parses, else the discovered one.</summary>
    public GatewayAddress? Gateway => OverrideIssues.Count == 0 && OverrideAddress is { } chosen ? chosen : Discovery?.Address;

    public IReadOnlyList<ValidationIssue> OverrideIssues =>
        string.IsNullOrWhiteSpace(wizard.Draft.GatewayOverride) ? [] : GatewayAddress.Parse(wizard.Draft.GatewayOverride).Issues;

    private GatewayAddress? OverrideAddress =>
        string.IsNullOrWhiteSpace(wizard.Draft.GatewayOverride) ? null : GatewayAddress.Parse(wizard.Draft.GatewayOverride).Address;

    /// <summary>
    /// Replacing an injection label value that another manager set is a field manager conflict under server-side
    /// apply; the user confirmed exactly that overwrite, so only then is the apply forced.
    /// </summary>
    private bool ForceLabelOverwrite => Injection?.OverwritesExistingLabel == true && ConfirmedLabels is not null;

    private PreviewedChange? _previewed;
    private (string Key, Plan Plan, Lazy<string> Yaml)? _current;
    private string? _previewedManifests;
    private CancellationTokenSource? _wait;

    public static bool IsReady(DeploymentStatus status) => status.State is DeploymentState.Ready or DeploymentState.ReadyWithoutSidecar;

    /// <summary>Reads the namespace and how its pods get sidecars (Istio's revision from the preflight, run first if needed).</summary>
    public Task CheckNamespaceAsync(CancellationToken ct = default) => RunAsync("Busy.CheckNamespace", async () =>
    {
        if (operations.LastPreflight is null) await operations.PreflightAsync(wizard.Plan, ct);
        var read = await Cluster().ReadNamespaceAsync(TargetNamespace, ct);
        if (!Keep(read.Failure)) return;
        Namespace = read.Value;
        Injection = SidecarInjection.Evaluate(read.Value!.Labels, operations.LastPreflight?.Istio?.Revision);
    });

    public Task PreviewAsync(CancellationToken ct = default) => RunAsync("Busy.Preview", async () =>
    {
        if (Plan is not { } plan || !await SessionStillOpenAsync(ct)) return;
        var previewed = await operations.PreviewAsync(plan, operations.LastPreflight?.Istio, ForceLabelOverwrite, ct);
        if (!Keep(previewed.Failure)) return;
        _previewed = previewed.Value;
        _previewedManifests = ManifestsYaml;
    });

    /// <summary>Applies the previewed Bookinfo plan, then waits for it (the wait runs on; <see cref="StopWaiting"/> ends it).</summary>
    public async Task DeployAsync(CancellationToken ct = default)
    {
        if (!CanDeploy) return;
        await RunAsync("Busy.DeployBookinfo", async () =>
        {
            Outcomes.Clear();
            if (!await SessionStillOpenAsync(ct))
            {
                _previewed = null;
                return;
            }
            var journal = await operations.JournalAsync(operations.LastPreflight?.Istio, wizard.Draft.Participation?.Namespace, ct);
            if (!Keep(journal.Failure)) return;
            Outcomes.AddRange(await operations.ApplyAsync(_previewed!, journal.Value!, ct));
            _previewed = null;
        });
        if (Outcomes.Count > 0 && Outcomes.All(o => o.Kind != ApplyOutcomeKind.Failed))
        {
            await CheckNamespaceAsync(ct);
            await WaitForReadinessAsync(ct);
        }
    }

    /// <summary>Polls the Bookinfo deployments until all are ready, the timeout passes, or the user stops waiting.</summary>
    public async Task WaitForReadinessAsync(CancellationToken ct = default)
    {
        if (Waiting || !operations.IsConnected) return;
        _wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var tracked = shutdown?.Track(() => $"Bookinfo readiness wait in namespace {TargetNamespace}", _wait);
        Waiting = true;
        LastWait = null;
        Run.Keep(null);
        Run.NotifyChanged();
        try
        {
            var progress = new InlineProgress<IReadOnlyList<DeploymentStatus>>(snapshot =>
            {
                Deployments = snapshot;
                Run.NotifyChanged();
            });
            LastWait = await Cluster().WaitUntilReadyAsync(TargetNamespace, ReadinessTimeout, ReadinessPollInterval, progress, _wait.Token);
            Deployments = LastWait.Deployments;
            Run.Keep(LastWait.Failure);
        }
        finally
        {
            Waiting = false;
            _wait.Dispose();
            _wait = null;
            Run.NotifyChanged();
        }
        if (LastWait.AllReady && Discovery is null) await DiscoverGatewayAsync(ct);
    }

    public void StopWaiting() => _wait?.Cancel();

    public Task DiscoverGatewayAsync(CancellationToken ct = default) => RunAsync("Busy.DiscoverGateway", async () =>
    {
        var found = await Cluster().DiscoverGatewayAsync(operations.LastPreflight?.Istio?.Namespace, ct);
        if (!Keep(found.Failure)) return;
        Discovery = found.Value;
        GatewayCheck = null;
    });

    /// <summary>One request to the chosen gateway's /productpage, so traffic does not start against a dead address.</summary>
    public Task CheckGatewayAsync(CancellationToken ct = default) => RunAsync("Busy.CheckGateway", async () =>
    {
        if (Gateway is not { } address) return;
        GatewayCheck = await probe.CheckAsync(new Uri(address.Url), GatewayCheckTimeout, ct);
    }, needsCluster: false);

    public void OverrideChanged() => GatewayCheck = null;

    /// <summary>Removes what the console applied for Bookinfo in the target namespace (and the namespace, if it created it).</summary>
    public Task RemoveAsync(CancellationToken ct = default) => RunAsync("Busy.RemoveBookinfo", async () =>
    {
        RemoveOutcomes.Clear();
        StopWaiting();
        if (Plan is not { } bookinfo) return;
        var journal = await operations.JournalAsync(operations.LastPreflight?.Istio, wizard.Draft.Participation?.Namespace, ct);
        if (!Keep(journal.Failure)) return;
        RemoveOutcomes.AddRange(await operations.UndoAsync(journal.Value!, BookinfoCluster.UndoFilter(bookinfo), ct));
        Deployments = null;
        LastWait = null;
        Namespace = null;
        Injection = null;
        _previewed = null;
        Outcomes.Clear();
    });

    private BookinfoCluster Cluster() => new(operations.Gateway(), clock);

    // Built once per distinct input: every render asks for the plan and its YAML, and serializing the manifests was
    // most of the console's CPU per wizard click (measured with dotnet-trace under the onboarding benchmark).
    private (string Key, Plan Plan, Lazy<string> Yaml)? Current()
    {
        if (wizard.BookinfoInputFor(NamespaceLabels).Input is not { } input) return null;
        var labels = (input.NamespaceLabels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}");
        var key = string.Join('\n', [input.Namespace, input.IstioVersion.ToString(), .. labels]);
        if (_current is { } current && current.Key == key) return current;
        var plan = PlanBuilder.BuildBookinfo(input);
        _current = (key, plan, new Lazy<string>(() => PlanRenderer.ManifestsYaml(plan)));
        return _current;
    }

    /// <summary>True for a facilitator's or stand-alone tab; for a participant's, true while their session is open.</summary>
    private async Task<bool> SessionStillOpenAsync(CancellationToken ct)
    {
        if (wizard.Draft.Participation is not { } me) return true;
        var read = await new SessionStore(operations.Gateway(), clock).GetSessionAsync(me.SessionId, ct);
        if (!Keep(read.Failure)) return false;
        SessionEndedAt = read.Value is { } record ? record.Session.EndedAt : clock.GetUtcNow();
        return SessionEndedAt is null;
    }

    private bool Keep(ClusterFailure? failure) => Run.Keep(failure);

    private Task RunAsync(string busy, Func<Task> work, bool needsCluster = true) =>
        Run.RunAsync(busy, work, canRun: !needsCluster || operations.IsConnected);
}
