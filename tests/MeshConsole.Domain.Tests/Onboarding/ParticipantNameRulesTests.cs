using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Onboarding;

public sealed class ParticipantNameRulesTests
{
    [Theory]
    [InlineData("Alice")]
    [InlineData("  Ann Lee  ")]
    [InlineData("bob_smith-2.0")]
    [InlineData("José")]
    [InlineData("李雷")]
    public void Ordinary_names_are_accepted(string name) => Assert.Empty(ParticipantNameRules.Validate(name));

    [Theory]
    [InlineData(null, "Participant.NameEmpty")]
    [InlineData("   ", "Participant.NameEmpty")]
    [InlineData("alice@example.com", "Participant.NameInvalidCharacters")]
    [InlineData("<script>", "Participant.NameInvalidCharacters")]
    public void Unusable_names_get_a_clear_code(string? name, string code)
    {
        var issue = Assert.Single(ParticipantNameRules.Validate(name));

        Assert.Equal(code, issue.Code);
        Assert.Equal(WizardField.ParticipantName, issue.Field);
    }

    [Fact]
    public void The_invalid_characters_are_named_once_each()
    {
        var issue = Assert.Single(ParticipantNameRules.Validate("a@b@c!"));

        Assert.Equal("@!", issue.Args[0]);
    }

    [Fact]
    public void Names_longer_than_40_characters_are_refused_with_the_limit_and_the_length()
    {
        Assert.Empty(ParticipantNameRules.Validate(new string('a', 40)));
        var issue = Assert.Single(ParticipantNameRules.Validate(" " + new string('a', 41) + " "));

        Assert.Equal("Participant.NameTooLong", issue.Code);
        Assert.Equal([40, 41], issue.Args);
    }

    [Fact]
    public void The_same_name_in_another_case_or_with_spaces_around_is_the_same_participant()
    {
        Assert.Equal(ParticipantNameRules.Key("Alice"), ParticipantNameRules.Key(" alice "));
        Assert.True(ParticipantNameRules.SameParticipant("Alice", "ALICE "));
        Assert.NotEqual(ParticipantNameRules.Key("Ann Lee"), ParticipantNameRules.Key("Ann-Lee"));
        Assert.Matches("^[0-9a-f]{12}$", ParticipantNameRules.Key("Alice"));
    }
}
