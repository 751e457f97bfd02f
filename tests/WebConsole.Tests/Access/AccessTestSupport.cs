using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebConsole.Tests.Access;

/// <summary>
/// The console with the given configuration (offline unless KUBECONFIG is given), every log event captured.
/// With <paramref name="listenOnAnyAddress"/> it runs on real Kestrel bound to 0.0.0.0 (a non-loopback binding);
/// requests then go to 127.0.0.1 on the bound port.
/// </summary>
public sealed class ConsoleAppFactory : WebApplicationFactory<Program>
{
    private readonly IDictionary<string, string?> settings;
    private readonly bool listenOnAnyAddress;
    private readonly Action<IServiceCollection>? services;
    private readonly string? environment;

    /// <param name="environment">The hosting environment (Development turns on the developer exception page); the factory's default otherwise.</param>
    public ConsoleAppFactory(IDictionary<string, string?> settings, bool listenOnAnyAddress = false, Action<IServiceCollection>? services = null,
        string? environment = null)
    {
        this.settings = settings;
        this.listenOnAnyAddress = listenOnAnyAddress;
        this.services = services;
        this.environment = environment;
        if (listenOnAnyAddress) UseKestrel(options => options.Listen(IPAddress.Any, 0));
    }

    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (!settings.ContainsKey("KUBECONFIG"))
            builder.UseSetting("KUBECONFIG", Path.Combine(Path.GetTempPath(), "mesh-console-tests-no-such-dir", "kubeconfig"));
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        if (environment is not null) builder.UseEnvironment(environment);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (services is not null) builder.ConfigureTestServices(services);
    }

    /// <summary>The Kestrel address on 127.0.0.1 (the server listens on 0.0.0.0).</summary>
    public Uri LoopbackAddress()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri("http://127.0.0.1:" + new Uri(address.Replace("0.0.0.0", "127.0.0.1")).Port);
    }

    /// <summary>A client that does not follow redirects and keeps cookies, against Kestrel when it runs, else the test server.</summary>
    public HttpClient NewClient(CookieContainer? cookies = null)
    {
        if (!listenOnAnyAddress)
            return CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() };
        return new HttpClient(handler) { BaseAddress = LoopbackAddress() };
    }

    public static Dictionary<string, string?> AccessKeyMode(string key, int attemptsPerMinute = 1000) => new()
    {
        ["Console:Access:Mode"] = "AccessKey",
        ["Console:Access:Key"] = key,
        ["Console:Access:SignInAttemptsPerMinute"] = attemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Every log event: category, level, the formatted message, every structured value and the exception text.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<CapturedLog> _events = [];

    public IReadOnlyList<CapturedLog> Events { get { lock (_events) return [.. _events]; } }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))
                : [];
            var captured = new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception?.ToString());
            lock (owner._events) owner._events.Add(captured);
        }
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, string?> Values, string? Exception)
{
    /// <summary>Everything a log sink could write: message, structured values, exception.</summary>
    public string AllText => string.Join("\n", new[] { Category, Message, Exception ?? "" }.Concat(Values.Select(v => $"{v.Key}={v.Value}")));
}

public static partial class Html
{
    /// <summary>The antiforgery token of the form with the given id (or the first form).</summary>
    public static string AntiforgeryToken(string html, string? formId = null)
    {
        var start = formId is null ? 0 : html.IndexOf($"id=\"{formId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"form {formId} not found in the page");
        var match = TokenPattern().Match(html, start);
        Assert.True(match.Success, "no antiforgery token in the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public static HttpRequestMessage Navigation(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Accept", "text/html");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        return request;
    }
}
