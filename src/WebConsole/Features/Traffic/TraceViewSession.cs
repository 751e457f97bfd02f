using MeshConsole.Domain.Cluster;
using System.Globalization;
using k8s;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Cluster;
using WebConsole.Drafts;

namespace WebConsole.Features.Traffic;

/// <summary>
/// The trace view of one user's Traffic step: which backend the traces are read from (LightStep by default, through
/// the step's API key; Jaeger or Tempo by URL or through the API server's service proxy), the trace of the row the user
/// opened with its diagnosis, and the diagnosis of every row with the run's summary. The source and its query key are
/// kept in the tab's draft (<see cref="WizardDraft.TraceSource"/>, <see cref="WizardDraft.TraceQueryKey"/>), so a reload
/// keeps them; the key like the access token: never rendered back, logged or put in a URL.
/// </summary>
public sealed class TraceViewSession(
    WizardState wizard, TrafficSession traffic, BookinfoWorkflow bookinfo, ClusterConnection cluster,
    LightStepTraceVerifier verifier, IHttpClientFactory httpClients)
{
    public const int CheckConcurrency = 4;

    private CancellationTokenSource? _checking;

    /// <summary>The user's pick, else the preset of the backend the wizard sends spans to (LightStep for any other OTLP endpoint).</summary>
    private TraceSourceChoice Current => wizard.Draft.TraceSource ?? FollowingWizardBackend(wizard.Draft.Backend);

    public ITraceBackend Backend => TraceBackends.For(Current.Backend);
    public string QueryUrl => Current.QueryUrl;
    public bool InCluster => Current.InCluster;
    public string ServiceText => Current.ServiceText;
    public bool HasQueryKey => wizard.Draft.TraceQueryKey.Length > 0;

    /// <summary>The stored query key masked for display (as the access token is), or null when none is stored.</summary>
    public string? MaskedQueryKey => HasQueryKey ? AccessTokenRules.MaskForDisplay(wizard.Draft.TraceQueryKey) : null;

    public TrafficRow? OpenRow { get; private set; }
    public bool Loading { get; private set; }
    public TraceFetchResult? OpenResult { get; private set; }
    public TraceDiagnosis? OpenDiagnosis { get; private set; }
    public bool Checking { get; private set; }
    public TraceRunSummary? Summary { get; private set; }
    public event Action? Changed;

    public void SelectBackend(TraceBackendKind kind) => Keep(FromPreset(TraceBackends.For(kind)));

    private static TraceSourceChoice FromPreset(ITraceBackend backend) => new(
        backend.Kind,
        backend.DefaultQueryBaseUrl?.ToString() ?? "",
        InCluster: false,
        backend.DefaultQueryService is { } s ? $"{s.Namespace}/{s.Name}:{s.Port}" : "");

    private static TraceSourceChoice FollowingWizardBackend(string wizardBackend) =>
        // LightStep's source is read like the default (the step's API key), so its query URL stays empty.
        BackendChoices.Preset(wizardBackend) is { Kind: not TraceBackendKind.LightStep } preset
            ? FromPreset(preset)
            : new TraceSourceChoice(TraceBackendKind.LightStep, "", InCluster: false, "");

    /// <summary>An edit of the source keeps it in the draft, even when the wizard's backend changes later.</summary>
    public void SetQueryUrl(string? url) => Keep(Current with { QueryUrl = url?.Trim() ?? "" });
    public void SetInCluster(bool inCluster) => Keep(Current with { InCluster = inCluster });
    public void SetService(string? text) => Keep(Current with { ServiceText = text?.Trim() ?? "" });

    private void Keep(TraceSourceChoice source)
    {
        wizard.SetTraceSource(source);
        Changed?.Invoke();
    }

    /// <summary>Stores a new query key; an empty entry keeps the stored one (the field is empty whenever the page shows it).</summary>
    public void SetQueryKey(string? key)
    {
        var trimmed = key?.Trim() ?? "";
        if (trimmed.Length == 0) return;
        wizard.SetTraceQueryKey(trimmed);
        Changed?.Invoke();
    }

    /// <summary>"namespace/name:port", or null when malformed.</summary>
    public static InClusterService? ParseService(string text)
    {
        var slash = text.IndexOf('/');
        var colon = text.LastIndexOf(':');
        if (slash <= 0 || colon <= slash + 1 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            return null;
        return new InClusterService(text[..slash], text[(slash + 1)..colon], port);
    }

    /// <summary>The source for the chosen backend; null with a reason code ("Trace.…") when it cannot be built.</summary>
    public (ITraceSource? Source, string? Problem) Source()
    {
        switch (Backend.QueryApi)
        {
            case null:
                return (null, "Trace.NoQueryApi");
            case TraceQueryApi.LightStepPublicApi:
                var settings = traffic.VerificationSettings;
                return settings.Validate().HasErrors() ? (null, "Trace.LightStepUsesVerification") : (new LightStepTraceSource(verifier, settings), null);
        }
        ITraceQueryTransport transport;
        if (InCluster)
        {
            if (ParseService(ServiceText) is not { } service) return (null, "Trace.SourceInvalid");
            if (!cluster.IsConnected || cluster.Client is not Kubernetes client) return (null, "Trace.Fetch.NoCluster");
            transport = new ServiceProxyTraceQueryTransport(client, service);
        }
        else
        {
            if (!Uri.TryCreate(QueryUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.UserInfo))
                return (null, "Trace.SourceInvalid");
            transport = new DirectTraceQueryTransport(httpClients.CreateClient(nameof(TraceViewSession)), url);
        }
        return Backend.QueryApi == TraceQueryApi.JaegerQuery
            ? (new JaegerTraceSource(transport), null)
            : (new TempoTraceSource(transport, HasQueryKey ? wizard.Draft.TraceQueryKey : null), null);
    }

    /// <summary>What the console knows beside the trace: the Bookinfo step's sidecars, the run's export, sampling.</summary>
    public TraceDiagnosisContext Context() => new(
        (bookinfo.Deployments ?? []).ToDictionary(d => d.Name, d => d.State != DeploymentState.ReadyWithoutSidecar, StringComparer.Ordinal),
        TokenRefused: traffic.LastResult?.Export.Outcome == SpanExportOutcome.TokenRefused,
        SamplingPercent: wizard.Input is { } input ? (double)input.SamplingPercent : null,
        Namespace: wizard.BookinfoNamespace,
        SamplingAnnotations: (bookinfo.Deployments ?? [])
            .SelectMany(d => d.Pods.Select(p => (d.Name, p.Name, Sampling: p.ProxyConfigAnnotation is { } a ? MeshTracingChecks.AnnotatedSampling(a) : null)))
            .Where(p => p.Sampling is not null)
            .Select(p => new PodSamplingAnnotation(p.Item1, p.Item2, p.Sampling!.Value))
            .ToList());

    public TraceLink? LinkFor(TrafficRow row) => wizard.TraceLinks.LinkFor(row.Identity);

    /// <summary>Reads <paramref name="row"/>'s trace and diagnoses it; the waterfall shows it.</summary>
    public async Task OpenAsync(TrafficRow row)
    {
        OpenRow = row;
        OpenResult = null;
        OpenDiagnosis = null;
        var (source, problem) = Source();
        if (source is null)
        {
            OpenResult = TraceFetchResult.Failed(problem!);
            Changed?.Invoke();
            return;
        }
        Loading = true;
        Changed?.Invoke();
        try
        {
            OpenResult = await source.FetchAsync(row.Identity, CancellationToken.None);
            if (OpenResult.State != TraceFetchState.Failed) OpenDiagnosis = TraceDiagnoser.Diagnose(OpenResult.Trace, row.Identity, Context());
        }
        finally
        {
            Loading = false;
            Changed?.Invoke();
        }
    }

    public void Close()
    {
        OpenRow = null;
        OpenResult = null;
        OpenDiagnosis = null;
        Changed?.Invoke();
    }

    public bool CanCheckAll => !Checking && !traffic.Running && traffic.LastResult is { Count: > 0 } && Source().Source is not null;

    /// <summary>Reads and diagnoses every row's trace (<see cref="CheckConcurrency"/> at a time) and sums them up.</summary>
    public async Task CheckAllAsync()
    {
        if (!CanCheckAll) return;
        var source = Source().Source!;
        var rows = traffic.RecordedRows.ToList();
        var context = Context();
        _checking = new CancellationTokenSource();
        Checking = true;
        Summary = null;
        Changed?.Invoke();
        try
        {
            var diagnoses = new TraceDiagnosis[rows.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = CheckConcurrency, CancellationToken = _checking.Token },
                async (i, ct) =>
                {
                    var fetched = await source.FetchAsync(rows[i].Identity, ct);
                    diagnoses[i] = TraceDiagnoser.Diagnose(fetched.Trace, rows[i].Identity, context);
                });
            Summary = TraceRunSummary.Of(diagnoses);
        }
        catch (OperationCanceledException)
        {
            // Stopped by the user: no summary of a partial check.
        }
        finally
        {
            Checking = false;
            _checking.Dispose();
            _checking = null;
            Changed?.Invoke();
        }
    }

    public void StopChecking() => _checking?.Cancel();

    public override string ToString() => $"TraceViewSession {{ {Backend.Name}, key {(HasQueryKey ? "••••" : "none")} }}";
}
