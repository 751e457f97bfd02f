using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Localization;
using WebConsole.Features.Traffic;

namespace WebConsole.Cli;

/// <summary>
/// <c>plan</c>/<c>apply --check-satellite</c>: the certificate step's satellite check before anything is written or
/// applied. Prints the served chain and one line per finding on stdout; a failed check ends the command with exit 1.
/// </summary>
public static class SatelliteCheckOutput
{
    /// <summary>True when the check was not asked for, does not apply (spans without TLS), or passed.</summary>
    public static async Task<bool> PassesAsync(bool asked, PlanInput input, ConsoleText text, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!asked) return true;
        if (!input.Secure)
        {
            stdout.WriteLine(text["SatelliteCheck.NotApplicable"]);
            return true;
        }
        var target = SatelliteCheckTarget.For(input.Product, input.SatelliteAddress, input.Secure, input.IstioVersion, input.AccessToken, input.CaCertificatePem);
        var result = await new SatelliteProbe(new TrafficRunOptions(), TimeProvider.System).CheckAsync(target, ct);
        Print(result, text, stdout);
        if (!result.Passed) stderr.WriteLine("--check-satellite: " + text["SatelliteCheck.Failed"]);
        return result.Passed;
    }

    public static void Print(SatelliteCheckResult result, ConsoleText text, TextWriter stdout)
    {
        var handshake = result.Handshake;
        stdout.WriteLine(text.Format(handshake.Anchor == TrustAnchor.UploadedCa ? "SatelliteCheck.HeadingUploadedCa" : "SatelliteCheck.HeadingSystemRoots", handshake.Address));
        foreach (var certificate in handshake.Chain)
            stdout.WriteLine("      " + text.Format("SatelliteCheck.Served", certificate.Subject, certificate.Issuer,
                certificate.NotBefore.ToString("u"), certificate.NotAfter.ToString("u")));
        foreach (var finding in result.Findings)
            stdout.WriteLine((finding.Passed ? "ok    " : "FAIL  ") + text.Format(finding.Code, [.. finding.Args]));
    }
}
