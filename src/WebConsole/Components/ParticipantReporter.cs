using WebConsole.Features.Bookinfo;
using WebConsole.Features.Onboarding;
using WebConsole.Features.Traffic;
using WebConsole.Drafts;

namespace WebConsole.Components;

/// <summary>
/// Keeps a session participant's record current for the facilitator's dashboard: the wizard step, Bookinfo's ready
/// deployments, requests sent and traces linked (summed over runs), and the last error. Writes only when one of them
/// changed, one write at a time; the newest state always gets written.
/// </summary>
public sealed class ParticipantReporter(WizardState wizard, BookinfoWorkflow bookinfo, TrafficSession traffic, OnboardingWorkflow onboarding) : IDisposable
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private Snapshot? _reported;
    private TrafficRunResult? _counted;
    private long _requests;
    private long _traces;
    private IDisposable[] _subscriptions = [];
    private DateTimeOffset _reportedAt;

    public static readonly TimeSpan RunningReportInterval = TimeSpan.FromSeconds(1);

    // Ready and Total are null while this tab has read no Deployments (a reloaded tab, or one on a restarted console):
    // it knows nothing about them, so the record keeps what was reported before.
    private sealed record Snapshot(string Step, int? Ready, int? Total, long Requests, long Traces, string? LastError);

    public void Start()
    {
        if (_subscriptions.Length > 0) return;
        _subscriptions = [wizard.NotifyOnChange(OnChanged), bookinfo.NotifyOnChange(OnChanged), traffic.NotifyOnChange(OnChanged)];
        OnChanged();
    }

    private void OnChanged() => _ = ReportAsync();

    private Snapshot Current()
    {
        if (traffic.LastResult is { } result && !traffic.Running && !ReferenceEquals(result, _counted))
        {
            _counted = result;
            _requests += result.Count;
            // A trace is linked when its root span reached LightStep and the link template works.
            if (result.Export.Succeeded && wizard.TraceLinks.IsUsable) _traces += result.Count;
        }
        var deployments = bookinfo.Deployments;
        var error = bookinfo.LastFailure?.Code ?? (traffic.LastResult is { Export.Succeeded: false } failed ? failed.Export.Outcome.ToString() : null);
        return new Snapshot(wizard.Draft.ActiveStep.ToString(), deployments?.Count(BookinfoWorkflow.IsReady), deployments?.Count,
            _requests + (traffic.Running ? traffic.Completed : 0), _traces, error);
    }

    private async Task ReportAsync()
    {
        if (!wizard.IsParticipant) return;
        await _writing.WaitAsync();
        try
        {
            var now = Current();
            if (now == _reported) return;
            // During a run the count moves every refresh: at most one write per second for it alone.
            if (traffic.Running && _reported is not null && now with { Requests = _reported.Requests } == _reported
                && DateTimeOffset.UtcNow - _reportedAt < RunningReportInterval) return;
            await onboarding.ReportProgressAsync(p => p with
            {
                Step = now.Step,
                DeploymentsReady = now.Ready ?? p.DeploymentsReady,
                DeploymentsTotal = now.Total ?? p.DeploymentsTotal,
                RequestsSent = Math.Max(p.RequestsSent, now.Requests),
                TracesLinked = Math.Max(p.TracesLinked, now.Traces),
                LastError = now.LastError,
            });
            _reported = now;
            _reportedAt = DateTimeOffset.UtcNow;
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions) subscription.Dispose();
    }
}
