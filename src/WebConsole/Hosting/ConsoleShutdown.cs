namespace WebConsole.Hosting;

/// <summary>
/// Stops the console within <see cref="Timeout"/> of SIGTERM (or Ctrl+C), whatever its open tabs are doing. Work that
/// could run for minutes (a traffic run, trace verification, a Bookinfo readiness wait, a dashboard's polling) is
/// tracked here while it runs and cancelled when the host starts stopping, and the log says which was cut short.
/// The host's own wait for open connections (circuits) is bounded by <see cref="HostOptions.ShutdownTimeout"/>,
/// which <see cref="AddConsoleShutdown"/> sets to <see cref="Timeout"/>; disposing what the circuits hold afterwards
/// is bounded by <see cref="DisposeWithinAsync"/>.
/// </summary>
public sealed class ConsoleShutdown(IHostApplicationLifetime lifetime, ILogger<ConsoleShutdown> logger) : IHostedService
{
    /// <summary>How long stopping may take in all, from the signal to the process's end.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>What disposing the host (circuits included) may take after it stopped, out of <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan DisposeBudget = TimeSpan.FromSeconds(1);

    private readonly Dictionary<long, (Func<string> Describe, CancellationTokenSource Cancel)> _running = [];
    private long _next;

    /// <summary>Cancelled when the console starts stopping.</summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;

    /// <summary>
    /// Tracks running work until the returned handle is disposed: <paramref name="cancel"/> is cancelled when the
    /// console stops (at once when it already is), and <paramref name="describe"/> (asked then) names it in the log.
    /// </summary>
    public IDisposable Track(Func<string> describe, CancellationTokenSource cancel)
    {
        long id;
        lock (_running)
        {
            id = ++_next;
            _running[id] = (describe, cancel);
        }
        if (lifetime.ApplicationStopping.IsCancellationRequested) CancelSafely(cancel);
        return new Handle(this, id);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(CutShort);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CutShort()
    {
        List<(Func<string> Describe, CancellationTokenSource Cancel)> running;
        lock (_running) running = [.. _running.Values];
        if (running.Count == 0)
        {
            logger.LogInformation("Console stopping (within {Timeout} s): no running operation to cut short", Timeout.TotalSeconds);
            return;
        }
        var described = running.Select(r => Describe(r.Describe)).ToList();
        foreach (var work in running) CancelSafely(work.Cancel);
        logger.LogWarning("Console stopping (within {Timeout} s): cut short {Count} running operation(s): {Operations}",
            Timeout.TotalSeconds, running.Count, string.Join("; ", described));
    }

    /// <summary>
    /// Disposes the stopped host (which disposes every circuit and what its tabs hold), giving up after
    /// <see cref="DisposeBudget"/>: the process ends either way, and the log says disposal was cut short.
    /// </summary>
    public async Task DisposeWithinAsync(IAsyncDisposable host)
    {
        var disposing = host.DisposeAsync().AsTask();
        var finished = await Task.WhenAny(disposing, Task.Delay(DisposeBudget));
        if (finished == disposing)
        {
            await disposing;
            return;
        }
        // The logger may already be gone with the host: stderr is the one place left that is certain to be read.
        Console.Error.WriteLine($"Console stopping: disposing open circuits took longer than {DisposeBudget.TotalSeconds} s and was cut short.");
    }

    private static string Describe(Func<string> describe)
    {
        try
        {
            return describe();
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            return "an operation that ended while stopping";
        }
    }

    private static void CancelSafely(CancellationTokenSource cancel)
    {
        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished in the meantime: nothing to cut short.
        }
    }

    private void Release(long id)
    {
        lock (_running) _running.Remove(id);
    }

    private sealed class Handle(ConsoleShutdown owner, long id) : IDisposable
    {
        public void Dispose() => owner.Release(id);
    }
}

public static class ConsoleShutdownServices
{
    /// <summary>Registers <see cref="ConsoleShutdown"/> and bounds the host's stop to <see cref="ConsoleShutdown.Timeout"/>.</summary>
    public static IServiceCollection AddConsoleShutdown(this IServiceCollection services)
    {
        // Of the total, the host's stop (Kestrel draining open connections, hosted services) gets what disposal leaves.
        services.Configure<HostOptions>(options => options.ShutdownTimeout = ConsoleShutdown.Timeout - ConsoleShutdown.DisposeBudget);
        services.AddSingleton<ConsoleShutdown>();
        services.AddHostedService(s => s.GetRequiredService<ConsoleShutdown>());
        return services;
    }
}
