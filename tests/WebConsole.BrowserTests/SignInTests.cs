using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>The console with sign-in by access key, as a browser sees it (Content-Security-Policy on, as always).</summary>
public sealed class AccessKeyServerFixture : ConsoleServerFixture
{
    public const string Key = "browser-access-key-0123456789abcdef";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Console:Access:Mode"] = "AccessKey",
        ["Console:Access:Key"] = Key,
        ["Console:Access:SignInAttemptsPerMinute"] = "1000",
    };
}

public sealed class SignInTests(AccessKeyServerFixture server) : PageErrorCheckedTest(server), IClassFixture<AccessKeyServerFixture>
{
    [Fact]
    public async Task A_wrong_key_is_refused_the_right_one_opens_the_wizard_and_sign_out_ends_the_session()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/");
        await Expect(page).ToHaveURLAsync(server.BaseUrl + "/signin?returnUrl=%2F");
        await Expect(page.Locator("#access-key")).ToBeVisibleAsync();

        // The refused sign-in answers 401, which Chromium reports as a failed resource load: expected here, nothing else is.
        server.AllowPageErrors(page, "the server responded with a status of 401 (Unauthorized)");
        await page.Locator("#access-key").FillAsync("not-the-key-at-all-000");
        await page.Locator("#signin-submit").ClickAsync();
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("That access key is not correct.");

        await page.Locator("#access-key").FillAsync(AccessKeyServerFixture.Key);
        await page.Locator("#signin-submit").ClickAsync();
        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#current-user")).ToHaveTextAsync("access-key user");
        await page.Locator("#wizard-next").ClickAsync();
        await page.ExpectStepAsync("Token");

        await page.SignOutAsync(server);
        await Expect(page.Locator("#signin-signed-out")).ToContainTextAsync("You are signed out.");
        await page.GotoAsync(server.BaseUrl + "/");
        await Expect(page).ToHaveURLAsync(server.BaseUrl + "/signin?returnUrl=%2F");
        server.AssertNoCspViolations();
    }

    [Fact]
    public async Task The_printed_link_signs_in_from_the_url_fragment_and_removes_it()
    {
        var page = await server.NewPageAsync();

        await page.GotoAsync(server.BaseUrl + "/signin#key=" + AccessKeyServerFixture.Key);

        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.WaitForInteractiveAsync();
        Assert.DoesNotContain(AccessKeyServerFixture.Key, page.Url);
        Assert.DoesNotContain(server.ServerLogs.Events, e => e.Contains(AccessKeyServerFixture.Key, StringComparison.Ordinal));
        server.AssertNoCspViolations();
    }

    /// <summary>The violation check itself: an injected inline script is blocked by the policy and reported.</summary>
    [Fact]
    public async Task The_fixture_notices_a_csp_violation()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/signin");

        await page.RunAndWaitForConsoleMessageAsync(
            () => page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.appendChild(s); }"),
            new() { Predicate = m => m.Text.Contains("CSP violation: script-src", StringComparison.Ordinal) });

        Assert.Null(await page.EvaluateAsync<bool?>("() => window.injected"));
        Assert.Contains(server.BrowserErrors, e => e.Contains("CSP violation: script-src", StringComparison.Ordinal));
        Assert.Throws<Xunit.Sdk.TrueException>(server.AssertNoCspViolations);
        server.ForgetBrowserErrors(page);
        server.AssertNoCspViolations();
    }

    /// <summary>Signing out in one tab ends the open circuit of another: its next action closes the connection.</summary>
    [Fact]
    public async Task Signing_out_elsewhere_stops_an_open_wizard()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/signin#key=" + AccessKeyServerFixture.Key);
        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.WaitForInteractiveAsync();
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync(server.BaseUrl + "/");
        await other.WaitForInteractiveAsync();

        // The point of this test: the signed-out tab's connection is refused (401 "Sign-in required"), which Blazor's
        // client reports as console errors; every other error still fails the test.
        server.AllowPageErrors(page, "Sign-in required");
        server.AllowPageErrors(page, "Connection disconnected");
        server.AllowPageErrors(other, "Sign-in required");
        server.AllowPageErrors(page, "401 (Unauthorized) (at " + server.BaseUrl + "/_blazor/negotiate");
        await other.SignOutAsync(server);
        await page.Locator("#wizard-next").ClickAsync();

        // The marker is the server closing that connection on the click; the page must not have moved on.
        await Eventually.ThatAsync(() => server.ServerLogs.Events.Any(e => e.Contains("Closed a console connection: signed out", StringComparison.Ordinal)),
            "the console never closed the signed-out connection");
        await page.ExpectStepAsync("Product");
        server.AssertNoCspViolations();
    }

    /// <summary>The page-error check itself: an uncaught exception in a page fails the test that opened it.</summary>
    [Fact]
    public async Task The_fixture_notices_an_uncaught_exception()
    {
        var earlier = server.Pages.ToHashSet();
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/signin");
        var thrown = new TaskCompletionSource();
        page.PageError += (_, _) => thrown.TrySetResult();

        await page.EvaluateAsync("() => { setTimeout(() => { throw new Error('uncaught on purpose'); }); }");
        await thrown.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var failure = Assert.Throws<Xunit.Sdk.TrueException>(() => server.AssertNoPageErrors(earlier));
        Assert.Contains("uncaught on purpose", failure.Message);
        server.ForgetBrowserErrors(page);
    }
}
