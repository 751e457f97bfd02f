using System.Globalization;
using System.Resources;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Validation;

namespace WebConsole.Tests.Onboarding;

public sealed class OnboardingMessagesTests
{
    private static readonly ResourceManager Resources = new("WebConsole.Resources.SharedResource", typeof(WebConsole.SharedResource).Assembly);

    public static TheoryData<string> Cultures => new() { "", "zh-Hans" };

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Every_name_and_pattern_issue_has_a_message_that_formats_with_its_arguments(string culture)
    {
        var issues = new[] { null, "", new string('a', 41), "a@b" }.SelectMany(ParticipantNameRules.Validate)
            .Concat(new[] { "", "bookinfo", "Bookinfo_{name}", new string('a', 60) + "{name}" }.SelectMany(ParticipantNamespace.ValidatePattern))
            .ToList();

        Assert.Equal(7, issues.Select(i => i.Code).Distinct().Count());
        foreach (var issue in issues)
        {
            var text = Resources.GetString("Validation." + issue.Code, new CultureInfo(culture));
            Assert.False(string.IsNullOrEmpty(text), issue.Code);
            var message = string.Format(CultureInfo.InvariantCulture, text!, issue.Args.ToArray());
            Assert.DoesNotMatch(@"\{\d+\}", message);
        }
        Assert.False(string.IsNullOrEmpty(Resources.GetString("Onboarding.UnreadableRecord", new CultureInfo(culture))));
    }
}
