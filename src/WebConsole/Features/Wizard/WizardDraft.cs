using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Wizard;

/// <summary>
/// What one browser tab has entered so far. Lives only in server memory (<see cref="WizardDraftStore"/>);
/// the tab keeps nothing but the draft's random id, so the token never reaches browser storage.
/// </summary>
public sealed class WizardDraft(string id)
{
    public string Id { get; } = id;
    public WizardStep ActiveStep { get; set; } = WizardStep.Product;
    public LightStepProduct Product { get; set; } = LightStepProduct.PublicTracing;
    public string AccessToken { get; set; } = "";
    public string OnPremSatelliteAddress { get; set; } = "";
    public CaCertificateInspection? Certificate { get; set; }
    public string? CertificateFileName { get; set; }
    public bool SkipCertificate { get; set; }
    public string NamespacesText { get; set; } = "default";
    public string IstioVersionText { get; set; } = "";
    public decimal? SamplingPercent { get; set; } = PlanInput.DefaultSamplingPercent;
    public bool Secure { get; set; } = true;
    public string CacertPath { get; set; } = PlanInput.DefaultCacertPath;
    public string? ClusterContext { get; set; }
    public DateTimeOffset LastTouched { get; set; }

    public string SatelliteAddress =>
        Product == LightStepProduct.PublicTracing ? PlanInput.PublicSatelliteAddress : OnPremSatelliteAddress;
}

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
    Cleanup,
}
