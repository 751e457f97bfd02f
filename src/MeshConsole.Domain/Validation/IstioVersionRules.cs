using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Validation;

public static class IstioVersionRules
{
    public static readonly IstioVersion MinimumSupported = new(1, 4, 0);

    /// <param name="version">The parsed version when there are no issues; otherwise null.</param>
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
        return [];
    }

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.IstioVersion, code, args);
}
