using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;

namespace WebConsole.Features.Access;

/// <summary>The claims the console adds to every signed-in session.</summary>
public static class SessionClaims
{
    public const string SessionId = "lsmc:sid";
    public const string EndsAt = "lsmc:session_end";
    public const string KeyId = "lsmc:key_id";
    /// <summary>The name the console shows and audits (the access-key user, or the OIDC user's chosen claim).</summary>
    public const string UserName = "lsmc:user";
    public const string AccessKeyUserName = "access-key user";

    public static IEnumerable<Claim> For(string userName, DateTimeOffset now, TimeSpan lifetime, string? keyId)
    {
        yield return new Claim(UserName, userName);
        yield return new Claim(SessionId, Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant());
        yield return new Claim(EndsAt, now.Add(lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (keyId is not null) yield return new Claim(KeyId, keyId);
    }
}

/// <summary>
/// Decides whether a session is still good: not past its absolute end, not signed out, and (access-key mode)
/// signed in with the current key. Used on every HTTP request (cookie validation) and every SignalR hub call.
/// Signed-out sessions are remembered here until their natural end, so a copy of the cookie is dead too.
/// </summary>
public sealed class SessionRegistry(AccessSettings settings, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    public bool IsValid(ClaimsPrincipal? user, out string reason)
    {
        reason = "";
        if (!settings.RequiresSignIn) return true;
        if (user?.Identity?.IsAuthenticated != true) { reason = "not signed in"; return false; }
        if (user.FindFirst(SessionClaims.SessionId)?.Value is not { Length: > 0 } sid ||
            !long.TryParse(user.FindFirst(SessionClaims.EndsAt)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var end))
        {
            reason = "session without the console's claims";
            return false;
        }
        if (clock.GetUtcNow() >= DateTimeOffset.FromUnixTimeSeconds(end)) { reason = "session lifetime reached"; return false; }
        if (_revoked.ContainsKey(sid)) { reason = "signed out"; return false; }
        if (settings.Mode == AccessMode.AccessKey && user.FindFirst(SessionClaims.KeyId)?.Value != settings.KeyId)
        {
            reason = "the access key changed";
            return false;
        }
        return true;
    }

    public void Revoke(ClaimsPrincipal user)
    {
        if (user.FindFirst(SessionClaims.SessionId)?.Value is not { Length: > 0 } sid) return;
        var end = long.TryParse(user.FindFirst(SessionClaims.EndsAt)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : clock.GetUtcNow().Add(settings.SessionLifetime);
        _revoked[sid] = end;
        var now = clock.GetUtcNow();
        foreach (var (id, until) in _revoked)
            if (until < now) _revoked.TryRemove(id, out _);
    }
}
