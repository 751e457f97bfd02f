using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// A team onboarding session with three browsers open at once on one console (the emulated Istio 1.28 cluster of
/// <see cref="BookinfoTrafficServerFixture"/>): a facilitator who sets up and applies the shared settings, starts the
/// session and watches the dashboard, and two participants who join through the link, each in their own browser
/// context (own cookies and storage, like two laptops).
/// </summary>
public sealed class TeamSessionWalkTests(BookinfoTrafficServerFixture server) : PageErrorCheckedTest(server), IClassFixture<BookinfoTrafficServerFixture>
{
    private const string Token = BookinfoTrafficServerFixture.Token;
    private const string Project = "team-session-project";
    private readonly List<IPage> _pages = [];

    [Fact]
    public async Task Facilitator_sees_two_participants_live_one_resumes_the_end_removes_their_namespaces_and_refuses_latecomers()
    {
        // Facilitator: the shared settings, applied mesh-wide, then a project for the trace links.
        var facilitator = await NewPageAsync();
        await facilitator.OpenConsoleAsync(server.BaseUrl);
        await Expect(facilitator.Locator("#cluster-mode")).ToContainTextAsync("emulator-new");
        await facilitator.Locator("#product-onprem").ClickAsync();
        await facilitator.NextAsync("Token");
        await facilitator.EnterAsync("#token-input", Token);
        await facilitator.NextAsync("Satellite");
        await facilitator.EnterAsync("#satellite-input", server.Collector.GrpcUrl.Authority);
        await facilitator.NextAsync("Certificate");
        await facilitator.UploadAsync(new FilePayload
        {
            Name = "ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.CaPem("Team Session CA")),
        });
        await Expect(facilitator.Locator(".certificate-details")).ToHaveCountAsync(1);
        await facilitator.NextAsync("Namespaces");
        await facilitator.NextAsync("Istio");
        await facilitator.EnterAsync("#istio-version-input", "1.28");
        await facilitator.NextAsync("Review");
        await facilitator.NextAsync("Apply");

        await Expect(facilitator.Locator("#apply-target")).ToContainTextAsync("emulator-new");
        await facilitator.Locator("#preflight-run").ClickAsync();
        await Expect(facilitator.Locator("[data-check='api'][data-ok='true']")).ToBeVisibleAsync();
        await Expect(facilitator.Locator("[data-check='rbac'][data-ok='true']")).ToBeVisibleAsync();
        await facilitator.Locator("#preview-run").ClickAsync();
        // Istio 1.28 with a private CA takes the collector route (the only one that mounts the CA): the token and the CA
        // go into the collector's own Secret, not into the workload namespaces.
        var secretPreview = facilitator.Locator(".preview[data-object='Secret/lightstep-collector -n lightstep-collector']");
        await Expect(secretPreview).ToHaveAttributeAsync("data-change", "Create");
        // istioctl's field manager owns the mesh config: taking it over is the facilitator's explicit choice.
        if (await facilitator.Locator("#force-conflicts").CountAsync() > 0)
        {
            await facilitator.Locator("#force-conflicts").ClickAsync();
            await facilitator.Locator("#preview-run").ClickAsync();
            await Expect(facilitator.Locator(".preview[data-change='Failed']")).ToHaveCountAsync(0);
            await Expect(secretPreview).ToHaveAttributeAsync("data-change", "Create");
        }
        await facilitator.Locator("#apply-confirm").ClickAsync();
        await facilitator.Locator("#apply-run").ClickAsync();
        await Expect(facilitator.Locator("#apply-results .outcome[data-object='Secret/lightstep-collector -n lightstep-collector']")).ToHaveAttributeAsync("data-result", "Created");
        await Expect(facilitator.Locator("#apply-results .outcome[data-result='Failed']")).ToHaveCountAsync(0);
        Assert.NotNull(server.Emulator.Store.Get("v1", "Secret", "lightstep-collector", "lightstep-collector"));
        await AssertNoTokenAsync(facilitator);

        await facilitator.NextAsync("Bookinfo");
        await facilitator.NextAsync("Traffic");
        // Without a project the trace links are hidden; once the server has the project they are not.
        await Expect(facilitator.Locator("#links-hidden")).ToBeVisibleAsync();
        await facilitator.EnterAsync("#lightstep-project", Project);
        await Expect(facilitator.Locator("#links-hidden")).ToHaveCountAsync(0);
        await AssertNoTokenAsync(facilitator);

        // The session: named, with its own namespace pattern; the dashboard hands out the join link.
        await facilitator.GotoAsync(server.BaseUrl + "/sessions");
        await facilitator.Locator("#sessions-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await Expect(facilitator.Locator("#sessions-shared")).ToContainTextAsync(Project);
        await facilitator.Locator(Input("session-name")).FillAsync("Platform team onboarding");
        await facilitator.Locator(Input("session-pattern")).FillAsync("team-{name}");
        await AssertNoTokenAsync(facilitator);
        await facilitator.Locator("#session-start").ClickAsync();
        await ExpectNavigationAsync(facilitator, new Regex("/sessions/[^/]+$"));
        var sessionId = facilitator.Url[(facilitator.Url.LastIndexOf('/') + 1)..];
        await facilitator.Locator("#dashboard-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await Expect(facilitator.Locator("#participants-none")).ToBeVisibleAsync();
        var joinLink = (await facilitator.Locator("#join-link").InnerTextAsync()).Trim();
        Assert.Equal($"{server.BaseUrl}/join/{sessionId}", joinLink);
        await AssertNoTokenAsync(facilitator);
        // Everything after this happens live: a reload would drop this marker.
        await facilitator.EvaluateAsync("() => { window.__dashboardNotReloaded = true; }");

        // Two participants join at the same time, each in their own context.
        var ada = await NewPageAsync();
        var grace = await NewPageAsync();
        await Task.WhenAll(JoinAsync(ada, joinLink, "Ada"), JoinAsync(grace, joinLink, "Grace"));
        await ExpectBannerAsync(ada, "Ada", "team-ada");
        await ExpectBannerAsync(grace, "Grace", "team-grace");
        // New participants start at Bookinfo, in their own namespace, with the CA Secret already there.
        await ada.ExpectStepAsync("Bookinfo");
        await grace.ExpectStepAsync("Bookinfo");
        await AssertNoTokenAsync(ada);
        await AssertNoTokenAsync(grace);
        Assert.NotNull(server.Emulator.Store.Get("v1", "Secret", "team-ada", "lightstep.cacert"));
        Assert.NotNull(server.Emulator.Store.Get("v1", "Secret", "team-grace", "lightstep.cacert"));
        await Expect(Row(facilitator, "Ada")).ToHaveAttributeAsync("data-step", "Bookinfo");
        await Expect(Row(facilitator, "Grace")).ToHaveAttributeAsync("data-step", "Bookinfo");
        await Expect(Row(facilitator, "Ada")).ToHaveAttributeAsync("data-namespace", "team-ada");
        await Expect(Row(facilitator, "Grace")).ToHaveAttributeAsync("data-namespace", "team-grace");
        await Expect(facilitator.Locator("tr.participant")).ToHaveCountAsync(2);
        // The mesh-wide settings were applied before the session started: the dashboard shows what the cluster holds.
        await Expect(facilitator.Locator("#cluster-holds .cluster-holds-entry[data-object='ConfigMap/istio']")).ToHaveCountAsync(1);

        // Each deploys Bookinfo in their own namespace; the dashboard shows it ready.
        await DeployBookinfoAsync(ada);
        await DeployBookinfoAsync(grace);
        await ExpectReadyAsync(facilitator, "Ada");
        await ExpectReadyAsync(facilitator, "Grace");

        // The shared steps are the facilitator's: read-only, and the token is never in a participant's page.
        await BackAsync(ada, "Apply");
        await Expect(ada.Locator(".shared-step-readonly[data-step='Apply']")).ToBeVisibleAsync();
        await Expect(ada.Locator("#apply-run")).ToHaveCountAsync(0);
        await Expect(Row(facilitator, "Ada")).ToHaveAttributeAsync("data-step", "Apply");
        foreach (var step in new[] { "Review", "Istio", "Namespaces", "Certificate", "Satellite", "Token" })
        {
            await BackAsync(ada, step);
            await Expect(ada.Locator($".shared-step-readonly[data-step='{step}']")).ToBeVisibleAsync();
        }
        await Expect(ada.Locator("#token-input")).ToHaveCountAsync(0);
        await Expect(ada.Locator("#satellite-input")).ToHaveCountAsync(0);
        await AssertNoTokenAsync(ada);
        await Expect(Row(facilitator, "Ada")).ToHaveAttributeAsync("data-step", "Token");

        // Both move on to their own steps; the dashboard follows each of them.
        await grace.NextAsync("Traffic");
        await Expect(grace.Locator("#lightstep-project")).ToHaveValueAsync(Project);
        await Expect(Row(facilitator, "Grace")).ToHaveAttributeAsync("data-step", "Traffic");
        await grace.NextAsync("Cleanup");
        await Expect(Row(facilitator, "Grace")).ToHaveAttributeAsync("data-step", "Cleanup");
        // Undoing the mesh-wide settings is the facilitator's; a participant's cleanup is their Bookinfo only.
        await Expect(grace.Locator("#participant-cleanup-note")).ToBeVisibleAsync();
        await Expect(grace.Locator("#undo-run")).ToHaveCountAsync(0);
        foreach (var step in new[] { "Satellite", "Certificate", "Namespaces", "Istio", "Review", "Apply", "Bookinfo", "Traffic" })
            await ada.NextAsync(step);
        await Expect(Row(facilitator, "Ada")).ToHaveAttributeAsync("data-step", "Traffic");
        await Expect(Row(facilitator, "Grace")).ToHaveAttributeAsync("data-step", "Cleanup");
        await AssertNoTokenAsync(ada);
        await AssertNoTokenAsync(grace);

        // Ada closes her page and opens the link again: back in her namespace at her step, without typing her name.
        var adaContext = ada.Context;
        await ada.CloseAsync();
        ada = await adaContext.NewPageAsync();
        ada.SetDefaultTimeout(15_000);
        _pages.Add(ada);
        await ada.GotoAsync(joinLink);
        await ExpectNavigationAsync(ada, Home);
        await ada.WaitForInteractiveAsync();
        await ExpectBannerAsync(ada, "Ada", "team-ada");
        await ada.ExpectStepAsync("Traffic");
        await Expect(facilitator.Locator("tr.participant")).ToHaveCountAsync(2);
        await Expect(Row(facilitator, "Ada")).ToHaveAttributeAsync("data-step", "Traffic");
        await Expect(Row(facilitator, "Ada")).ToHaveAttributeAsync("data-namespace", "team-ada");
        await ExpectReadyAsync(facilitator, "Ada");

        // Grace reloads her page: her Bookinfo is still up, and the dashboard keeps saying so.
        await grace.ReloadAsync();
        await grace.WaitForInteractiveAsync();
        await ExpectBannerAsync(grace, "Grace", "team-grace");
        await grace.ExpectStepAsync("Cleanup");
        await ExpectReadyAsync(facilitator, "Grace");
        await ExpectReadyAsync(facilitator, "Ada");
        Assert.True(await facilitator.EvaluateAsync<bool>("() => window.__dashboardNotReloaded === true"), "The dashboard reloaded.");
        AssertNoBrowserErrors();

        // The console restarts (stopping within its bound, with three circuits open); every page reloads.
        var stopping = await server.RestartConsoleAsync();
        Assert.True(stopping < TimeSpan.FromSeconds(7), $"Stopping the console took {stopping.TotalSeconds:0.0} s");
        Assert.Contains(server.ServerLogs.Events, e => e.Contains("Console stopping (within 5 s)", StringComparison.Ordinal));
        // The participants' tabs go back to their session (the console forgot their drafts), without typing a name.
        foreach (var (page, name, ns, step) in new[] { (ada, "Ada", "team-ada", "Traffic"), (grace, "Grace", "team-grace", "Cleanup") })
        {
            await page.ReloadAsync();
            await ExpectNavigationAsync(page, Home);
            await page.WaitForInteractiveAsync();
            await ExpectBannerAsync(page, name, ns);
            await page.ExpectStepAsync(step);
        }
        await facilitator.ReloadAsync();
        await facilitator.Locator("#dashboard-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await ExpectReadyAsync(facilitator, "Ada");
        await ExpectReadyAsync(facilitator, "Grace");
        await Expect(facilitator.Locator("#cluster-holds .cluster-holds-entry[data-object='ConfigMap/istio']")).ToHaveCountAsync(1);
        // What the pages reported while their console was gone (the lost connection) belongs to the restart.
        foreach (var page in new[] { facilitator, ada, grace })
            server.ForgetBrowserErrors(page);

        // The end: exactly the two participant namespaces, removed once confirmed, and the summary lists both.
        await facilitator.Locator("#end-session").ClickAsync();
        await Expect(facilitator.Locator("#end-namespaces li")).ToHaveCountAsync(2);
        var listed = (await facilitator.Locator("#end-namespaces li").AllInnerTextsAsync()).Select(t => t.Trim()).Order().ToList();
        Assert.Equal(["team-ada", "team-grace"], listed);
        await Expect(facilitator.Locator("#dashboard-ended")).ToBeVisibleAsync();
        await Expect(facilitator.Locator("#end-remove")).ToBeDisabledAsync();
        await facilitator.Locator("#end-confirm").ClickAsync();
        await Expect(facilitator.Locator("#end-remove")).ToBeEnabledAsync();
        await facilitator.Locator("#end-remove").ClickAsync();
        await Expect(facilitator.Locator(".namespace-removal[data-removed='true']")).ToHaveCountAsync(2);
        await Expect(facilitator.Locator(".namespace-removal[data-namespace='team-ada']")).ToHaveAttributeAsync("data-removed", "true");
        await Expect(facilitator.Locator(".namespace-removal[data-namespace='team-grace']")).ToHaveAttributeAsync("data-removed", "true");
        foreach (var ns in new[] { "team-ada", "team-grace" })
            await Eventually.ThatAsync(() => server.Emulator.Store.Get("v1", "Namespace", null, ns) is null, $"namespace {ns} is still in the cluster");
        Assert.NotNull(server.Emulator.Store.Get("v1", "Namespace", null, "default"));

        var download = await facilitator.RunAndWaitForDownloadAsync(() => facilitator.Locator("#summary-csv").ClickAsync());
        Assert.Equal($"session-{sessionId}.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("participant,namespace,step,", lines[0]);
        Assert.StartsWith("Ada,team-ada,Traffic,6,6,", lines[1]);
        Assert.StartsWith("Grace,team-grace,Cleanup,6,6,", lines[2]);
        Assert.DoesNotContain(Token, csv);

        // Too late: the session has ended.
        var carol = await NewPageAsync();
        await carol.GotoAsync(joinLink);
        await carol.Locator("#join-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await carol.Locator(Input("join-name")).FillAsync("Carol");
        await carol.Locator("#join-submit").ClickAsync();
        await Expect(carol.Locator("#join-refused")).ToHaveAttributeAsync("data-refusal", "SessionEnded");
        Assert.Null(server.Emulator.Store.Get("v1", "Namespace", null, "team-carol"));
        Assert.EndsWith($"/join/{sessionId}", carol.Url);

        // Ada's browser opens her link again after the end (a restored tab): she gets her record back, but the
        // namespace the facilitator removed stays removed.
        await ada.CloseAsync();
        ada = await adaContext.NewPageAsync();
        ada.SetDefaultTimeout(15_000);
        _pages.Add(ada);
        await ada.GotoAsync(joinLink);
        await ExpectNavigationAsync(ada, Home);
        await ada.WaitForInteractiveAsync();
        await ExpectBannerAsync(ada, "Ada", "team-ada");
        Assert.Null(server.Emulator.Store.Get("v1", "Namespace", null, "team-ada"));
        Assert.Null(server.Emulator.Store.Get("v1", "Namespace", null, "team-grace"));
        await Expect(facilitator.Locator("tr.participant")).ToHaveCountAsync(2);

        server.AssertNoCspViolations();
        AssertNoBrowserErrors();
        foreach (var page in _pages.Where(p => !p.IsClosed))
            await AssertNoTokenAsync(page);
        foreach (var text in server.ServerLogs.Events)
            Assert.False(text.Contains(Token, StringComparison.Ordinal), "The token leaked: " + text);
        foreach (var context in _pages.Select(p => p.Context).Distinct())
            await context.CloseAsync();
    }

    /// <summary>This class has its own console and browser: every error reported is one of these pages'.</summary>
    private void AssertNoBrowserErrors()
    {
        var errors = server.BrowserErrors.Where(e => e.Contains("[pageerror]", StringComparison.Ordinal) || e.Contains("[error]", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "Browser errors:\n" + string.Join("\n", errors));
    }

    /// <summary>A participant's Bookinfo step: injection confirmed, previewed, deployed, and every Deployment ready.</summary>
    private static async Task DeployBookinfoAsync(IPage participant)
    {
        await participant.ExpectStepAsync("Bookinfo");
        await participant.Locator("#bookinfo-check-namespace").ClickAsync();
        await Expect(participant.Locator("#bookinfo-injection")).ToHaveAttributeAsync("data-status", "Missing");
        await participant.Locator("#bookinfo-confirm-label").ClickAsync();
        await participant.Locator("#bookinfo-preview").ClickAsync();
        await participant.Locator("#bookinfo-deploy-confirm").ClickAsync();
        await participant.Locator("#bookinfo-deploy").ClickAsync();
        await Expect(participant.Locator("#bookinfo-ready")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>The dashboard row says all six Bookinfo Deployments are ready.</summary>
    private static async Task ExpectReadyAsync(IPage dashboard, string name)
    {
        await Expect(Row(dashboard, name)).ToHaveAttributeAsync("data-ready", "6");
        await Expect(Row(dashboard, name)).ToHaveAttributeAsync("data-total", "6");
    }

    /// <summary>MudTextField puts a plain <c>id</c> on the input or its wrapper depending on the version: either works.</summary>
    private static string Input(string id) => $"input#{id}, #{id} input";

    private Regex Home => new("^" + Regex.Escape(server.BaseUrl + "/") + "$");

    private static ILocator Row(IPage dashboard, string name) => dashboard.Locator($"tr.participant[data-name='{name}']");

    private async Task<IPage> NewPageAsync()
    {
        var page = await server.NewPageAsync();
        _pages.Add(page);
        return page;
    }

    private async Task JoinAsync(IPage page, string joinLink, string name)
    {
        await page.GotoAsync(joinLink);
        await page.Locator("#join-state[data-ready='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await AssertNoTokenAsync(page);
        await page.Locator(Input("join-name")).FillAsync(name);
        await page.Locator("#join-submit").ClickAsync();
        await ExpectNavigationAsync(page, Home);
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Waits for the page to go to <paramref name="url"/>; when it does not, says what the page shows instead.</summary>
    private static async Task ExpectNavigationAsync(IPage page, Regex url)
    {
        try
        {
            // Polls the address (Blazor navigates in the page, without a load event to wait for).
            await Expect(page).ToHaveURLAsync(url, new() { Timeout = 30_000 });
        }
        catch (PlaywrightException)
        {
            var alerts = await page.Locator(".mud-alert").AllInnerTextsAsync();
            var inputs = await page.Locator("input").EvaluateAllAsync<string[]>("els => els.map(e => (e.id || e.name) + '=' + e.value)");
            Assert.Fail($"Still at {page.Url} after 30 s. Alerts: [{string.Join(" | ", alerts)}]; inputs: [{string.Join(", ", inputs)}]");
        }
    }

    private static async Task ExpectBannerAsync(IPage page, string name, string ns)
    {
        var banner = page.Locator("#participant-banner");
        await Expect(banner).ToHaveAttributeAsync("data-name", name);
        await Expect(banner).ToHaveAttributeAsync("data-namespace", ns);
        await Expect(banner).ToContainTextAsync(ns);
    }

    private static async Task BackAsync(IPage page, string expectedStep)
    {
        await page.Locator("#wizard-back").ClickAsync();
        await page.ExpectStepAsync(expectedStep);
    }

    private static async Task AssertNoTokenAsync(IPage page)
    {
        var html = await page.ContentAsync();
        Assert.False(html.Contains(Token, StringComparison.Ordinal), $"The access token is in the HTML of {page.Url}");
    }
}
