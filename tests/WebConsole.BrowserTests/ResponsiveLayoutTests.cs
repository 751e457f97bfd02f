using System.Globalization;
using System.Resources;
using Microsoft.Playwright;
using WebConsole.Drafts;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// The console at the widths a newcomer used (1400, 1024 and 390 px): every one of the eleven step labels is on
/// screen without sideways scrolling, the app bar never overflows, and the language switch (in the bar, or in the
/// bar's menu on a narrow screen) is reachable and works.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResponsiveLayoutTests(ConsoleServerFixture server) : PageErrorCheckedTest(server)
{
    private static readonly ResourceManager Resources = new("WebConsole.Resources.SharedResource", typeof(SharedResource).Assembly);

    private static IReadOnlyList<string> StepLabels(string culture) =>
        Enum.GetValues<WizardStep>().Select(s => Resources.GetString("Step." + s, CultureInfo.GetCultureInfo(culture))!).ToList();

    public static TheoryData<int> Widths => new() { 1400, 1024, 390 };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Every_step_label_and_the_language_switch_are_reachable_without_scrolling_sideways(int width)
    {
        var page = await server.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        await page.OpenConsoleAsync(server.BaseUrl);

        await AssertEveryStepOnScreenAsync(page, width, StepLabels("en"));
        await AssertAppBarFitsAsync(page, width);

        await SwitchLanguageAsync(page, width, "zh-Hans");
        await AssertEveryStepOnScreenAsync(page, width, StepLabels("zh-Hans"));
        await AssertAppBarFitsAsync(page, width);

        await SwitchLanguageAsync(page, width, "en");
        await Expect(page.Locator(".mud-stepper-nav .mud-step").First).ToContainTextAsync(StepLabels("en")[0]);
        server.AssertNoCspViolations();
    }

    [Fact]
    public async Task Buttons_keep_the_case_of_the_values_they_carry()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", "Case-token-0123456789-ABCD");
        await page.NextAsync("Satellite");

        await page.EnterAsync("#satellite-input", "https://sat.example.com:8443/collector");
        var suggestion = page.Locator("#step-satellite .suggestion").First;
        await Expect(suggestion).ToBeVisibleAsync();

        // innerText is the text as rendered, after CSS text-transform: what the user reads.
        Assert.Equal("Use sat.example.com:8443", (await suggestion.InnerTextAsync()).Trim());
        Assert.Equal("Next", (await page.Locator("#wizard-next").InnerTextAsync()).Trim());
        var transforms = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.mud-button-root')].map(b => getComputedStyle(b).textTransform)");
        Assert.NotEmpty(transforms);
        Assert.All(transforms, t => Assert.Equal("none", t));
    }

    private static async Task AssertEveryStepOnScreenAsync(IPage page, int width, IReadOnlyList<string> labels)
    {
        var headers = page.Locator(".mud-stepper-nav .mud-step");
        await Expect(headers).ToHaveCountAsync(labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            var title = headers.Nth(i).Locator(".mud-step-label-content-title");
            await Expect(title).ToHaveTextAsync(labels[i]);
            await Expect(title).ToBeVisibleAsync();
            await AssertWithinViewportAsync(title, width, $"step {i + 1} \"{labels[i]}\"");
        }
        // Nothing scrolls sideways: neither the page nor the step strip.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The page scrolls sideways at {width} px");
        Assert.True(await page.EvaluateAsync<bool>("() => { const n = document.querySelector('.mud-stepper-nav'); return n.scrollWidth <= n.clientWidth; }"),
            $"The step strip scrolls sideways at {width} px");
    }

    private static async Task AssertAppBarFitsAsync(IPage page, int width)
    {
        var title = page.Locator("#app-title");
        await Expect(title).ToBeVisibleAsync();
        await AssertWithinViewportAsync(title, width, "the app title");
        Assert.True(await title.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), $"The app title is clipped at {width} px");
        Assert.True(await title.EvaluateAsync<bool>("e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length === 1; }"),
            $"The app title wraps in the {width} px app bar");
        Assert.True(await page.EvaluateAsync<bool>("() => { const t = document.querySelector('.console-appbar .mud-toolbar'); return t.scrollWidth <= t.clientWidth; }"),
            $"The app bar overflows at {width} px");
    }

    private static async Task AssertWithinViewportAsync(ILocator element, int width, string what)
    {
        var box = await element.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5, $"{what} is outside the {width} px viewport (x {box.X}, width {box.Width})");
    }

    /// <summary>Through the bar's buttons where they are shown, otherwise through the bar's menu (what a user sees).</summary>
    private static async Task SwitchLanguageAsync(IPage page, int width, string culture)
    {
        var inBar = page.Locator($"#lang-{culture}");
        if (await inBar.IsVisibleAsync())
        {
            Assert.True(width >= 1280, $"The wide bar's language buttons show at {width} px, where the bar should have collapsed into its menu");
            await inBar.ClickAsync();
        }
        else
        {
            var menu = page.Locator("#appbar-menu button");
            await Expect(menu).ToBeVisibleAsync();
            await AssertWithinViewportAsync(menu, width, "the app bar menu button");
            await menu.ClickAsync();
            var item = page.Locator($"#menu-lang-{culture}");
            await Expect(item).ToBeVisibleAsync();
            await AssertWithinViewportAsync(item, width, "the menu's language item");
            await item.ClickAsync();
        }
        // The switch reloads the page: the new language marks the new page, then its circuit connects.
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture);
        await page.WaitForInteractiveAsync();
    }
}

/// <summary>With sign-in on, the narrow app bar's menu carries who is signed in and a working sign-out.</summary>
public sealed class NarrowSignedInLayoutTests(AccessKeyServerFixture server) : PageErrorCheckedTest(server), IClassFixture<AccessKeyServerFixture>
{
    [Theory]
    [InlineData(1024)]
    [InlineData(390)]
    public async Task The_menu_shows_the_user_and_signs_out(int width)
    {
        var page = await server.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        await page.GotoAsync(server.BaseUrl + "/signin");
        await page.Locator("#access-key").FillAsync(AccessKeyServerFixture.Key);
        await page.Locator("#signin-submit").ClickAsync();
        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.WaitForInteractiveAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => { const t = document.querySelector('.console-appbar .mud-toolbar'); return t.scrollWidth <= t.clientWidth; }"),
            $"The signed-in app bar overflows at {width} px");
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();

        await page.Locator("#appbar-menu button").ClickAsync();
        await Expect(page.Locator("#menu-current-user")).ToHaveTextAsync("access-key user");
        await page.SignOutAsync(server, "#menu-sign-out");
        await Expect(page.Locator("#signin-signed-out")).ToBeVisibleAsync();
        server.AssertNoCspViolations();
    }
}
