using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// The mesh-wide LightStep settings the facilitator enters once; every participant sees them read-only.
/// <see cref="ToString"/> shows the token masked, so logging a session never leaks it.
/// </summary>
public sealed record SharedSettings(
    LightStepProduct Product,
    string SatelliteAddress,
    string? CaCertificatePem,
    string AccessToken,
    string Project,
    IstioVersion IstioVersion,
    decimal SamplingPercent)
{
    /// <summary>The span destination when it is not LightStep; null sends spans to LightStep as <see cref="Product"/> says.</summary>
    public SharedBackend? Backend { get; init; }

    public override string ToString() =>
        $"SharedSettings {{ Product = {Product}, SatelliteAddress = {SatelliteAddress}, CaCertificatePem = {(CaCertificatePem is null ? "none" : $"{CaCertificatePem.Length} characters")}, " +
        $"AccessToken = {AccessTokenRules.MaskForDisplay(AccessToken)}, Project = {Project}, IstioVersion = {IstioVersion}, SamplingPercent = {SamplingPercent}, Backend = {Backend?.ToString() ?? "LightStep"} }}";
}

/// <summary>
/// A session's backend other than LightStep, as the facilitator entered it: the wizard's backend name (a preset or any
/// OTLP endpoint), the endpoint (host:port), TLS, and each header with its value. The values are the facilitator's
/// secrets, shared with participants like the access token (their spans go to the same destination with them) and
/// stored only where the token is (the session's Secret).
/// </summary>
public sealed record SharedBackend(string Name, string Endpoint, bool Secure, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The endpoint's OTLP protocol (sessions stored before OTLP/HTTP was enterable have none: gRPC).</summary>
    public Traffic.OtlpTransport Transport { get; init; } = Traffic.OtlpTransport.Grpc;

    /// <summary>The OTLP/HTTP traces path, null for gRPC (and for the default path).</summary>
    public string? HttpPath { get; init; }

    /// <summary>Never the header values.</summary>
    public override string ToString() => $"{Name} {Endpoint} ({string.Join(", ", Headers.Select(h => h.Key))})";
}
