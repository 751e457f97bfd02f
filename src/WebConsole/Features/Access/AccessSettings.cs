using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WebConsole.Features.Access;

/// <summary>Who may use the console: nobody but the local machine (None), holders of an access key, or OpenID Connect users.</summary>
public enum AccessMode { None, AccessKey, OpenIdConnect }

/// <summary>
/// The access configuration (section <c>Console:Access</c>), read and checked once at startup. Every problem is a
/// <see cref="StartupRefusedException"/> naming the setting, both as a configuration key and as an environment variable.
/// </summary>
public sealed class AccessSettings
{
    public const string Section = "Console:Access";
    public const int MinimumKeyLength = 16;
    public const int MaximumKeyLength = 512;

    private AccessSettings() { }

    public AccessMode Mode { get; private init; }

    /// <summary>The access key (AccessKey mode): configured, or generated at this start.</summary>
    public string? Key { get; private init; }

    /// <summary>True when the key was generated at this start and must be shown to the operator once.</summary>
    public bool KeyWasGenerated { get; private init; }

    /// <summary>Identifies the key without revealing it; sessions signed in with another key are refused.</summary>
    public string? KeyId { get; private init; }

    /// <summary>Absolute session lifetime: a session ends this long after sign-in, however active it is.</summary>
    public TimeSpan SessionLifetime { get; private init; }

    public int SignInAttemptsPerMinute { get; private init; }
    public int TrafficRunsPerMinute { get; private init; }
    public OidcSettings? Oidc { get; private init; }

    /// <summary>
    /// Origins besides the console's own whose pages may open the Blazor hub (Console:Access:AllowedOrigins, separated by
    /// ';' or ','): e.g. a portal that embeds the console under another host name. Each is scheme://host[:port].
    /// </summary>
    public IReadOnlyList<Uri> AllowedOrigins { get; private init; } = [];

    public bool RequiresSignIn => Mode != AccessMode.None;

    public static AccessSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var problems = new List<string>();

        var modeText = section["Mode"];
        var mode = AccessMode.None;
        if (!string.IsNullOrWhiteSpace(modeText) && !Enum.TryParse(modeText.Trim(), ignoreCase: true, out mode) || !Enum.IsDefined(mode))
        {
            problems.Add($"{Section}:Mode is '{modeText}'; use None, AccessKey or OpenIdConnect.");
            mode = AccessMode.None;
        }

        var hours = ReadNumber(section, "SessionHours", 8, 0.05, 24 * 30, problems);
        var attempts = (int)ReadNumber(section, "SignInAttemptsPerMinute", 5, 1, 10_000, problems);
        var runs = (int)ReadNumber(section, "TrafficRunsPerMinute", 6, 1, 10_000, problems);

        string? key = null;
        var generated = false;
        if (mode == AccessMode.AccessKey)
        {
            key = section["Key"];
            if (string.IsNullOrEmpty(key))
            {
                key = GenerateKey();
                generated = true;
            }
            else if (key.Length < MinimumKeyLength || key.Length > MaximumKeyLength || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                // The key's value is never repeated in a message: only its length.
                problems.Add($"{Section}:Key (Console__Access__Key) must be {MinimumKeyLength} to {MaximumKeyLength} characters without spaces " +
                             $"(it has {key.Length}); leave it unset to have the console generate one.");
            }
        }

        OidcSettings? oidc = null;
        if (mode == AccessMode.OpenIdConnect)
            oidc = OidcSettings.Read(section.GetSection("Oidc"), problems);

        var origins = ReadOrigins(section["AllowedOrigins"], problems);

        if (problems.Count > 0)
            throw new StartupRefusedException("Refusing to start: " + string.Join(" ", problems));

        return new AccessSettings
        {
            Mode = mode,
            Key = key,
            KeyWasGenerated = generated,
            KeyId = key is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("lsmc-key-id:" + key)))[..16],
            SessionLifetime = TimeSpan.FromHours(hours),
            SignInAttemptsPerMinute = attempts,
            TrafficRunsPerMinute = runs,
            Oidc = oidc,
            AllowedOrigins = origins,
        };
    }

    private static List<Uri> ReadOrigins(string? text, List<string> problems)
    {
        var origins = new List<Uri>();
        foreach (var entry in (text ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // An origin is scheme, host and port only (RFC 6454): a path, query or user name would never match a browser's Origin header.
            if (Uri.TryCreate(entry, UriKind.Absolute, out var origin) && origin.Scheme is "http" or "https" &&
                origin.AbsolutePath == "/" && !entry.EndsWith('/') && string.IsNullOrEmpty(origin.Query) && string.IsNullOrEmpty(origin.Fragment) &&
                string.IsNullOrEmpty(origin.UserInfo))
                origins.Add(origin);
            else
                problems.Add($"{Section}:AllowedOrigins has '{entry}'; write each origin as scheme://host[:port] without a path, e.g. https://portal.example.com.");
        }
        return origins;
    }

    /// <summary>32 random bytes, base64url: 256 bits, safe in a URL fragment and a form field.</summary>
    public static string GenerateKey() => Base64Url(RandomNumberGenerator.GetBytes(32));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static double ReadNumber(IConfigurationSection section, string name, double fallback, double min, double max, List<string> problems)
    {
        var text = section[name];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        problems.Add($"{Section}:{name} is '{text}'; use a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return fallback;
    }
}

/// <summary>OpenID Connect settings (section <c>Console:Access:Oidc</c>).</summary>
public sealed class OidcSettings
{
    public required Uri Authority { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    /// <summary>The claim shown as the user's name and written to the audit log (default: preferred_username, then email, name, sub).</summary>
    public string? NameClaim { get; init; }
    /// <summary>Optional "type=value1,value2": only users with one of these claim values may use the console.</summary>
    public (string Type, string[] Values)? RequiredClaim { get; init; }
    public TimeSpan DiscoveryTimeout { get; init; }

    /// <summary>Plain HTTP is accepted for an authority on this machine only (a test or a local identity provider).</summary>
    public bool RequireHttpsMetadata => !Authority.IsLoopback;

    public Uri DiscoveryDocument => new(Authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");

    internal static OidcSettings? Read(IConfigurationSection section, List<string> problems)
    {
        var missing = new[] { "Authority", "ClientId", "ClientSecret" }.Where(k => string.IsNullOrWhiteSpace(section[k])).ToList();
        if (missing.Count > 0)
        {
            problems.Add("Console:Access:Mode is OpenIdConnect but " + string.Join(", ", missing.Select(k => $"{AccessSettings.Section}:Oidc:{k} (Console__Access__Oidc__{k})")) +
                         (missing.Count == 1 ? " is" : " are") + " not set.");
            return null;
        }

        var authorityText = section["Authority"]!.Trim();
        if (!Uri.TryCreate(authorityText, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
        {
            problems.Add($"{AccessSettings.Section}:Oidc:Authority is '{authorityText}'; use the issuer's https URL, e.g. https://login.example.com/realms/platform.");
            return null;
        }
        if (authority.Scheme == "http" && !authority.IsLoopback)
        {
            problems.Add($"{AccessSettings.Section}:Oidc:Authority {authority} uses plain http; use https (http is accepted only for an authority on this machine).");
            return null;
        }

        (string, string[])? required = null;
        if (section["RequiredClaim"] is { Length: > 0 } claimText)
        {
            var equals = claimText.IndexOf('=');
            var values = equals > 0 ? claimText[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            if (equals <= 0 || values.Length == 0)
                problems.Add($"{AccessSettings.Section}:Oidc:RequiredClaim is '{claimText}'; use type=value or type=value1,value2 (e.g. groups=platform-admins).");
            else
                required = (claimText[..equals].Trim(), values);
        }

        var timeoutText = section["DiscoveryTimeoutSeconds"];
        var timeout = 10.0;
        if (!string.IsNullOrWhiteSpace(timeoutText) &&
            (!double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out timeout) || timeout <= 0 || timeout > 120))
        {
            problems.Add($"{AccessSettings.Section}:Oidc:DiscoveryTimeoutSeconds is '{timeoutText}'; use a number of seconds from 1 to 120.");
            timeout = 10;
        }

        var scopes = (section["Scopes"] is { Length: > 0 } scopeText ? scopeText : "openid profile email")
            .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!scopes.Contains("openid")) scopes.Insert(0, "openid");

        return new OidcSettings
        {
            Authority = authority,
            ClientId = section["ClientId"]!.Trim(),
            ClientSecret = section["ClientSecret"]!,
            Scopes = scopes,
            NameClaim = section["NameClaim"] is { Length: > 0 } nameClaim ? nameClaim.Trim() : null,
            RequiredClaim = required,
            DiscoveryTimeout = TimeSpan.FromSeconds(timeout),
        };
    }
}

/// <summary>A configuration the console must not run with. Program prints its message as one line on stderr and exits 1.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);
