using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Validation;

public static class CacertPathRules
{
    /// <summary>Istio's sidecar injector mounts the Secret <c>lightstep.cacert</c> at /etc/lightstep.</summary>
    public const string SecretMountPath = PlanInput.DefaultCacertPath;

    public static IReadOnlyList<ValidationIssue> Validate(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return [Error("CacertPath.Empty")];

        var issues = new List<ValidationIssue>();
        var trimmed = path.Trim();
        if (path.Any(char.IsWhiteSpace))
        {
            var suggestion = trimmed.Any(char.IsWhiteSpace) || Validate(trimmed).HasErrors() ? null : trimmed;
            issues.Add(new ValidationIssue(WizardField.CacertPath, "CacertPath.Whitespace", IssueSeverity.Error, [], suggestion));
        }
        if (!trimmed.StartsWith('/')) issues.Add(Error("CacertPath.NotAbsolute"));
        if (trimmed.EndsWith('/')) issues.Add(Error("CacertPath.IsDirectory"));

        if (issues.Count == 0 && path != SecretMountPath)
            issues.Add(new ValidationIssue(WizardField.CacertPath, "CacertPath.OutsideSecretMount", IssueSeverity.Warning,
                [SecretMountPath], SecretMountPath));
        return issues;
    }

    private static ValidationIssue Error(string code) => ValidationIssue.Error(WizardField.CacertPath, code);
}
