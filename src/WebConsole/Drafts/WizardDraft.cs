using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;

namespace WebConsole.Drafts;

/// <summary>
/// What one browser tab has entered so far. Lives only in server memory (<see cref="WizardDraftStore"/>);
/// the tab keeps nothing but the draft's random id, so the token never reaches browser storage.
/// </summary>
public sealed class WizardDraft(string id)
{
    public string Id { get; } = id;
    /// <summary>Whose draft this is (<see cref="IDraftOwner.Key"/>); only they find it again.</summary>
    public string Owner { get; init; } = DraftOwners.LocalUser;
    public WizardStep ActiveStep { get; set; } = WizardStep.Product;
    public LightStepProduct Product { get; set; } = LightStepProduct.PublicTracing;
    public string AccessToken { get; set; } = "";
    public string OnPremSatelliteAddress { get; set; } = "";
    public CaCertificateInspection? Certificate { get; set; }
    public string? CertificateFileName { get; set; }
    public bool SkipCertificate { get; set; }
    public string NamespacesText { get; set; } = "default";
    public string IstioVersionText { get; set; } = "";
    /// <summary>The sampling percentage as typed, kept as text so a value that does not read as one stays in the field with its error.</summary>
    public string SamplingText { get; set; } = SamplingRules.Format(PlanInput.DefaultSamplingPercent);
    public bool Secure { get; set; } = true;
    public string CacertPath { get; set; } = PlanInput.DefaultCacertPath;
    /// <summary>Null until the user picks one: the plan takes the default route for the version and product.</summary>
    public SpanRoute? Route { get; set; }
    /// <summary>Where spans go: "lightstep" (the default) or another backend of <see cref="BackendChoices"/>.</summary>
    public string Backend { get; set; } = BackendChoices.LightStep;
    public string OtlpEndpoint { get; set; } = "";
    public bool OtlpSecure { get; set; } = true;
    /// <summary>Another backend's OTLP protocol: gRPC unless the user (or the preset) chose OTLP/HTTP.</summary>
    public OtlpTransport OtlpTransport { get; set; } = OtlpTransport.Grpc;
    /// <summary>The OTLP/HTTP traces path as typed (kept with its error when it is not one); empty for the default.</summary>
    public string OtlpHttpPath { get; set; } = "";
    /// <summary>Another backend's headers; each value is a secret kept like the access token (server memory only).</summary>
    public List<OtlpHeaderEntry> OtlpHeaders { get; } = [];
    /// <summary>
    /// What was entered for each backend the user switched away from (by backend name), so that switching back restores
    /// it: LightStep's certificate choice, another backend's endpoint, TLS, headers and CA.
    /// </summary>
    public Dictionary<string, BackendEntries> EntriesOfOtherBackends { get; } = new(StringComparer.Ordinal);
    public string? ClusterContext { get; set; }

    // Bookinfo and traffic.
    /// <summary>Null until the user picks one: the first namespace of the plan is proposed.</summary>
    public string? BookinfoNamespace { get; set; }
    /// <summary>The user confirmed adding the sidecar-injection label the console proposed for the Bookinfo namespace.</summary>
    public bool ConfirmInjectionLabel { get; set; }
    public string GatewayOverride { get; set; } = "";
    public string SpanEndpointOverride { get; set; } = "";
    public int? TrafficRequests { get; set; } = 20;
    public int? TrafficConcurrency { get; set; } = 4;
    public string TraceLinkTemplate { get; set; } = LightStepTraceLinks.DefaultTemplate;
    /// <summary>The user changed the link template: choosing another backend no longer replaces it with that backend's preset.</summary>
    public bool TraceLinkTemplateEdited { get; set; }
    public string LightStepProject { get; set; } = "";
    public string VerificationOrganization { get; set; } = "";
    /// <summary>LightStep API key for verifying traces: a secret like the access token, never rendered back.</summary>
    public string VerificationApiKey { get; set; } = "";
    /// <summary>
    /// Where the Traffic step's trace view reads traces from; null while it follows the preset of the span destination
    /// (<see cref="Backend"/>), set once the user picks or edits a source.
    /// </summary>
    public TraceSourceChoice? TraceSource { get; set; }
    /// <summary>The trace source's query API key (Tempo): a secret kept like the access token, never rendered back.</summary>
    public string TraceQueryKey { get; set; } = "";
    public DateTimeOffset LastTouched { get; set; }

    // Team sessions.
    /// <summary>Set when this tab is a participant of a team session: the shared steps are read-only.</summary>
    public Participation? Participation { get; set; }
    /// <summary>Set when this tab's user started a team session: mesh-wide applies take the cluster-wide lock and are recorded in it.</summary>
    public string? FacilitatedSessionId { get; set; }

    public string SatelliteAddress =>
        Product == LightStepProduct.PublicTracing ? PlanInput.PublicSatelliteAddress : OnPremSatelliteAddress;
}

/// <summary>
/// The trace view's source as the user chose it: the backend whose query API is read, by URL or through the API
/// server's service proxy to <paramref name="ServiceText"/> ("namespace/name:port", as typed).
/// </summary>
public sealed record TraceSourceChoice(TraceBackendKind Backend, string QueryUrl, bool InCluster, string ServiceText);

/// <summary>A participant of team session <paramref name="SessionId"/>, under their display name, with their own namespace.</summary>
public sealed record Participation(string SessionId, string Name, string Namespace);

public enum WizardStep
{
    Product,
    Token,
    Satellite,
    Certificate,
    Namespaces,
    Istio,
    Review,
    Apply,
    Bookinfo,
    Traffic,
    Cleanup,
}

/// <summary>One header of another backend as entered; the value never goes back to the browser.</summary>
public sealed class OtlpHeaderEntry
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";

    public OtlpHeaderEntry Copy() => new() { Name = Name, Value = Value };
}

/// <summary>
/// The destination settings of one backend, kept while another backend is chosen. The header values are secrets like
/// the access token and stay in server memory with the rest of the draft.
/// </summary>
public sealed record BackendEntries(
    string OtlpEndpoint,
    bool OtlpSecure,
    IReadOnlyList<OtlpHeaderEntry> OtlpHeaders,
    CaCertificateInspection? Certificate,
    string? CertificateFileName,
    bool SkipCertificate,
    OtlpTransport OtlpTransport = OtlpTransport.Grpc,
    string OtlpHttpPath = "")
{
    /// <summary>Never the header values nor the certificate (a record's generated ToString would print them).</summary>
    public override string ToString() => $"BackendEntries {{ OtlpEndpoint = {OtlpEndpoint}, Headers = {string.Join(", ", OtlpHeaders.Select(h => h.Name))} }}";
}
