using MeshConsole.Domain.Cluster;

namespace WebConsole.Features.Cluster;

/// <summary>
/// The run state of one page's cluster work: at most one operation at a time (<see cref="Busy"/> names it), the last
/// failure kept for the page, and a change notification for the components showing it. Shared by every workflow
/// that drives <see cref="ClusterOperations"/>, so none keeps its own copy of this bookkeeping.
/// </summary>
public sealed class OperationRun
{
    public string? Busy { get; private set; }
    public ClusterFailure? LastFailure { get; private set; }
    public event Action? Changed;

    /// <summary>Calls <paramref name="onChange"/> after every change until the returned handle is disposed.</summary>
    public IDisposable NotifyOnChange(Action onChange)
    {
        Changed += onChange;
        return new Subscription(() => Changed -= onChange);
    }

    public void NotifyChanged() => Changed?.Invoke();

    /// <summary>Records a failure for the page (null clears it); true when there was none.</summary>
    public bool Keep(ClusterFailure? failure)
    {
        LastFailure = failure;
        return failure is null;
    }

    /// <summary>
    /// Runs <paramref name="work"/> as operation <paramref name="busy"/> unless another one is running or
    /// <paramref name="canRun"/> is false; <paramref name="clearFailure"/> forgets the previous failure first.
    /// </summary>
    public async Task RunAsync(string busy, Func<Task> work, bool canRun = true, bool clearFailure = false)
    {
        if (Busy is not null || !canRun) return;
        Busy = busy;
        if (clearFailure) LastFailure = null;
        NotifyChanged();
        try
        {
            await work();
        }
        finally
        {
            Busy = null;
            NotifyChanged();
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}

/// <summary>
/// A workflow that runs cluster operations for a page (Apply and Cleanup, Bookinfo, team sessions): what the page
/// reads of its run state, and the subscription the page's components take.
/// </summary>
public abstract class ClusterOperationWorkflow
{
    protected OperationRun Run { get; } = new();

    public string? Busy => Run.Busy;
    public ClusterFailure? LastFailure => Run.LastFailure;

    public event Action? Changed
    {
        add => Run.Changed += value;
        remove => Run.Changed -= value;
    }

    public IDisposable NotifyOnChange(Action onChange) => Run.NotifyOnChange(onChange);
}
