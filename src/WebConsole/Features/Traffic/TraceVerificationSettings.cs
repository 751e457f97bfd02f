using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;

namespace WebConsole.Features.Traffic;

/// <summary>
/// Where and how the console asks LightStep's public API whether a run's traces arrived: an API key (a LightStep
/// "API key", not the access token the mesh reports with), the organization and project as they appear in the API's
/// URLs (<c>/public/v0.2/{organization}/projects/{project}/…</c>), and the API's base URL.
/// </summary>
public sealed record TraceVerificationSettings(string ApiKey, string Organization, string Project, Uri ApiBaseUrl)
{
    public const int MaxApiKeyLength = 4096;
    public const int MaxOrganizationLength = 256;

    /// <summary>LightStep's public API (api-docs.lightstep.com: https://api.lightstep.com/public/v0.2/…).</summary>
    public static Uri DefaultApiBaseUrl { get; } = new("https://api.lightstep.com");

    /// <summary>Settings for LightStep's public API at <see cref="DefaultApiBaseUrl"/>.</summary>
    public TraceVerificationSettings(string apiKey, string organization, string project)
        : this(apiKey, organization, project, DefaultApiBaseUrl)
    {
    }

    /// <summary>
    /// The key must be non-empty and free of whitespace (which also refuses a pasted "Bearer " prefix); organization and project non-empty, without whitespace or
    /// '/'; the base URL absolute https (http only for a loopback host, where nothing crosses a network).
    /// Codes are "Validation.{Code}" in the app's resources; no argument carries the key.
    /// </summary>
    public IReadOnlyList<ValidationIssue> Validate()
    {
        var issues = new List<ValidationIssue>();
        if (string.IsNullOrWhiteSpace(ApiKey))
            issues.Add(ValidationIssue.Error(WizardField.LightStepApiKey, "LightStepApi.KeyEmpty"));
        else if (ApiKey.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            issues.Add(ValidationIssue.Error(WizardField.LightStepApiKey, "LightStepApi.KeyWhitespace"));
        else if (ApiKey.Length > MaxApiKeyLength)
            issues.Add(ValidationIssue.Error(WizardField.LightStepApiKey, "LightStepApi.KeyTooLong", MaxApiKeyLength));

        if (string.IsNullOrWhiteSpace(Organization))
            issues.Add(ValidationIssue.Error(WizardField.LightStepOrganization, "LightStepApi.OrganizationEmpty"));
        else if (Organization.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/') || Organization.Length > MaxOrganizationLength)
            issues.Add(ValidationIssue.Error(WizardField.LightStepOrganization, "LightStepApi.OrganizationInvalid", MaxOrganizationLength));

        issues.AddRange(LightStepProjectRules.Validate(Project));

        if (ApiBaseUrl is null || !ApiBaseUrl.IsAbsoluteUri || string.IsNullOrEmpty(ApiBaseUrl.Host) || ApiBaseUrl.Scheme is not ("https" or "http"))
            issues.Add(ValidationIssue.Error(WizardField.LightStepApiUrl, "LightStepApi.UrlNotAbsolute"));
        else if (ApiBaseUrl.Scheme == "http" && !ApiBaseUrl.IsLoopback)
            issues.Add(ValidationIssue.Error(WizardField.LightStepApiUrl, "LightStepApi.UrlNotHttps", ApiBaseUrl.Host));
        else if (!string.IsNullOrEmpty(ApiBaseUrl.UserInfo) || !string.IsNullOrEmpty(ApiBaseUrl.Query) || !string.IsNullOrEmpty(ApiBaseUrl.Fragment))
            issues.Add(ValidationIssue.Error(WizardField.LightStepApiUrl, "LightStepApi.UrlNotBase"));
        return issues;
    }

    /// <summary>The stored-traces URL for one span: {base}/public/v0.2/{organization}/projects/{project}/stored-traces?span-id={hex}.</summary>
    public Uri StoredTracesUrl(SpanId spanId)
    {
        var basePath = ApiBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{basePath}/public/v0.2/{Uri.EscapeDataString(Organization)}/projects/{Uri.EscapeDataString(Project)}/stored-traces?span-id={spanId}");
    }

    /// <summary>Never prints the API key.</summary>
    public override string ToString() =>
        $"TraceVerificationSettings {{ ApiKey = ••••, Organization = {Organization}, Project = {Project}, ApiBaseUrl = {ApiBaseUrl} }}";
}
