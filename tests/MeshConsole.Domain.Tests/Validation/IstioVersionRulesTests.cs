using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Validation;

public class IstioVersionRulesTests
{
    [Theory]
    [InlineData("1.4", 1, 4, 0)]
    [InlineData("1.4.0", 1, 4, 0)]
    [InlineData("1.9.5", 1, 9, 5)]
    [InlineData("v1.22.1", 1, 22, 1)]
    [InlineData(" 1.23 ", 1, 23, 0)]
    [InlineData("1.24.0-beta.1", 1, 24, 0)]
    [InlineData("1.28.9", 1, 28, 9)]
    public void Accepts_supported_versions(string text, int major, int minor, int patch)
    {
        Assert.Empty(IstioVersionRules.Validate(text, out var version));
        Assert.Equal(new IstioVersion(major, minor, patch), version);
    }

    [Theory]
    [InlineData(null, "IstioVersion.Empty")]
    [InlineData("", "IstioVersion.Empty")]
    [InlineData("   ", "IstioVersion.Empty")]
    [InlineData("1", "IstioVersion.Invalid")]
    [InlineData("latest", "IstioVersion.Invalid")]
    [InlineData("1.x", "IstioVersion.Invalid")]
    [InlineData("1.4.0.1", "IstioVersion.Invalid")]
    [InlineData("1.3", "IstioVersion.Unsupported")]
    [InlineData("1.3.8", "IstioVersion.Unsupported")]
    [InlineData("0.8.0", "IstioVersion.Unsupported")]
    public void Rejects_with_the_expected_code(string? text, string expectedCode)
    {
        var issue = Assert.Single(IstioVersionRules.Validate(text, out var version));

        Assert.Equal(expectedCode, issue.Code);
        Assert.Equal(WizardField.IstioVersion, issue.Field);
        Assert.True(issue.IsError);
        Assert.Null(version);
    }

    [Fact]
    public void Invalid_names_the_text()
    {
        var issue = Assert.Single(IstioVersionRules.Validate(" latest ", out _));
        Assert.Equal(["latest"], issue.Args);
    }

    [Fact]
    public void Unsupported_names_the_text_and_the_minimum()
    {
        var issue = Assert.Single(IstioVersionRules.Validate("1.3.2", out _));
        Assert.Equal(["1.3.2", "1.4"], issue.Args);
    }

    /// <summary>A release newer than every form was checked against is accepted, with a warning that the newest known form is assumed.</summary>
    [Theory]
    [InlineData("1.29", 1, 29, 0)]
    [InlineData("1.30.2", 1, 30, 2)]
    [InlineData("2.0", 2, 0, 0)]
    public void Newer_than_the_newest_known_release_warns_that_its_form_is_assumed(string text, int major, int minor, int patch)
    {
        var issue = Assert.Single(IstioVersionRules.Validate(text, out var version));

        Assert.Equal("IstioVersion.NewerThanKnown", issue.Code);
        Assert.False(issue.IsError);
        Assert.Equal([text, "1.28"], issue.Args);
        Assert.Equal(new IstioVersion(major, minor, patch), version);
        Assert.Equal(IstioForm.OpenTelemetry, IstioFormChoice.For(version!.Value).Form);
    }

    [Theory]
    [InlineData("1.3.8", false)]
    [InlineData("0.8", false)]
    [InlineData("1.4.0", true)]
    public void Only_releases_from_1_4_are_supported(string text, bool supported) =>
        Assert.Equal(supported, IstioVersionRules.IsSupported(IstioVersion.Parse(text)));
}
