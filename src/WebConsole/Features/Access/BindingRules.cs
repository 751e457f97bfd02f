using System.Net;

namespace WebConsole.Features.Access;

/// <summary>
/// Where the console listens decides whether sign-in is required: loopback (127.0.0.0/8, [::1], localhost) needs
/// none, anything else (0.0.0.0, [::], *, +, a LAN address, a host name) does. Checked twice: on the configured
/// URLs before the server starts, and on the addresses the server actually bound (which also covers listen options
/// set in code) right after it starts.
/// </summary>
public static class BindingRules
{
    /// <summary>The URLs the configuration asks Kestrel to listen on, the way Kestrel picks them.</summary>
    public static IReadOnlyList<string> ConfiguredUrls(IConfiguration configuration)
    {
        // Kestrel endpoints in configuration replace urls/http_ports entirely.
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u!.Trim()).ToList();
        if (endpoints.Count > 0) return endpoints;

        // urls comes from --urls, ASPNETCORE_URLS, DOTNET_URLS or appsettings "Urls".
        var urls = Split(configuration["urls"]);
        if (urls.Count > 0) return urls;

        // ASPNETCORE_HTTP_PORTS / HTTPS_PORTS (set by the official container images) listen on every interface.
        var ports = Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration["https_ports"]).Select(p => $"https://*:{p}")).ToList();
        if (ports.Count > 0) return ports;

        return ["http://localhost:5000"]; // Kestrel's default
    }

    /// <summary>The addresses among <paramref name="urls"/> that are reachable from other machines.</summary>
    public static IReadOnlyList<string> NonLoopback(IEnumerable<string> urls) => urls.Where(u => !IsLoopback(u)).ToList();

    public static bool IsLoopback(string url)
    {
        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd >= 0 ? text[(schemeEnd + 3)..] : text;
        // A Unix domain socket (http://unix:/run/console.sock) is reachable only through the file system.
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
            return true;

        var hostEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = hostEnd >= 0 ? rest[..hostEnd] : rest;
        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            host = close > 0 ? authority[1..close] : authority;
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Null when the configuration may run; otherwise the one-line reason it may not.</summary>
    public static string? Check(IEnumerable<string> urls, AccessMode mode)
    {
        if (mode != AccessMode.None) return null;
        var exposed = NonLoopback(urls);
        return exposed.Count == 0 ? null : RefusalMessage(exposed);
    }

    public static string RefusalMessage(IReadOnlyList<string> exposed) =>
        $"Refusing to start: the console would listen on {string.Join(", ", exposed)}, which other machines can reach, and sign-in is off " +
        "(Console:Access:Mode is None), so anyone who reaches it could change your cluster. Either turn on sign-in with " +
        "Console__Access__Mode=AccessKey (a key is generated and printed at start, or set Console__Access__Key) or " +
        "Console__Access__Mode=OpenIdConnect with Console__Access__Oidc__Authority, Console__Access__Oidc__ClientId and " +
        "Console__Access__Oidc__ClientSecret; or listen on loopback only (--urls http://127.0.0.1:5000).";

    private static List<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
