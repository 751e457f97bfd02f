using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Planning;

/// <summary>
/// A span destination other than LightStep (a preset of <see cref="TraceBackends"/> or any OTLP endpoint): where the
/// collector route exports and the values of the headers the endpoint needs. The values are secrets like the access
/// token: the plan writes them only into the collector's Secret.
/// </summary>
/// <param name="HeaderValues">The value of every header <see cref="OtlpTraceDestination.Headers"/> names, by name.</param>
public sealed record OtlpSpanDestination(OtlpTraceDestination Endpoint, IReadOnlyDictionary<string, string> HeaderValues)
{
    /// <summary>
    /// The OTLP/HTTP traces path when none is given: the OTLP specification's default, which the collector's otlphttp
    /// exporter also appends to its endpoint (exporter/otlphttpexporter/factory.go composeSignalURL, v0.143.0).
    /// </summary>
    public const string DefaultHttpPath = "/v1/traces";

    /// <summary>host:port, IPv6 in brackets.</summary>
    public string Address => Endpoint.Host.Contains(':') ? $"[{Endpoint.Host}]:{Endpoint.Port}" : $"{Endpoint.Host}:{Endpoint.Port}";

    /// <summary>Never the header values (a record's generated ToString would reach logs and exceptions).</summary>
    public override string ToString() => $"{Address} ({string.Join(", ", Endpoint.Headers.Select(h => h.Name))})";
}
