using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KubeEmulator.Fixtures;

/// <summary>
/// The emulated cluster's PKI, generated once per test process (ECDSA P-256): a cluster CA ("kubernetes", also what
/// every namespace's kube-root-ca.crt ConfigMap holds) and a serving certificate for 127.0.0.1/localhost signed by it,
/// used by the HTTPS listener that kubeconfigs point at.
/// </summary>
internal static class EmulatorCertificates
{
    private static readonly DateTimeOffset NotBefore = new(2024, 9, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Server)> Pki = new(Create);

    private static readonly Lazy<(string CertificatePem, string KeyPem)> IstioCa = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=cluster.local", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        using var certificate = request.CreateSelfSigned(NotBefore, NotBefore.AddYears(10));
        return (certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    });

    public static string ClusterCaPem => Pki.Value.Ca.ExportCertificatePem() + "\n";

    /// <summary>istiod's self-signed root (O=cluster.local), as in Secret istio-system/istio-ca-secret.</summary>
    public static string IstioCaPem => IstioCa.Value.CertificatePem;

    public static string IstioCaKeyPem => IstioCa.Value.KeyPem;

    /// <summary>The serving certificate, with its private key.</summary>
    public static X509Certificate2 ServerCertificate => Pki.Value.Server;

    private static (X509Certificate2, X509Certificate2) Create()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=kubernetes", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(NotBefore, NotBefore.AddYears(30));

        var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes");
        names.AddDnsName("kubernetes.default.svc");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = serverRequest.Create(ca, NotBefore, NotBefore.AddYears(29), serial);
        var server = signed.CopyWithPrivateKey(serverKey);
        return (ca, server);
    }
}
