using System.Globalization;

namespace MeshConsole.Domain.Certificates;

/// <summary>How far a TLS handshake with the span destination got.</summary>
public enum HandshakeOutcome
{
    /// <summary>The handshake completed; the served chain was observed.</summary>
    Completed,
    /// <summary>No TCP connection: refused, no route, or the name does not resolve.</summary>
    Unreachable,
    /// <summary>Nothing came back within the check's time limit.</summary>
    TimedOut,
    /// <summary>Something answered, but not with a TLS handshake (a cleartext port, another protocol).</summary>
    NotTls,
    /// <summary>The destination is plaintext by choice: a TCP connection was made and no handshake attempted.</summary>
    Plaintext,
}

/// <summary>Which certificates the check trusted.</summary>
public enum TrustAnchor
{
    /// <summary>Only the uploaded CA certificate(s), as the sidecars do through cacertPath.</summary>
    UploadedCa,
    /// <summary>The system's roots (the public product without an uploaded CA).</summary>
    SystemRoots,
}

/// <summary>One certificate the server sent, leaf first.</summary>
public sealed record ServedCertificate(string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter, IReadOnlyList<string> DnsNames);

/// <summary>
/// What the handshake observed, with nothing judged yet.
/// </summary>
/// <param name="Address">host:port as checked.</param>
/// <param name="TlsVersion">The negotiated protocol ("TLS 1.3"), when completed.</param>
/// <param name="Chain">The served certificates, leaf first (empty unless completed).</param>
/// <param name="ChainsToAnchor">The leaf chains up to the trust anchor (validity dates not considered here).</param>
/// <param name="NameMatches">The leaf's names cover the host.</param>
/// <param name="Detail">The transport's own words when the handshake did not complete (never holds a secret).</param>
public sealed record TlsHandshakeObservation(
    string Address,
    string Host,
    TrustAnchor Anchor,
    IReadOnlyList<string> AnchorSubjects,
    HandshakeOutcome Outcome,
    string? TlsVersion,
    IReadOnlyList<ServedCertificate> Chain,
    bool ChainsToAnchor,
    bool NameMatches,
    string? Detail);

/// <summary>One line of the check's result: a localizable code ("SatelliteCheck.{...}") with its arguments.</summary>
public sealed record SatelliteCheckFinding(string Code, bool Passed, IReadOnlyList<object> Args);

/// <summary>Whether a test span with the access token was accepted by the destination.</summary>
public enum TestSpanOutcome
{
    Accepted,
    /// <summary>The destination refused the access token.</summary>
    TokenRefused,
    /// <summary>The destination answered with another error.</summary>
    Rejected,
    /// <summary>The span could not be delivered (connection, TLS, timeout).</summary>
    NotDelivered,
}

/// <summary>The judged result: every finding in the order a person reads them, and whether all passed.</summary>
public sealed record SatelliteCheckResult(TlsHandshakeObservation Handshake, IReadOnlyList<SatelliteCheckFinding> Findings)
{
    public bool Passed => Findings.All(f => f.Passed);
    /// <summary>The handshake completed and every finding about it passed (the test span aside).</summary>
    public bool HandshakeVerified => Handshake.Outcome is HandshakeOutcome.Completed or HandshakeOutcome.Plaintext
        && Findings.Where(f => !f.Code.StartsWith(SatelliteCheck.TestSpanPrefix, StringComparison.Ordinal)).All(f => f.Passed);
}

/// <summary>
/// Judges a TLS handshake with the satellite (or the public endpoint) against the trust anchor the mesh will use,
/// and a test span: one plain finding per failure ("this CA did not issue the satellite's certificate; it was issued
/// by …", expired, wrong name, unreachable, timed out, not TLS), or the confirmation that all holds.
/// </summary>
public static class SatelliteCheck
{
    /// <summary>How long the whole handshake may take before the check reports a timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The codes of the test span's finding start with this.</summary>
    public const string TestSpanPrefix = "SatelliteCheck.Span.";

    public static SatelliteCheckResult Interpret(TlsHandshakeObservation handshake, DateTimeOffset now, TestSpanOutcome? span = null, string? spanDetail = null)
    {
        ArgumentNullException.ThrowIfNull(handshake);
        var findings = new List<SatelliteCheckFinding>();
        switch (handshake.Outcome)
        {
            case HandshakeOutcome.Unreachable:
                findings.Add(Fail("SatelliteCheck.Unreachable", handshake.Address, handshake.Detail ?? ""));
                return new(handshake, findings);
            case HandshakeOutcome.TimedOut:
                findings.Add(Fail("SatelliteCheck.TimedOut", handshake.Address, Seconds(Timeout)));
                return new(handshake, findings);
            case HandshakeOutcome.NotTls:
                findings.Add(Fail("SatelliteCheck.NotTls", handshake.Address));
                return new(handshake, findings);
            case HandshakeOutcome.Plaintext:
                findings.Add(Pass("SatelliteCheck.PlaintextConnected", handshake.Address));
                AddTestSpan(findings, span, spanDetail);
                return new(handshake, findings);
        }

        findings.Add(Pass("SatelliteCheck.TlsVersion", handshake.TlsVersion ?? "?"));
        if (handshake.Chain.Count == 0)
        {
            findings.Add(Fail("SatelliteCheck.NoCertificate", handshake.Address));
            return new(handshake, findings);
        }
        var leaf = handshake.Chain[0];
        if (handshake.ChainsToAnchor)
            findings.Add(Pass(handshake.Anchor == TrustAnchor.UploadedCa ? "SatelliteCheck.IssuedByCa" : "SatelliteCheck.TrustedBySystem",
                string.Join("; ", handshake.AnchorSubjects)));
        else
            findings.Add(Fail(handshake.Anchor == TrustAnchor.UploadedCa ? "SatelliteCheck.NotIssuedByCa" : "SatelliteCheck.NotTrustedBySystem",
                TopIssuer(handshake.Chain), string.Join("; ", handshake.AnchorSubjects)));

        foreach (var certificate in handshake.Chain)
        {
            if (certificate.NotAfter < now)
                findings.Add(Fail("SatelliteCheck.Expired", certificate.Subject, Date(certificate.NotAfter)));
            else if (certificate.NotBefore > now)
                findings.Add(Fail("SatelliteCheck.NotYetValid", certificate.Subject, Date(certificate.NotBefore)));
        }
        if (!handshake.Chain.Any(c => c.NotAfter < now || c.NotBefore > now))
            findings.Add(Pass("SatelliteCheck.Valid", Date(leaf.NotAfter)));

        findings.Add(handshake.NameMatches
            ? Pass("SatelliteCheck.NameMatches", handshake.Host)
            : Fail("SatelliteCheck.NameMismatch", handshake.Host, leaf.DnsNames.Count > 0 ? string.Join(", ", leaf.DnsNames) : leaf.Subject));

        AddTestSpan(findings, span, spanDetail);
        return new(handshake, findings);
    }

    private static void AddTestSpan(List<SatelliteCheckFinding> findings, TestSpanOutcome? span, string? spanDetail)
    {
        if (span is { } outcome)
            findings.Add(outcome == TestSpanOutcome.Accepted
                ? Pass(TestSpanPrefix + TestSpanOutcome.Accepted)
                : Fail(TestSpanPrefix + outcome, spanDetail ?? ""));
    }

    /// <summary>
    /// Who issued the served chain as far as it goes: the issuer of the last certificate sent (the leaf's issuer when
    /// the server sends only its own certificate), which is the CA the user would have to upload.
    /// </summary>
    private static string TopIssuer(IReadOnlyList<ServedCertificate> chain)
    {
        var top = chain[^1];
        // A server that sends its root too ends with a self-signed certificate: that root is the issuer.
        return top.Issuer == top.Subject ? top.Subject : top.Issuer;
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private static SatelliteCheckFinding Pass(string code, params object[] args) => new(code, true, args);

    private static SatelliteCheckFinding Fail(string code, params object[] args) => new(code, false, args);
}
