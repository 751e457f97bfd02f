namespace MeshConsole.Domain.Validation;

public static class NamespaceRules
{
    public const int MaxNameLength = 63;

    private static readonly char[] Separators = [','];

    public static IReadOnlyList<string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var atSeparator = i == text.Length || char.IsWhiteSpace(text[i]) || Separators.Contains(text[i]);
            if (!atSeparator)
            {
                if (start < 0) start = i;
                continue;
            }
            if (start >= 0) names.Add(text[start..i]);
            start = -1;
        }
        return names;
    }

    public static IReadOnlyList<ValidationIssue> Validate(IReadOnlyList<string> namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        if (namespaces.Count == 0) return [Error("Namespaces.None")];

        var issues = new List<ValidationIssue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reportedInvalid = new HashSet<string>(StringComparer.Ordinal);
        var reportedDuplicate = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in namespaces)
        {
            if (!IsDns1123Label(name) && reportedInvalid.Add(name ?? ""))
                issues.Add(Error("Namespaces.InvalidName", name ?? ""));
            if (name is not null && !seen.Add(name) && reportedDuplicate.Add(name))
                issues.Add(Error("Namespaces.Duplicate", name));
        }
        return issues;
    }

    public static bool IsDns1123Label(string? name) =>
        name is { Length: > 0 and <= MaxNameLength }
        && IsLowercaseAlphanumeric(name[0])
        && IsLowercaseAlphanumeric(name[^1])
        && name.All(c => IsLowercaseAlphanumeric(c) || c == '-');

    private static bool IsLowercaseAlphanumeric(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.Namespaces, code, args);
}
