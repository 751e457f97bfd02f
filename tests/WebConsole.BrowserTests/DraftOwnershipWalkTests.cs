using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// Two people, one after the other, in one browser context and one tab: the first enters an access token and signs out,
/// the second signs in with the access key on the same tab. The tab still holds its draft id in session storage; the
/// second person must get a new, empty draft and nothing of the first person's.
/// </summary>
public sealed class DraftOwnershipWalkTests(AccessKeyServerFixture server) : PageErrorCheckedTest(server), IClassFixture<AccessKeyServerFixture>
{
    private const string FirstPersonsToken = "FIRSTPERSON-token-0123456789abcdef";

    [Fact]
    public async Task The_second_person_on_the_same_tab_does_not_get_the_first_persons_draft()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/signin#key=" + AccessKeyServerFixture.Key);
        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.WaitForInteractiveAsync();
        await page.Locator("#wizard-next").ClickAsync();
        await page.ExpectStepAsync("Token");
        await page.EnterAsync("#token-input", FirstPersonsToken);
        await Expect(page.Locator("#token-status")).ToContainTextAsync("••••cdef");
        var storedDraftId = await page.EvaluateAsync<string?>("() => sessionStorage.getItem('lightstep-console.draft')");
        Assert.False(string.IsNullOrEmpty(storedDraftId));

        await page.SignOutAsync(server);
        // Same tab, same session storage: the draft id is still there when the next person signs in.
        Assert.Equal(storedDraftId, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('lightstep-console.draft')"));
        await page.Locator("#access-key").FillAsync(AccessKeyServerFixture.Key);
        await page.Locator("#signin-submit").ClickAsync();
        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.WaitForInteractiveAsync();

        await page.ExpectStepAsync("Product");
        await page.Locator("#wizard-next").ClickAsync();
        await page.ExpectStepAsync("Token");
        await Expect(page.Locator("#token-input")).ToHaveValueAsync("");
        // No stored token to show: the step's status line (the masked token, ••••cdef) is there only when the draft has one.
        await Expect(page.Locator("#token-status")).ToHaveCountAsync(0);
        Assert.DoesNotContain("••••cdef", await page.ContentAsync());
        Assert.DoesNotContain(FirstPersonsToken, await page.ContentAsync());
        // The tab now keeps the second person's own draft id.
        Assert.NotEqual(storedDraftId, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('lightstep-console.draft')"));
        server.AssertNoCspViolations();
    }
}
