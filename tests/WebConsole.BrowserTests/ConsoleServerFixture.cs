using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace WebConsole.BrowserTests;

/// <summary>
/// The console on a loopback port (real Kestrel, with its Content-Security-Policy and other security headers) plus
/// Debian's Chromium driven by Playwright. Every page records its console errors and Content-Security-Policy
/// violations; tests end with <see cref="AssertNoCspViolations"/>, and the fixture checks once more when disposed.
/// Every server log event is captured in <see cref="ServerLogs"/>.
/// </summary>
public class ConsoleServerFixture : IAsyncLifetime
{
    // Runs in every page before its own scripts (injected by the browser, so the page's CSP does not apply to it).
    private const string ViolationReporter =
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + " +
        "' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

    private ConsoleFactory _factory = null!;
    private string _kubeconfig = "";
    private IPlaywright? _playwright;
    private readonly List<(IPage Page, string Text)> _browserErrors = [];

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public ServerLogCapture ServerLogs { get; } = new();

    /// <summary>The kubeconfig the console sees; a path that does not exist means offline mode.</summary>
    protected virtual Task<string> KubeconfigAsync() =>
        Task.FromResult(Path.Combine(Path.GetTempPath(), "no-such-kubeconfig-" + Guid.NewGuid()));

    /// <summary>Extra configuration for the console (e.g. sign-in).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        // CI shares two cores between the console, the emulator, the stand-ins and Chromium: 5 s is too tight for
        // steps that make dozens of cluster calls, and a real regression still fails, only later.
        Assertions.SetDefaultExpectTimeout(15_000);
        _kubeconfig = await KubeconfigAsync();
        _factory = new ConsoleFactory(_kubeconfig, Settings, ServerLogs, port: 0);
        _factory.StartServer();
        BaseUrl = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumLocator.Find(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>
    /// Stops the console (what SIGTERM does: the host stops, then is disposed) and starts a new one on the same address
    /// with the same settings, as a restart does: open pages keep their storage and must find their way back. Returns
    /// how long stopping took.
    /// </summary>
    public async Task<TimeSpan> RestartConsoleAsync()
    {
        var port = new Uri(BaseUrl).Port;
        var stopping = Stopwatch.StartNew();
        await _factory.DisposeAsync();
        stopping.Stop();
        _factory = new ConsoleFactory(_kubeconfig, Settings, ServerLogs, port);
        _factory.StartServer();
        return stopping.Elapsed;
    }

    public async Task<IPage> NewPageAsync(string? locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, AcceptDownloads = true });
        await context.AddInitScriptAsync(ViolationReporter);
        context.Page += (_, page) => Record(page);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Console errors and violations seen so far in every page, as "url: message".</summary>
    public IReadOnlyList<string> BrowserErrors { get { lock (_browserErrors) return _browserErrors.Select(e => e.Text).ToList(); } }

    private readonly List<IPage> _pages = [];

    /// <summary>Every page opened so far (in any context of this fixture's browser).</summary>
    public IReadOnlyList<IPage> Pages { get { lock (_browserErrors) return [.. _pages]; } }

    /// <summary>
    /// Fails when a page not in <paramref name="earlierPages"/> reported an uncaught exception or a console error (a
    /// Content-Security-Policy violation included): what a test opened must run without page errors.
    /// </summary>
    public void AssertNoPageErrors(IReadOnlyCollection<IPage> earlierPages)
    {
        List<string> errors;
        lock (_browserErrors)
            errors = _browserErrors.Where(e => !earlierPages.Contains(e.Page) && (e.Text.Contains("[pageerror]", StringComparison.Ordinal)
                    || e.Text.Contains("[error]", StringComparison.Ordinal))
                && !_allowed.Any(a => a.Page == e.Page && e.Text.Contains(a.Text, StringComparison.Ordinal)))
                .Select(e => e.Text).ToList();
        Assert.True(errors.Count == 0, "The browser reported page errors:\n" + string.Join("\n", errors));
    }

    private readonly List<(IPage Page, string Text)> _allowed = [];

    /// <summary>
    /// For a test that provokes an error on purpose (a refused sign-in, a connection the server closes): errors of
    /// <paramref name="page"/> containing <paramref name="text"/> do not fail it. Every other error still does.
    /// </summary>
    public void AllowPageErrors(IPage page, string text)
    {
        lock (_browserErrors) _allowed.Add((page, text));
    }

    /// <summary>Drops what <paramref name="page"/> reported (for a test that provokes a violation on purpose).</summary>
    public void ForgetBrowserErrors(IPage page)
    {
        lock (_browserErrors) _browserErrors.RemoveAll(e => e.Page == page);
    }

    /// <summary>Fails on any Content-Security-Policy (or Permissions-Policy) violation reported in a page's console.</summary>
    public void AssertNoCspViolations()
    {
        var violations = BrowserErrors.Where(IsPolicyViolation).ToList();
        Assert.True(violations.Count == 0, "The browser reported policy violations:\n" + string.Join("\n", violations));
    }

    private static bool IsPolicyViolation(string message) =>
        message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("CSP violation", StringComparison.Ordinal) ||
        message.Contains("Permissions-Policy", StringComparison.Ordinal);

    private void Record(IPage page)
    {
        lock (_browserErrors) _pages.Add(page);
        page.Console += (_, message) =>
        {
            // Chromium fetches /favicon.ico for every page without an icon link: its 404 is the browser's request, not the page's.
            if (message.Type is "error" && message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
                && message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
                return;
            if (message.Type is "error" or "warning")
                lock (_browserErrors) _browserErrors.Add((page, $"{page.Url}: [{message.Type}] {message.Text} (at {message.Location})"));
        };
        page.PageError += (_, error) => { lock (_browserErrors) _browserErrors.Add((page, $"{page.Url}: [pageerror] {error}")); };
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
        AssertNoCspViolations();
    }

    private sealed class ConsoleFactory : WebApplicationFactory<Program>
    {
        private readonly string _kubeconfig;
        private readonly IReadOnlyDictionary<string, string?> _settings;
        private readonly ServerLogCapture _logs;

        public ConsoleFactory(string kubeconfig, IReadOnlyDictionary<string, string?> settings, ServerLogCapture logs, int port)
        {
            _kubeconfig = kubeconfig;
            _settings = settings;
            _logs = logs;
            UseKestrel(port);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // Never the kubeconfig of the machine running the tests.
            builder.UseSetting("KUBECONFIG", _kubeconfig);
            foreach (var (key, value) in _settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.AddProvider(_logs));
        }
    }
}

/// <summary>Every server log event as text: category, message, structured values and exception.</summary>
public sealed class ServerLogCapture : ILoggerProvider
{
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events { get { lock (_events) return [.. _events]; } }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(ServerLogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("\n", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            var text = $"{category} [{logLevel}] {formatter(state, exception)}\n{values}\n{exception}";
            lock (owner._events) owner._events.Add(text);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ConsoleServerFixture>
{
    public const string Name = "browser";
}

public static class ChromiumLocator
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>Browser tests never skip silently: without a browser they fail and say how to get one.</summary>
    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured
                : throw new InvalidOperationException($"CHROMIUM_PATH is set to '{configured}', which does not exist.");
        return Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "No Chromium found for the browser tests. Install Debian's package (sudo apt-get install -y chromium) " +
            "or set CHROMIUM_PATH to a Chromium/Chrome executable. ./test.sh installs it for you.");
    }
}
