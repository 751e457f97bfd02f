using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using WebConsole.Features.Access;

namespace WebConsole.Tests.Access;

public sealed class OpenIdConnectTests
{
    [Fact]
    public void Missing_settings_refuse_to_start_naming_each_one()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Console:Access:Mode"] = "OpenIdConnect",
            ["Console:Access:Oidc:ClientId"] = "console",
        }).Build();

        var refused = Assert.Throws<StartupRefusedException>(() => AccessSettings.Read(configuration));

        Assert.Contains("Console__Access__Oidc__Authority", refused.Message);
        Assert.Contains("Console__Access__Oidc__ClientSecret", refused.Message);
        Assert.DoesNotContain("Console__Access__Oidc__ClientId", refused.Message);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("http://login.example.com/realms/x")]
    [InlineData("https://login.example.com/?x=1")]
    public void An_unusable_authority_refuses_to_start(string authority)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Console:Access:Mode"] = "OpenIdConnect",
            ["Console:Access:Oidc:Authority"] = authority,
            ["Console:Access:Oidc:ClientId"] = "console",
            ["Console:Access:Oidc:ClientSecret"] = "secret-value-123",
        }).Build();

        var refused = Assert.Throws<StartupRefusedException>(() => AccessSettings.Read(configuration));

        Assert.Contains("Console:Access:Oidc:Authority", refused.Message);
        Assert.DoesNotContain("secret-value-123", refused.Message);
    }

    [Theory]
    [InlineData(FakeIdentityProvider.Behaviour.ServerError, "HTTP 500")]
    [InlineData(FakeIdentityProvider.Behaviour.InvalidJson, "not JSON")]
    [InlineData(FakeIdentityProvider.Behaviour.MissingEndpoints, "lacks authorization_endpoint, token_endpoint, jwks_uri")]
    public async Task A_broken_discovery_document_is_a_clear_error_naming_the_authority(FakeIdentityProvider.Behaviour behaviour, string why)
    {
        await using var idp = await FakeIdentityProvider.StartAsync(behaviour);

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(() => new OidcDiscovery(Settings(idp.Issuer)).CheckAsync(default));

        Assert.Contains(idp.Issuer, refused.Message);
        Assert.Contains(why, refused.Message);
        Assert.Contains("Console__Access__Oidc__Authority", refused.Message);
    }

    [Fact]
    public async Task An_unreachable_authority_is_a_clear_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(() => new OidcDiscovery(Settings($"http://127.0.0.1:{port}/realms/x")).CheckAsync(default));

        Assert.Contains($"http://127.0.0.1:{port}/realms/x", refused.Message);
        Assert.Contains("cannot be reached", refused.Message);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_is_a_timeout_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts connections, never answers
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var settings = Settings($"http://127.0.0.1:{port}", timeoutSeconds: "1");

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(() => new OidcDiscovery(settings).CheckAsync(default));

        Assert.Contains("did not answer within 1 s", refused.Message);
    }

    /// <summary>The program as an operator starts it: exit 1 and one line naming the authority, before it listens.</summary>
    [Fact]
    public async Task The_program_refuses_to_start_when_discovery_fails()
    {
        await using var idp = await FakeIdentityProvider.StartAsync(FakeIdentityProvider.Behaviour.ServerError);

        var run = await BindingRulesTests.RunProgramAsync(["--urls", "http://127.0.0.1:0"], new()
        {
            ["Console__Access__Mode"] = "OpenIdConnect",
            ["Console__Access__Oidc__Authority"] = idp.Issuer,
            ["Console__Access__Oidc__ClientId"] = FakeIdentityProvider.ClientId,
            ["Console__Access__Oidc__ClientSecret"] = FakeIdentityProvider.ClientSecret,
        });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(idp.Issuer, line);
        Assert.Contains("HTTP 500", line);
        Assert.DoesNotContain(FakeIdentityProvider.ClientSecret, run.Stderr + run.Stdout);
        Assert.DoesNotContain("Now listening", run.Stdout);
    }

    [Fact]
    public async Task Anonymous_requests_go_to_the_provider_with_code_flow_and_pkce_and_the_hub_gets_401()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        using var factory = new ConsoleAppFactory(idp.ConsoleSettings());
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var page = await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"));
        var negotiate = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var authorize = page.Headers.Location!;
        Assert.StartsWith(idp.Issuer + "/protocol/openid-connect/auth?", authorize.AbsoluteUri);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal(FakeIdentityProvider.ClientId, query["client_id"].ToString());
        Assert.EndsWith("/signin-oidc", query["redirect_uri"].ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("form-action 'self' " + new Uri(idp.Issuer).GetLeftPart(UriPartial.Authority), csp);
    }

    [Fact]
    public async Task Signing_in_redeems_the_code_with_pkce_opens_the_console_as_the_user_and_sign_out_ends_at_the_provider()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        using var factory = new ConsoleAppFactory(idp.ConsoleSettings(requiredClaim: "groups=platform-admins"));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var jar = new Dictionary<string, string>();

        var challenge = await SendAsync(client, jar, Html.Navigation(HttpMethod.Get, "/?step=review"));
        var authorize = challenge.Headers.Location!;
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        var code = idp.IssueCode(authorize, "alice@example.com");

        // The provider's form_post back to the console.
        var callback = await SendAsync(client, jar, Html.Navigation(HttpMethod.Post, "/signin-oidc", Html.Form(("code", code), ("state", state))));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/?step=review", callback.Headers.Location!.OriginalString);
        Assert.Contains("code_verifier", Assert.Single(idp.TokenRequests));
        var session = Assert.Single(AccessKeySignInTests.SessionCookies(callback));
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);

        var page = await SendAsync(client, jar, Html.Navigation(HttpMethod.Get, "/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("alice@example.com", html);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, jar, new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1"))).StatusCode);

        var signOut = await SendAsync(client, jar, Html.Navigation(HttpMethod.Post, "/signout",
            Html.Form(("__RequestVerificationToken", Html.AntiforgeryToken(html, "signout-form")))));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith(idp.Issuer + "/protocol/openid-connect/logout?", signOut.Headers.Location!.AbsoluteUri);
        Assert.Contains("id_token_hint=", signOut.Headers.Location.Query);
        Assert.Equal(HttpStatusCode.Redirect, (await SendAsync(client, jar, Html.Navigation(HttpMethod.Get, "/"))).StatusCode);
        Assert.DoesNotContain(factory.Logs.Events, e => e.AllText.Contains(FakeIdentityProvider.ClientSecret, StringComparison.Ordinal) || e.AllText.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_without_the_required_claim_is_refused()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        using var factory = new ConsoleAppFactory(idp.ConsoleSettings(requiredClaim: "groups=mesh-operators"));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var jar = new Dictionary<string, string>();
        var authorize = (await SendAsync(client, jar, Html.Navigation(HttpMethod.Get, "/"))).Headers.Location!;
        var code = idp.IssueCode(authorize, "mallory@example.com");
        await SendAsync(client, jar, Html.Navigation(HttpMethod.Post, "/signin-oidc",
            Html.Form(("code", code), ("state", QueryHelpers.ParseQuery(authorize.Query)["state"].ToString()))));

        var page = await SendAsync(client, jar, Html.Navigation(HttpMethod.Get, "/"));
        var negotiate = await SendAsync(client, jar, new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1"));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin/denied", page.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
        var denied = await SendAsync(client, jar, Html.Navigation(HttpMethod.Get, "/signin/denied"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var deniedHtml = await denied.Content.ReadAsStringAsync();
        Assert.Contains("mallory@example.com", deniedHtml);
        var signOut = await SendAsync(client, jar, Html.Navigation(HttpMethod.Post, "/signout",
            Html.Form(("__RequestVerificationToken", Html.AntiforgeryToken(deniedHtml, "signout-form")))));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith(idp.Issuer + "/protocol/openid-connect/logout?", signOut.Headers.Location!.AbsoluteUri);
    }

    private static OidcSettings Settings(string authority, string timeoutSeconds = "5")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Console:Access:Mode"] = "OpenIdConnect",
            ["Console:Access:Oidc:Authority"] = authority,
            ["Console:Access:Oidc:ClientId"] = FakeIdentityProvider.ClientId,
            ["Console:Access:Oidc:ClientSecret"] = FakeIdentityProvider.ClientSecret,
            ["Console:Access:Oidc:DiscoveryTimeoutSeconds"] = timeoutSeconds,
        }).Build();
        return AccessSettings.Read(configuration).Oidc!;
    }

    /// <summary>A cookie jar that, like a browser on localhost, also sends the Secure correlation cookies over http.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Dictionary<string, string> jar, HttpRequestMessage request)
    {
        if (jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            foreach (var cookie in cookies)
            {
                var pair = cookie[..cookie.IndexOf(';')];
                var name = pair[..pair.IndexOf('=')];
                var value = pair[(pair.IndexOf('=') + 1)..];
                if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) jar.Remove(name);
                else jar[name] = value;
            }
        return response;
    }
}
