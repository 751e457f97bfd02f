using System.Text.Json;
using Microsoft.Playwright;

namespace OnboardingBenchmark;

/// <summary>
/// The facilitator's dashboard (<c>/sessions/{id}</c>, rows <c>tr.participant[data-name][data-step]</c>) in its own
/// BrowserContext. A MutationObserver records every row's (name, step) with Date.now() as the DOM shows it.
/// </summary>
public sealed class Dashboard : IAsyncDisposable
{
    private const string Recorder = """
        () => {
          window.__benchSteps = [];
          const record = (tr, now) => window.__benchSteps.push([tr.getAttribute('data-name'), tr.getAttribute('data-step'), now]);
          new MutationObserver(mutations => {
            const now = Date.now();
            for (const m of mutations) {
              if (m.type === 'attributes') {
                if (m.target.matches && m.target.matches('tr.participant')) record(m.target, now);
                continue;
              }
              for (const node of m.addedNodes) {
                if (node.nodeType !== 1) continue;
                if (node.matches('tr.participant')) record(node, now);
                node.querySelectorAll('tr.participant').forEach(tr => record(tr, now));
              }
            }
          }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step', 'data-name'] });
        }
        """;

    private readonly IBrowserContext _context;

    private Dashboard(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<Dashboard> OpenAsync(IBrowser browser, string baseUrl, string sessionId)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", ReducedMotion = ReducedMotion.Reduce });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync($"{baseUrl}/sessions/{sessionId}");
        await page.EvaluateAsync(Recorder);
        return new Dashboard(context, page);
    }

    public Task WaitForRowsAsync(int count) =>
        Page.WaitForFunctionAsync("n => document.querySelectorAll('tr.participant').length >= n", count, new() { Timeout = 120_000 });

    public async Task<List<(string Name, string Step, double WallMs)>> ReadAsync()
    {
        var rows = await Page.EvaluateAsync<JsonElement>("() => window.__benchSteps");
        return rows.EnumerateArray()
            .Select(r => (r[0].GetString() ?? "", r[1].GetString() ?? "", r[2].GetDouble()))
            .ToList();
    }

    /// <summary>
    /// For each click, the first time the dashboard showed that participant at the clicked step after the click and
    /// before the participant's click after next (the same step comes back two clicks later on the route); clicks
    /// without such a row count as missed.
    /// </summary>
    public static (List<double> DelaysMs, int Missed) Match(IEnumerable<ClickSample> clicks, List<(string Name, string Step, double WallMs)> shown)
    {
        var delays = new List<double>();
        var missed = 0;
        var byName = shown.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.OrderBy(s => s.WallMs).ToList());
        foreach (var perParticipant in clicks.GroupBy(c => c.Participant))
        {
            var ordered = perParticipant.OrderBy(c => c.WallMs).ToList();
            var rows = byName.GetValueOrDefault(perParticipant.Key) ?? [];
            for (var i = 0; i < ordered.Count; i++)
            {
                var click = ordered[i];
                var until = i + 2 < ordered.Count ? ordered[i + 2].WallMs : double.MaxValue;
                var hit = rows.FirstOrDefault(r => r.Step == click.Step && r.WallMs >= click.WallMs && r.WallMs < until);
                if (hit.Name is null) missed++;
                else delays.Add(hit.WallMs - click.WallMs);
            }
        }
        return (delays, missed);
    }

    public async ValueTask DisposeAsync()
    {
        try { await Page.GotoAsync("about:blank"); } catch (PlaywrightException) { }
        await _context.CloseAsync();
    }
}
