namespace WebConsole.Drafts;

/// <summary>
/// Who the drafts of this scope (a circuit, a request) belong to. A draft holds what one person entered, access token
/// included, so a tab finds its draft again only as the same owner: the same signed-in user in the same sign-in
/// session, or, without sign-in, the local user. The draft layer knows no access feature: the access feature provides
/// the owner.
/// </summary>
public interface IDraftOwner
{
    /// <summary>A key naming the owner; two scopes with the same key see each other's drafts.</summary>
    string Key { get; }
}

public static class DraftOwners
{
    /// <summary>The owner of every draft when sign-in is off: the console answers only the local machine's user.</summary>
    public const string LocalUser = "local user";
}
