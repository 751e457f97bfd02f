using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;

namespace WebConsole.Features.Access;

/// <summary>Sign-in: the access-key and sign-out endpoints, the sign-in page, cookie session validation, and which endpoints and assets need a signed-in user.</summary>
public static partial class AccessServices
{
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
        var userName = context.User.FindFirst(SessionClaims.UserName)?.Value ?? "?";
        var sessionId = context.User.FindFirst(SessionClaims.SessionId)?.Value ?? "?";
        // The tab keeps its draft id in session storage across sign-out; the draft itself (access token included) goes now.
        services.GetRequiredService<WebConsole.Drafts.WizardDraftStore>().DiscardOwnedBy(DraftOwner.KeyFor(userName, sessionId));
        LogSignedOut(loggers.CreateLogger("LightStepMeshConsole.Access"), userName, sessionId);
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

    [LoggerMessage(EventId = 9200, Level = LogLevel.Warning, Message = "Sign-in refused: wrong access key from {Client}.")]
    private static partial void LogWrongKey(ILogger logger, string client);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Signed in: {User}, session {SessionId}, from {Client}.")]
    private static partial void LogSignedIn(ILogger logger, string user, string sessionId, string client);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Signed out: {User}, session {SessionId}.")]
    private static partial void LogSignedOut(ILogger logger, string user, string sessionId);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Session refused: {Reason}.")]
    private static partial void LogSessionRejected(ILogger logger, string reason);
}
