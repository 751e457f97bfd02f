using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>The sign-in page audited by axe-core in both languages, as first shown and after a refused key.</summary>
public sealed class SignInAccessibilityTests(AccessKeyServerFixture server) : PageErrorCheckedTest(server), IClassFixture<AccessKeyServerFixture>
{
    private readonly AxeAudit _axe = new();

    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("zh-CN", "zh-Hans")]
    public async Task The_sign_in_page_passes_axe(string locale, string language)
    {
        var page = await server.NewPageAsync(locale);
        await page.GotoAsync(server.BaseUrl + "/signin");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator("#access-key")).ToBeVisibleAsync();
        await _axe.CheckAsync(page, "Sign-in", language);

        server.AllowPageErrors(page, "the server responded with a status of 401 (Unauthorized)");
        await page.Locator("#access-key").FillAsync("not-the-key-at-all-000");
        await page.Locator("#signin-submit").ClickAsync();
        await Expect(page.Locator("#signin-error")).ToBeVisibleAsync();
        await _axe.CheckAsync(page, "Sign-in (refused key)", language);
        _axe.AssertNoneFound();
        server.AssertNoCspViolations();
    }

    /// <summary>The audit itself: an unlabelled input and grey-on-white text put into the page are both reported.</summary>
    [Fact]
    public async Task The_audit_notices_an_unlabelled_input_and_low_contrast_text()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/signin");
        await Expect(page.Locator("#access-key")).ToBeVisibleAsync();
        await page.EvaluateAsync("""
            () => {
                const main = document.querySelector('main');
                const input = document.createElement('input');
                input.id = 'unlabelled-on-purpose';
                const faint = document.createElement('p');
                faint.textContent = 'faint on purpose';
                faint.style.color = '#c0c0c0';
                main.append(input, faint);
            }
            """);

        var audit = new AxeAudit();
        await audit.CheckAsync(page, "Sign-in (broken on purpose)", "en");

        var failure = Assert.Throws<Xunit.Sdk.TrueException>(audit.AssertNoneFound);
        Assert.Contains("unlabelled-on-purpose", failure.Message);
        Assert.Contains("color-contrast (serious)", failure.Message);
    }
}
