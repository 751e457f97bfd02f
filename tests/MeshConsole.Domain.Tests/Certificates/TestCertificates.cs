using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MeshConsole.Domain.Tests.Certificates;

/// <summary>Certificates generated once per test run, relative to a fixed <see cref="Now"/>.</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<(X509Certificate2 Certificate, ECDsa Key)> RootCa = new(() =>
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest("CN=Test Root CA, O=Mesh Console Tests", key);
        return (request.CreateSelfSigned(Now.AddDays(-30), Now.AddDays(3650)), key);
    });

    public static X509Certificate2 Ca => RootCa.Value.Certificate;

    public static X509Certificate2 Leaf { get; } = IssueLeaf("CN=satellite.example.com", withBasicConstraints: true);

    public static X509Certificate2 LeafWithoutBasicConstraints { get; } = IssueLeaf("CN=legacy.example.com", withBasicConstraints: false);

    public static X509Certificate2 ExpiredCa { get; } = SelfSignedCa("CN=Expired CA", Now.AddDays(-400), Now.AddDays(-10));

    public static X509Certificate2 NotYetValidCa { get; } = SelfSignedCa("CN=Future CA", Now.AddDays(10), Now.AddDays(400));

    public static X509Certificate2 ExpiringInTenDaysCa { get; } = SelfSignedCa("CN=Expiring CA", Now.AddDays(-300), Now.AddDays(10));

    public static X509Certificate2 RsaCa { get; } = RsaSelfSignedCa();

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The expected Secret content, built by hand rather than with the API under test.</summary>
    public static string ExpectedNormalizedPem(params X509Certificate2[] certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.Append("-----BEGIN CERTIFICATE-----\n");
            var base64 = Convert.ToBase64String(certificate.RawData);
            for (var i = 0; i < base64.Length; i += 64) pem.Append(base64.AsSpan(i, Math.Min(64, base64.Length - i))).Append('\n');
            pem.Append("-----END CERTIFICATE-----\n");
        }
        return pem.ToString();
    }

    public static string PublicKeyPem() => Ca.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfoPem();

    public static string Pkcs8PrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static string EcPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportECPrivateKeyPem();
    }

    public static string RsaPrivateKeyPem()
    {
        using var key = RSA.Create(2048);
        return key.ExportRSAPrivateKeyPem();
    }

    public static string EncryptedPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportEncryptedPkcs8PrivateKeyPem("secret"u8,
            new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1));
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static X509Certificate2 SelfSignedCa(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var withKey = CaRequest(subject, key).CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }

    private static X509Certificate2 RsaSelfSignedCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RSA Root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var withKey = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(365));
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }

    private static X509Certificate2 IssueLeaf(string subject, bool withBasicConstraints)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (withBasicConstraints) request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return request.Create(Ca, Now.AddDays(-1), Now.AddDays(365), serial);
    }
}
