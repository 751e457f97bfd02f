using System.Globalization;
using System.Text;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// A participant's own namespace, from the session's pattern ("bookinfo-{name}") and their display name: a DNS-1123
/// label (lowercase letters, digits and '-', at most 63 characters), made unique with "-2", "-3", … .
/// </summary>
public static class ParticipantNamespace
{
    public const string NamePlaceholder = "{name}";
    /// <summary>Used when nothing of a name survives (a name in a script without Latin letters).</summary>
    public const string FallbackName = "participant";
    /// <summary>The fixed part of a pattern leaves at least this much of the label for the name and a suffix.</summary>
    public const int MinNameRoom = 12;

    public static IReadOnlyList<ValidationIssue> ValidatePattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return [Error("NamespacePattern.Empty", NamePlaceholder)];
        var issues = new List<ValidationIssue>();
        if (!pattern.Contains(NamePlaceholder, StringComparison.Ordinal)) issues.Add(Error("NamespacePattern.MissingName", NamePlaceholder));
        var fixedPart = pattern.Replace(NamePlaceholder, "", StringComparison.Ordinal);
        var invalid = new string(fixedPart.Where(c => !IsLabelCharacter(c)).Distinct().ToArray());
        if (invalid.Length > 0) issues.Add(Error("NamespacePattern.InvalidCharacters", invalid));
        if (fixedPart.Length > NamespaceRules.MaxNameLength - MinNameRoom)
            issues.Add(Error("NamespacePattern.TooLong", NamespaceRules.MaxNameLength - MinNameRoom, fixedPart.Length));
        return issues;
    }

    /// <summary>The namespace for <paramref name="displayName"/>, different from every name in <paramref name="taken"/>.</summary>
    public static string For(string pattern, string displayName, IReadOnlySet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(taken);
        if (ValidatePattern(pattern).HasErrors()) throw new ArgumentException("The namespace pattern is not valid; check it with ValidatePattern first.", nameof(pattern));

        var slug = Slug(displayName);
        var candidate = Slug(pattern.Replace(NamePlaceholder, slug.Length > 0 ? slug : FallbackName, StringComparison.Ordinal));
        for (var n = 1; ; n++)
        {
            var label = Fit(candidate, n == 1 ? "" : "-" + n.ToString(CultureInfo.InvariantCulture));
            if (!taken.Contains(label)) return label;
        }
    }

    /// <summary>Lowercase ASCII letters and digits with accents dropped; every other run of characters becomes one '-'; no '-' at either end.</summary>
    public static string Slug(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingDash = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                if (pendingDash && builder.Length > 0) builder.Append('-');
                pendingDash = false;
                builder.Append(lower);
            }
            else
            {
                pendingDash = true;
            }
        }
        return builder.ToString();
    }

    private static string Fit(string candidate, string suffix)
    {
        var room = NamespaceRules.MaxNameLength - suffix.Length;
        var stem = candidate.Length <= room ? candidate : candidate[..room].TrimEnd('-');
        return stem + suffix;
    }

    private static bool IsLabelCharacter(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-';

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.NamespacePattern, code, args);
}
