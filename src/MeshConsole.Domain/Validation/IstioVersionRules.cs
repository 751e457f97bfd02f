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

        version = parsed;
        return [];
    }

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.IstioVersion, code, args);
}
