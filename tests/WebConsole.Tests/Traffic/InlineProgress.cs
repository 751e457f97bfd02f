namespace WebConsole.Tests.Traffic;

/// <summary>An <see cref="IProgress{T}"/> that reports inline, on the reporting thread.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
