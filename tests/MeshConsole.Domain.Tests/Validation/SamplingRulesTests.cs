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
}
