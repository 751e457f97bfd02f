using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace WebConsole.BrowserTests;

/// <summary>The console on a loopback port (real Kestrel) plus Debian's Chromium driven by Playwright.</summary>
public class ConsoleServerFixture : IAsyncLifetime
{
    private ConsoleFactory _factory = null!;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>The kubeconfig the console sees; a path that does not exist means offline mode.</summary>
    protected virtual Task<string> KubeconfigAsync() =>
        Task.FromResult(Path.Combine(Path.GetTempPath(), "no-such-kubeconfig-" + Guid.NewGuid()));

    public virtual async Task InitializeAsync()
    {
        _factory = new ConsoleFactory(await KubeconfigAsync());
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

    public async Task<IPage> NewPageAsync(string? locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class ConsoleFactory : WebApplicationFactory<Program>
    {
        private readonly string _kubeconfig;

        public ConsoleFactory(string kubeconfig)
        {
            _kubeconfig = kubeconfig;
            UseKestrel(0);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // Never the kubeconfig of the machine running the tests.
            builder.UseSetting("KUBECONFIG", _kubeconfig);
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
