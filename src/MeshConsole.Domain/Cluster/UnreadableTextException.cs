namespace MeshConsole.Domain.Cluster;

/// <summary>
/// Text the console must merge into (a mesh config, injector values) cannot be read as <see cref="Format"/>.
/// <see cref="Position"/> is where reading stopped as <c>line:column</c> (null when the parser does not say), never the
/// text itself, which may hold access tokens.
/// </summary>
public sealed class UnreadableTextException(string format, string? position, Exception inner)
    : FormatException($"The text is not readable {format}" + (position is null ? "." : $" (at {position})."), inner)
{
    public string Format { get; } = format;

    public string? Position { get; } = position;
}
