using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace WebConsole.BrowserTests;

/// <summary>
/// Runs axe-core (the copy embedded in Deque.AxeCore.Commons 4.14.0: nothing is downloaded at test time; it is injected
/// through the DevTools protocol, so the page's Content-Security-Policy does not block it) on the page as it is now,
/// and checks what a keyboard or screen-reader user meets first: every visible form control has a label.
/// </summary>
internal sealed class AxeAudit
{
    /// <summary>The impacts that fail a test (axe's own ranking: critical, serious, moderate, minor).</summary>
    private static readonly string[] Blocking = ["critical", "serious"];

    private static readonly object ReportLock = new();

    private readonly List<string> _failures = [];

    /// <summary>
    /// Audits <paramref name="page"/> as it is now and notes a serious or critical violation, or a form control without
    /// a label; <see cref="AssertNoneFound"/> fails on them at the end, so one run reports every page at once.
    /// With AXE_REPORT set to a file path, every violation (blocking or not) is appended to it as
    /// "page, language, rule, impact, nodes" (tab-separated), which is how docs/accessibility.md's tables are made.
    /// </summary>
    public async Task CheckAsync(IPage page, string name, string language)
    {
        // A colour read mid-transition (a button fading in after a render) is neither colour: let finite CSS
        // transitions and animations end first (an endless spinner would never settle, so those are skipped).
        await page.EvaluateAsync("""
            () => Promise.all(document.getAnimations()
                .filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
                .map(a => a.finished.catch(() => null)))
            """);
        var result = await page.RunAxe();
        Report(name, language, result);

        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        var unlabelled = await UnlabelledControlsAsync(page);
        if (blocking.Count > 0 || unlabelled.Count > 0)
            _failures.Add($"{name} ({language}):\n{Describe(blocking)}" +
                (unlabelled.Count == 0 ? "" : "  Form controls without a label: " + string.Join(", ", unlabelled) + "\n"));
    }

    public void AssertNoneFound() =>
        Assert.True(_failures.Count == 0, "Accessibility problems (axe-core serious/critical, unlabelled controls):\n" + string.Join("\n", _failures));

    /// <summary>
    /// Every visible input, text area and select has a name a screen reader announces: a label element, aria-label or
    /// aria-labelledby pointing at text. (axe's "label" rule too, but this also names the control in the failure.)
    /// </summary>
    private static async Task<IReadOnlyList<string>> UnlabelledControlsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
                .filter(e => e.checkVisibility({ visibilityProperty: true }) || (e.type === 'checkbox' || e.type === 'radio') && e.parentElement?.checkVisibility())
                .filter(e => {
                    const byLabel = [...(e.labels ?? [])].some(l => l.textContent.trim().length > 0);
                    const byAria = (e.getAttribute('aria-label') ?? '').trim().length > 0;
                    const byRef = (e.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)
                        .some(id => (document.getElementById(id)?.textContent ?? '').trim().length > 0);
                    return !byLabel && !byAria && !byRef;
                })
                .map(e => e.outerHTML.slice(0, 160))
            """);

    private static string Describe(IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.AppendLine($"- {violation.Id} ({violation.Impact}): {violation.Help}");
            foreach (var node in violation.Nodes.Take(8))
                text.AppendLine($"    {node.Target}: {node.Html[..Math.Min(node.Html.Length, 200)]}\n      {string.Join(" / ", node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message))}");
        }
        return text.ToString();
    }

    private static void Report(string name, string language, AxeResult result)
    {
        if (Environment.GetEnvironmentVariable("AXE_REPORT") is not { Length: > 0 } path) return;
        var lines = new StringBuilder($"{name}\t{language}\t(audited)\t-\t0\n");
        foreach (var violation in result.Violations)
            lines.Append($"{name}\t{language}\t{violation.Id}\t{violation.Impact}\t{violation.Nodes.Length}\n");
        lock (ReportLock) File.AppendAllText(path, lines.ToString());
    }
}
