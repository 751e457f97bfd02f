using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using WebConsole.Features.Access;

namespace WebConsole.Tests.Access;

/// <summary>
/// Cross-site WebSocket hijacking: a page on another site must not open the console's hub from the user's browser,
/// with sign-in off (no cookie to withhold) or on. The console's own pages and non-browser clients (no Origin) may.
/// </summary>
public sealed class HubOriginTests : IDisposable
{
    private const string Foreign = "https://attacker.example";
    private readonly ConsoleAppFactory _local = new(new Dictionary<string, string?>());

    public void Dispose() => _local.Dispose();

    private static HttpRequestMessage Negotiate(string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    [Theory]
    [InlineData(Foreign)]
    [InlineData("http://localhost:8080")]
    [InlineData("http://127.0.0.1")]
    [InlineData("null")]
    public async Task Negotiation_from_a_foreign_origin_is_refused_without_sign_in(string origin)
    {
        using var client = _local.NewClient();

        var response = await client.SendAsync(Negotiate(origin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("accepts only its own pages", await response.Content.ReadAsStringAsync());
        Assert.Contains(_local.Logs.Events, e => e.EventId.Id == 9212);
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData(null)]
    public async Task Negotiation_from_the_consoles_own_page_or_a_non_browser_client_goes_through(string? origin)
    {
        using var client = _local.NewClient();

        var response = await client.SendAsync(Negotiate(origin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> ConnectionTokenAsync()
    {
        using var client = _local.NewClient();
        var response = await client.SendAsync(Negotiate("http://localhost"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("connectionToken").GetString()!;
    }

    [Fact]
    public async Task A_websocket_upgrade_from_a_foreign_origin_is_refused()
    {
        var token = await ConnectionTokenAsync();
        var client = _local.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = Foreign;

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri("ws://localhost/_blazor?id=" + token), CancellationToken.None));

        Assert.Contains("403", refused.Message);
    }

    [Fact]
    public async Task A_websocket_upgrade_from_the_consoles_own_page_connects()
    {
        var token = await ConnectionTokenAsync();
        var client = _local.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = "http://localhost";

        using var socket = await client.ConnectAsync(new Uri("ws://localhost/_blazor?id=" + token), CancellationToken.None);

        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_signed_in_users_browser_on_a_foreign_page_cannot_open_the_hub()
    {
        const string key = "origin-access-key-0123456789abcdef";
        using var factory = new ConsoleAppFactory(ConsoleAppFactory.AccessKeyMode(key), listenOnAnyAddress: true);
        using var client = factory.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await AccessKeySignInTests.SignInAsync(client, key)).StatusCode);

        var foreign = await client.SendAsync(Negotiate(Foreign));
        var own = await client.SendAsync(Negotiate(client.BaseAddress!.GetLeftPart(UriPartial.Authority)));

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task A_configured_extra_origin_may_connect()
    {
        using var factory = new ConsoleAppFactory(new Dictionary<string, string?> { ["Console:Access:AllowedOrigins"] = "https://portal.example.com; http://localhost:3000" });
        using var client = factory.NewClient();

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Negotiate("https://portal.example.com"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Negotiate("http://localhost:3000"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Negotiate("http://portal.example.com"))).StatusCode);
    }

    [Theory]
    [InlineData("portal.example.com")]
    [InlineData("https://portal.example.com/app")]
    [InlineData("ftp://portal.example.com")]
    public void A_malformed_allowed_origin_refuses_the_start_naming_it(string entry)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Console:Access:AllowedOrigins"] = entry }).Build();

        var refused = Assert.Throws<StartupRefusedException>(() => AccessSettings.Read(configuration));

        Assert.Contains($"Console:Access:AllowedOrigins has '{entry}'; write each origin as scheme://host[:port]", refused.Message);
    }

    public static TheoryData<string?, string, bool> Origins => new()
    {
        // Origin header, Host header, allowed
        { null, "localhost:5000", true },
        { "", "localhost:5000", true },
        { "http://localhost:5000", "localhost:5000", true },
        { "http://LOCALHOST:5000", "localhost:5000", true },
        { "http://[::1]:5000", "[::1]:5000", true },
        { "https://console.example.com", "console.example.com", true }, // TLS proxy in front: the console sees http
        { "https://console.example.com", "console.example.com:443", true },
        { "http://console.example.com", "console.example.com:443", false },
        { "http://localhost:5001", "localhost:5000", false },
        { "http://localhost.attacker.example:5000", "localhost:5000", false },
        { "null", "localhost:5000", false },
        { "chrome-extension://abcdef", "localhost:5000", false },
        { "not a url", "localhost:5000", false },
    };

    [Theory]
    [MemberData(nameof(Origins))]
    public void The_rule(string? origin, string host, bool allowed) =>
        Assert.Equal(allowed, HubOriginCheck.IsAllowed(origin, new HostString(host), []));
}
