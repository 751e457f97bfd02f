using System.Text;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Access;
using WebConsole.Features.Bookinfo;
using WebConsole.Drafts;
using WebConsole.Hosting;

namespace WebConsole.Features.Traffic;

/// <summary>Where the LightStep public API answers (verification); tests point it at a loopback stand-in.</summary>
public sealed class LightStepApiOptions
{
    public Uri BaseUrl { get; set; } = TraceVerificationSettings.DefaultApiBaseUrl;
}

/// <summary>
/// The traffic panel of one user: one run at a time, its rows as they complete (kept in sequence order, so the table
/// can show request i without sorting), live counts, cancel, how the client spans fared at LightStep, the optional
/// verification of each trace through LightStep's public API, and CSV/JSON export.
/// </summary>
public sealed class TrafficSession(
    WizardState wizard, BookinfoWorkflow bookinfo, TrafficRunner runner, ITrafficRunLimiter limiter, ICurrentUser user,
    LightStepTraceVerifier verifier, LightStepApiOptions api, TimeProvider clock, ConsoleShutdown? shutdown = null) : IDisposable
{
    /// <summary>How often a running table is redrawn: every completed request would flood the circuit.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);
    public const int VerificationConcurrency = 4;

    private TrafficRow[] _rows = [];
    private int _total;
    private int _completed;
    private int _succeeded;
    private int _failed;
    private CancellationTokenSource? _run;
    private CancellationTokenSource? _verification;

    public bool Running { get; private set; }
    public bool Verifying { get; private set; }
    public int Total => _total;
    public int Completed => Volatile.Read(ref _completed);
    public int Succeeded => Volatile.Read(ref _succeeded);
    public int Failed => Volatile.Read(ref _failed);
    public TrafficRunResult? LastResult { get; private set; }
    /// <summary>Why the run could not start (a localized code and its arguments); null when it started.</summary>
    public (string Code, object[] Args)? Refusal { get; private set; }
    public TimeSpan? VerificationRetryAfter { get; private set; }
    private event Action? Changed;

    /// <summary>Calls <paramref name="onChange"/> after every change of the run (rows, counts, result) until the returned handle is disposed.</summary>
    public IDisposable NotifyOnChange(Action onChange)
    {
        Changed += onChange;
        return new Subscription(() => Changed -= onChange);
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }

    /// <summary>Row i (0-based) of the current table; <see cref="IsRecorded"/> says whether the request has finished.</summary>
    public TrafficRow RowAt(int index) => _rows[index];
    public static bool IsRecorded(TrafficRow row) => row.Sequence > 0;
    public IEnumerable<TrafficRow> RecordedRows => _rows.Take(_total).Where(IsRecorded);

    /// <summary>Where this user's client spans go: the mesh's destination, or the user's override.</summary>
    public (SpanDestination? Destination, IReadOnlyList<ValidationIssue> Issues) Destination =>
        wizard.Input is { } input && wizard.Plan is { } plan
            ? SpanDestination.WithOverride(SpanDestination.For(input, plan.Form), wizard.Draft.SpanEndpointOverride)
            : (null, []);

    public IReadOnlyList<ValidationIssue> SettingsIssues => wizard.TrafficSettings?.Validate() ?? [];

    public bool CanRun => !Running && wizard.Plan is not null && bookinfo.Gateway is not null
        && wizard.TrafficSettings is not null && !SettingsIssues.HasErrors() && Destination.Destination is not null;

    public async Task RunAsync()
    {
        if (!CanRun) return;
        var permit = limiter.TryAcquire(user.Name);
        if (!permit.Acquired)
        {
            Refusal = ("Traffic.RateLimited", [Math.Ceiling((permit.RetryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds)]);
            permit.Dispose();
            Changed?.Invoke();
            return;
        }
        using var _ = permit;
        var settings = wizard.TrafficSettings!;
        var target = Target(Destination.Destination!);
        Refusal = null;
        LastResult = null;
        _verification?.Cancel();
        _rows = new TrafficRow[settings.Requests];
        _total = settings.Requests;
        _completed = _succeeded = _failed = 0;
        _run = new CancellationTokenSource();
        using var tracked = shutdown?.Track(() => $"traffic run of {user.Name} ({Completed} of {_total} requests sent)", _run);
        Running = true;
        Changed?.Invoke();
        using var refresh = StartRefreshing(_run.Token);
        try
        {
            var rows = _rows;
            var progress = new InlineProgress<TrafficProgress>(p =>
            {
                rows[p.Row.Sequence - 1] = p.Row;
                Interlocked.Increment(ref _completed);
                Interlocked.Increment(ref p.Row.Succeeded ? ref _succeeded : ref _failed);
            });
            LastResult = await Task.Run(() => runner.RunAsync(target, settings, progress, _run.Token));
            // The result holds every started request in sequence order; rows never started are dropped from the table.
            _total = LastResult.Count;
            LastResult.Rows.Span.CopyTo(_rows);
        }
        finally
        {
            Running = false;
            _run.Dispose();
            _run = null;
            Changed?.Invoke();
        }
    }

    public void Cancel() => _run?.Cancel();

    public TraceVerificationSettings VerificationSettings => new(
        wizard.Draft.VerificationApiKey, wizard.Draft.VerificationOrganization, wizard.Draft.LightStepProject, api.BaseUrl);

    public IReadOnlyList<ValidationIssue> VerificationIssues => VerificationSettings.Validate();

    public bool CanVerify => !Running && !Verifying && LastResult is { Count: > 0 } && !VerificationIssues.HasErrors();

    /// <summary>Asks LightStep's public API whether each row's trace arrived, and marks the rows.</summary>
    public async Task VerifyAsync()
    {
        if (!CanVerify) return;
        var settings = VerificationSettings;
        var rows = _rows;
        var count = _total;
        _verification = new CancellationTokenSource();
        using var tracked = shutdown?.Track(() => $"trace verification of {user.Name}", _verification);
        Verifying = true;
        Changed?.Invoke();
        using var refresh = StartRefreshing(_verification.Token);
        try
        {
            var progress = new InlineProgress<(int Index, TraceVerification Result)>(r => rows[r.Index] = rows[r.Index].WithVerification(r.Result));
            await Task.Run(() => verifier.VerifyAllAsync(settings, new ArraySegment<TrafficRow>(rows, 0, count), VerificationConcurrency, progress, _verification.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped by the user or by a new run: the rows keep what was verified so far.
        }
        finally
        {
            Verifying = false;
            _verification.Dispose();
            _verification = null;
            Changed?.Invoke();
        }
    }

    public void StopVerifying() => _verification?.Cancel();

    /// <summary>The table as CSV or JSON (UTF-8), with each row's current link.</summary>
    public byte[] Export(bool json)
    {
        var links = wizard.TraceLinks;
        Func<TrafficRow, string?> link = row => links.LinkFor(row.Identity)?.Url;
        var rows = RecordedRows.ToList();
        if (json) return Encoding.UTF8.GetBytes(TrafficExport.Json(rows, link));
        return Encoding.UTF8.GetBytes(TrafficExport.Csv(rows, link));
    }

    private TrafficTarget Target(SpanDestination destination) =>
        TrafficTarget.For(new Uri(bookinfo.Gateway!.Url), destination, wizard.Input!.AccessToken, wizard.Plan!.Form, wizard.Input.CaCertificatePem) with
        {
            Sensitive = wizard.SensitiveValues,
            ExportHeaders = wizard.Input.OtlpDestination?.HeaderValues.ToList(),
        };

    /// <summary>Redraws the table every <see cref="RefreshInterval"/> until the token ends (or the returned handle is disposed).</summary>
    private IDisposable StartRefreshing(CancellationToken until) =>
        clock.CreateTimer(_ => { if (!until.IsCancellationRequested) Changed?.Invoke(); }, null, RefreshInterval, RefreshInterval);

    public void Dispose()
    {
        _run?.Cancel();
        _verification?.Cancel();
    }
}
