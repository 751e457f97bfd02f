namespace MeshConsole.Domain.Validation;

public enum IssueSeverity { Error, Warning }

/// <summary>
/// One problem with one wizard field. The domain carries no prose: <see cref="Code"/> names a localized
/// message ("Validation.{Code}" in the web app's resources) and <see cref="Arguments"/> fill its placeholders.
/// Arguments never contain the access token or certificate material.
/// </summary>
public sealed record ValidationIssue(
    WizardField Field,
    string Code,
    IssueSeverity Severity,
    IReadOnlyList<object>? Arguments = null,
    string? SuggestedValue = null)
{
    public IReadOnlyList<object> Args => Arguments ?? [];
    public bool IsError => Severity == IssueSeverity.Error;

    public static ValidationIssue Error(WizardField field, string code, params object[] args) =>
        new(field, code, IssueSeverity.Error, args);

    public static ValidationIssue Warning(WizardField field, string code, params object[] args) =>
        new(field, code, IssueSeverity.Warning, args);
}

public enum WizardField
{
    Product,
    AccessToken,
    SatelliteAddress,
    CaCertificate,
    Namespaces,
    IstioVersion,
    Route,
    SamplingPercent,
    CacertPath,
    GatewayAddress,
    TraceLinkTemplate,
    LightStepProject,
    TrafficRequestCount,
    TrafficConcurrency,
    BookinfoNamespace,
    LightStepApiKey,
    LightStepOrganization,
    LightStepApiUrl,
    ParticipantName,
    NamespacePattern,
    SessionName,
    OtlpEndpoint,
    OtlpHeaders,
}

public static class ValidationIssueListExtensions
{
    public static bool HasErrors(this IEnumerable<ValidationIssue> issues) => issues.Any(i => i.IsError);
}
