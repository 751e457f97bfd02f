using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WebConsole.Features.Access;

/// <summary>
/// Right after the server starts: checks the addresses it really bound (listen options set in code never show in
/// configuration, so this backs up the check of the configured URLs; a refusal here stops the host), then tells
/// the operator how to sign in.
/// </summary>
public sealed partial class AccessStartup(
    AccessSettings settings,
    IServer server,
    ILogger<AccessStartup> logger,
    OidcDiscovery? discovery = null) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (BindingRules.Check(addresses, settings.Mode) is { } refusal)
            throw new StartupRefusedException(refusal);

        var plainHttpExposed = addresses.Where(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !BindingRules.IsLoopback(a)).ToList();
        if (settings.RequiresSignIn && plainHttpExposed.Count > 0)
            LogPlainHttp(logger, string.Join(", ", plainHttpExposed));

        if (settings.Mode == AccessMode.OpenIdConnect)
            LogOidcReady(logger, settings.Oidc!.Authority.ToString(), discovery?.EndSessionEndpoint is not null);
        if (settings.Mode == AccessMode.AccessKey)
        {
            if (settings.KeyWasGenerated) PrintKeyBanner(addresses);
            else LogConfiguredKey(logger);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Prints the generated key once, like a notebook server's token. It goes straight to the process's standard
    /// output and never through ILogger: log events travel to every configured provider (JSON lines shipped to a log
    /// store, OpenTelemetry, files) and are kept and searchable long after; the terminal (or `docker logs`) of the
    /// person who started the console is the one place the key is meant to be. Restarting generates a new key and
    /// ends every session signed in with the old one.
    /// </summary>
    private void PrintKeyBanner(IReadOnlyList<string> addresses)
    {
        var key = settings.Key!;
        var urls = addresses.Count == 0 ? ["http://127.0.0.1:5000"] : addresses.SelectMany(Reachable).Distinct().ToList();
        var text = new System.Text.StringBuilder()
            .AppendLine()
            .AppendLine("    LightStep Mesh Console: sign-in with an access key is on. The key was generated at this start and is")
            .AppendLine("    shown only here (not in the logs). To sign in, open:")
            .AppendLine();
        foreach (var url in urls)
            text.AppendLine($"        {url.TrimEnd('/')}/signin#key={key}");
        text.AppendLine()
            .AppendLine("    (The key travels in the URL fragment, which the browser never sends to any server.) Set")
            .AppendLine("    Console__Access__Key to keep one key across restarts.")
            .AppendLine();
        Console.Out.Write(text.ToString());
        Console.Out.Flush();
    }

    /// <summary>A wildcard address becomes this machine's host name and 127.0.0.1, which a browser can open.</summary>
    private static IEnumerable<string> Reachable(string address)
    {
        foreach (var wildcard in new[] { "://0.0.0.0:", "://[::]:", "://*:", "://+:" })
            if (address.Contains(wildcard, StringComparison.Ordinal))
                return [address.Replace(wildcard, "://" + System.Net.Dns.GetHostName() + ":", StringComparison.Ordinal),
                        address.Replace(wildcard, "://127.0.0.1:", StringComparison.Ordinal)];
        return [address];
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "Sign-in with OpenID Connect is on; authority {Authority} answered its discovery document (end-session endpoint: {HasEndSession}).")]
    private static partial void LogOidcReady(ILogger logger, string authority, bool hasEndSession);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "The console listens on {Addresses} over plain HTTP: the access key or sign-in and the session cookie cross the network unencrypted. Put a TLS reverse proxy in front (then set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true) or configure Kestrel HTTPS.")]
    private static partial void LogPlainHttp(ILogger logger, string addresses);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Sign-in with an access key is on (the key from Console:Access:Key); sign in at /signin.")]
    private static partial void LogConfiguredKey(ILogger logger);
}
