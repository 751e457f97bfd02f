using MeshConsole.Domain.Traffic;

namespace WebConsole.Drafts;

/// <summary>
/// The span destination backends the wizard and the command line offer, by the name both use: LightStep first (the
/// default), then the presets of <see cref="TraceBackends"/>, then any OTLP endpoint.
/// </summary>
public static class BackendChoices
{
    public const string LightStep = "lightstep";
    public const string AnyOtlp = "otlp";

    /// <summary>Name to preset, in the order offered; null is a plain OTLP endpoint without a preset.</summary>
    public static IReadOnlyList<KeyValuePair<string, TraceBackendKind?>> All { get; } =
    [
        new(LightStep, TraceBackendKind.LightStep),
        new("jaeger", TraceBackendKind.Jaeger),
        new("tempo", TraceBackendKind.GrafanaTempo),
        new("honeycomb", TraceBackendKind.Honeycomb),
        new(AnyOtlp, null),
    ];

    public static IEnumerable<string> Names => All.Select(c => c.Key);

    /// <summary>The preset behind <paramref name="name"/>, or null for a plain OTLP endpoint.</summary>
    public static ITraceBackend? Preset(string name) =>
        All.Single(c => c.Key == name).Value is { } kind ? TraceBackends.For(kind) : null;

    public static bool IsLightStep(string name) => name == LightStep;

    /// <summary>The link template the backend's preset starts with; null for a plain OTLP endpoint, which has no UI of its own to link to.</summary>
    public static string? DefaultLinkTemplate(string name) => Preset(name)?.DefaultLinkTemplate;
}
