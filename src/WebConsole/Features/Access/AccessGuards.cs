using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace WebConsole.Features.Access;

/// <summary>Host and binding guards: local-only access without sign-in, request size limits and the sign-in rate limit.</summary>
public static partial class AccessServices
{
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

    [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Sign-in attempts from {Client} rate-limited.")]
    private static partial void LogRateLimited(ILogger logger, string client);

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

    private sealed class RequestSizeLimit(long bytes) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
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
}
