using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Security;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;

namespace WebConsole.Drafts;

/// <summary>
/// The wizard of one circuit: the draft being edited, its issues per step and the plan they produce.
/// Components call the setters and re-render on <see cref="Changed"/>.
/// </summary>
public sealed class WizardState(WizardDraftStore store)
{
    private static readonly IReadOnlyDictionary<WizardStep, WizardField[]> FieldsOfStep = new Dictionary<WizardStep, WizardField[]>
    {
        [WizardStep.Product] = [WizardField.Product, WizardField.OtlpEndpoint, WizardField.OtlpHeaders],
        [WizardStep.Token] = [WizardField.AccessToken],
        [WizardStep.Satellite] = [WizardField.SatelliteAddress],
        [WizardStep.Certificate] = [WizardField.CaCertificate],
        [WizardStep.Namespaces] = [WizardField.Namespaces],
        [WizardStep.Istio] = [WizardField.IstioVersion, WizardField.Route, WizardField.SamplingPercent, WizardField.CacertPath],
    };

    private IReadOnlyList<ValidationIssue> _issues = [];
    private PlanInput? _input;
    private Plan? _plan;
    private EnteredPlanFields? _planFields;

    public WizardDraft Draft { get; private set; } = new("unattached");
    public bool IsAttached { get; private set; }
    public event Action? Changed;

    /// <summary>Calls <paramref name="onChange"/> after every change of the draft until the returned handle is disposed.</summary>
    public IDisposable NotifyOnChange(Action onChange)
    {
        Changed += onChange;
        return new Subscription(() => Changed -= onChange);
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }

    public IReadOnlyList<ValidationIssue> AllIssues => _issues;
    public PlanInput? Input => _input;
    public Plan? Plan => _plan;
    /// <summary>The form for the entered version; none for a release older than the console supports (its issue says why).</summary>
    public IstioFormChoice? FormChoice => _plan?.FormChoice
        ?? (EnteredIstioVersion is { } version && IstioVersionRules.IsSupported(version) ? IstioFormChoice.For(version) : null);

    /// <summary>The Istio version as entered, when it reads as one (whether supported or not is the Istio step's issue).</summary>
    public IstioVersion? EnteredIstioVersion => IstioVersion.TryParse(Draft.IstioVersionText, out var version) ? version : null;

    /// <summary>The routes this input allows, the default first; empty while the input is invalid.</summary>
    public IReadOnlyList<SpanRoute> OfferedRoutes => _input is null ? [] : SpanRoutes.Offered(_input with { Route = null });

    /// <summary>The routes the Istio step does not offer for these settings, each with the reason (a "Route.*" code).</summary>
    public IReadOnlyList<(SpanRoute Route, string Reason)> RefusedRoutes => _input is null ? []
        : Enum.GetValues<SpanRoute>().Select(r => (Route: r, Reason: SpanRoutes.Refusal(_input with { Route = null }, r)))
            .Where(r => r.Reason is not null).Select(r => (r.Route, r.Reason!)).ToList();
    public IReadOnlyList<string> Namespaces => NamespaceRules.Parse(Draft.NamespacesText);

    /// <summary>The draft's secrets (access token, LightStep API key, trace query key, backend headers), built once per value and handed to everything that logs, renders or diffs.</summary>
    public SensitiveValues SensitiveValues
    {
        get
        {
            // Header values kept for a backend switched away from stay secrets too.
            var headerValues = Draft.OtlpHeaders.Concat(Draft.EntriesOfOtherBackends.Values.SelectMany(e => e.OtlpHeaders)).Select(h => h.Value).ToList();
            var key = (Draft.AccessToken, Draft.VerificationApiKey, Draft.TraceQueryKey, string.Join("\n", headerValues));
            if (_sensitive is not { } cached || cached.Key != key)
                _sensitive = cached = (key, SensitiveValues.Of([key.AccessToken, key.VerificationApiKey, key.TraceQueryKey, .. headerValues]));
            return cached.Values;
        }
    }

    private ((string AccessToken, string VerificationApiKey, string TraceQueryKey, string HeaderValues) Key, SensitiveValues Values)? _sensitive;

    /// <summary>Restores the tab's draft when <paramref name="owner"/> owns it, or starts a new one of theirs; returns the id the tab should keep.</summary>
    public string Attach(string? draftId, string owner)
    {
        Draft = store.Find(draftId, owner) ?? store.Create(owner);
        IsAttached = true;
        _planFields = null;
        Recompute();
        return Draft.Id;
    }

    public IReadOnlyList<ValidationIssue> IssuesFor(WizardStep step) =>
        FieldsOfStep.TryGetValue(step, out var fields) ? _issues.Where(i => fields.Contains(i.Field)).ToList() : [];

    public IReadOnlyList<ValidationIssue> IssuesFor(WizardField field) => _issues.Where(i => i.Field == field).ToList();

    public bool HasErrors(WizardStep step) => IssuesFor(step).HasErrors();

    /// <summary>The first step before <paramref name="target"/> that still has errors, if any.</summary>
    public WizardStep? FirstBlockingStepBefore(WizardStep target) =>
        Enum.GetValues<WizardStep>().Where(s => s < target && IsStepShown(s) && HasErrors(s)).Cast<WizardStep?>().FirstOrDefault();

    public void SetActiveStep(WizardStep step) => Update(d => d.ActiveStep = step);
    public void SetProduct(LightStepProduct product) => Update(d =>
    {
        d.Product = product;
        // Skipping the certificate exists only for the public product; keep no hidden choice behind.
        if (product == LightStepProduct.OnPremSatellites)
            d.SkipCertificate = false;
    });
    public void SetAccessToken(string token) => Update(d => d.AccessToken = token);

    /// <summary>
    /// Chooses the span destination backend. What was entered for the backend being left (LightStep's certificate choice,
    /// another backend's endpoint, TLS, headers and CA) is kept and comes back when it is chosen again; a backend chosen
    /// for the first time starts from its preset's usual endpoint, TLS and header names, without a CA. The Traffic step's
    /// link template follows the backend's preset until the user edits it.
    /// </summary>
    public void SetBackend(string backend) => Update(d =>
    {
        // A participant's backend is the session's, set when they joined: nothing the tab sends changes it.
        if (d.Backend == backend || !BackendChoices.Names.Contains(backend) || d.Participation is not null) return;
        d.EntriesOfOtherBackends[d.Backend] = new BackendEntries(
            d.OtlpEndpoint, d.OtlpSecure, d.OtlpHeaders.Select(h => h.Copy()).ToList(), d.Certificate, d.CertificateFileName, d.SkipCertificate,
            d.OtlpTransport, d.OtlpHttpPath);
        d.Backend = backend;
        d.OtlpHeaders.Clear();
        if (d.EntriesOfOtherBackends.Remove(backend, out var kept))
        {
            d.OtlpEndpoint = kept.OtlpEndpoint;
            d.OtlpSecure = kept.OtlpSecure;
            d.OtlpTransport = kept.OtlpTransport;
            d.OtlpHttpPath = kept.OtlpHttpPath;
            d.OtlpHeaders.AddRange(kept.OtlpHeaders);
            d.Certificate = kept.Certificate;
            d.CertificateFileName = kept.CertificateFileName;
            d.SkipCertificate = kept.SkipCertificate;
        }
        else
        {
            var preset = BackendChoices.Preset(backend)?.DefaultDestination;
            d.OtlpEndpoint = preset is null ? "" : $"{preset.Host}:{preset.Port}";
            d.OtlpSecure = preset?.Secure ?? true;
            d.OtlpTransport = preset?.Transport ?? OtlpTransport.Grpc;
            d.OtlpHttpPath = preset?.Path ?? "";
            foreach (var header in preset?.Headers ?? [])
                d.OtlpHeaders.Add(new OtlpHeaderEntry { Name = header.Name });
            // The CA of LightStep's satellites did not issue another backend's certificate: each backend has its own.
            d.Certificate = null;
            d.CertificateFileName = null;
            d.SkipCertificate = false;
        }
        LastRejectedUpload = null;
        if (!d.TraceLinkTemplateEdited && BackendChoices.DefaultLinkTemplate(backend) is { } template)
            d.TraceLinkTemplate = template;
    });

    /// <summary>
    /// Whether the wizard shows <paramref name="step"/> for the chosen backend: LightStep's access token and satellites
    /// only for LightStep (another backend's endpoint, headers and TLS are entered with the backend); the certificate
    /// for LightStep and for another backend reached over TLS (there optional: only a private CA needs uploading).
    /// </summary>
    public bool IsStepShown(WizardStep step) => step switch
    {
        WizardStep.Token or WizardStep.Satellite => BackendChoices.IsLightStep(Draft.Backend),
        WizardStep.Certificate => BackendChoices.IsLightStep(Draft.Backend) || Draft.OtlpSecure,
        _ => true,
    };

    /// <summary>The steps the wizard shows, in order.</summary>
    public IReadOnlyList<WizardStep> ShownSteps => Enum.GetValues<WizardStep>().Where(IsStepShown).ToList();

    public void SetOtlpEndpoint(string endpoint) => Update(d => d.OtlpEndpoint = endpoint.Trim());
    public void SetOtlpSecure(bool secure) => Update(d => d.OtlpSecure = secure);
    /// <summary>The path typed for OTLP/HTTP stays in the draft when gRPC is chosen, and comes back with OTLP/HTTP.</summary>
    public void SetOtlpTransport(OtlpTransport transport) => Update(d => d.OtlpTransport = transport);
    public void SetOtlpHttpPath(string path) => Update(d => d.OtlpHttpPath = path.Trim());

    /// <summary>Another backend's destination as entered (null for LightStep): what the plan and the endpoint check use.</summary>
    public EnteredOtlpDestination? EnteredOtlp => BackendChoices.IsLightStep(Draft.Backend) ? null
        : new EnteredOtlpDestination(Draft.OtlpEndpoint, Draft.OtlpSecure, Draft.OtlpHeaders.Select(h => new KeyValuePair<string, string?>(h.Name, h.Value)).ToList(),
            Draft.OtlpTransport, Draft.OtlpTransport == OtlpTransport.HttpProtobuf && Draft.OtlpHttpPath.Length > 0 ? Draft.OtlpHttpPath : null);
    public void AddOtlpHeader() => Update(d => d.OtlpHeaders.Add(new OtlpHeaderEntry()));
    public void RemoveOtlpHeader(int index) => Update(d => d.OtlpHeaders.RemoveAt(index));
    public void SetOtlpHeaderName(int index, string name) => Update(d => d.OtlpHeaders[index].Name = name.Trim());
    public void SetOtlpHeaderValue(int index, string value) => Update(d => d.OtlpHeaders[index].Value = value);
    public void SetOnPremSatelliteAddress(string address) => Update(d => d.OnPremSatelliteAddress = address);
    public void SetSkipCertificate(bool skip) => Update(d => d.SkipCertificate = skip);
    public void SetNamespacesText(string text) => Update(d => d.NamespacesText = text);
    public void SetIstioVersionText(string text) => Update(d => d.IstioVersionText = text);
    public void SetSamplingText(string text) => Update(d => d.SamplingText = text);
    public void SetSecure(bool secure) => Update(d => d.Secure = secure);
    public void SetCacertPath(string path) => Update(d => d.CacertPath = path);
    public void SetRoute(SpanRoute route) => Update(d => d.Route = route);
    public void SetClusterContext(string? context) => Update(d => d.ClusterContext = context);
    public void SetBookinfoNamespace(string ns) => Update(d =>
    {
        // A participant works in their own namespace only: the join chose it, nothing the tab sends changes it.
        if (d.Participation is not null) return;
        // A confirmation is about one namespace's labels: a different namespace needs its own.
        if (d.BookinfoNamespace != ns) d.ConfirmInjectionLabel = false;
        d.BookinfoNamespace = ns;
    });
    public void SetConfirmInjectionLabel(bool confirmed) => Update(d => d.ConfirmInjectionLabel = confirmed);
    public void SetGatewayOverride(string text) => Update(d => d.GatewayOverride = text);
    public void SetSpanEndpointOverride(string text) => Update(d => d.SpanEndpointOverride = text);
    public void SetTrafficRequests(int? requests) => Update(d => d.TrafficRequests = requests);
    public void SetTrafficConcurrency(int? concurrency) => Update(d => d.TrafficConcurrency = concurrency);
    public void SetTraceLinkTemplate(string template) => Update(d =>
    {
        if (template == d.TraceLinkTemplate) return;
        d.TraceLinkTemplate = template;
        // Typing the preset's own template back makes it follow the backend again.
        d.TraceLinkTemplateEdited = template != BackendChoices.DefaultLinkTemplate(d.Backend);
    });
    public void SetLightStepProject(string project) => Update(d => d.LightStepProject = project);
    public void SetVerificationOrganization(string organization) => Update(d => d.VerificationOrganization = organization);
    public void SetVerificationApiKey(string key) => Update(d => d.VerificationApiKey = key);
    public void SetTraceSource(TraceSourceChoice source) => Update(d => d.TraceSource = source);
    public void SetTraceQueryKey(string key) => Update(d => d.TraceQueryKey = key);

    /// <summary>The namespace Bookinfo goes to: a participant's own; else the user's choice, else the first namespace of the plan.</summary>
    public string BookinfoNamespace => Draft.Participation?.Namespace ?? Draft.BookinfoNamespace ?? Namespaces.FirstOrDefault() ?? "default";

    /// <summary>The Bookinfo input when the namespace is valid and the Istio version is known; its issues otherwise.</summary>
    public (BookinfoInput? Input, IReadOnlyList<ValidationIssue> Issues) BookinfoInputFor(IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        if (EnteredIstioVersion is not { } version)
            return (null, [ValidationIssue.Error(WizardField.IstioVersion, "Bookinfo.NeedsIstioVersion")]);
        // A participant's session labels are not Bookinfo's: the join applies them under a field manager of its own.
        var input = new BookinfoInput(BookinfoNamespace, version) { NamespaceLabels = namespaceLabels };
        var issues = input.Validate();
        return (issues.HasErrors() ? null : input, issues);
    }

    /// <summary>The links of the current template and project (no links, with the reasons, when either is invalid).</summary>
    public LightStepTraceLinks TraceLinks => LightStepTraceLinks.FromSettings(Draft.TraceLinkTemplate, Draft.LightStepProject);

    public TrafficSettings? TrafficSettings =>
        Draft.TrafficRequests is { } n && Draft.TrafficConcurrency is { } c ? new TrafficSettings(n, c) : null;

    public bool IsParticipant => Draft.Participation is not null;

    /// <summary>The steps a session's facilitator sets for everyone: read-only for participants.</summary>
    public static bool IsSharedStep(WizardStep step) => step <= WizardStep.Apply;

    /// <summary>
    /// Makes this tab a participant of the session: the shared settings fill the shared steps, the participant's namespace
    /// is the plan's and Bookinfo's, and the wizard continues at the participant's last step (Bookinfo when new).
    /// </summary>
    public void JoinSession(SessionRecord record, ParticipantProgress participant, DateTimeOffset now) => Update(d =>
    {
        var shared = record.Settings;
        d.Participation = new Participation(record.Session.Id, participant.Name, participant.Namespace);
        d.FacilitatedSessionId = null;
        d.Product = shared.Product;
        d.AccessToken = shared.AccessToken;
        d.OnPremSatelliteAddress = shared.Product == LightStepProduct.OnPremSatellites ? shared.SatelliteAddress : "";
        d.Certificate = shared.CaCertificatePem is { } pem ? CaCertificateInspector.Inspect(System.Text.Encoding.UTF8.GetBytes(pem), now) : null;
        d.CertificateFileName = shared.CaCertificatePem is null ? null : "cacert.pem";
        // Skipping the certificate is LightStep's choice; another backend without a CA trusts the system's roots.
        d.SkipCertificate = shared.Backend is null && shared.CaCertificatePem is null;
        SeedBackend(d, shared.Backend);
        d.NamespacesText = participant.Namespace;
        d.BookinfoNamespace = participant.Namespace;
        d.IstioVersionText = shared.IstioVersion.ToString();
        d.SamplingText = SamplingRules.Format(shared.SamplingPercent);
        d.LightStepProject = shared.Project;
        d.ClusterContext = record.Session.ClusterContext;
        d.ActiveStep = Enum.TryParse<WizardStep>(participant.Step, out var step) && !IsSharedStep(step) ? step : WizardStep.Bookinfo;
    });

    /// <summary>
    /// The backend of a session's shared settings in a participant's draft: LightStep when the session has none. The
    /// header values are the facilitator's, shared like the access token; the link template follows the backend's preset.
    /// </summary>
    private static void SeedBackend(WizardDraft d, SharedBackend? backend)
    {
        d.Backend = backend is null ? BackendChoices.LightStep
            : BackendChoices.Names.Contains(backend.Name) ? backend.Name : BackendChoices.AnyOtlp;
        d.OtlpEndpoint = backend?.Endpoint ?? "";
        d.OtlpSecure = backend?.Secure ?? true;
        d.OtlpTransport = backend?.Transport ?? OtlpTransport.Grpc;
        d.OtlpHttpPath = backend?.HttpPath ?? "";
        d.OtlpHeaders.Clear();
        foreach (var (name, value) in backend?.Headers ?? [])
            d.OtlpHeaders.Add(new OtlpHeaderEntry { Name = name, Value = value });
        d.EntriesOfOtherBackends.Clear();
        if (!d.TraceLinkTemplateEdited)
            d.TraceLinkTemplate = BackendChoices.DefaultLinkTemplate(d.Backend) ?? LightStepTraceLinks.DefaultTemplate;
    }

    /// <summary>The settings every participant of a session started from this draft shares.</summary>
    public SharedSettings? SharedSettingsFromDraft() => _input is null ? null : new SharedSettings(
        _input.Product, _input.SatelliteAddress, _input.CaCertificatePem, _input.AccessToken, Draft.LightStepProject,
        _input.IstioVersion, _input.SamplingPercent)
    {
        Backend = _input.OtlpDestination is { } otlp
            ? new SharedBackend(Draft.Backend, otlp.Address, otlp.Endpoint.Secure,
                otlp.Endpoint.Headers.Select(h => new KeyValuePair<string, string>(h.Name, otlp.HeaderValues[h.Name])).ToList())
            {
                Transport = otlp.Endpoint.Transport,
                HttpPath = otlp.Endpoint.Transport == OtlpTransport.HttpProtobuf ? otlp.Endpoint.Path : null,
            }
            : null,
    };

    public void SetFacilitatedSession(string? sessionId) => Update(d => d.FacilitatedSessionId = sessionId);

    public void SetCertificate(CaCertificateInspection inspection, string fileName) => Update(d =>
    {
        // A refused upload (a private key, garbage) leaves nothing of itself behind and replaces nothing: a certificate
        // accepted before stays in use, and the step says so beside the refusal.
        if (inspection.Certificates.Count == 0)
        {
            LastRejectedUpload = new RejectedCertificateUpload(fileName, inspection);
            return;
        }
        d.Certificate = inspection;
        d.CertificateFileName = fileName;
        LastRejectedUpload = null;
    });

    public void RemoveCertificate() => Update(d =>
    {
        d.Certificate = null;
        d.CertificateFileName = null;
        LastRejectedUpload = null;
    });

    /// <summary>The last upload that was refused and discarded (shown once, not stored in the draft).</summary>
    public RejectedCertificateUpload? LastRejectedUpload { get; private set; }

    private void Update(Action<WizardDraft> change)
    {
        change(Draft);
        Recompute();
        Changed?.Invoke();
    }

    private void Recompute()
    {
        var fields = new EnteredPlanFields(
            Draft.Product, Draft.AccessToken, Draft.OnPremSatelliteAddress,
            // A plaintext endpoint of another backend uses no CA: one uploaded while TLS was on stays in the draft, unused.
            BackendChoices.IsLightStep(Draft.Backend) || Draft.OtlpSecure ? Draft.Certificate : null,
            BackendChoices.IsLightStep(Draft.Backend) && Draft.SkipCertificate,
            Namespaces, Draft.IstioVersionText, Draft.SamplingText, Draft.Secure, Draft.CacertPath, Draft.Route,
            EnteredOtlp);
        // Most updates (the active step, Bookinfo and traffic choices) leave these fields alone, and building the plan
        // renders its commands' manifests to YAML: a step change must not pay for that (it was ~9% of a click's CPU).
        if (_planFields is { } last && last with { Namespaces = fields.Namespaces } == fields && last.Namespaces.SequenceEqual(fields.Namespaces))
            return;
        _planFields = fields;
        _input = PlanInputRules.TryCreate(fields, out _issues);
        _plan = _input is null ? null : PlanBuilder.Build(_input);
    }
}

/// <summary>An uploaded file the certificate step refused: its name and why (its content is not kept).</summary>
public sealed record RejectedCertificateUpload(string FileName, CaCertificateInspection Inspection);
