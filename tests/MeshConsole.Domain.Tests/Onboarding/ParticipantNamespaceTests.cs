using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Onboarding;

public sealed class ParticipantNamespaceTests
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    [Theory]
    [InlineData("Alice", "bookinfo-alice")]
    [InlineData("Ann Lee", "bookinfo-ann-lee")]
    [InlineData("  Bob__Smith.Jr ", "bookinfo-bob-smith-jr")]
    [InlineData("José Müller", "bookinfo-jose-muller")]
    [InlineData("r2d2", "bookinfo-r2d2")]
    [InlineData("李雷", "bookinfo-participant")]
    public void Display_names_become_lowercase_labels_from_the_pattern(string name, string expected)
    {
        var ns = ParticipantNamespace.For(OnboardingSession.DefaultNamespacePattern, name, None);

        Assert.Equal(expected, ns);
        Assert.True(NamespaceRules.IsDns1123Label(ns));
    }

    [Fact]
    public void Taken_namespaces_get_the_next_free_number()
    {
        var taken = new HashSet<string> { "bookinfo-alice", "bookinfo-alice-2" };

        Assert.Equal("bookinfo-alice-3", ParticipantNamespace.For("bookinfo-{name}", "alice", taken));
        Assert.Equal("bookinfo-bob", ParticipantNamespace.For("bookinfo-{name}", "Bob", taken));
    }

    [Fact]
    public void Long_names_are_cut_to_63_characters_and_stay_unique_with_a_suffix()
    {
        var name = new string('a', 40);
        var pattern = "team-onboarding-workshop-{name}-bookinfo";
        var first = ParticipantNamespace.For(pattern, name, None);
        var second = ParticipantNamespace.For(pattern, name, new HashSet<string> { first });

        Assert.Equal(63, first.Length);
        Assert.True(NamespaceRules.IsDns1123Label(first));
        Assert.True(NamespaceRules.IsDns1123Label(second));
        Assert.EndsWith("-2", second);
        Assert.True(second.Length <= 63);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_cut_never_leaves_a_dash_before_the_suffix()
    {
        // With "-2" the stem is cut at 61 characters, right after the dash in the name: the dash must go.
        var pattern = new string('x', 49) + "-{name}";
        var ns = ParticipantNamespace.For(pattern, "abcdefghij-klmnop", new HashSet<string> { ParticipantNamespace.For(pattern, "abcdefghij-klmnop", None) });

        Assert.True(NamespaceRules.IsDns1123Label(ns), ns);
        Assert.DoesNotContain("--", ns);
    }

    [Theory]
    [InlineData("bookinfo-{name}")]
    [InlineData("{name}")]
    [InlineData("team1-{name}-demo")]
    public void Valid_patterns_have_no_issues(string pattern) => Assert.Empty(ParticipantNamespace.ValidatePattern(pattern));

    [Theory]
    [InlineData("", "NamespacePattern.Empty")]
    [InlineData("bookinfo", "NamespacePattern.MissingName")]
    [InlineData("Bookinfo_{name}", "NamespacePattern.InvalidCharacters")]
    [InlineData("bookinfo-{NAME}", "NamespacePattern.MissingName")]
    public void Invalid_patterns_are_reported_with_a_code(string pattern, string code)
    {
        var issues = ParticipantNamespace.ValidatePattern(pattern);

        Assert.Contains(issues, i => i.Code == code && i.Field == WizardField.NamespacePattern && i.IsError);
        Assert.Throws<ArgumentException>(() => ParticipantNamespace.For(pattern, "alice", None));
    }

    [Fact]
    public void A_pattern_that_leaves_no_room_for_the_name_is_too_long()
    {
        var issues = ParticipantNamespace.ValidatePattern(new string('a', 55) + "-{name}");

        Assert.Contains(issues, i => i.Code == "NamespacePattern.TooLong");
    }
}
