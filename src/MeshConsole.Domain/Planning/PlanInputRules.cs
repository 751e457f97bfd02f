using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Planning;

/// <summary>The fields as entered (wizard or command line), before they are known to be valid.</summary>
public sealed record EnteredPlanFields(
    LightStepProduct Product,
    string? AccessToken,
    string? OnPremSatelliteAddress,
    CaCertificateInspection? Certificate,
    bool SkipCertificate,
    IReadOnlyList<string> Namespaces,
    string? IstioVersion,
    string? SamplingText,
    bool Secure,
    string? CacertPath,
    SpanRoute? Route = null,
    EnteredOtlpDestination? Otlp = null);

/// <summary>
/// A backend other than LightStep as entered: the OTLP endpoint (host:port), each header's name and value (the value is
/// a secret, read from a file on the command line and masked in the wizard), the protocol, and for OTLP/HTTP the traces
/// path (null: <see cref="OtlpSpanDestination.DefaultHttpPath"/>).
/// </summary>
public sealed record EnteredOtlpDestination(
    string? Endpoint,
    bool Secure,
    IReadOnlyList<KeyValuePair<string, string?>> Headers,
    OtlpTransport Transport = OtlpTransport.Grpc,
    string? HttpPath = null)
{
    /// <summary>Never the header values.</summary>
    public override string ToString() => $"{Endpoint} ({string.Join(", ", Headers.Select(h => h.Key))})";
}

/// <summary>Every rule of every field in one place, shared by the wizard and the command line.</summary>
public static class PlanInputRules
{
    public static IReadOnlyList<ValidationIssue> Validate(EnteredPlanFields fields) => Check(fields, out _, out _);

    public static PlanInput? TryCreate(EnteredPlanFields fields, out IReadOnlyList<ValidationIssue> issues)
    {
        issues = Check(fields, out var version, out var sampling);
        if (issues.HasErrors() || version is null || sampling is null) return null;
        return new PlanInput
        {
            Product = fields.Product,
            AccessToken = fields.AccessToken ?? "",
            SatelliteAddress = fields.Product == LightStepProduct.PublicTracing ? PlanInput.PublicSatelliteAddress : fields.OnPremSatelliteAddress!,
            CaCertificatePem = fields.SkipCertificate ? null : fields.Certificate?.NormalizedPem,
            Namespaces = fields.Namespaces,
            IstioVersion = version.Value,
            SamplingPercent = sampling.Value,
            Secure = fields.Otlp?.Secure ?? fields.Secure,
            CacertPath = fields.CacertPath!,
            Route = fields.Route,
            OtlpDestination = fields.Otlp is { } otlp ? OtlpDestinationOf(otlp) : null,
        };
    }

    private static OtlpSpanDestination OtlpDestinationOf(EnteredOtlpDestination otlp) =>
        new(EndpointOf(otlp), otlp.Headers.ToDictionary(h => h.Key.Trim(), h => h.Value!, StringComparer.Ordinal));

    /// <summary>The endpoint as the plan sees it; an endpoint that is not a valid host:port has no host (the route rules only ask about the rest).</summary>
    private static OtlpTraceDestination EndpointOf(EnteredOtlpDestination otlp)
    {
        var address = SatelliteAddressRules.Validate(otlp.Endpoint);
        var path = otlp.Transport == OtlpTransport.HttpProtobuf
            ? string.IsNullOrWhiteSpace(otlp.HttpPath) ? OtlpSpanDestination.DefaultHttpPath : otlp.HttpPath.Trim()
            : null;
        return new OtlpTraceDestination(address.IsValid ? address.Host! : "", address.IsValid ? address.Port!.Value : 0,
            otlp.Transport, otlp.Secure, path, otlp.Headers.Select(h => new OtlpHeaderName(h.Key.Trim())).ToList());
    }

    private static List<ValidationIssue> Check(EnteredPlanFields fields, out IstioVersion? version, out decimal? sampling)
    {
        var issues = new List<ValidationIssue>();
        if (fields.Otlp is { } otlp)
        {
            // Another backend: no LightStep token or satellite; a CA only if the user gives one (else the system roots).
            issues.AddRange(OtlpDestinationRules.Validate(otlp));
            if (fields.Certificate is { } certificate) issues.AddRange(certificate.Issues);
        }
        else
        {
            issues.AddRange(AccessTokenRules.Validate(fields.AccessToken));
            if (fields.Product == LightStepProduct.OnPremSatellites)
                issues.AddRange(SatelliteAddressRules.Validate(fields.OnPremSatelliteAddress).Issues);
            issues.AddRange(CertificateIssues(fields));
        }
        issues.AddRange(NamespaceRules.Validate(fields.Namespaces));
        issues.AddRange(IstioVersionRules.Validate(fields.IstioVersion, out version));
        if (version is { } known)
            issues.AddRange(VersionDependentIssues(fields, known));
        issues.AddRange(SamplingRules.Validate(fields.SamplingText, out sampling));
        issues.AddRange(CacertPathRules.Validate(fields.CacertPath));
        return issues;
    }

    private static IEnumerable<ValidationIssue> VersionDependentIssues(EnteredPlanFields fields, IstioVersion version)
    {
        // Before 1.16 TLS to the satellites is verified with a CA file the injector mounts from Secret lightstep.cacert at
        // the directory of cacertPath / tlsSettings.caCertificates (injection-template.yaml): without a CA there is no
        // file, and tlsSettings without caCertificates would make the injector mount at ".".
        // (On-prem pools already require the CA, CaCert.RequiredForOnPrem.)
        if (fields.Otlp is null && fields.SkipCertificate && fields.Secure && fields.Product == LightStepProduct.PublicTracing
            && version < IstioFormChoice.FirstWithoutEnvoyLightStepTracer)
            yield return ValidationIssue.Error(WizardField.CaCertificate, "CaCert.RequiredForTlsBefore116", version.MinorString);
        var input = new PlanInput
        {
            Product = fields.Product,
            IstioVersion = version,
            Secure = fields.Otlp?.Secure ?? fields.Secure,
            CaCertificatePem = fields.SkipCertificate ? null : fields.Certificate?.NormalizedPem,
            // The route rules ask about another backend's host, protocol, TLS and header names, never the header values.
            OtlpDestination = fields.Otlp is null ? null : new OtlpSpanDestination(EndpointOf(fields.Otlp), new Dictionary<string, string>()),
        };
        // Another backend's default route is checked too: before 1.16.1 neither route can carry its spans.
        if ((fields.Route ?? (fields.Otlp is null ? null : SpanRoutes.DefaultFor(input))) is not { } route) yield break;
        if (SpanRoutes.Refusal(input, route) is { } refusal)
            yield return ValidationIssue.Error(WizardField.Route, refusal, version.ToString());
    }

    private static IEnumerable<ValidationIssue> CertificateIssues(EnteredPlanFields fields)
    {
        if (fields.SkipCertificate)
        {
            // Only LightStep's public satellites have a certificate the user may choose to do without; an on-prem
            // pool's TLS issuer is the customer's own, so sidecars cannot verify it without the CA.
            if (fields.Product == LightStepProduct.OnPremSatellites)
                yield return ValidationIssue.Error(WizardField.CaCertificate, "CaCert.RequiredForOnPrem");
            yield break;
        }
        // Without TLS there is no certificate to verify; an upload is still used if given.
        if (fields.Certificate is null && !fields.Secure)
            yield break;
        if (fields.Certificate is null)
        {
            yield return ValidationIssue.Error(WizardField.CaCertificate,
                fields.Product == LightStepProduct.PublicTracing ? "CaCert.MissingOrSkip" : "CaCert.Missing");
            yield break;
        }
        foreach (var issue in fields.Certificate.Issues)
            yield return issue;
    }
}
