using System.Text.Json;
using Microsoft.Playwright;

namespace OnboardingBenchmark;

/// <summary>One click: the step it moved to, the in-page time from dispatching the click to the DOM showing that step,
/// and the wall-clock time (Date.now(), ms) of the dispatch, which the dashboard phase compares with the dashboard page's.</summary>
public sealed record ClickSample(string Participant, string Step, double Ms, double WallMs);

/// <summary>A participant: its own BrowserContext (cookies, session storage) and page, hence its own circuit and WebSocket.</summary>
public sealed class Participant : IParticipant
{
    public const string Token = "lsBENCH-onboarding-token-4d3c2b1a-QRST";

    // Timestamps inside the page, so Playwright's own round trips are not counted. The observer is installed and the
    // clock started right before the page itself dispatches the click; the observer fires (as a microtask) once the
    // render batch that changes data-step has been applied to the DOM (layout and paint are not included).
    private const string MeasuredClick = """
        ([selector, expected, timeoutMs]) => new Promise((resolve, reject) => {
          const state = document.getElementById('circuit-state');
          let done = false;
          const observer = new MutationObserver(() => {
            if (!done && state.getAttribute('data-step') === expected) {
              const ms = performance.now() - t0;
              done = true; observer.disconnect(); resolve({ ms, wall });
            }
          });
          observer.observe(state, { attributes: true, attributeFilter: ['data-step'] });
          const wall = Date.now();
          const t0 = performance.now();
          document.querySelector(selector).click();
          setTimeout(() => {
            if (done) return;
            done = true; observer.disconnect();
            reject(new Error('step ' + expected + ' not shown after ' + timeoutMs + ' ms; it is ' + state.getAttribute('data-step')));
          }, timeoutMs);
        })
        """;

    private readonly IBrowserContext _context;

    private Participant(string name, IBrowserContext context, IPage page)
    {
        Name = name;
        _context = context;
        Page = page;
    }

    public string Name { get; }
    public IPage Page { get; }

    private RouteWalk _walk = new([]);

    private static async Task<Participant> NewAsync(IBrowser browser, string name)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", ReducedMotion = ReducedMotion.Reduce });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return new Participant(name, context, page);
    }

    /// <summary>The stand-alone wizard at /: Product → Token (a valid token entered), then Token ⇄ Satellite ⇄ Product.
    /// Moving forward needs the earlier steps free of errors, so the token is entered once before the measured clicks.</summary>
    public static async Task<Participant> OpenWizardAsync(IBrowser browser, string baseUrl, string name)
    {
        var participant = await NewAsync(browser, name);
        var page = participant.Page;
        await page.GotoAsync(baseUrl + "/");
        await page.Locator("#circuit-state[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await participant.ClickAsync("#wizard-next", "Token");
        await page.Locator("#token-input").FillAsync(Token);
        await page.Locator("#token-input").PressAsync("Tab");
        await page.Locator("#token-status").Filter(new() { HasText = Token[^4..] }).WaitForAsync();
        participant._walk = new RouteWalk([("#wizard-next", "Satellite"), ("#wizard-back", "Token"), ("#wizard-back", "Product"), ("#wizard-next", "Token")]);
        return participant;
    }

    /// <summary>Joins a team session at /join/{id}; the page becomes the wizard in participant mode at step Bookinfo,
    /// then Bookinfo ⇄ Traffic ⇄ Cleanup.</summary>
    public static async Task<Participant> JoinAsync(IBrowser browser, string baseUrl, string sessionId, string name)
    {
        var participant = await NewAsync(browser, name);
        var page = participant.Page;
        await page.GotoAsync($"{baseUrl}/join/{sessionId}");
        await page.Locator("#join-name").FillAsync(name);
        await page.Locator("#join-name").PressAsync("Tab");
        await page.Locator("#join-submit").ClickAsync();
        await page.Locator("#circuit-state[data-interactive='true'][data-step='Bookinfo']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        participant._walk = RouteWalk.TeamParticipant();
        return participant;
    }

    public async Task<ClickSample> ClickAsync(string selector, string expectedStep, int timeoutMs = 30_000)
    {
        var result = await Page.EvaluateAsync<JsonElement>(MeasuredClick, new object[] { selector, expectedStep, timeoutMs });
        return new ClickSample(Name, expectedStep, result.GetProperty("ms").GetDouble(), result.GetProperty("wall").GetDouble());
    }

    public Task<List<ClickSample>> WalkAsync(int clicks, int thinkMinMs, int thinkMaxMs, Random random) =>
        _walk.WalkAsync((selector, step) => ClickAsync(selector, step), clicks, thinkMinMs, thinkMaxMs, random);

    public async ValueTask DisposeAsync()
    {
        // Leaving the page lets blazor.web.js send its disconnect beacon (on pagehide), so the server ends the circuit
        // now instead of keeping it as a disconnected circuit for the retention period.
        try { await Page.GotoAsync("about:blank"); } catch (PlaywrightException) { }
        await _context.CloseAsync();
    }
}
