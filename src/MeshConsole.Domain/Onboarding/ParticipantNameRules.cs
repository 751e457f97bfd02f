using System.Security.Cryptography;
using System.Text;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// Display names participants join with: 1 to 40 characters after trimming; letters, digits, spaces, '-', '_', '.'.
/// Names that differ only in case are the same participant ("Alice" coming back as "alice" resumes Alice).
/// </summary>
public static class ParticipantNameRules
{
    public const int MaxLength = 40;

    public static string Normalize(string name) => (name ?? throw new ArgumentNullException(nameof(name))).Trim();

    /// <summary>Issues never quote the whole name back, only the offending characters.</summary>
    public static IReadOnlyList<ValidationIssue> Validate(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) return [Error("Participant.NameEmpty")];
        var issues = new List<ValidationIssue>();
        if (trimmed.Length > MaxLength) issues.Add(Error("Participant.NameTooLong", MaxLength, trimmed.Length));
        var invalid = new string(trimmed.Where(c => !IsAllowed(c)).Distinct().ToArray());
        if (invalid.Length > 0) issues.Add(Error("Participant.NameInvalidCharacters", invalid));
        return issues;
    }

    /// <summary>The case-insensitive identity of a name: 12 hex characters of its SHA-256, usable in object names.</summary>
    public static string Key(string name)
    {
        var identity = Normalize(name).ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..12];
    }

    public static bool SameParticipant(string a, string b) =>
        string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);

    private static bool IsAllowed(char c) => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.';

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.ParticipantName, code, args);
}
