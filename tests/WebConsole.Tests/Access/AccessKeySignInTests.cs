using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebConsole.Features.Access;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Access;

/// <summary>The console on Kestrel bound to 0.0.0.0 with sign-in by access key: nothing but sign-in and health without it.</summary>
public sealed class AccessKeySignInTests : IDisposable
{
    private const string Key = "known-access-key-0123456789abcdef";
    private readonly ConsoleAppFactory _factory = new(ConsoleAppFactory.AccessKeyMode(Key), listenOnAnyAddress: true);

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/")]
    [InlineData("/?step=review")]
    [InlineData("/not-found")]
    [InlineData("/no-such-page")]
    [InlineData("/culture/set?culture=zh-Hans&redirectUri=/")]
    public async Task Page_navigations_without_a_session_go_to_the_sign_in_page(string path)
    {
        using var client = _factory.NewClient();

        var response = await client.SendAsync(Html.Navigation(HttpMethod.Get, path));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The Blazor hub (negotiate and the WebSocket/long-polling endpoint; the plan bundle download travels through it),
    /// the app's scripts and styles, and the culture endpoint called by a script: refused with 401, never redirected.
    /// </summary>
    [Theory]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/_blazor?id=abc")]
    [InlineData("POST", "/_blazor/disconnect")]
    [InlineData("GET", "/_blazor/initializers")]
    [InlineData("GET", "/_framework/blazor.web.js")]
    [InlineData("GET", "/_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("GET", "/app.css")]
    [InlineData("GET", "/js/console.js")]
    [InlineData("GET", "/culture/set?culture=en&redirectUri=/")]
    public async Task The_hub_assets_and_endpoints_refuse_anonymous_requests(string method, string path)
    {
        using var client = _factory.NewClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Sign-in required.\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/signin.css")]
    [InlineData("/js/signin.js")]
    [InlineData("/favicon.svg")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Sign_in_its_assets_and_health_answer_anonymously(string path)
    {
        using var client = _factory.NewClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_with_a_clear_message_and_no_session()
    {
        using var client = _factory.NewClient();

        var response = await SignInAsync(client, "known-access-key-0123456789abcdeX");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"signin-error\"", html);
        Assert.Contains("That access key is not correct.", html);
        Assert.DoesNotContain(SessionCookies(response), c => c.Length > 0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Contains(_factory.Logs.Events, e => e.Message.Contains("wrong access key", StringComparison.Ordinal));
        Assert.DoesNotContain(_factory.Logs.Events, e => e.AllText.Contains("known-access-key-0123456789abcdeX", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("known-access-key-0123456789abcdef-and-more")]
    [InlineData("known-access-key-0123456789abcde")]
    public async Task Keys_of_other_lengths_are_refused(string key)
    {
        using var client = _factory.NewClient();

        var response = await SignInAsync(client, key);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, response.StatusCode.ToString());
        Assert.Empty(SessionCookies(response));
    }

    [Fact]
    public async Task The_right_key_sets_a_strict_http_only_session_cookie_and_opens_the_console()
    {
        using var client = _factory.NewClient();

        var response = await SignInAsync(client, Key, returnUrl: "/?step=review");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?step=review", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(SessionCookies(response));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase); // a browser-session cookie
        Assert.DoesNotContain(Key, cookie);

        var page = await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>LightStep Mesh Console</title>", html);
        Assert.Contains("id=\"current-user\"", html);
        Assert.Contains(SessionClaims.AccessKeyUserName, html);
        Assert.Contains("id=\"sign-out\"", html);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_framework/blazor.web.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/culture/set?culture=zh-Hans&redirectUri=/")).StatusCode);
        Assert.DoesNotContain(_factory.Logs.Events, e => e.AllText.Contains(Key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/signin")]
    public async Task The_return_url_after_sign_in_stays_on_the_console(string returnUrl)
    {
        using var client = _factory.NewClient();

        var response = await SignInAsync(client, Key, returnUrl);

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        using var client = _factory.NewClient();
        await client.GetAsync("/signin");

        var response = await client.SendAsync(Html.Navigation(HttpMethod.Post, "/signin", Html.Form(("key", Key), ("returnUrl", "/"))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The sign-in form expired", await response.Content.ReadAsStringAsync());
        Assert.Empty(SessionCookies(response));
    }

    [Fact]
    public async Task An_oversized_sign_in_post_is_refused_before_it_is_read()
    {
        using var client = _factory.NewClient();
        var html = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();

        var response = await client.PostAsync("/signin", Html.Form(("__RequestVerificationToken", Html.AntiforgeryToken(html)), ("key", Key), ("padding", new string('x', 64 * 1024))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(SessionCookies(response));
    }

    [Fact]
    public async Task A_sign_in_post_beyond_the_form_limits_is_a_clear_400()
    {
        using var client = _factory.NewClient();
        var html = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();

        var response = await client.PostAsync("/signin", Html.Form(("__RequestVerificationToken", Html.AntiforgeryToken(html)), ("key", Key),
            ("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The sign-in request was not understood", await response.Content.ReadAsStringAsync());
        Assert.Empty(SessionCookies(response));
    }

    [Fact]
    public async Task Sign_out_ends_the_session_even_for_a_copy_of_the_cookie()
    {
        var cookies = new CookieContainer();
        using var client = _factory.NewClient(cookies);
        await SignInAsync(client, Key);
        var page = await (await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"))).Content.ReadAsStringAsync();
        var stolen = cookies.GetCookieHeader(client.BaseAddress!);

        var signOut = await client.SendAsync(Html.Navigation(HttpMethod.Post, "/signout",
            Html.Form(("__RequestVerificationToken", Html.AntiforgeryToken(page, "signout-form")))));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/signin?signedOut=true", signOut.Headers.Location!.OriginalString);
        Assert.Contains(SessionCookies(signOut), c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("You are signed out.", await (await client.GetAsync("/signin?signedOut=true")).Content.ReadAsStringAsync());

        using var replay = _factory.NewClient();
        var request = Html.Navigation(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", stolen);
        var replayed = await replay.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/signin", replayed.Headers.Location!.AbsolutePath);
        var hub = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        hub.Headers.Add("Cookie", stolen);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(hub)).StatusCode);
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_changes_nothing()
    {
        using var client = _factory.NewClient();
        await SignInAsync(client, Key);

        var signOut = await client.PostAsync("/signout", Html.Form(("x", "y")));

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"))).StatusCode);
    }

    internal static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, string returnUrl = "/")
    {
        var form = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();
        return await client.SendAsync(Html.Navigation(HttpMethod.Post, "/signin",
            Html.Form(("__RequestVerificationToken", Html.AntiforgeryToken(form, "signin-form")), ("key", key), ("returnUrl", returnUrl))));
    }

    internal static IReadOnlyList<string> SessionCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.StartsWith(AccessServices.CookieName + "=", StringComparison.Ordinal)).ToList()
            : [];
}

/// <summary>Sign-in attempts per client address are limited; the limit answers 429 with Retry-After and the form.</summary>
public sealed class SignInRateLimitTests
{
    [Fact]
    public async Task The_fourth_attempt_within_a_minute_is_refused_even_with_the_right_key()
    {
        using var factory = new ConsoleAppFactory(ConsoleAppFactory.AccessKeyMode("rate-limit-key-0123456789", attemptsPerMinute: 3), listenOnAnyAddress: true);
        using var client = factory.NewClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await AccessKeySignInTests.SignInAsync(client, "wrong-key-attempt-" + i)).StatusCode);
        var limited = await AccessKeySignInTests.SignInAsync(client, "rate-limit-key-0123456789");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync());
        Assert.Empty(AccessKeySignInTests.SessionCookies(limited));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode); // the form itself is not limited
    }
}

/// <summary>Sessions end at their absolute lifetime, however active.</summary>
public sealed class SessionLifetimeTests
{
    [Fact]
    public async Task A_session_is_refused_after_its_lifetime_even_while_in_use()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var settings = ConsoleAppFactory.AccessKeyMode("lifetime-key-0123456789");
        settings["Console:Access:SessionHours"] = "8";
        using var factory = new ConsoleAppFactory(settings, listenOnAnyAddress: true,
            services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        using var client = factory.NewClient();
        await AccessKeySignInTests.SignInAsync(client, "lifetime-key-0123456789");

        clock.Now += TimeSpan.FromHours(5);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"))).StatusCode);
        clock.Now += TimeSpan.FromHours(2.9);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"))).StatusCode);
        clock.Now += TimeSpan.FromHours(0.2);

        var expired = await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"));
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal("/signin", expired.Headers.Location!.AbsolutePath);
        Assert.Contains(factory.Logs.Events, e => e.Message.Contains("session lifetime reached", StringComparison.Ordinal));
    }
}
