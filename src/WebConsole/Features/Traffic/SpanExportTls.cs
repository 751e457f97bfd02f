using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace WebConsole.Features.Traffic;

/// <summary>
/// TLS for the console's own span export, trusting what the mesh trusts: with an uploaded CA certificate, exactly that
/// CA (as the sidecars do through cacertPath, and as an on-premises satellite pool with a private CA needs); without
/// one, the system's roots.
/// </summary>
public static class SpanExportTls
{
    public static SocketsHttpHandler Handler(string? trustedCaPem, TimeSpan? connectTimeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            // The console sets trace context itself; HttpClient's own propagation must not add any to export calls.
            ActivityHeadersPropagator = null,
        };
        if (connectTimeout is { } timeout) handler.ConnectTimeout = timeout;
        if (!string.IsNullOrWhiteSpace(trustedCaPem))
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // Satellites' private CAs rarely publish revocation lists the console could reach.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(trustedCaPem);
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }
        return handler;
    }
}
