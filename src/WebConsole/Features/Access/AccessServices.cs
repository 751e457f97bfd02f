using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace WebConsole.Features.Access;

/// <summary>
/// Access control wiring: binding rules, sign-in (access key or OpenID Connect) with cookie sessions, the fallback
/// authorization policy, request limits, the sign-in rate limit, the audit log and the traffic-run limiter. The parts
/// live beside it: AccessSignIn.cs, AccessOidc.cs, AccessGuards.cs (host, binding, limits), AccessLogging.cs, SecurityHeaders.cs.
/// </summary>
public static partial class AccessServices
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string CookieName = ".LightStepMeshConsole.Session";
    public const string SignInRateLimitPolicy = "signin";
    public const long MaxRequestBodyBytes = 1024 * 1024;
    public const long MaxSignInFormBytes = 8 * 1024;

    /// <summary>Reads and checks Console:Access, refuses a non-loopback binding without sign-in, registers the services.</summary>
    public static WebApplicationBuilder AddMeshConsoleAccess(this WebApplicationBuilder builder)
    {
        var settings = AccessSettings.Read(builder.Configuration);
        if (BindingRules.Check(BindingRules.ConfiguredUrls(builder.Configuration), settings.Mode) is { } refusal)
            throw new StartupRefusedException(refusal);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<WebConsole.Drafts.IDraftOwner, DraftOwner>();
        services.AddScoped<CspNonce>();
        var headers = new SecurityHeaders();
        services.AddSingleton(headers);
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<ITrafficRunLimiter, TrafficRunLimiter>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<AccessKeyVerifier>();
        if (settings.Oidc is { } oidc)
        {
            // Before anything starts: a wrong or unreachable authority is a one-line refusal, not a failed first sign-in.
            var discovery = new OidcDiscovery(oidc);
            discovery.CheckAsync(CancellationToken.None).GetAwaiter().GetResult();
            services.AddSingleton(discovery);
            headers.AllowFormAction(oidc.Authority);
            if (discovery.EndSessionEndpoint is { } endSession) headers.AllowFormAction(endSession);
        }
        services.AddHostedService<AccessStartup>();
        AddRequestLimits(builder);
        KeepSecretsOutOfLogs(builder.Logging);

        if (!settings.RequiresSignIn) return builder;

        services.AddSingleton<SessionHubFilter>();
        services.Configure<HubOptions>(options => options.AddFilter<SessionHubFilter>());
        services.AddAuthorization(options =>
        {
            var policy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
            if (settings.Oidc?.RequiredClaim is { } required) policy.RequireClaim(required.Type, required.Values);
            // Everything without an explicit [AllowAnonymous] needs a signed-in user: pages, the Blazor hub,
            // static assets, the culture endpoint, even 404s.
            options.DefaultPolicy = options.FallbackPolicy = policy.Build();
        });
        AddSignInRateLimit(services, settings);

        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = CookieScheme;
            options.DefaultChallengeScheme = settings.Mode == AccessMode.OpenIdConnect ? OidcScheme : CookieScheme;
        });
        authentication.AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            // Strict for the access key (the sign-in form is ours); Lax for OpenID Connect, whose sign-in ends in a
            // cross-site redirect from the identity provider that a Strict cookie would not survive.
            options.Cookie.SameSite = settings.Mode == AccessMode.AccessKey ? SameSiteMode.Strict : SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.IsEssential = true;
            options.ExpireTimeSpan = settings.SessionLifetime;
            options.SlidingExpiration = true;
            options.LoginPath = "/signin";
            options.LogoutPath = "/signout";
            options.AccessDeniedPath = "/signin/denied";
            options.ReturnUrlParameter = "returnUrl";
            options.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = ValidateSessionAsync,
                OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden),
            };
        });
        if (settings.Oidc is { } oidcSettings)
            authentication.AddOpenIdConnect(OidcScheme, options => ConfigureOidc(options, oidcSettings, settings));
        return builder;
    }

    /// <summary>Middleware: the hub's origin check; local-only guard without sign-in; authentication, authorization and the sign-in rate limit with it.</summary>
    public static WebApplication UseMeshConsoleAccess(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<AccessSettings>();
        app.UseHubOriginCheck();
        if (!settings.RequiresSignIn)
        {
            app.UseLocalOnly();
            return app;
        }
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
