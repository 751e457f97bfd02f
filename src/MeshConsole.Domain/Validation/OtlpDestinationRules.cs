using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Validation;

/// <summary>
/// The rules of a backend other than LightStep: its endpoint is a host:port like a satellite's (the same rules, reported
/// on the endpoint field), and each header is an OTLP/gRPC metadata entry.
/// </summary>
public static class OtlpDestinationRules
{
    public static IReadOnlyList<ValidationIssue> Validate(EnteredOtlpDestination otlp)
    {
        ArgumentNullException.ThrowIfNull(otlp);
        var issues = SatelliteAddressRules.Validate(otlp.Endpoint).Issues.Select(i => i with { Field = WizardField.OtlpEndpoint }).ToList();
        if (otlp.Transport == Traffic.OtlpTransport.HttpProtobuf && !string.IsNullOrWhiteSpace(otlp.HttpPath) && !IsValidHttpPath(otlp.HttpPath.Trim()))
            issues.Add(ValidationIssue.Error(WizardField.OtlpEndpoint, "Otlp.HttpPathInvalid", otlp.HttpPath.Trim()));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rawName, value) in otlp.Headers)
        {
            var name = rawName.Trim();
            if (!IsValidHeaderName(name))
                issues.Add(ValidationIssue.Error(WizardField.OtlpHeaders, "Otlp.HeaderNameInvalid", name));
            else if (!seen.Add(name))
                issues.Add(ValidationIssue.Error(WizardField.OtlpHeaders, "Otlp.HeaderDuplicate", name));
            if (string.IsNullOrEmpty(value))
                issues.Add(ValidationIssue.Error(WizardField.OtlpHeaders, "Otlp.HeaderValueMissing", name));
            else if (!IsValidHeaderValue(value))
                issues.Add(ValidationIssue.Error(WizardField.OtlpHeaders, "Otlp.HeaderValueInvalid", name));
        }
        return issues;
    }

    /// <summary>
    /// gRPC metadata keys (grpc/grpc doc/PROTOCOL-HTTP2.md, "Custom-Metadata"): lowercase letters, digits, '-', '_' and
    /// '.'; a key ending in "-bin" carries binary values, which a collector header cannot; "grpc-" is reserved.
    /// The same characters are safe as a YAML key and an HTTP header name.
    /// </summary>
    public static bool IsValidHeaderName(string name) =>
        name.Length > 0 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.')
        && !name.EndsWith("-bin", StringComparison.Ordinal) && !name.StartsWith("grpc-", StringComparison.Ordinal);

    /// <summary>
    /// An OTLP/HTTP traces path: absolute, made of RFC 3986 path characters (unreserved, sub-delims, ':', '@', '/' and
    /// percent-escapes), so no query, fragment or space; it goes into Istio's <c>http.path</c> and the collector's URL.
    /// </summary>
    public static bool IsValidHttpPath(string path) =>
        path.Length > 1 && path[0] == '/' && path.All(c => char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@%/".Contains(c));

    /// <summary>ASCII-Value of the same document: printable ASCII, space included, no line breaks.</summary>
    public static bool IsValidHeaderValue(string value) => value.All(c => c is >= ' ' and <= '~');
}
