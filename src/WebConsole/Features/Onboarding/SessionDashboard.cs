using MeshConsole.Domain.Onboarding;
using WebConsole.Features.Cluster;
using WebConsole.Hosting;
using System.Diagnostics;

namespace WebConsole.Features.Onboarding;

/// <summary>
/// Keeps one session's dashboard current: reads the session and its participants every <see cref="PollInterval"/>
/// (which covers changes made through other console instances) and at once when this console reports activity on it,
/// coalescing bursts (fifty participants moving at once: one read covers every change before it started), one read at
/// a time. Reads run through the page's dispatcher, so they never interleave with the page's own events.
/// </summary>
public sealed class SessionDashboard(OnboardingWorkflow onboarding, ClusterOperations cluster, SessionActivity activity, ConsoleShutdown? shutdown = null)
    : IDisposable
{
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private Func<Func<Task>, Task> _dispatch = work => work();
    private string? _sessionId;
    private int _pending;
    private IDisposable? _tracked;
    private Dictionary<string, (int Ready, int Total)> _readiness = [];
    private long _readinessReadAt;
    private int _refreshing;

    public SessionRecord? Record { get; private set; }
    public IReadOnlyList<ParticipantProgress> Participants { get; private set; } = [];
    public DateTimeOffset? Updated { get; private set; }
    /// <summary>The mesh-wide changes the cluster holds (from the undo journal); null until read or when it cannot be.</summary>
    public MeshWideChanges? MeshWide { get; private set; }
    public event Action? Changed;

    public IDisposable NotifyOnChange(Action onChange)
    {
        Changed += onChange;
        return new Unsubscribe(() => Changed -= onChange);
    }

    /// <summary>Reads the session once, then keeps it current until disposed; <paramref name="dispatch"/> is the page's InvokeAsync.</summary>
    public async Task StartAsync(string sessionId, Func<Func<Task>, Task> dispatch)
    {
        _sessionId = sessionId;
        _dispatch = dispatch;
        activity.Changed += OnActivity;
        _tracked = shutdown?.Track(() => $"dashboard of session {sessionId}", _stop);
        await ReadAsync();
        _ = PollAsync();
    }

    public async Task ReadAsync()
    {
        if (_disposed == 1 || !cluster.IsConnected || _sessionId is not { } sessionId) return;
        OnboardingSession? refreshFor = null;
        await _reading.WaitAsync();
        try
        {
            Interlocked.Exchange(ref _pending, 0);
            if (await onboarding.ReadDashboardAsync(sessionId, _stop.Token, readiness: false) is { } read)
            {
                Record = read.Record;
                Participants = WithKnownReadiness(read.Participants);
                Updated = DateTimeOffset.UtcNow;
                if (_readinessReadAt == 0 || Stopwatch.GetElapsedTime(_readinessReadAt) >= PollInterval
                    || read.Participants.Any(p => !_readiness.ContainsKey(p.Name)))
                    refreshFor = read.Record.Session;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            _reading.Release();
        }
        Changed?.Invoke();
        if (refreshFor is not null) await RefreshClusterStateAsync(refreshFor);
    }

    /// <summary>
    /// Bookinfo's readiness from the participants' namespaces (one list per participant) and the mesh-wide changes from
    /// the undo journal: read again at most once per <see cref="PollInterval"/> (and when someone joined), not on every
    /// burst of activity a read follows, and only after the participants' progress is shown: fifty namespace lists must
    /// not hold back the step a participant just reached, or the dashboard skips steps under load.
    /// </summary>
    private async Task RefreshClusterStateAsync(OnboardingSession session)
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1) return;
        try
        {
            var counted = await onboarding.ReadReadinessAsync(session, Participants, _stop.Token);
            _readiness = counted.ToDictionary(p => p.Name, p => (p.DeploymentsReady, p.DeploymentsTotal));
            _readinessReadAt = Stopwatch.GetTimestamp();
            MeshWide = await onboarding.ReadMeshWideAsync(_stop.Token) ?? MeshWide;
            Participants = WithKnownReadiness(Participants);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
        Changed?.Invoke();
    }

    private List<ParticipantProgress> WithKnownReadiness(IReadOnlyList<ParticipantProgress> participants) => participants
        .Select(p => _readiness.TryGetValue(p.Name, out var counted) ? p with { DeploymentsReady = counted.Ready, DeploymentsTotal = counted.Total } : p)
        .ToList();

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                await _dispatch(ReadAsync);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnActivity(string sessionId)
    {
        if (sessionId != _sessionId) return;
        if (Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = _dispatch(ReadAsync);
    }

    /// <summary>Stops polling; the page calls it when it goes away, the container again at the circuit's end.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        activity.Changed -= OnActivity;
        _tracked?.Dispose();
        _stop.Cancel();
    }

    private int _disposed;

    private sealed class Unsubscribe(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}
