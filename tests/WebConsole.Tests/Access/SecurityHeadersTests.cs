using System.Net;
using System.Text.RegularExpressions;

namespace WebConsole.Tests.Access;

/// <summary>Security headers on every kind of response, with sign-in off (the default) and on.</summary>
public sealed partial class SecurityHeadersTests : IDisposable
{
    private readonly ConsoleAppFactory _open = new(new Dictionary<string, string?>());
    private readonly ConsoleAppFactory _signIn = new(ConsoleAppFactory.AccessKeyMode("headers-key-0123456789"));

    public void Dispose()
    {
        _open.Dispose();
        _signIn.Dispose();
    }

    public static TheoryData<bool, string, string> Responses => new()
    {
        { false, "GET", "/" },                                   // a page
        { false, "GET", "/favicon.svg" },                        // a static asset
        { false, "GET", "/_content/MudBlazor/MudBlazor.min.css" },
        { false, "GET", "/no-such-page" },                       // 404 (re-executed not-found page)
        { false, "GET", "/healthz" },
        { false, "GET", "/readyz" },
        { false, "GET", "/culture/set?culture=fr&redirectUri=/" }, // 400
        { false, "GET", "/culture/set?culture=en&redirectUri=/" }, // redirect
        { false, "POST", "/_blazor/negotiate?negotiateVersion=1" },
        { true, "GET", "/signin" },
        { true, "GET", "/signin.css" },
        { true, "GET", "/" },                                    // redirect to sign-in
        { true, "GET", "/app.css" },                             // 401
        { true, "POST", "/signin" },                             // 400 (no antiforgery token)
        { true, "GET", "/no-such-page" },
        { true, "GET", "/healthz" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(bool signIn, string method, string path)
    {
        using var client = (signIn ? _signIn : _open).NewClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Accept", "text/html");

        var response = await client.SendAsync(request);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp);
        Assert.Matches(@"script-src 'self' 'nonce-[0-9a-f]{32}';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("img-src 'self' data:", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("base-uri 'self'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
    }

    [Fact]
    public async Task The_import_map_carries_the_nonce_of_its_own_response_and_nonces_differ_per_response()
    {
        using var client = _open.NewClient();

        var first = await client.GetAsync("/");
        var second = await client.GetAsync("/");

        var html = await first.Content.ReadAsStringAsync();
        var nonce = NoncePattern().Match(Header(first, "Content-Security-Policy")).Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", html);
        Assert.NotEqual(nonce, NoncePattern().Match(Header(second, "Content-Security-Policy")).Groups[1].Value);
        // No other inline script: every other <script> has a src.
        Assert.All(Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => m.Value), tag => Assert.Contains("importmap", tag));
        Assert.Equal("no-store", Header(first, "Cache-Control"));
    }

    [Fact]
    public async Task The_not_found_page_rendered_by_re_execution_uses_the_nonce_its_header_announces()
    {
        using var client = _open.NewClient();

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var nonce = NoncePattern().Match(Header(response, "Content-Security-Policy")).Groups[1].Value;
        Assert.Contains($"nonce=\"{nonce}\"", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Without sign-in the console answers only by local names: a DNS-rebinding page cannot drive it.</summary>
    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("192.168.1.20", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:5000", HttpStatusCode.OK)]
    [InlineData("[::1]:5000", HttpStatusCode.OK)]
    public async Task Without_sign_in_only_local_host_names_are_answered(string host, HttpStatusCode expected)
    {
        using var client = _open.NewClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = host;

        var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? Assert.Single(values)
            : throw new Xunit.Sdk.XunitException($"{name} missing on {(int)response.StatusCode} {response.RequestMessage!.RequestUri}");

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();
}
