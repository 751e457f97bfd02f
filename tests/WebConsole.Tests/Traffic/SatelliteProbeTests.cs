using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using TrafficStandIns;
using WebConsole.Features.Traffic;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Traffic;

/// <summary>
/// The satellite check against TLS stand-ins on loopback: the collector stand-in serving a certificate of the right CA,
/// another CA, an expired one or one for another name, plus a closed port, a silent port and a cleartext port.
/// </summary>
public sealed class SatelliteProbeTests
{
    private const string Token = "satellite-check-token-9d41e7";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly TrafficRunOptions FastOptions = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5), ExportTimeout = TimeSpan.FromSeconds(5),
        FlushTimeout = TimeSpan.FromSeconds(10), ExportDelay = TimeSpan.FromMilliseconds(100),
    };

    private static Task<SatelliteCheckResult> CheckAsync(string address, string? caPem, string token = Token, string istioVersion = "1.26") =>
        new SatelliteProbe(FastOptions, TimeProvider.System).CheckAsync(
            SatelliteCheckTarget.For(LightStepProduct.OnPremSatellites, address, secure: true, IstioVersion.Parse(istioVersion), token, caPem));

    private static SatelliteCheckFinding Failure(SatelliteCheckResult result) => Assert.Single(result.Findings, f => !f.Passed);

    [Theory]
    [InlineData("1.26")] // OTLP/gRPC
    [InlineData("1.14")] // LightStep's collector protocol
    public async Task A_satellite_with_a_certificate_of_the_uploaded_ca_passes_and_accepts_the_test_span(string istioVersion)
    {
        using var pki = new SatellitePki("Satellite Pool", Now);
        using var served = pki.Issue("localhost", Now.AddHours(-1), Now.AddDays(30));
        await using var satellite = await CollectorStandIn.StartAsync(served, Token);

        var result = await CheckAsync($"localhost:{satellite.TlsUrl!.Port}", pki.Pem, istioVersion: istioVersion);

        Assert.True(result.Passed, string.Join("; ", result.Findings.Select(f => f.Code + " " + string.Join(",", f.Args))));
        Assert.Equal(HandshakeOutcome.Completed, result.Handshake.Outcome);
        Assert.Matches("^TLS 1\\.[23]$", result.Handshake.TlsVersion);
        Assert.Equal("CN=localhost", result.Handshake.Chain[0].Subject);
        Assert.Equal(pki.Subject, result.Handshake.Chain[0].Issuer);
        Assert.Contains(result.Findings, f => f.Code == "SatelliteCheck.IssuedByCa");
        Assert.Contains(result.Findings, f => f.Code == "SatelliteCheck.NameMatches");
        Assert.Contains(result.Findings, f => f.Code == "SatelliteCheck.Span.Accepted");
        var span = Assert.Single(satellite.Received);
        Assert.Equal(SatelliteProbe.TestSpanName, span.Name);
        Assert.Equal(Token, span.AccessToken);
    }

    [Fact]
    public async Task Another_ca_is_named_as_the_real_issuer_and_no_span_is_sent()
    {
        using var pki = new SatellitePki("Satellite Pool", Now);
        using var other = new SatellitePki("Someone Else", Now);
        using var served = pki.Issue("localhost", Now.AddHours(-1), Now.AddDays(30));
        await using var satellite = await CollectorStandIn.StartAsync(served, Token);

        var result = await CheckAsync($"localhost:{satellite.TlsUrl!.Port}", other.Pem);

        var failure = Failure(result);
        Assert.Equal("SatelliteCheck.NotIssuedByCa", failure.Code);
        Assert.Equal(new object[] { pki.Subject, other.Subject }, failure.Args);
        Assert.Empty(satellite.Received);
    }

    [Fact]
    public async Task An_expired_certificate_is_named_with_its_end_date()
    {
        using var pki = new SatellitePki("Satellite Pool", Now.AddYears(-3), Now.AddYears(2));
        using var served = pki.Issue("localhost", Now.AddYears(-2), Now.AddDays(-3));
        await using var satellite = await CollectorStandIn.StartAsync(served, Token);

        var result = await CheckAsync($"localhost:{satellite.TlsUrl!.Port}", pki.Pem);

        var failure = Failure(result);
        Assert.Equal("SatelliteCheck.Expired", failure.Code);
        Assert.Equal("CN=localhost", failure.Args[0]);
        Assert.Contains(result.Findings, f => f.Code == "SatelliteCheck.IssuedByCa" && f.Passed);
        Assert.Empty(satellite.Received);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_a_name_mismatch()
    {
        using var pki = new SatellitePki("Satellite Pool", Now);
        using var served = pki.Issue("satellite.other.example", Now.AddHours(-1), Now.AddDays(30));
        await using var satellite = await CollectorStandIn.StartAsync(served, Token);

        var result = await CheckAsync($"localhost:{satellite.TlsUrl!.Port}", pki.Pem);

        var failure = Failure(result);
        Assert.Equal("SatelliteCheck.NameMismatch", failure.Code);
        Assert.Equal(new object[] { "localhost", "satellite.other.example" }, failure.Args);
    }

    [Fact]
    public async Task A_refused_token_is_reported_after_a_good_handshake()
    {
        using var pki = new SatellitePki("Satellite Pool", Now);
        using var served = pki.Issue("localhost", Now.AddHours(-1), Now.AddDays(30));
        await using var satellite = await CollectorStandIn.StartAsync(served, "the-satellites-own-token-1234");

        var result = await CheckAsync($"localhost:{satellite.TlsUrl!.Port}", pki.Pem);

        Assert.True(result.HandshakeVerified);
        var failure = Failure(result);
        Assert.Equal("SatelliteCheck.Span.TokenRefused", failure.Code);
        Assert.DoesNotContain(Token, (string)failure.Args[0]);
    }

    [Fact]
    public async Task Unreachable_silent_and_cleartext_ports_each_get_their_own_plain_error()
    {
        using var pki = new SatellitePki("Satellite Pool", Now);
        using var silent = new SilentListener();
        await using var cleartext = await CollectorStandIn.StartAsync(Token);

        var unreachable = await CheckAsync($"127.0.0.1:{ClosedPort.Find()}", pki.Pem);
        var started = DateTimeOffset.UtcNow;
        var timedOut = await CheckAsync($"127.0.0.1:{silent.Port}", pki.Pem);
        var waited = DateTimeOffset.UtcNow - started;
        var notTls = await CheckAsync($"127.0.0.1:{cleartext.BaseUrl.Port}", pki.Pem);

        Assert.Equal("SatelliteCheck.Unreachable", Failure(unreachable).Code);
        Assert.Equal("SatelliteCheck.TimedOut", Failure(timedOut).Code);
        Assert.Equal("5", Failure(timedOut).Args[1]);
        Assert.InRange(waited, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(15));
        Assert.Equal("SatelliteCheck.NotTls", Failure(notTls).Code);
        Assert.Empty(cleartext.Received);
    }

    [Fact]
    public async Task Without_an_uploaded_ca_the_system_roots_do_not_trust_a_private_ca()
    {
        using var pki = new SatellitePki("Satellite Pool", Now);
        using var served = pki.Issue("localhost", Now.AddHours(-1), Now.AddDays(30));
        await using var satellite = await CollectorStandIn.StartAsync(served, Token);

        var result = await CheckAsync($"localhost:{satellite.TlsUrl!.Port}", caPem: null);

        Assert.Equal(TrustAnchor.SystemRoots, result.Handshake.Anchor);
        Assert.Equal("SatelliteCheck.NotTrustedBySystem", Failure(result).Code);
        Assert.Equal(pki.Subject, Failure(result).Args[0]);
    }
}
