using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebConsole.Tests.Support;

public static class TestCertificates
{
    public const string CaSubject = "CN=Mesh Console Test CA, O=Tests";

    /// <summary>A self-signed CA (basicConstraints CA=true) valid around <paramref name="now"/>, as PEM, plus its key as PKCS#8 PEM.</summary>
    public static (string CertificatePem, string PrivateKeyPem, X509Certificate2 Certificate) CreateCa(DateTimeOffset now, string subject = CaSubject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        return (certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n", certificate);
    }

    public static string Sha256Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(pair => new string(pair)));

    /// <summary>The base64 body lines of a PEM, i.e. the certificate material that must never be shown on screen.</summary>
    public static IReadOnlyList<string> PemBodyLines(string pem) =>
        pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
           .Where(line => !line.StartsWith("-----", StringComparison.Ordinal))
           .ToList();
}
