using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Localization;
using WebConsole.Features.Traffic;

namespace WebConsole.Cli;

/// <summary>
/// <c>plan</c>/<c>apply --check-satellite</c>: the certificate step's satellite check (another backend: the destination
/// step's endpoint check) before anything is written or applied. Prints the served chain and one line per finding on
/// stdout; a failed check ends the command with exit 1.
/// </summary>
public static class SatelliteCheckOutput
{
    /// <summary>True when the check was not asked for, does not apply (LightStep's spans without TLS), or passed.</summary>
    public static async Task<bool> PassesAsync(bool asked, PlanInput input, ConsoleText text, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!asked) return true;
        if (input.OtlpDestination is { } otlp) return await EndpointPassesAsync(input, otlp, text, stdout, stderr, ct);
        if (!input.Secure)
        {
            stdout.WriteLine(text["SatelliteCheck.NotApplicable"]);
            return true;
        }
        var target = SatelliteCheckTarget.For(input.Product, input.SatelliteAddress, input.Secure, input.IstioVersion, input.AccessToken, input.CaCertificatePem);
        var result = await new SatelliteProbe(new TrafficRunOptions(), TimeProvider.System).CheckAsync(target, ct);
        Print(result, target, text, stdout);
        if (!result.Passed) stderr.WriteLine("--check-satellite: " + text["SatelliteCheck.Failed"]);
        return result.Passed;
    }

    /// <summary>
    /// Another backend's endpoint, checked as the wizard's destination step does: TLS against --cacert (the system's
    /// roots without one) or a plaintext connection, then a test span in the entered protocol with the headers.
    /// </summary>
    private static async Task<bool> EndpointPassesAsync(PlanInput input, OtlpSpanDestination otlp, ConsoleText text, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var entered = new EnteredOtlpDestination(otlp.Address, otlp.Endpoint.Secure,
            otlp.HeaderValues.Select(h => new KeyValuePair<string, string?>(h.Key, h.Value)).ToList(), otlp.Endpoint.Transport, otlp.Endpoint.Path);
        // The plan input was validated already, so the target exists.
        var target = SatelliteCheckTarget.ForOtherBackend(entered, input.IstioVersion, input.CaCertificatePem)!;
        if (SatelliteCheckTarget.ClusterInternalHost(otlp.Address) is { } internalHost)
            stdout.WriteLine(text.Format("EndpointCheck.InClusterNameCli", internalHost));
        var result = await new SatelliteProbe(new TrafficRunOptions(), TimeProvider.System).CheckAsync(target, ct);
        Print(result, target, text, stdout);
        if (!result.Passed) stderr.WriteLine("--check-satellite: " + text["EndpointCheck.Failed"]);
        return result.Passed;
    }

    /// <summary>The heading, the served chain and one line per finding; never a header value nor the token (the findings' details are masked).</summary>
    public static void Print(SatelliteCheckResult result, SatelliteCheckTarget target, ConsoleText text, TextWriter stdout)
    {
        var handshake = result.Handshake;
        var prefix = target.IsOtherBackend ? "EndpointCheck." : "SatelliteCheck.";
        var heading = handshake.Outcome == HandshakeOutcome.Plaintext ? "HeadingPlaintext"
            : handshake.Anchor == TrustAnchor.UploadedCa ? "HeadingUploadedCa" : "HeadingSystemRoots";
        stdout.WriteLine(text.Format(prefix + heading, handshake.Address));
        foreach (var certificate in handshake.Chain)
            stdout.WriteLine("      " + text.Format("SatelliteCheck.Served", certificate.Subject, certificate.Issuer,
                certificate.NotBefore.ToString("u"), certificate.NotAfter.ToString("u")));
        foreach (var finding in result.Findings)
            stdout.WriteLine((finding.Passed ? "ok    " : "FAIL  ") + text.Format(target.WordingOf(finding.Code), [.. finding.Args]));
    }
}
