using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Validation;

public class CacertPathRulesTests
{
    [Fact]
    public void The_secret_mount_path_has_no_issues() => Assert.Empty(CacertPathRules.Validate("/etc/lightstep/cacert.pem"));

    [Theory]
    [InlineData("/etc/lightstep/ca.pem")]
    [InlineData("/etc/ssl/certs/cacert.pem")]
    [InlineData("/etc/lightstep/nested/cacert.pem")]
    [InlineData("/cacert.pem")]
    public void Other_absolute_paths_only_warn(string path)
    {
        var issue = Assert.Single(CacertPathRules.Validate(path));

        Assert.Equal("CacertPath.OutsideSecretMount", issue.Code);
        Assert.Equal(IssueSeverity.Warning, issue.Severity);
        Assert.Equal("/etc/lightstep/cacert.pem", issue.SuggestedValue);
    }

    public static TheoryData<string?, string[]> BadPaths => new()
    {
        { null, ["CacertPath.Empty"] },
        { "", ["CacertPath.Empty"] },
        { " \t", ["CacertPath.Empty"] },
        { "etc/lightstep/cacert.pem", ["CacertPath.NotAbsolute"] },
        { "cacert.pem", ["CacertPath.NotAbsolute"] },
        { "~/cacert.pem", ["CacertPath.NotAbsolute"] },
        { "/etc/lightstep/", ["CacertPath.IsDirectory"] },
        { "/", ["CacertPath.IsDirectory"] },
        { " /etc/lightstep/cacert.pem", ["CacertPath.Whitespace"] },
        { "/etc/lightstep/cacert.pem\n", ["CacertPath.Whitespace"] },
        { "/etc/light step/cacert.pem", ["CacertPath.Whitespace"] },
        { "etc/lightstep/", ["CacertPath.NotAbsolute", "CacertPath.IsDirectory"] },
        { " etc/x.pem", ["CacertPath.Whitespace", "CacertPath.NotAbsolute"] },
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public void Reports_exactly_the_expected_errors(string? path, string[] expectedCodes)
    {
        var issues = CacertPathRules.Validate(path);

        Assert.Equal(expectedCodes, issues.Select(i => i.Code));
        Assert.All(issues, i => Assert.True(i.IsError));
        Assert.All(issues, i => Assert.Equal(WizardField.CacertPath, i.Field));
    }

    [Theory]
    [InlineData(" /etc/lightstep/cacert.pem\n", "/etc/lightstep/cacert.pem")]
    [InlineData("/etc/ssl/ca.pem ", "/etc/ssl/ca.pem")]
    [InlineData("/etc/light step/cacert.pem", null)]
    [InlineData(" relative.pem", null)]
    public void Whitespace_suggests_the_trimmed_path_only_when_that_is_valid(string path, string? expectedSuggestion)
    {
        var issue = Assert.Single(CacertPathRules.Validate(path), i => i.Code == "CacertPath.Whitespace");
        Assert.Equal(expectedSuggestion, issue.SuggestedValue);
    }
}
