namespace WebConsole.Features;

/// <summary>
/// Reports on the reporting thread. Progress&lt;T&gt; would post to the synchronization context it was created on,
/// which for a Blazor circuit is the renderer's: reports would queue behind rendering and arrive late or out of order.
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
