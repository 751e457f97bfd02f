using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WebConsole.Tests.Access;

/// <summary>
/// A minimal OpenID Connect provider on loopback: discovery, JWKS, a token endpoint that checks the client secret
/// and PKCE, userinfo and end-session. Authorization codes are issued by the test (standing in for the user's
/// browser at the provider's login page) with <see cref="IssueCode"/>.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "mesh-console";
    public const string ClientSecret = "oidc-client-secret-5f4e3d2c1b";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Nonce, string Challenge, string User)> _codes = new();

    public enum Behaviour { Valid, ServerError, InvalidJson, MissingEndpoints }

    public Behaviour Discovery { get; set; } = Behaviour.Valid;
    public string Issuer { get; private set; } = "";
    public List<string> TokenRequests { get; } = [];

    private FakeIdentityProvider(WebApplication app) => _app = app;

    public static async Task<FakeIdentityProvider> StartAsync(Behaviour discovery = Behaviour.Valid)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var provider = new FakeIdentityProvider(builder.Build()) { Discovery = discovery };
        provider.Map();
        await provider._app.StartAsync();
        provider.Issuer = provider._app.Urls.First() + "/realms/test";
        return provider;
    }

    /// <summary>What the provider's login page would do for <paramref name="user"/>: a code bound to the request's nonce and PKCE challenge.</summary>
    public string IssueCode(Uri authorizeRequest, string user)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorizeRequest.Query);
        Assert.Equal(ClientId, query["client_id"].ToString());
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (query["nonce"].ToString(), query["code_challenge"].ToString(), user);
        return code;
    }

    private void Map()
    {
        var prefix = "/realms/test";
        _app.MapGet(prefix + "/.well-known/openid-configuration", () => Discovery switch
        {
            Behaviour.ServerError => Results.Text("boom", statusCode: 500),
            Behaviour.InvalidJson => Results.Text("<html>not json</html>", "text/html"),
            Behaviour.MissingEndpoints => Results.Json(new { issuer = Issuer }),
            _ => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = Issuer + "/protocol/openid-connect/auth",
                ["token_endpoint"] = Issuer + "/protocol/openid-connect/token",
                ["userinfo_endpoint"] = Issuer + "/protocol/openid-connect/userinfo",
                ["end_session_endpoint"] = Issuer + "/protocol/openid-connect/logout",
                ["jwks_uri"] = Issuer + "/protocol/openid-connect/certs",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
            }),
        });
        _app.MapGet(prefix + "/protocol/openid-connect/certs", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "k1" });
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = jwk.N, e = jwk.E } } });
        });
        _app.MapPost(prefix + "/protocol/openid-connect/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            lock (TokenRequests) TokenRequests.Add(string.Join("&", form.Select(f => f.Key)));
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            if (!_codes.TryRemove(form["code"].ToString(), out var grant)) return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
            if (challenge != grant.Challenge) return Results.Json(new { error = "invalid_grant", error_description = "PKCE" }, statusCode: 400);
            return Results.Json(new
            {
                access_token = "at-" + Guid.NewGuid().ToString("N"),
                token_type = "Bearer",
                expires_in = 300,
                id_token = IdToken(grant.User, grant.Nonce),
            });
        });
        _app.MapGet(prefix + "/protocol/openid-connect/userinfo", () => Results.Json(new { sub = "user-1", preferred_username = "alice@example.com", email = "alice@example.com" }));
    }

    private string IdToken(string user, string nonce) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = ClientId,
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow.AddMinutes(5),
        Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("preferred_username", user), new Claim("nonce", nonce), new Claim("groups", "platform-admins")]),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
    });

    public Dictionary<string, string?> ConsoleSettings(string? requiredClaim = null) => new()
    {
        ["Console:Access:Mode"] = "OpenIdConnect",
        ["Console:Access:Oidc:Authority"] = Issuer,
        ["Console:Access:Oidc:ClientId"] = ClientId,
        ["Console:Access:Oidc:ClientSecret"] = ClientSecret,
        ["Console:Access:Oidc:DiscoveryTimeoutSeconds"] = "5",
        ["Console:Access:Oidc:RequiredClaim"] = requiredClaim,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
