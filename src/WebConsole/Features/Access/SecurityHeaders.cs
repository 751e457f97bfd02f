using System.Security.Cryptography;

namespace WebConsole.Features.Access;

/// <summary>
/// A per-request nonce for the one inline script the pages have: Blazor's import map (&lt;ImportMap /&gt;).
/// Kept in HttpContext.Items so a re-executed request (status code pages, the error page) renders the nonce the
/// header announces.
/// </summary>
public sealed class CspNonce(IHttpContextAccessor accessor)
{
    private const string ItemKey = "lsmc.csp-nonce";
    private string? _fallback;

    public string Value => accessor.HttpContext is { } context ? For(context) : _fallback ??= NewNonce();

    public static string For(HttpContext context)
    {
        if (context.Items[ItemKey] is string nonce) return nonce;
        nonce = NewNonce();
        context.Items[ItemKey] = nonce;
        return nonce;
    }

    // Hex: valid in the CSP grammar and never changed by HTML attribute encoding (base64 "+" would be).
    private static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}

/// <summary>
/// Security headers on every response, set just before the headers go out so nothing later in the pipeline (the
/// exception handler clears headers) can drop them.
/// </summary>
public sealed class SecurityHeaders
{
    private readonly object _gate = new();
    private volatile string _formAction = "'self'";

    /// <summary>Allows forms (and their redirects) to go to <paramref name="target"/>'s origin, e.g. the identity provider.</summary>
    public void AllowFormAction(Uri target)
    {
        var origin = target.GetLeftPart(UriPartial.Authority);
        lock (_gate)
            if (!_formAction.Split(' ').Contains(origin))
                _formAction += " " + origin;
    }

    public string ContentSecurityPolicy(string nonce) => string.Join("; ",
        "default-src 'self'",
        // Blazor Server and MudBlazor need no eval; the import map is the only inline script and carries the nonce.
        $"script-src 'self' 'nonce-{nonce}'",
        // MudBlazor sets style attributes on its components (positions, sizes, colours) and Blazor's reconnect UI
        // injects a <style>: inline styles are required. Styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        // 'self' covers the circuit's same-origin WebSocket (ws:/wss:) in CSP Level 3 browsers.
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        // Signing out with OpenID Connect ends on the identity provider's end-session endpoint: a form redirect there.
        $"form-action {_formAction}");

    public void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(CspNonce.For(context));
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // Pages show cluster state and carry antiforgery tokens: never keep them in a shared or back-button cache.
        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            headers.CacheControl = "no-store";
    }
}

public static class SecurityHeadersExtensions
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var headers = app.ApplicationServices.GetRequiredService<SecurityHeaders>();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                headers.Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
