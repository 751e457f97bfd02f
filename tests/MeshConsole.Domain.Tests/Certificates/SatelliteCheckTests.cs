using MeshConsole.Domain.Certificates;

namespace MeshConsole.Domain.Tests.Certificates;

public sealed class SatelliteCheckTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Ca = "CN=Satellite CA, O=Example";

    private static ServedCertificate Leaf(string issuer = Ca, int daysLeft = 90, string name = "sat.example.com") =>
        new("CN=" + name, issuer, Now.AddDays(-10), Now.AddDays(daysLeft), [name]);

    private static TlsHandshakeObservation Completed(ServedCertificate[] chain, bool chainsToAnchor = true, bool nameMatches = true,
        TrustAnchor anchor = TrustAnchor.UploadedCa) =>
        new("sat.example.com:9292", "sat.example.com", anchor, [Ca], HandshakeOutcome.Completed, "TLS 1.3", chain, chainsToAnchor, nameMatches, null);

    private static TlsHandshakeObservation Failed(HandshakeOutcome outcome, string? detail = null) =>
        new("sat.example.com:9292", "sat.example.com", TrustAnchor.UploadedCa, [Ca], outcome, null, [], false, false, detail);

    [Fact]
    public void A_verified_handshake_and_an_accepted_span_pass_with_every_finding_said()
    {
        var result = SatelliteCheck.Interpret(Completed([Leaf()]), Now, TestSpanOutcome.Accepted);

        Assert.True(result.Passed);
        Assert.Equal(
            ["SatelliteCheck.TlsVersion", "SatelliteCheck.IssuedByCa", "SatelliteCheck.Valid", "SatelliteCheck.NameMatches", "SatelliteCheck.Span.Accepted"],
            result.Findings.Select(f => f.Code));
        Assert.Equal("TLS 1.3", result.Findings[0].Args[0]);
    }

    [Fact]
    public void A_chain_that_does_not_reach_the_ca_names_who_issued_it()
    {
        var result = SatelliteCheck.Interpret(Completed([Leaf(issuer: "CN=Other Intermediate"), new("CN=Other Intermediate", "CN=Other Root", Now.AddYears(-1), Now.AddYears(1), [])],
            chainsToAnchor: false), Now);

        var failure = Assert.Single(result.Findings, f => !f.Passed);
        Assert.Equal("SatelliteCheck.NotIssuedByCa", failure.Code);
        Assert.Equal(new object[] { "CN=Other Root", Ca }, failure.Args);
        Assert.False(result.HandshakeVerified);
    }

    [Fact]
    public void A_served_self_signed_root_is_itself_the_issuer()
    {
        var result = SatelliteCheck.Interpret(Completed([Leaf(issuer: "CN=Their Root"), new("CN=Their Root", "CN=Their Root", Now.AddYears(-1), Now.AddYears(1), [])],
            chainsToAnchor: false), Now);

        Assert.Equal("CN=Their Root", Assert.Single(result.Findings, f => !f.Passed).Args[0]);
    }

    [Fact]
    public void Expired_not_yet_valid_and_wrong_name_are_each_a_failure()
    {
        var expired = SatelliteCheck.Interpret(Completed([Leaf(daysLeft: -1)]), Now);
        var early = SatelliteCheck.Interpret(Completed([new ServedCertificate("CN=sat.example.com", Ca, Now.AddDays(2), Now.AddDays(90), ["sat.example.com"])]), Now);
        var wrongName = SatelliteCheck.Interpret(Completed([Leaf(name: "other.example.com")], nameMatches: false), Now);

        Assert.Equal("SatelliteCheck.Expired", Assert.Single(expired.Findings, f => !f.Passed).Code);
        Assert.Equal("2030-05-31 12:00 UTC", Assert.Single(expired.Findings, f => !f.Passed).Args[1]);
        Assert.Equal("SatelliteCheck.NotYetValid", Assert.Single(early.Findings, f => !f.Passed).Code);
        var mismatch = Assert.Single(wrongName.Findings, f => !f.Passed);
        Assert.Equal(new object[] { "sat.example.com", "other.example.com" }, mismatch.Args);
    }

    [Theory]
    [InlineData(HandshakeOutcome.Unreachable, "SatelliteCheck.Unreachable")]
    [InlineData(HandshakeOutcome.TimedOut, "SatelliteCheck.TimedOut")]
    [InlineData(HandshakeOutcome.NotTls, "SatelliteCheck.NotTls")]
    public void A_handshake_that_did_not_complete_is_one_plain_failure(HandshakeOutcome outcome, string code)
    {
        var result = SatelliteCheck.Interpret(Failed(outcome, "Connection refused"), Now);

        var only = Assert.Single(result.Findings);
        Assert.Equal(code, only.Code);
        Assert.False(only.Passed);
        Assert.Equal("sat.example.com:9292", only.Args[0]);
        Assert.False(result.HandshakeVerified);
    }

    [Fact]
    public void A_refused_test_span_fails_the_check_but_not_the_handshake()
    {
        var result = SatelliteCheck.Interpret(Completed([Leaf()]), Now, TestSpanOutcome.TokenRefused, "HTTP 401");

        Assert.False(result.Passed);
        Assert.True(result.HandshakeVerified);
        Assert.Equal("SatelliteCheck.Span.TokenRefused", Assert.Single(result.Findings, f => !f.Passed).Code);
    }

    [Fact]
    public void The_system_roots_have_their_own_wording()
    {
        var result = SatelliteCheck.Interpret(Completed([Leaf(issuer: "CN=Private CA")], chainsToAnchor: false, anchor: TrustAnchor.SystemRoots), Now);

        Assert.Equal("SatelliteCheck.NotTrustedBySystem", Assert.Single(result.Findings, f => !f.Passed).Code);
    }

    [Fact]
    public void A_plaintext_destination_that_accepts_a_connection_is_judged_by_its_test_span_alone()
    {
        var connected = Failed(HandshakeOutcome.Plaintext);

        var before = SatelliteCheck.Interpret(connected, Now);
        var refused = SatelliteCheck.Interpret(connected, Now, TestSpanOutcome.TokenRefused, "gRPC Unauthenticated");

        Assert.True(before.HandshakeVerified);
        Assert.Equal(["SatelliteCheck.PlaintextConnected"], before.Findings.Select(f => f.Code));
        Assert.Equal(["SatelliteCheck.PlaintextConnected", "SatelliteCheck.Span.TokenRefused"], refused.Findings.Select(f => f.Code));
        Assert.False(refused.Passed);
    }
}
