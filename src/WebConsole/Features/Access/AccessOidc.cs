using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace WebConsole.Features.Access;

/// <summary>OpenID Connect sign-in: the provider options and what a provider failure logs.</summary>
public static partial class AccessServices
{
    private static void ConfigureOidc(OpenIdConnectOptions options, OidcSettings oidc, AccessSettings settings)
    {
        options.Authority = oidc.Authority.AbsoluteUri;
        options.ClientId = oidc.ClientId;
        options.ClientSecret = oidc.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in oidc.Scopes) options.Scope.Add(scope);
        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = true;
        // Only the id_token is kept (in the encrypted cookie), as the end-session hint; access and refresh tokens are dropped.
        options.SaveTokens = true;
        options.TokenValidationParameters.NameClaimType = oidc.NameClaim ?? "preferred_username";
        options.SignInScheme = CookieScheme;
        options.SignedOutRedirectUri = "/signin?signedOut=true";
        options.BackchannelTimeout = TimeSpan.FromSeconds(30);
        options.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = context =>
            {
                if (IsPageNavigation(context.Request)) return Task.CompletedTask;
                context.HandleResponse();
                return WriteStatus(context.Response, StatusCodes.Status401Unauthorized);
            },
            OnTicketReceived = context =>
            {
                var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                var principal = context.Principal!;
                var name = new[] { oidc.NameClaim, "preferred_username", "email", "name", "sub" }
                    .Where(c => c is not null).Select(c => principal.FindFirst(c!)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? "signed-in user";
                ((ClaimsIdentity)principal.Identity!).AddClaims(SessionClaims.For(name, clock.GetUtcNow(), settings.SessionLifetime, null));
                var properties = context.Properties!;
                var idToken = properties.GetTokenValue("id_token");
                properties.StoreTokens(idToken is null ? [] : [new AuthenticationToken { Name = "id_token", Value = idToken }]);
                LogSignedIn(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightStepMeshConsole.Access"),
                    name, principal.FindFirst(SessionClaims.SessionId)!.Value, ClientAddress(context.HttpContext));
                return Task.CompletedTask;
            },
            OnRemoteFailure = context =>
            {
                LogProviderFailure(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightStepMeshConsole.Access"),
                    context.Failure?.GetType().Name ?? "unknown", context.Failure?.Message ?? "");
                context.Response.Redirect("/signin?error=oidc");
                context.HandleResponse();
                return Task.CompletedTask;
            },
        };
    }

    [LoggerMessage(EventId = 9205, Level = LogLevel.Warning, Message = "OpenID Connect sign-in failed: {FailureType}: {FailureMessage}")]
    private static partial void LogProviderFailure(ILogger logger, string failureType, string failureMessage);
}
