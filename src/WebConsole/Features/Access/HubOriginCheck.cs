namespace WebConsole.Features.Access;

/// <summary>
/// Cross-site WebSocket hijacking defence for the Blazor hub (/_blazor: negotiate, the WebSocket upgrade, long polling
/// and server-sent events). A page on another site can open a WebSocket to the console from the user's browser: the
/// browser does not apply the same-origin policy to WebSockets and, with sign-in off, there is no cookie to withhold.
/// The one thing the server can check is the Origin header, which browsers always send on a WebSocket handshake
/// (RFC 6455 sections 4.1 and 10.2) and on cross-origin requests (Fetch standard, "origin" header) and which a page cannot forge.
///
/// The rule: a request with an Origin is let through only when that origin is the console's own (host and port equal
/// to the Host header the browser sent, which is the address the user opened) or one of Console:Access:AllowedOrigins.
/// The scheme is not compared: behind a TLS-terminating proxy the console sees http while the browser's origin is
/// https, and one host and port cannot serve both. "Origin: null" (sandboxed frames, file: pages) is refused. A request
/// without Origin comes from something other than a browser page (a script, curl, a SignalR client library): it is
/// let through, because it cannot ride on a user's browser; the sign-in (or, without sign-in, the local-only guard)
/// still applies to it.
/// </summary>
public static partial class HubOriginCheck
{
    public const string HubPath = "/_blazor";

    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<AccessSettings>();
        return app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(HubPath)) return next(context);
            var origin = context.Request.Headers.Origin.ToString();
            if (IsAllowed(origin, context.Request.Host, settings.AllowedOrigins)) return next(context);

            LogRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightStepMeshConsole.Access"),
                origin, context.Request.Host.Value ?? "");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("The console's connection accepts only its own pages. A page from another origin tried to connect; " +
                                               "if that origin should be allowed, add it to Console__Access__AllowedOrigins.\n");
        });
    }

    /// <summary>True without an Origin (not a browser page), for the console's own origin and for a configured one.</summary>
    public static bool IsAllowed(string? origin, HostString host, IReadOnlyList<Uri> allowedOrigins)
    {
        if (string.IsNullOrEmpty(origin)) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || !host.HasValue)
            return false;
        if (allowedOrigins.Any(a => a.Scheme == parsed.Scheme && string.Equals(a.IdnHost, parsed.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == parsed.Port))
            return true;
        // Without a port in Host the browser used the default port of its scheme, which is the origin's scheme when same-origin.
        var hostPort = host.Port ?? (parsed.Scheme == "https" ? 443 : 80);
        var hostName = host.Host.Trim('[', ']');
        return string.Equals(hostName, parsed.IdnHost.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && hostPort == parsed.Port;
    }

    [LoggerMessage(EventId = 9212, Level = LogLevel.Warning, Message = "Refused a hub connection from origin {Origin} to host {Host}: not the console's own origin nor an allowed one.")]
    private static partial void LogRefused(ILogger logger, string origin, string host);
}
