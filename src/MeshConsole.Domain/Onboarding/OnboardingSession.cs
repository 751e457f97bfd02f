namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// A facilitator's team session. Participants join it by <see cref="Id"/> (the join link) and each gets a namespace
/// made from <see cref="NamespacePattern"/>.
/// </summary>
public sealed record OnboardingSession(
    string Id,
    string Name,
    string ClusterContext,
    string Facilitator,
    DateTimeOffset CreatedAt,
    string NamespacePattern = OnboardingSession.DefaultNamespacePattern,
    DateTimeOffset? EndedAt = null)
{
    public const string DefaultNamespacePattern = "bookinfo-{name}";

    public bool HasEnded => EndedAt is not null;

    /// <summary>Ending twice keeps the first end time.</summary>
    public OnboardingSession End(DateTimeOffset at) => HasEnded ? this : this with { EndedAt = at };
}

/// <summary>Session ids: 8 characters of lowercase RFC 4648 base32 (40 random bits), safe in object names and URLs.</summary>
public static class SessionIds
{
    public const int Length = 8;
    public const int RandomByteCount = 5;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The id for <see cref="RandomByteCount"/> random bytes (the caller draws them).</summary>
    public static string FromRandomBytes(ReadOnlySpan<byte> random)
    {
        if (random.Length != RandomByteCount)
            throw new ArgumentException($"A session id needs exactly {RandomByteCount} random bytes.", nameof(random));
        ulong bits = 0;
        foreach (var b in random) bits = (bits << 8) | b;
        Span<char> id = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            id[i] = Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }
        return new string(id);
    }

    public static bool IsValid(string? id) => id is { Length: Length } && id.All(c => Alphabet.Contains(c));
}
