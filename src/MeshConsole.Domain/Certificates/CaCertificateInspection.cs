using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Certificates;

/// <param name="NormalizedPem">
/// Every readable certificate re-encoded as PEM (LF line endings, trailing newline) in input order: the content of the
/// Kubernetes Secret. Null when nothing was readable or the input held a private key.
/// </param>
public sealed record CaCertificateInspection(
    IReadOnlyList<CertificateSummary> Certificates,
    IReadOnlyList<ValidationIssue> Issues,
    string? NormalizedPem)
{
    public bool IsUsable => NormalizedPem is not null && !Issues.HasErrors();
}

/// <param name="Index">1-based position among the input's certificate blocks (1 for a DER file).</param>
/// <param name="Sha256Fingerprint">Uppercase hex pairs joined with ':'.</param>
public sealed record CertificateSummary(
    int Index,
    string Subject,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool IsCertificateAuthority,
    string Sha256Fingerprint,
    bool IsSelfSigned);
