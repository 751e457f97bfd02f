using System.Security.Cryptography;
using System.Text;

namespace WebConsole.Features.Access;

/// <summary>
/// Compares a candidate with the access key in constant time. Both sides are hashed with a per-process random
/// HMAC key first, so the comparison always runs over 32 equal-length bytes: neither the key's length nor the
/// position of the first differing character shows in the time a wrong guess takes.
/// </summary>
public sealed class AccessKeyVerifier
{
    private readonly byte[] _hmacKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[]? _expected;

    public AccessKeyVerifier(AccessSettings settings)
    {
        if (settings.Key is { } key) _expected = Digest(key);
    }

    public bool Matches(string? candidate)
    {
        if (_expected is null) return false;
        // An oversized candidate is hashed like any other (bounded by the form limits), then compared: no early exit.
        var actual = Digest(candidate ?? "");
        var equal = CryptographicOperations.FixedTimeEquals(actual, _expected);
        return equal && !string.IsNullOrEmpty(candidate);
    }

    private byte[] Digest(string value) => HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(value));
}
