using Bunit;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using TrafficStandIns;
using WebConsole.Features.Traffic;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>The certificate step's optional satellite check, against a TLS collector stand-in on loopback.</summary>
public sealed class SatelliteCheckPanelTests : ConsoleTestContext
{
    private const string Token = "panel-check-token-3c5a77e1";
    private readonly SatellitePki _pki;
    private readonly SatellitePki _other;
    private CollectorStandIn _satellite = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _served = null!;

    public SatelliteCheckPanelTests()
    {
        AttachFreshDraft();
        // Valid both at the test clock's fixed date and now: the TLS stack sees the real date, the console the fixed one.
        _pki = new SatellitePki("Satellite Pool", Clock.GetUtcNow().AddDays(-2), DateTimeOffset.UtcNow.AddYears(1));
        _other = new SatellitePki("Someone Else", Clock.GetUtcNow().AddDays(-2), DateTimeOffset.UtcNow.AddYears(1));
    }

    protected override async Task InitializeTestAsync()
    {
        // Kestrel uses the certificate at every handshake: it lives as long as the stand-in.
        _served = _pki.Issue("localhost", Clock.GetUtcNow().AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _satellite = await CollectorStandIn.StartAsync(_served, Token);
    }

    protected override async Task DisposeTestAsync()
    {
        await _satellite.DisposeAsync();
        _served.Dispose();
        _pki.Dispose();
        _other.Dispose();
    }

    private void EnterOnPremSettings(string caPem)
    {
        State.SetProduct(LightStepProduct.OnPremSatellites);
        State.SetAccessToken(Token);
        State.SetOnPremSatelliteAddress($"localhost:{_satellite.TlsUrl!.Port}");
        State.SetIstioVersionText("1.26");
        State.SetCertificate(CaCertificateInspector.Inspect(System.Text.Encoding.ASCII.GetBytes(caPem), Clock.GetUtcNow()), "ca.pem");
    }

    [Fact]
    public void Without_a_token_the_check_says_what_it_needs_and_offers_no_button()
    {
        var cut = Render<CertificateStep>();

        Assert.Equal(Text("SatelliteCheck.NeedsToken"), cut.Find("#satellite-check-unavailable").TextContent.Trim());
        Assert.Empty(cut.FindAll("#satellite-check-run"));
        Assert.Contains(Text("SatelliteCheck.Optional"), cut.Find("#satellite-check").TextContent);
    }

    [Fact]
    public void The_uploaded_ca_passes_shows_the_served_chain_and_the_test_span()
    {
        EnterOnPremSettings(_pki.Pem);
        var cut = Render<SatelliteCheckPanel>();

        cut.Find("#satellite-check-run").Click();

        cut.WaitForAssertion(() => Assert.Equal(Text("SatelliteCheck.Passed"), cut.Find("#satellite-check-verdict").TextContent.Trim()), TimeSpan.FromSeconds(20));
        var served = Assert.Single(cut.FindAll("tr.satellite-served"));
        Assert.Contains("CN=localhost", served.TextContent);
        Assert.Contains(_pki.Subject, served.TextContent);
        Assert.All(cut.FindAll("li.satellite-finding"), li => Assert.Equal("true", li.GetAttribute("data-passed")));
        Assert.Contains(cut.FindAll("li.satellite-finding"), li => li.GetAttribute("data-code") == "SatelliteCheck.Span.Accepted");
        Assert.Single(_satellite.Received);
        Assert.DoesNotContain(Token, cut.Markup);
    }

    [Fact]
    public void Another_ca_is_a_plain_failure_naming_the_real_issuer_and_does_not_block_the_step()
    {
        EnterOnPremSettings(_other.Pem);
        var cut = Render<SatelliteCheckPanel>();

        cut.Find("#satellite-check-run").Click();

        cut.WaitForAssertion(() => Assert.Equal(Text("SatelliteCheck.FailedNotBlocking"), cut.Find("#satellite-check-verdict").TextContent.Trim()), TimeSpan.FromSeconds(20));
        var failure = Assert.Single(cut.FindAll("li.satellite-finding"), li => li.GetAttribute("data-passed") == "false");
        Assert.Equal(Text("SatelliteCheck.NotIssuedByCa", _pki.Subject, _other.Subject), failure.TextContent.Trim());
        Assert.False(State.HasErrors(WizardStep.Certificate));
        Assert.Empty(_satellite.Received);

        // Another CA makes the old result stale: it is hidden until the check runs again.
        State.SetCertificate(CaCertificateInspector.Inspect(System.Text.Encoding.ASCII.GetBytes(_pki.Pem), Clock.GetUtcNow()), "right.pem");
        cut.Render();
        Assert.Empty(cut.FindAll("#satellite-check-verdict"));
    }
}
