using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// Offline: the wizard walked with the keyboard alone (Tab to reach a control, Space or Enter to use it, typing into
/// inputs), and the offline sessions and join pages audited by axe-core in both languages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardAccessibilityTests(ConsoleServerFixture server) : PageErrorCheckedTest(server)
{
    private const string Token = "lsKEYS-token-a1b2c3d4e5f6-KBRD";
    private readonly AxeAudit _axe = new();

    [Fact]
    public async Task The_wizard_walks_from_the_first_step_to_review_with_the_keyboard_alone()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);

        // The two products are one radio group: one Tab stop, the arrow keys choose (as in every browser's radio group).
        await TabToAsync(page, "#product-public");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator("#product-onprem")).ToBeCheckedAsync();
        await PressNextAsync(page, "Token");

        await TabToAsync(page, "#token-input");
        await page.Keyboard.TypeAsync(Token);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#token-status")).ToContainTextAsync("••••KBRD");
        await PressNextAsync(page, "Satellite");

        await TabToAsync(page, "#satellite-input");
        await page.Keyboard.TypeAsync("https://satellites.example.com:9292");
        await page.Keyboard.PressAsync("Tab");
        // The one-click fix is a button like any other: reached with Tab, used with Enter.
        await TabToAsync(page, "#step-satellite .suggestion");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#satellite-input")).ToHaveValueAsync("satellites.example.com:9292");
        await PressNextAsync(page, "Certificate");

        await page.WaitForFunctionAsync("() => document.querySelector('input[type=file]')?._blazorInputFileNextFileId !== undefined");
        await TabToAsync(page, "#certificate-upload");
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Keyboard.PressAsync("Enter"));
        await chooser.SetFilesAsync(new FilePayload
        {
            Name = "ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.CaPem("Keyboard CA")),
        });
        await Expect(page.Locator(".certificate-details .cert-subject")).ToContainTextAsync("CN=Keyboard CA");
        await PressNextAsync(page, "Namespaces");

        await TabToAsync(page, "#namespaces-input");
        await page.Keyboard.PressAsync("ControlOrMeta+A");
        await page.Keyboard.TypeAsync("default, bookinfo");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#namespace-chips .mud-chip")).ToHaveCountAsync(2);
        await PressNextAsync(page, "Istio");

        await TabToAsync(page, "#istio-version-input");
        await page.Keyboard.TypeAsync("1.14");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#istio-form")).ToHaveAttributeAsync("data-form", "MeshConfigProxyTracing");
        await TabToAsync(page, "#secure-switch");
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("input#secure-switch, #secure-switch input")).Not.ToBeCheckedAsync();
        await PressNextAsync(page, "Review");

        await Expect(page.Locator("#review-satellite")).ToHaveTextAsync("satellites.example.com:9292");
        await Expect(page.Locator("#review-namespaces")).ToHaveTextAsync("default, bookinfo");
        await Expect(page.Locator("#review-istio")).ToHaveTextAsync("1.14.0");
        // Back with the keyboard too.
        await TabToAsync(page, "#wizard-back");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectStepAsync("Istio");
        server.AssertNoCspViolations();
    }

    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("zh-CN", "zh-Hans")]
    public async Task The_offline_wizard_sessions_and_join_pages_pass_axe(string locale, string language)
    {
        var page = await server.NewPageAsync(locale);
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator("#cluster-mode")).ToBeVisibleAsync();
        await _axe.CheckAsync(page, "1 Product (offline)", language);

        await page.GotoAsync(server.BaseUrl + "/sessions");
        await page.Locator("#sessions-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await Expect(page.Locator("#sessions-offline")).ToBeVisibleAsync();
        await _axe.CheckAsync(page, "/sessions (offline)", language);

        await page.GotoAsync(server.BaseUrl + "/join/no-such-session");
        await page.Locator("#join-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await Expect(page.Locator("#join-offline")).ToBeVisibleAsync();
        await _axe.CheckAsync(page, "Join (offline)", language);
        _axe.AssertNoneFound();
        server.AssertNoCspViolations();
    }

    private static async Task PressNextAsync(IPage page, string expectedStep)
    {
        await TabToAsync(page, "#wizard-next");
        await page.Keyboard.PressAsync("Enter");
        await page.ExpectStepAsync(expectedStep);
    }

    /// <summary>Presses Tab until the focus is in <paramref name="selector"/>; fails when Tab never gets there, naming where it went.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        const int MostPresses = 120;
        var visited = new List<string>();
        for (var presses = 0; presses < MostPresses; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string?>(
                "s => { const e = document.activeElement; return e?.closest(s) ? null : (e?.outerHTML ?? 'nothing').slice(0, 120); }", selector);
            if (focused is null) return;
            visited.Add(focused);
        }
        Assert.Fail($"{selector} cannot be reached with Tab ({MostPresses} presses); the focus went through:\n" + string.Join("\n", visited.Distinct()));
    }
}
