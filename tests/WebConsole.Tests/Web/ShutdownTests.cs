using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebConsole.Drafts;
using WebConsole.Features.Apply;
using WebConsole.Features.Bookinfo;
using KubeEmulator;
using WebConsole.Tests.Cluster;

namespace WebConsole.Tests.Web;

/// <summary>
/// Stopping the console (what SIGTERM does) takes a bounded time while a tab waits for Bookinfo's rollout and a request
/// is still being served, and the log names what was cut short.
/// </summary>
public sealed class ShutdownTests
{
    private const string SlowPath = "/slow-page-for-shutdown-test";

    private sealed class ConsoleOnEmulator(string kubeconfig, LogLines logs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            UseKestrel(0);
            builder.UseSetting("KUBECONFIG", kubeconfig);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
            // A page whose server-side work waits on a slow cluster: it ends only when its connection is aborted.
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, SlowPage>());
        }
    }

    private sealed class SlowPage : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path != SlowPath)
                {
                    await nextMiddleware(context);
                    return;
                }
                await context.Response.WriteAsync("started\n");
                await context.Response.Body.FlushAsync();
                await Task.Delay(TimeSpan.FromMinutes(2), context.RequestAborted);
            });
            next(app);
        };
    }

    public sealed class LogLines : ILoggerProvider
    {
        private readonly List<string> _lines = [];
        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(LogLines owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._lines) owner._lines.Add($"{category} [{logLevel}] {formatter(state, exception)}");
            }
        }
    }

    [Fact]
    public async Task Stopping_with_a_readiness_wait_and_a_slow_request_running_takes_under_five_seconds_and_logs_what_was_cut_short()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var logs = new LogLines();
        var factory = new ConsoleOnEmulator(cluster.KubeconfigPath, logs);
        factory.StartServer();

        // A tab on the Bookinfo step waiting for a rollout that never finishes (no rollouts in this cluster).
        await using var tab = factory.Services.CreateAsyncScope();
        tab.ServiceProvider.GetRequiredService<WizardState>().Attach(null, DraftOwners.LocalUser);
        tab.ServiceProvider.GetRequiredService<ClusterWorkflow>().RestoreContext();
        var bookinfo = tab.ServiceProvider.GetRequiredService<BookinfoWorkflow>();
        Assert.True(bookinfo.IsConnected);
        var waiting = bookinfo.WaitForReadinessAsync();
        while (!bookinfo.Waiting) await Task.Delay(10);
        // And a request still being served when the signal comes.
        using var client = new HttpClient { BaseAddress = factory.ClientOptions.BaseAddress };
        using var slow = await client.GetAsync(SlowPath, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(slow.IsSuccessStatusCode);

        var stopping = Stopwatch.StartNew();
        await factory.DisposeAsync();
        stopping.Stop();

        // The bound is 5 s; the margin is for a loaded CI machine, still far below the 30 s the host waited before.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(7), $"stopping took {stopping.Elapsed.TotalSeconds:0.0} s");
        Assert.True(waiting.Wait(TimeSpan.FromSeconds(2)), "the readiness wait kept running after the console stopped");
        Assert.False(bookinfo.Waiting);
        Assert.Contains(logs.Lines, l => l.Contains($"cut short 1 running operation(s): Bookinfo readiness wait in namespace {bookinfo.TargetNamespace}", StringComparison.Ordinal));
    }
}
