using WebConsole.Drafts;

namespace WebConsole.Features.Access;

/// <summary>
/// Drafts belong to the signed-in user in one sign-in session (the access key lets several people sign in under the
/// same name, so the name alone would not tell them apart), or to the local user without sign-in. Signing out
/// discards the session's drafts (<see cref="AccessServices"/>' sign-out).
/// </summary>
public sealed class DraftOwner(AccessSettings settings, ICurrentUser user) : IDraftOwner
{
    // Not signed in while sign-in is on (the hub refuses such circuits; a request might still ask): a key nobody else has.
    private readonly string _nobody = "anonymous " + Guid.NewGuid().ToString("N");

    public string Key => !settings.RequiresSignIn ? DraftOwners.LocalUser
        : user.IsAuthenticated && user.SessionId is { Length: > 0 } session ? KeyFor(user.Name, session)
        : _nobody;

    public static string KeyFor(string userName, string sessionId) => $"user {userName}, session {sessionId}";
}
