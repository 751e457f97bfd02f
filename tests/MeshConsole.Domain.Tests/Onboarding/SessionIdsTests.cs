using MeshConsole.Domain.Onboarding;

namespace MeshConsole.Domain.Tests.Onboarding;

public sealed class SessionIdsTests
{
    [Fact]
    public void Five_random_bytes_make_eight_lowercase_base32_characters()
    {
        Assert.Equal("aaaaaaaa", SessionIds.FromRandomBytes([0, 0, 0, 0, 0]));
        Assert.Equal("77777777", SessionIds.FromRandomBytes([255, 255, 255, 255, 255]));
        // RFC 4648 test vector "fooba" → "MZXW6YTB".
        Assert.Equal("mzxw6ytb", SessionIds.FromRandomBytes("fooba"u8));
        Assert.True(SessionIds.IsValid("mzxw6ytb"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("MZXW6YTB")]
    [InlineData("mzxw6yt")]
    [InlineData("mzxw6yt1")]
    public void Other_strings_are_not_session_ids(string? id) => Assert.False(SessionIds.IsValid(id));

    [Fact]
    public void Ending_a_session_twice_keeps_the_first_end()
    {
        var at = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var ended = OnboardingJsonTests.Session().End(at).End(at.AddHours(1));

        Assert.Equal(at, ended.EndedAt);
        Assert.True(ended.HasEnded);
    }
}
