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
/// authorization policy, request limits, the sign-in rate limit, the audit log and the traffic-run limiter.
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

    /// <summary>Middleware: local-only guard without sign-in; authentication, authorization and the sign-in rate limit with it.</summary>
    public static WebApplication UseMeshConsoleAccess(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<AccessSettings>();
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

    /// <summary>Requires a signed-in user on these endpoints when sign-in is on (the fallback policy does too; this says it explicitly).</summary>
    public static TBuilder RequireSignIn<TBuilder>(this TBuilder builder, IServiceProvider services) where TBuilder : IEndpointConventionBuilder =>
        services.GetRequiredService<AccessSettings>().RequiresSignIn ? builder.RequireAuthorization() : builder;

    /// <summary>The sign-in page's stylesheet and script and the favicon are the only static assets anonymous visitors get.</summary>
    public static TBuilder AllowSignInAssets<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route } && IsSignInAsset(route))
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
        });
        return builder;
    }

    internal static bool IsSignInAsset(string route)
    {
        var path = route.TrimStart('/');
        // Plain and fingerprinted routes: signin.css, signin.abc123.css, js/signin.js, favicon.svg, with .gz/.br twins.
        return SignInAssetPattern().IsMatch(path);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(signin(\.[a-z0-9]+)?\.css|js/signin(\.[a-z0-9]+)?\.js|favicon(\.[a-z0-9]+)?\.svg)(\.gz|\.br)?$")]
    private static partial System.Text.RegularExpressions.Regex SignInAssetPattern();

    public static WebApplication MapAccessEndpoints(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<AccessSettings>();
        if (!settings.RequiresSignIn) return app;

        app.MapGet("/signin", (HttpContext context, string? returnUrl, bool? signedOut, string? error) =>
        {
            var target = LocalUrl(returnUrl);
            if (IsSignedIn(context)) return Results.LocalRedirect(target);
            var text = context.RequestServices.GetRequiredService<WebConsole.Features.Localization.ConsoleText>();
            return Page(context, StatusCodes.Status200OK, target, error == "oidc" ? text["SignIn.ProviderFailed"] : null, signedOut == true);
        }).AllowAnonymous();

        app.MapGet("/signin/denied", (HttpContext context) =>
        {
            var text = context.RequestServices.GetRequiredService<WebConsole.Features.Localization.ConsoleText>();
            var user = context.RequestServices.GetRequiredService<ICurrentUser>();
            return Page(context, StatusCodes.Status403Forbidden, "/", text.Format("SignIn.Denied", user.Name), denied: true);
        }).AllowAnonymous();

        app.MapPost("/signout", SignOutAsync).AllowAnonymous().DisableAntiforgery()
            .WithFormOptions(valueCountLimit: 4, valueLengthLimit: 1024, keyLengthLimit: 64)
            .WithMetadata(new RequestSizeLimit(MaxSignInFormBytes));

        if (settings.Mode == AccessMode.AccessKey)
        {
            // Antiforgery is checked in the handler, to answer with the form and a clear message rather than a bare 400.
            app.MapPost("/signin", SignInWithKeyAsync).AllowAnonymous().DisableAntiforgery()
                .RequireRateLimiting(SignInRateLimitPolicy)
                .WithFormOptions(valueCountLimit: 4, valueLengthLimit: AccessSettings.MaximumKeyLength * 4, keyLengthLimit: 64)
                .WithMetadata(new RequestSizeLimit(MaxSignInFormBytes));
        }
        else
        {
            app.MapGet("/signin/oidc", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl) }, [OidcScheme])).AllowAnonymous();
        }
        return app;
    }

    private static async Task<IResult> SignInWithKeyAsync(HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery,
        AccessKeyVerifier verifier, AccessSettings settings, TimeProvider clock, WebConsole.Features.Localization.ConsoleText text, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("LightStepMeshConsole.Access");
        string? key = null, returnUrl = null;
        if (context.Request.HasFormContentType)
        {
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                key = form["key"];
                returnUrl = form["returnUrl"];
            }
            catch (InvalidDataException)
            {
                // Beyond the form limits (too many fields, an oversized value): not a sign-in attempt.
                return Page(context, StatusCodes.Status400BadRequest, "/", text["SignIn.BadForm"]);
            }
        }
        var target = LocalUrl(returnUrl);
        if (!await antiforgery.IsRequestValidAsync(context))
            return Page(context, StatusCodes.Status400BadRequest, target, text["SignIn.FormExpired"]);
        if (string.IsNullOrEmpty(key))
            return Page(context, StatusCodes.Status400BadRequest, target, text["SignIn.EmptyKey"]);
        if (!verifier.Matches(key))
        {
            LogWrongKey(logger, ClientAddress(context));
            return Page(context, StatusCodes.Status401Unauthorized, target, text["SignIn.WrongKey"]);
        }

        var identity = new ClaimsIdentity(SessionClaims.For(SessionClaims.AccessKeyUserName, clock.GetUtcNow(), settings.SessionLifetime, settings.KeyId),
            CookieScheme, SessionClaims.UserName, ClaimTypes.Role);
        var principal = new ClaimsPrincipal(identity);
        await context.SignInAsync(CookieScheme, principal, new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        LogSignedIn(logger, SessionClaims.AccessKeyUserName, principal.FindFirst(SessionClaims.SessionId)!.Value, ClientAddress(context));
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery,
        AccessSettings settings, SessionRegistry sessions, ILoggerFactory loggers, IServiceProvider services)
    {
        const string signedOut = "/signin?signedOut=true";
        if (context.User.Identity?.IsAuthenticated != true) return Results.LocalRedirect(signedOut);
        if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest("The sign-out form expired; reload the page and sign out again.");

        sessions.Revoke(context.User);
        LogSignedOut(loggers.CreateLogger("LightStepMeshConsole.Access"), context.User.FindFirst(SessionClaims.UserName)?.Value ?? "?",
            context.User.FindFirst(SessionClaims.SessionId)?.Value ?? "?");
        if (settings.Mode == AccessMode.OpenIdConnect && services.GetService<OidcDiscovery>()?.EndSessionEndpoint is not null)
            return Results.SignOut(new AuthenticationProperties { RedirectUri = signedOut }, [CookieScheme, OidcScheme]);
        await context.SignOutAsync(CookieScheme);
        return Results.LocalRedirect(signedOut);
    }

    private static IResult Page(HttpContext context, int status, string returnUrl, string? error, bool signedOut = false, bool denied = false)
    {
        var settings = context.RequestServices.GetRequiredService<AccessSettings>();
        return new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<SignInPage>(new Dictionary<string, object?>
        {
            [nameof(SignInPage.Mode)] = settings.Mode,
            [nameof(SignInPage.ReturnUrl)] = returnUrl,
            [nameof(SignInPage.Error)] = error,
            [nameof(SignInPage.SignedOut)] = signedOut,
            [nameof(SignInPage.Denied)] = denied,
            [nameof(SignInPage.Provider)] = settings.Oidc?.Authority.Host,
        })
        { StatusCode = status };
    }

    private static bool IsSignedIn(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true &&
        context.RequestServices.GetRequiredService<SessionRegistry>().IsValid(context.User, out _);

    /// <summary>A local path to return to after sign-in; anything else (another site, //host, control characters) becomes "/".</summary>
    public static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) &&
        !url.StartsWith("/\\", StringComparison.Ordinal) && !url.Any(char.IsControl) && !url.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
            ? url : "/";

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionRegistry>();
        if (sessions.IsValid(context.Principal, out var reason)) return;
        LogSessionRejected(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightStepMeshConsole.Access"), reason);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieScheme);
    }

    /// <summary>Page navigations go to the sign-in page; the Blazor hub, scripts and fetches get a plain status instead.</summary>
    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsPageNavigation(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        return WriteStatus(context.Response, status);
    }

    private static Task WriteStatus(HttpResponse response, int status)
    {
        response.StatusCode = status;
        // A body (and content type) keeps the status code pages from replacing the answer with the not-found page.
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(status == StatusCodes.Status401Unauthorized ? "Sign-in required.\n" : "Not allowed.\n");
    }

    internal static bool IsPageNavigation(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        if (request.Path.StartsWithSegments("/_blazor") || request.Path.StartsWithSegments("/_framework")) return false;
        var mode = request.Headers["Sec-Fetch-Mode"].ToString();
        if (mode.Length > 0) return mode == "navigate";
        return request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

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

    private static void AddSignInRateLimit(IServiceCollection services, AccessSettings settings) =>
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(SignInRateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.OnRejected = async (rejected, ct) =>
            {
                var context = rejected.HttpContext;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                LogRateLimited(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightStepMeshConsole.Access"), ClientAddress(context));
                var text = context.RequestServices.GetRequiredService<WebConsole.Features.Localization.ConsoleText>();
                await Page(context, StatusCodes.Status429TooManyRequests, "/", text.Format("SignIn.TooManyAttempts", seconds)).ExecuteAsync(context);
            };
        });

    /// <summary>
    /// Log categories that print what users type: at Debug, SignalR logs every hub invocation with its arguments
    /// (form field values, so the LightStep access token). They are held at Information whatever the configuration
    /// says (these rules are more specific than Default, and registered after the configuration's, so they win;
    /// the Console provider gets its own copy because provider-specific configuration would beat a general rule).
    /// </summary>
    internal static readonly string[] CategoriesWithUserInput =
    [
        "Microsoft.AspNetCore.SignalR",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Components.Server",
    ];

    private static void KeepSecretsOutOfLogs(ILoggingBuilder logging)
    {
        foreach (var category in CategoriesWithUserInput)
        {
            logging.AddFilter(category, LogLevel.Information);
            logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(category, LogLevel.Information);
        }
    }

    /// <summary>Kestrel's body limit (unless configured under Kestrel:Limits) and form limits; the Blazor hub's message limit is set with the hub.</summary>
    private static void AddRequestLimits(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Kestrel:Limits:MaxRequestBodySize"] is not null;
        builder.WebHost.ConfigureKestrel(options =>
        {
            if (!configured) options.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        builder.Services.Configure<FormOptions>(options =>
        {
            options.MultipartBodyLengthLimit = MaxRequestBodyBytes;
            options.ValueCountLimit = 64;
            options.ValueLengthLimit = 64 * 1024;
            options.KeyLengthLimit = 256;
        });
    }

    /// <summary>
    /// Without sign-in the console answers only local clients by local names: a connection from another address
    /// (which the binding rules should already make impossible) or a Host header that is not localhost or a loopback
    /// address (a DNS-rebinding page in the user's browser) gets 400. An explicit AllowedHosts list replaces the host check.
    /// </summary>
    private static void UseLocalOnly(this WebApplication app)
    {
        var checkHost = (app.Configuration["AllowedHosts"] ?? "*").Trim() == "*";
        app.Use((context, next) =>
        {
            var remote = context.Connection.RemoteIpAddress;
            if (remote is { IsIPv4MappedToIPv6: true }) remote = remote.MapToIPv4();
            var remoteOk = remote is null || IPAddress.IsLoopback(remote);
            var hostOk = !checkHost || IsLocalHost(context.Request.Host.Host);
            if (remoteOk && hostOk) return next(context);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("Sign-in is off, so this console answers only on localhost, 127.0.0.1 or [::1] from this machine. " +
                                               "Turn on sign-in (Console__Access__Mode) to reach it otherwise.\n");
        });
    }

    internal static bool IsLocalHost(string host)
    {
        if (string.IsNullOrEmpty(host)) return false;
        var bare = host.Trim('[', ']');
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase) ||
               bare.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ||
               IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address);
    }

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";

    private sealed class RequestSizeLimit(long bytes) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }

    [LoggerMessage(EventId = 9200, Level = LogLevel.Warning, Message = "Sign-in refused: wrong access key from {Client}.")]
    private static partial void LogWrongKey(ILogger logger, string client);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Signed in: {User}, session {SessionId}, from {Client}.")]
    private static partial void LogSignedIn(ILogger logger, string user, string sessionId, string client);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Signed out: {User}, session {SessionId}.")]
    private static partial void LogSignedOut(ILogger logger, string user, string sessionId);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Session refused: {Reason}.")]
    private static partial void LogSessionRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Sign-in attempts from {Client} rate-limited.")]
    private static partial void LogRateLimited(ILogger logger, string client);

    [LoggerMessage(EventId = 9205, Level = LogLevel.Warning, Message = "OpenID Connect sign-in failed: {FailureType}: {FailureMessage}")]
    private static partial void LogProviderFailure(ILogger logger, string failureType, string failureMessage);
}
