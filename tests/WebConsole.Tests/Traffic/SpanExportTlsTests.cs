using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using TrafficStandIns;
using WebConsole.Features.Traffic;

namespace WebConsole.Tests.Traffic;

/// <summary>
/// An on-premises satellite pool with a private CA: the console's own span export trusts the uploaded CA certificate,
/// as the mesh's sidecars do, and nothing else.
/// </summary>
public sealed class SpanExportTlsTests
{
    private const string Token = "test-access-token-tls-1a2b3c";

    private static readonly TrafficRunOptions FastOptions = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5), ExportTimeout = TimeSpan.FromSeconds(5),
        FlushTimeout = TimeSpan.FromSeconds(10), ExportDelay = TimeSpan.FromMilliseconds(100),
    };

    private static (string CaPem, X509Certificate2 Server) PrivatePki(string name)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name} CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        // Kestrel needs the key in a form SslStream can use on Linux: round-trip through PKCS#12.
        var server = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);
        return (ca.ExportCertificatePem() + "\n", server);
    }

    [Theory]
    [InlineData(SpanProtocol.OtlpGrpc)]
    [InlineData(SpanProtocol.LightStepCollector)]
    [InlineData(SpanProtocol.OtlpHttpProtobuf)]
    public async Task Spans_reach_a_satellite_whose_certificate_the_uploaded_ca_signed(SpanProtocol protocol)
    {
        var (caPem, serverCertificate) = PrivatePki("Satellite Pool");
        using var _ = serverCertificate;
        await using var gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        await using var collector = await CollectorStandIn.StartAsync(serverCertificate, Token);
        var endpoint = protocol == SpanProtocol.OtlpHttpProtobuf ? new Uri(collector.TlsUrl!, "/traces/otlp/v0.9") : collector.TlsUrl!;

        var result = await new TrafficRunner(FastOptions).RunAsync(
            new TrafficTarget(gateway.BaseUrl, endpoint, protocol, Token, IstioForm.OpenTelemetry) { TrustedCaPem = caPem },
            new TrafficSettings(5, 2));

        Assert.Equal(SpanExportOutcome.Exported, result.Export.Outcome);
        Assert.Equal(5, collector.Received.Count);
    }

    [Fact]
    public async Task A_satellite_signed_by_another_ca_is_not_trusted()
    {
        var (_, serverCertificate) = PrivatePki("Satellite Pool");
        var (otherCaPem, other) = PrivatePki("Someone Else");
        using var __ = serverCertificate;
        using var ___ = other;
        await using var gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        await using var collector = await CollectorStandIn.StartAsync(serverCertificate, Token);

        var result = await new TrafficRunner(FastOptions).RunAsync(
            new TrafficTarget(gateway.BaseUrl, collector.TlsUrl!, SpanProtocol.OtlpGrpc, Token, IstioForm.OpenTelemetry) { TrustedCaPem = otherCaPem },
            new TrafficSettings(3, 1));

        Assert.Equal(SpanExportOutcome.Unreachable, result.Export.Outcome);
        Assert.Empty(collector.Received);
        // The requests themselves are unaffected: only the spans could not be delivered.
        Assert.Equal(3, result.Succeeded);
    }
}
