using System.Net;
using System.Text.Encodings.Web;
using WebConsole.Features.Localization;

namespace WebConsole.Features.Access;

/// <summary>
/// What a client is told when a request fails. A request body over its limit (8 KiB on the sign-in and sign-out
/// forms, 1 MiB elsewhere; Kestrel throws BadHttpRequestException once the body passes it) is the client's mistake and
/// gets 413 with a short page, in every environment. Any other failure may show ASP.NET Core's developer exception
/// page (stack trace, source paths) only to the person running the console: a Development environment, a loopback
/// client, and signed in (or sign-in off, where only local clients are answered at all). Everyone else gets a plain 500.
/// </summary>
public static partial class FailureAnswers
{
    /// <summary>Outermost: in Development, WebApplication puts the developer exception page around the whole pipeline; this decides before it sees the exception.</summary>
    public static IApplicationBuilder UseDeveloperDetailsOnlyForTheOperator(this IApplicationBuilder app)
    {
        var environment = app.ApplicationServices.GetRequiredService<IWebHostEnvironment>();
        if (!environment.IsDevelopment()) return app;
        var settings = app.ApplicationServices.GetRequiredService<AccessSettings>();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!MayShowDetails(context, settings) && !context.Response.HasStarted)
            {
                LogHiddenFailure(Logger(context), e, context.Request.Method, context.Request.Path.Value ?? "");
                context.Response.Clear();
                await WritePageAsync(context, StatusCodes.Status500InternalServerError, "Request.Failed");
            }
        });
    }

    /// <summary>Inside the exception handler: a body over the limit is answered 413 here instead of becoming a server error.</summary>
    public static IApplicationBuilder UseTooLargeAnswer(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                LogTooLarge(Logger(context), context.Request.Method, context.Request.Path.Value ?? "", context.Request.ContentLength);
                context.Response.Clear();
                // The client is still sending the rest of its body: close the connection rather than read it.
                context.Response.Headers.Connection = "close";
                await WritePageAsync(context, StatusCodes.Status413PayloadTooLarge, "Request.TooLarge");
            }
        });

    public static bool MayShowDetails(HttpContext context, AccessSettings settings)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is { IsIPv4MappedToIPv6: true }) remote = remote.MapToIPv4();
        // The test server and Unix sockets have no remote address: only processes on this machine reach those.
        var local = remote is null || IPAddress.IsLoopback(remote);
        var signedIn = !settings.RequiresSignIn || context.User.Identity?.IsAuthenticated == true;
        return local && signedIn;
    }

    /// <summary>A short page in the request's language; a body (and content type) keeps the status code pages from replacing it.</summary>
    private static Task WritePageAsync(HttpContext context, int status, string textKey)
    {
        var text = context.RequestServices.GetRequiredService<ConsoleText>();
        var message = HtmlEncoder.Default.Encode(text[textKey]);
        var back = HtmlEncoder.Default.Encode(text["Request.Back"]);
        // Before request localization ran (the outermost guard) the culture is the invariant one, whose text is English.
        var culture = System.Globalization.CultureInfo.CurrentUICulture.Name;
        var language = HtmlEncoder.Default.Encode(culture.Length == 0 ? "en" : culture);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            $"<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>LightStep Mesh Console</title></head>" +
            $"<body><p id=\"request-failure\">{message}</p><p><a href=\"/\">{back}</a></p></body></html>\n");
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightStepMeshConsole.Access");

    [LoggerMessage(EventId = 9210, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: the request body ({Length} bytes announced) is over the limit.")]
    private static partial void LogTooLarge(ILogger logger, string method, string path, long? length);

    [LoggerMessage(EventId = 9211, Level = LogLevel.Error, Message = "{Method} {Path} failed; the client got a plain error page (details only for a signed-in client on this machine).")]
    private static partial void LogHiddenFailure(ILogger logger, Exception exception, string method, string path);
}
