using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace WebConsole.Features.Access;

/// <summary>Who is using the console in this scope (an HTTP request or a Blazor circuit). The audit log records <see cref="Name"/>.</summary>
public interface ICurrentUser
{
    /// <summary>The signed-in user's name, "access-key user", or, without sign-in, the local account running the console.</summary>
    string Name { get; }
    bool IsAuthenticated { get; }
    /// <summary>A short random id of the session (signed-in modes), to tell two access-key users apart in the audit log.</summary>
    string? SessionId { get; }
}

/// <summary>
/// Reads the user from Blazor's authentication state in a circuit (set from the hub connection's user) and from
/// the HTTP context elsewhere. Never throws: an unknown user is reported as not authenticated.
/// </summary>
public sealed class CurrentUser(AccessSettings settings, IServiceProvider services) : ICurrentUser
{
    public static string LocalUserName => $"{Environment.UserName} (local, no sign-in)";

    public string Name
    {
        get
        {
            if (!settings.RequiresSignIn) return LocalUserName;
            var user = Principal();
            if (user.Identity?.IsAuthenticated != true) return "anonymous";
            return user.FindFirst(SessionClaims.UserName)?.Value ?? user.Identity.Name ?? "signed-in user";
        }
    }

    public bool IsAuthenticated => settings.RequiresSignIn && Principal().Identity?.IsAuthenticated == true;

    public string? SessionId => settings.RequiresSignIn ? Principal().FindFirst(SessionClaims.SessionId)?.Value : null;

    private ClaimsPrincipal Principal()
    {
        if (services.GetService<AuthenticationStateProvider>() is { } provider)
        {
            try
            {
                var state = provider.GetAuthenticationStateAsync();
                if (state.IsCompletedSuccessfully) return state.Result.User;
            }
            catch (InvalidOperationException)
            {
                // Outside Blazor rendering the provider has no state yet: fall back to the HTTP context.
            }
        }
        return services.GetService<IHttpContextAccessor>()?.HttpContext?.User ?? new ClaimsPrincipal(new ClaimsIdentity());
    }
}
