using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshConsole.Domain.Validation;

public static partial class AccessTokenRules
{
    public const int MinLength = 8;
    public const int MaxLength = 512;
    public const string MaskPrefix = "••••";
    private const int VisibleSuffixLength = 4;

    // Typographic quotes and backticks arrive when tokens are copied out of chat tools and rich-text docs.
    private static readonly char[] QuoteCharacters = ['"', '\'', '`', '“', '”', '‘', '’'];

    /// <summary>Issues never carry the token or any part of it; only lengths.</summary>
    public static IReadOnlyList<ValidationIssue> Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return [Error("Token.Empty")];

        var issues = new List<ValidationIssue>();
        var remainder = token.Trim();

        if (remainder.IndexOfAny(QuoteCharacters) == 0 || remainder.LastIndexOfAny(QuoteCharacters) == remainder.Length - 1)
        {
            issues.Add(Error("Token.SurroundingQuotes"));
            remainder = remainder.Trim(QuoteCharacters);
        }

        var bearer = BearerPrefixPattern().Match(remainder);
        if (bearer.Success)
        {
            issues.Add(Error("Token.BearerPrefix"));
            remainder = remainder[bearer.Length..];
        }

        // The separator after "Bearer" is already covered by Token.BearerPrefix.
        if (token.Length != token.Trim().Length || remainder.Any(char.IsWhiteSpace))
            issues.Add(Error("Token.Whitespace"));

        if (token.Any(IsInvisibleNonWhitespace))
            issues.Add(Error("Token.ControlCharacter"));

        var length = remainder.Trim().Length;
        if (length < MinLength) issues.Add(Error("Token.TooShort", MinLength, length));
        else if (length > MaxLength) issues.Add(Error("Token.TooLong", MaxLength, length));

        return issues;
    }

    public static string MaskForDisplay(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Length < MinLength ? MaskPrefix : MaskPrefix + token[^VisibleSuffixLength..];
    }

    // Format characters (zero-width space, BOM, bidi marks) are invisible like control characters and break the token the same way.
    private static bool IsInvisibleNonWhitespace(char c) =>
        !char.IsWhiteSpace(c) && (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format);

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.AccessToken, code, args);

    [GeneratedRegex(@"^\s*bearer\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerPrefixPattern();
}
