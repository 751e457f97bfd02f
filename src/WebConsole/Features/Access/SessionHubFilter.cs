using Microsoft.AspNetCore.SignalR;

namespace WebConsole.Features.Access;

/// <summary>
/// Ends a Blazor circuit whose session ended (signed out elsewhere, past its lifetime, key changed): the hub
/// connection keeps the user it was opened with, so without this an open tab would keep working after sign-out.
/// Every call into the hub (clicks, inputs, JS interop results, file chunks) is checked; a dead session's
/// connection is closed, and reconnecting needs a valid cookie again.
/// </summary>
public sealed partial class SessionHubFilter(SessionRegistry sessions, ILogger<SessionHubFilter> logger) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (sessions.IsValid(invocationContext.Context.User, out var reason)) return next(invocationContext);
        LogClosed(logger, reason);
        invocationContext.Context.Abort();
        throw new HubException("Your session ended. Reload the page to sign in again.");
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (sessions.IsValid(context.Context.User, out var reason)) return next(context);
        LogClosed(logger, reason);
        throw new HubException("Sign-in required.");
    }

    [LoggerMessage(EventId = 9300, Level = LogLevel.Information, Message = "Closed a console connection: {Reason}.")]
    private static partial void LogClosed(ILogger logger, string reason);
}
