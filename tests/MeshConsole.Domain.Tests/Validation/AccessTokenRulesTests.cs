using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Validation;

public class AccessTokenRulesTests
{
    private const string RealisticToken = "0Xq1mH7v+3tZr9Kc2bWlN8yPfA5dEsJuG4oRiT6hV1CkLzQeYxU/gMnB0wS7aDpF==";

    public static TheoryData<string> GoodTokens =>
    [
        "abcdefgh",
        RealisticToken,
        "a+b/c=d_e-f.g~h",
        new string('x', AccessTokenRules.MaxLength),
    ];

    public static TheoryData<string?, string[]> BadTokens => new()
    {
        { null, ["Token.Empty"] },
        { "", ["Token.Empty"] },
        { "   ", ["Token.Empty"] },
        { "\t\r\n", ["Token.Empty"] },
        { "\"abcdefgh1234\"", ["Token.SurroundingQuotes"] },
        { "'abcdefgh1234'", ["Token.SurroundingQuotes"] },
        { "abcdefgh1234'", ["Token.SurroundingQuotes"] },
        { "\"abcdefgh1234", ["Token.SurroundingQuotes"] },
        { "“abcdefgh1234”", ["Token.SurroundingQuotes"] },
        { "Bearer abcdefgh1234", ["Token.BearerPrefix"] },
        { "bearer abcdefgh1234", ["Token.BearerPrefix"] },
        { "BEARER\tabcdefgh1234", ["Token.BearerPrefix"] },
        { " abcdefgh1234", ["Token.Whitespace"] },
        { "abcdefgh1234\n", ["Token.Whitespace"] },
        { "abcdefgh1234\r\n", ["Token.Whitespace"] },
        { "abcd efgh1234", ["Token.Whitespace"] },
        { "abcd\tefgh1234", ["Token.Whitespace"] },
        { "abcd\u00A0efgh1234", ["Token.Whitespace"] },
        { "abcd\u0000efgh1234", ["Token.ControlCharacter"] },
        { "abcdefgh1234\u0007", ["Token.ControlCharacter"] },
        { "abcd\u200Befgh1234", ["Token.ControlCharacter"] },
        { "abcdefg", ["Token.TooShort"] },
        { "a", ["Token.TooShort"] },
        { new string('x', AccessTokenRules.MaxLength + 1), ["Token.TooLong"] },
        { "\"Bearer abcdefgh1234\"\n", ["Token.SurroundingQuotes", "Token.BearerPrefix", "Token.Whitespace"] },
        { "'abc'", ["Token.SurroundingQuotes", "Token.TooShort"] },
        { "Bearer abc", ["Token.BearerPrefix", "Token.TooShort"] },
    };

    [Theory]
    [MemberData(nameof(GoodTokens))]
    public void Accepts_well_formed_tokens(string token) => Assert.Empty(AccessTokenRules.Validate(token));

    [Theory]
    [MemberData(nameof(BadTokens))]
    public void Reports_exactly_the_expected_codes(string? token, string[] expectedCodes)
    {
        var issues = AccessTokenRules.Validate(token);

        Assert.Equal(expectedCodes, issues.Select(i => i.Code));
        Assert.All(issues, issue =>
        {
            Assert.Equal(WizardField.AccessToken, issue.Field);
            Assert.Equal(IssueSeverity.Error, issue.Severity);
        });
    }

    [Theory]
    [InlineData("abcdefg", 7)]
    [InlineData("'abc'", 3)]
    [InlineData("Bearer abcde", 5)]
    public void Too_short_reports_minimum_and_length_of_the_token_without_decoration(string token, int expectedLength)
    {
        var issue = Assert.Single(AccessTokenRules.Validate(token), i => i.Code == "Token.TooShort");
        Assert.Equal([AccessTokenRules.MinLength, expectedLength], issue.Args);
    }

    [Fact]
    public void Too_long_reports_maximum_and_actual_length()
    {
        var issue = Assert.Single(AccessTokenRules.Validate(new string('k', 600)));
        Assert.Equal("Token.TooLong", issue.Code);
        Assert.Equal([AccessTokenRules.MaxLength, 600], issue.Args);
    }

    public static TheoryData<string> TokensWithIssues =>
    [
        "\"" + RealisticToken + "\"",
        "Bearer " + RealisticToken,
        RealisticToken + "\n",
        RealisticToken[..20] + " " + RealisticToken[20..],
        RealisticToken[..20] + "\u0001" + RealisticToken[20..],
        "tok3n",
        RealisticToken + new string('Z', 600),
    ];

    [Theory]
    [MemberData(nameof(TokensWithIssues))]
    public void Issue_arguments_never_contain_the_token_or_any_part_of_it(string token)
    {
        var issues = AccessTokenRules.Validate(token);

        Assert.NotEmpty(issues);
        var core = token.Trim().Trim('"');
        var fragments = Enumerable.Range(0, Math.Max(1, core.Length - 3)).Select(i => core.Substring(i, Math.Min(4, core.Length - i))).ToHashSet();
        Assert.All(issues.SelectMany(i => i.Args), argument =>
        {
            Assert.IsType<int>(argument);
            var text = argument.ToString()!;
            Assert.DoesNotContain(fragments, fragment => text.Contains(fragment, StringComparison.Ordinal));
        });
        Assert.All(issues, i => Assert.Null(i.SuggestedValue));
    }

    [Theory]
    [InlineData("abcdefgh1234", "••••1234")]
    [InlineData("abcdefgh", "••••efgh")]
    [InlineData(RealisticToken, "••••pF==")]
    [InlineData("abcdefg", "••••")]
    [InlineData("", "••••")]
    public void Mask_shows_only_the_last_four_characters(string token, string expected)
    {
        var masked = AccessTokenRules.MaskForDisplay(token);

        Assert.Equal(expected, masked);
        if (token.Length > 4) Assert.DoesNotContain(token[..^4], masked, StringComparison.Ordinal);
    }
}
