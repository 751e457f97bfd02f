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
}
