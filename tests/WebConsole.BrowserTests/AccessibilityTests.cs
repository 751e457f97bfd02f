using System.Text;
using System.Text.RegularExpressions;
using KubeEmulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>The console connected to an emulated cluster with Istio 1.28, so every step and the sessions pages show their connected controls.</summary>
public sealed class AccessibilityServerFixture : ConsoleServerFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lsmc-browser-a11y-").FullName;
    public KubeApiEmulator Emulator { get; private set; } = null!;

    protected override async Task<string> KubeconfigAsync()
    {
        Emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NewIstio);
        return Emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), contextName: "emulator-a11y");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>
/// axe-core on every wizard step, the sessions page, a session's dashboard and its join page, in English and in
/// Chinese: no serious or critical violation, and every form control labelled.
/// </summary>
public sealed class AccessibilityTests(AccessibilityServerFixture server) : PageErrorCheckedTest(server), IClassFixture<AccessibilityServerFixture>
{
    private const string Token = "lsA11Y-token-5e4d3c2b1a09-MNOP";
    private readonly AxeAudit _axe = new();

    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("zh-CN", "zh-Hans")]
    public async Task Every_step_and_the_sessions_pages_pass_axe(string locale, string language)
    {
        var page = await server.NewPageAsync(locale);
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator("#cluster-mode")).ToContainTextAsync("emulator-a11y");
        await AuditAsync(page, "1 Product", language);

        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await AuditAsync(page, "2 Token", language);
        await page.EnterAsync("#token-input", Token);
        await Expect(page.Locator("#token-status")).ToBeVisibleAsync();
        await page.NextAsync("Satellite");

        // With a problem and its one-click fix on screen.
        await page.EnterAsync("#satellite-input", "https://satellites.example.com:9292");
        await Expect(page.Locator("#step-satellite .suggestion")).ToHaveCountAsync(1);
        await AuditAsync(page, "3 Satellite", language);
        await page.Locator("#step-satellite .suggestion").ClickAsync();
        await Expect(page.Locator("#step-satellite .issue")).ToHaveCountAsync(0);
        await page.NextAsync("Certificate");

        await page.UploadAsync(new FilePayload
        {
            Name = "ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.CaPem("Accessibility CA")),
        });
        await Expect(page.Locator(".certificate-details")).ToHaveCountAsync(1);
        await AuditAsync(page, "4 Certificate", language);
        await page.NextAsync("Namespaces");

        await page.EnterAsync("#namespaces-input", "default, bookinfo");
        await Expect(page.Locator("#namespace-chips .mud-chip")).ToHaveCountAsync(2);
        await AuditAsync(page, "5 Namespaces", language);
        await page.NextAsync("Istio");

        await page.EnterAsync("#istio-version-input", "1.28");
        await Expect(page.Locator("#istio-form")).ToBeVisibleAsync();
        await AuditAsync(page, "6 Istio", language);
        await page.NextAsync("Review");
        await Expect(page.Locator("#review-yaml")).ToBeVisibleAsync();
        await AuditAsync(page, "7 Review", language);

        await page.NextAsync("Apply");
        await page.Locator("#preflight-run").ClickAsync();
        await Expect(page.Locator("[data-check='api'][data-ok='true']")).ToBeVisibleAsync();
        await AuditAsync(page, "8 Apply", language);
        await page.NextAsync("Bookinfo");
        await AuditAsync(page, "9 Bookinfo", language);
        await page.NextAsync("Traffic");
        await page.EnterAsync("#lightstep-project", "a11y-project");
        await Expect(page.Locator("#links-hidden")).ToHaveCountAsync(0);
        await AuditAsync(page, "10 Traffic", language);
        await page.NextAsync("Cleanup");
        await AuditAsync(page, "11 Cleanup", language);

        await page.GotoAsync(server.BaseUrl + "/sessions");
        await page.Locator("#sessions-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await Expect(page.Locator("#sessions-permissions")).ToHaveAttributeAsync("data-ok", "true");
        await AuditAsync(page, "/sessions", language);
        await page.Locator("input#session-name, #session-name input").FillAsync("Accessibility " + language);
        await page.Locator("#session-start").ClickAsync();
        await page.WaitForURLAsync(new Regex("/sessions/[^/]+$"));
        await page.Locator("#dashboard-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await Expect(page.Locator("#join-link")).ToBeVisibleAsync();
        await AuditAsync(page, "Dashboard", language);

        var joinLink = (await page.Locator("#join-link").InnerTextAsync()).Trim();
        var participant = await server.NewPageAsync(locale);
        await participant.GotoAsync(joinLink);
        await participant.Locator("#join-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await Expect(participant.Locator("#join-submit")).ToBeVisibleAsync();
        await AuditAsync(participant, "Join", language);

        // A participant in: their wizard (banner, their own namespace) and the dashboard's participant row.
        await participant.Locator("input#join-name, #join-name input").FillAsync("Ada");
        await participant.Locator("#join-submit").ClickAsync();
        await participant.WaitForURLAsync(server.BaseUrl + "/");
        await participant.WaitForInteractiveAsync();
        await participant.ExpectStepAsync("Bookinfo");
        await Expect(participant.Locator("#participant-banner")).ToBeVisibleAsync();
        await AuditAsync(participant, "Participant wizard", language);
        await Expect(page.Locator("tr.participant")).ToHaveCountAsync(1);
        await AuditAsync(page, "Dashboard (one participant)", language);
        _axe.AssertNoneFound();
        server.AssertNoCspViolations();
    }

    private Task AuditAsync(IPage page, string name, string language) => _axe.CheckAsync(page, name, language);
}
