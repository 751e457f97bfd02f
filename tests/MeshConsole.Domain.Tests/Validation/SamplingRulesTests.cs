using System.Globalization;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Validation;

public class SamplingRulesTests
{
    private static decimal? Parse(string? text) => text is null ? null : decimal.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("100")]
    [InlineData("100.00")]
    [InlineData("100.000")]
    public void Full_sampling_has_no_issues(string percent) => Assert.Empty(SamplingRules.Validate(Parse(percent)));

    [Theory]
    [InlineData("0.01")]
    [InlineData("1")]
    [InlineData("50.5")]
    [InlineData("99.99")]
    [InlineData("12.340")]
    public void Partial_sampling_is_allowed_with_a_warning(string percent)
    {
        var issue = Assert.Single(SamplingRules.Validate(Parse(percent)));

        Assert.Equal("Sampling.BelowRecommended", issue.Code);
        Assert.Equal(IssueSeverity.Warning, issue.Severity);
        Assert.Equal(WizardField.SamplingPercent, issue.Field);
    }

    [Theory]
    [InlineData(null, "Sampling.Missing")]
    [InlineData("0", "Sampling.OutOfRange")]
    [InlineData("0.009", "Sampling.OutOfRange")]
    [InlineData("-5", "Sampling.OutOfRange")]
    [InlineData("100.01", "Sampling.OutOfRange")]
    [InlineData("1000", "Sampling.OutOfRange")]
    [InlineData("79228162514264337593543950335", "Sampling.OutOfRange")]
    [InlineData("50.125", "Sampling.TooPrecise")]
    [InlineData("0.011", "Sampling.TooPrecise")]
    [InlineData("99.999", "Sampling.TooPrecise")]
    public void Rejects_with_the_expected_code(string? percent, string expectedCode)
    {
        var issue = Assert.Single(SamplingRules.Validate(Parse(percent)));

        Assert.Equal(expectedCode, issue.Code);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal(WizardField.SamplingPercent, issue.Field);
    }

    [Fact]
    public void Out_of_range_names_the_bounds()
    {
        var issue = Assert.Single(SamplingRules.Validate(0m));
        Assert.Equal([0.01m, 100m], issue.Args);
    }

    [Theory]
    [InlineData("100", 100)]
    [InlineData(" 50 ", 50)]
    [InlineData("0.5", 0.5)]
    [InlineData("25.50", 25.5)]
    [InlineData("007", 7)]
    public void Text_of_digits_with_an_optional_fraction_reads_as_the_percentage(string text, double expected)
    {
        SamplingRules.Validate(text, out var percent);

        Assert.Equal((decimal)expected, percent);
    }

    /// <summary>Lenient parsing read "1e2" as 100 (or, in the browser's numeric field, as 12); neither is what was typed.</summary>
    [Theory]
    [InlineData("1e2")]
    [InlineData("1E2")]
    [InlineData("1,000")]
    [InlineData("1,5")]
    [InlineData("+50")]
    [InlineData("-5")]
    [InlineData(".5")]
    [InlineData("50.")]
    [InlineData("50%")]
    [InlineData("0x10")]
    [InlineData("\u0665\u0660")]
    [InlineData("Infinity")]
    [InlineData("99999999999999999999999999999999")]
    public void Anything_else_is_not_a_number_naming_the_text(string text)
    {
        var issue = Assert.Single(SamplingRules.Validate(text, out var percent));

        Assert.Null(percent);
        Assert.Equal("Sampling.NotANumber", issue.Code);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal(text.Trim(), Assert.Single(issue.Args));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_text_is_missing(string? text) =>
        Assert.Equal("Sampling.Missing", Assert.Single(SamplingRules.Validate(text, out _)).Code);

    [Fact]
    public void Read_text_gets_the_same_range_and_precision_rules()
    {
        Assert.Equal("Sampling.OutOfRange", Assert.Single(SamplingRules.Validate("100.5", out _)).Code);
        Assert.Equal("Sampling.TooPrecise", Assert.Single(SamplingRules.Validate("12.345", out _)).Code);
        Assert.Empty(SamplingRules.Validate("100", out _));
    }
}
