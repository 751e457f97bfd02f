using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebConsole.Tests.Support;

/// <summary>
/// A satellite pool's private PKI for the TLS stand-ins: a CA (PEM, as the user uploads it) and server certificates
/// it issues, valid or expired, for the right name or another one.
/// </summary>
public sealed class SatellitePki : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public SatellitePki(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        Subject = $"CN={name} CA, O=Tests";
        var request = new CertificateRequest(Subject, _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(notBefore, notAfter);
        Pem = Certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>A CA valid from a day before <paramref name="now"/> for two years.</summary>
    public SatellitePki(string name, DateTimeOffset now) : this(name, now.AddDays(-1), now.AddYears(2)) { }

    public string Subject { get; }
    public string Pem { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>A server certificate for <paramref name="dnsName"/> (serverAuth), with its key, as Kestrel serves it.</summary>
    public X509Certificate2 Issue(string dnsName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(Certificate, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        // Kestrel needs the key in a form SslStream can use on Linux: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}

/// <summary>A loopback port that accepts connections and never says a word: a TLS handshake with it times out.</summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
    private readonly List<TcpClient> _accepted = [];

    public SilentListener()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                lock (_accepted) _accepted.Add(client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_accepted) foreach (var client in _accepted) client.Dispose();
    }
}

/// <summary>A loopback port nothing listens on (bound, then released).</summary>
public static class ClosedPort
{
    public static int Find()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
