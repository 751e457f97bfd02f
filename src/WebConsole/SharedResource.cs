namespace WebConsole;

/// <summary>Marker for the console's one resource set: Resources/SharedResource.resx and its translations.</summary>
public sealed class SharedResource;
