using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MeshConsole.Domain.Validation;

/// <param name="Host">As written in the address (IPv6 keeps its brackets), so <c>$"{Host}:{Port}"</c> is the address; null unless valid.</param>
/// <param name="SuggestedValue">A corrected address that itself validates without issues, or null when none can be inferred.</param>
public sealed record SatelliteAddressCheck(IReadOnlyList<ValidationIssue> Issues, string? Host, int? Port, string? SuggestedValue)
{
    public bool IsValid => !Issues.HasErrors();
}

public static partial class SatelliteAddressRules
{
    public const int TlsPort = 443;
    public const int PlaintextHttpPort = 80;
    public const int MaxHostLength = 253;
    public const int MaxLabelLength = 63;

    public static SatelliteAddressCheck Validate(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return Failed(Error("Satellite.Empty"));

        var trimmed = input.Trim();
        if (trimmed.Any(char.IsWhiteSpace)) return Failed(Error("Satellite.Whitespace"));
        if (trimmed.Length != input.Length) return Rewritten("Satellite.Whitespace", trimmed);

        var scheme = SchemePattern().Match(input);
        if (scheme.Success) return Rewritten("Satellite.HasScheme", AuthorityWithPort(scheme));

        var slash = input.IndexOf('/');
        if (slash >= 0) return Rewritten("Satellite.HasPath", input[..slash]);

        return ValidateHostAndPort(input);
    }

    private static string AuthorityWithPort(Match scheme)
    {
        var rest = scheme.Groups["rest"].Value;
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        if (authority.Length == 0 || HasPortOrIsAmbiguous(authority)) return authority;
        var port = scheme.Groups["scheme"].Value.Equals("http", StringComparison.OrdinalIgnoreCase) ? PlaintextHttpPort : TlsPort;
        return $"{authority}:{port}";
    }

    private static bool HasPortOrIsAmbiguous(string authority) =>
        authority.StartsWith('[') ? authority.Contains("]:", StringComparison.Ordinal) : authority.Contains(':');

    /// <summary>Reports <paramref name="code"/> and validates the corrected <paramref name="candidate"/>, carrying over its issues.</summary>
    private static SatelliteAddressCheck Rewritten(string code, string candidate)
    {
        var inner = Validate(candidate);
        var suggestion = inner.Issues.Count == 0 ? candidate : inner.SuggestedValue;
        return new([Error(code, suggestion), .. inner.Issues], null, null, suggestion);
    }

    private static SatelliteAddressCheck ValidateHostAndPort(string address)
    {
        if (address.StartsWith('[')) return ValidateBracketedIpv6(address);

        var colons = address.Count(c => c == ':');
        if (colons == 0) return IsValidHost(address) ? MissingPort(address) : Failed(Error("Satellite.InvalidHost", null, address));
        if (colons > 1) return ValidateBareIpv6(address);

        var separator = address.IndexOf(':');
        return HostAndPort(address[..separator], address[(separator + 1)..], IsValidHost(address[..separator]));
    }

    private static SatelliteAddressCheck ValidateBracketedIpv6(string address)
    {
        var close = address.IndexOf(']');
        if (close < 0) return Failed(Error("Satellite.InvalidHost", null, address));

        var host = address[..(close + 1)];
        var hostIsValid = IsIpv6(address[1..close]);
        var afterHost = address[(close + 1)..];
        if (afterHost.Length == 0)
            return hostIsValid ? MissingPort(host) : Failed(Error("Satellite.InvalidHost", null, host));
        // "[::1]443" lacks the separator: everything after the bracket is reported as the invalid port text.
        var portText = afterHost.StartsWith(':') ? afterHost[1..] : afterHost;
        return HostAndPort(host, portText, hostIsValid, portSeparatorPresent: afterHost.StartsWith(':'));
    }

    private static SatelliteAddressCheck HostAndPort(string host, string portText, bool hostIsValid, bool portSeparatorPresent = true)
    {
        var issues = new List<ValidationIssue>();
        if (!hostIsValid) issues.Add(Error("Satellite.InvalidHost", null, host));
        if (!TryParsePort(portText, out var port) || !portSeparatorPresent)
            issues.Add(Error("Satellite.InvalidPort", null, portText));
        return issues.Count == 0 ? new([], host, port, null) : Failed([.. issues]);
    }

    // "::1:443" is itself a valid IPv6 address, so the port is only a guess: the last group must be decimal and
    // what precedes it must still be an address ("fe80::1" yields "fe80:", which is not, so no suggestion).
    private static SatelliteAddressCheck ValidateBareIpv6(string address)
    {
        var lastColon = address.LastIndexOf(':');
        var prefix = address[..lastColon];
        var portText = address[(lastColon + 1)..];
        var portCanBeInferred = !prefix.EndsWith(':') && IsIpv6(prefix) && TryParsePort(portText, out _);
        if (!portCanBeInferred && !IsIpv6(address)) return Failed(Error("Satellite.InvalidHost", null, prefix));

        var suggestion = portCanBeInferred ? $"[{prefix}]:{portText}" : null;
        return new([Error("Satellite.Ipv6NeedsBrackets", suggestion, address)], null, null, suggestion);
    }

    private static SatelliteAddressCheck MissingPort(string host)
    {
        var suggestion = $"{host}:{TlsPort}";
        return new([Error("Satellite.MissingPort", suggestion, host)], null, null, suggestion);
    }

    public static bool IsValidHost(string host) =>
        host.All(c => char.IsAsciiDigit(c) || c == '.') ? IsIpv4DottedQuad(host) : IsDnsName(host);

    private static bool IsDnsName(string host)
    {
        if (host.Length is 0 or > MaxHostLength) return false;
        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-') return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        }
        return true;
    }

    private static bool IsIpv4DottedQuad(string host)
    {
        var octets = host.Split('.');
        return octets.Length == 4 && octets.All(octet =>
            octet.Length is >= 1 and <= 3
            && (octet.Length == 1 || octet[0] != '0')
            && octet.All(char.IsAsciiDigit)
            && int.Parse(octet, CultureInfo.InvariantCulture) <= 255);
    }

    internal static bool IsIpv6(string text) =>
        text.Length > 0
        && text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
        && IPAddress.TryParse(text, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>1..65535 written plainly: digits only, no sign, no leading zero.</summary>
    internal static bool TryParsePort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || text[0] == '0' || !text.All(char.IsAsciiDigit)) return false;
        port = int.Parse(text, CultureInfo.InvariantCulture);
        return port <= ushort.MaxValue;
    }

    private static SatelliteAddressCheck Failed(params ValidationIssue[] issues) => new(issues, null, null, null);

    private static ValidationIssue Error(string code, string? suggestion = null, params object[] args) =>
        new(WizardField.SatelliteAddress, code, IssueSeverity.Error, args, suggestion);

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?<rest>.*)$")]
    private static partial Regex SchemePattern();
}
