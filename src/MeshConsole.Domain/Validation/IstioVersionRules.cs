using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Validation;

public static class IstioVersionRules
{
    /// <summary>
    /// The first release whose istioctl installs from an overlay file, as install.sh does: 1.4's `istioctl manifest apply`
    /// (istio.io/v1.4/docs/setup/install/istioctl); 1.3 had only the experimental `istioctl experimental manifest apply`
    /// (istio.io/v1.3/docs/setup/install/operator, "[Experimental]").
    /// </summary>
    public static readonly IstioVersion MinimumSupported = new(1, 4, 0);

    /// <summary>Whether the console has a form for this release (the Istio step shows none for older ones).</summary>
    public static bool IsSupported(IstioVersion version) => version >= MinimumSupported;

    /// <summary>
    /// Whether the release is newer than every minor the forms were checked against (<see cref="IstioFormChoice.NewestKnown"/>):
    /// accepted, with the newest known form assumed and a warning saying so.
    /// </summary>
    public static bool IsNewerThanKnown(IstioVersion version) =>
        version.Major > IstioFormChoice.NewestKnown.Major
        || (version.Major == IstioFormChoice.NewestKnown.Major && version.Minor > IstioFormChoice.NewestKnown.Minor);

    /// <param name="version">The parsed version when there are no errors (a warning may remain); otherwise null.</param>
    public static IReadOnlyList<ValidationIssue> Validate(string? text, out IstioVersion? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text)) return [Error("IstioVersion.Empty")];

        var trimmed = text.Trim();
        if (!IstioVersion.TryParse(trimmed, out var parsed)) return [Error("IstioVersion.Invalid", trimmed)];
        if (parsed < MinimumSupported) return [Error("IstioVersion.Unsupported", trimmed, MinimumSupported.MinorString)];
        // "1.16" parses as 1.16.0 too: the exact patch decides, so both are refused until the user names 1.16.1 or later.
        // 1.16.0's proxy lacks Envoy's OpenTelemetry tracer (istio/istio#42080, fixed in 1.16.1 by istio/proxy#4231), and
        // from 1.16 every LightStep form exports through it.
        if (parsed == IstioFormChoice.WithoutOpenTelemetryTracer)
            return [Error("IstioVersion.NoOpenTelemetryTracer", trimmed)];

        version = parsed;
        return IsNewerThanKnown(parsed)
            ? [ValidationIssue.Warning(WizardField.IstioVersion, "IstioVersion.NewerThanKnown", trimmed, IstioFormChoice.NewestKnown.MinorString)]
            : [];
    }

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.IstioVersion, code, args);
}
