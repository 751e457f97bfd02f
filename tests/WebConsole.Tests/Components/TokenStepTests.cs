using System.Globalization;
using Bunit;
using MeshConsole.Domain.Validation;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

public class TokenStepTests : ConsoleTestContext
{
    private const string ValidToken = "LsTok3n-Secret-9f8e7d6c5b4a-WXYZ";

    public TokenStepTests() => AttachFreshDraft();

    public static TheoryData<string, string> InvalidTokens => new()
    {
        { "abc def12345", "The token contains spaces, tabs or line breaks; remove them (a trailing newline often comes from copying)." },
        { "Bearer abcdefgh12345", "Remove the leading \"Bearer \": LightStep expects the bare token." },
        { "'quoted-token-123'", "Remove the quotes around the token: paste only the token itself." },
        { "short", "A token has at least 8 characters; this one has 5." },
        { new string('k', 600), "A token has at most 512 characters; this one has 600. Did you paste more than the token?" },
    };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public void Invalid_token_shows_its_specific_message_and_blocks_the_step(string token, string expectedMessage)
    {
        var cut = Render<TokenStep>();

        cut.Find("#token-input").Change(token);

        var messages = cut.FindAll(".issue").Select(e => e.TextContent.Trim()).ToList();
        Assert.Contains(expectedMessage, messages);
        Assert.True(State.HasErrors(WizardStep.Token));
        Assert.Contains("has problems; enter it again.", cut.Find("#token-status").TextContent);
        // Even a refused token is never echoed back in full.
        Assert.DoesNotContain(token, cut.Markup);
    }

    [Fact]
    public void Empty_change_is_ignored()
    {
        var cut = Render<TokenStep>();

        cut.Find("#token-input").Change("");

        Assert.Equal("", State.Draft.AccessToken);
        Assert.Empty(cut.FindAll("#token-status"));
        // No complaint about the empty change: it is not an entry.
        Assert.Empty(cut.FindAll(".issue"));
        Assert.Equal("Access token", cut.Find("label.token-label").TextContent.Trim());
    }

    [Fact]
    public void Arriving_shows_no_error_until_next_was_tried()
    {
        var cut = Render<TokenStep>();

        Assert.True(State.HasErrors(WizardStep.Token));
        Assert.Empty(cut.FindAll(".issue"));

        cut.Render(p => p.Add(s => s.IssuesRevealed, true));

        Assert.Equal(["Enter the LightStep access token."], cut.FindAll(".issue[data-code='Token.Empty']").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void A_refused_token_from_an_earlier_visit_is_reported_on_return()
    {
        State.SetAccessToken("Bearer abcdefgh12345");

        var cut = Render<TokenStep>();

        Assert.Single(cut.FindAll(".issue[data-code='Token.BearerPrefix']"));
    }

    [Fact]
    public void Valid_token_is_stored_and_shown_only_masked()
    {
        var cut = Render<TokenStep>();

        cut.Find("#token-input").Change(ValidToken);

        Assert.Equal(ValidToken, State.Draft.AccessToken);
        Assert.False(State.HasErrors(WizardStep.Token));
        Assert.Empty(cut.FindAll(".issue"));
        Assert.Equal("Token stored on the server: ••••WXYZ", cut.Find("#token-status").TextContent.Trim());
        Assert.Equal("Enter a new access token to replace the stored one", cut.Find("label.token-label").TextContent.Trim());
        AssertNoFullToken(cut.Markup);

        // The accepted token's input is replaced by a fresh, empty one.
        var input = cut.Find("#token-input");
        Assert.False(input.HasAttribute("value"));
        Assert.Equal("password", input.GetAttribute("type"));

        cut.Render(_ => { });
        AssertNoFullToken(cut.Markup);
        Assert.Contains("••••WXYZ", cut.Markup);
    }

    [Fact]
    public void Stored_token_is_masked_when_the_step_is_rendered_again_later()
    {
        State.SetAccessToken(ValidToken);

        var cut = Render<TokenStep>();

        Assert.Contains("••••WXYZ", cut.Find("#token-status").TextContent);
        AssertNoFullToken(cut.Markup);
    }

    [Fact]
    public void Visibility_toggle_flips_the_input_type()
    {
        var cut = Render<TokenStep>();
        Assert.Equal("password", cut.Find("#token-input").GetAttribute("type"));
        Assert.Equal("Show token", cut.Find("#token-visibility").GetAttribute("aria-label"));

        cut.Find("#token-visibility").Click();
        Assert.Equal("text", cut.Find("#token-input").GetAttribute("type"));
        Assert.Equal("Hide token", cut.Find("#token-visibility").GetAttribute("aria-label"));

        cut.Find("#token-visibility").Click();
        Assert.Equal("password", cut.Find("#token-input").GetAttribute("type"));
    }

    [Fact]
    public void Accepting_a_token_hides_it_again_even_if_it_was_visible()
    {
        var cut = Render<TokenStep>();
        cut.Find("#token-visibility").Click();
        Assert.Equal("text", cut.Find("#token-input").GetAttribute("type"));

        cut.Find("#token-input").Change(ValidToken);

        Assert.Equal("password", cut.Find("#token-input").GetAttribute("type"));
    }

    [Fact]
    public void Chinese_culture_renders_the_chinese_message()
    {
        UseCulture("zh-Hans");
        var cut = Render<TokenStep>();

        cut.Find("#token-input").Change("short");

        var expected = new global::System.Resources.ResourceManager("WebConsole.Resources.SharedResource", typeof(WebConsole.SharedResource).Assembly)
            .GetString("Validation.Token.TooShort", new CultureInfo("zh-Hans"))!;
        Assert.NotEqual("A token has at least {0} characters; this one has {1}.", expected);
        var message = cut.Find(".issue").TextContent.Trim();
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, expected, AccessTokenRules.MinLength, 5), message);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
    }

    private static void AssertNoFullToken(string markup)
    {
        Assert.DoesNotContain(ValidToken, markup);
        // Not even a long fragment of it.
        Assert.DoesNotContain(ValidToken[..12], markup);
        Assert.DoesNotContain(ValidToken[^12..], markup);
    }
}
