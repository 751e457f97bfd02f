namespace MeshConsole.Domain.Planning;

public enum LightStepProduct
{
    /// <summary>"LightStep Tracing": LightStep's public satellites.</summary>
    PublicTracing,
    /// <summary>"LightStep [x]PM": an on-premises satellite pool the customer runs.</summary>
    OnPremSatellites,
}

/// <summary>Everything the wizard collects; the plan builder's only input.</summary>
public sealed record PlanInput
{
    public const string PublicSatelliteAddress = "collector-grpc.lightstep.com:443";
    public const string DefaultCacertPath = "/etc/lightstep/cacert.pem";
    public const decimal DefaultSamplingPercent = 100m;

    public LightStepProduct Product { get; init; } = LightStepProduct.PublicTracing;
    public string AccessToken { get; init; } = "";

    /// <summary>What of this input must never be shown, logged or diffed in clear: the access token and the OTLP header values.</summary>
    public Security.SensitiveValues SensitiveValues =>
        Security.SensitiveValues.Of([AccessToken, .. OtlpDestination?.HeaderValues.Values ?? []]);
    public string SatelliteAddress { get; init; } = PublicSatelliteAddress;
    /// <summary>Normalized PEM of the CA certificate(s); null when the user explicitly chose none (public product only).</summary>
    public string? CaCertificatePem { get; init; }
    public IReadOnlyList<string> Namespaces { get; init; } = ["default"];
    public required IstioVersion IstioVersion { get; init; }
    public decimal SamplingPercent { get; init; } = DefaultSamplingPercent;
    public bool Secure { get; init; } = true;
    public string CacertPath { get; init; } = DefaultCacertPath;
    /// <summary>The route the user chose; null takes <see cref="SpanRoutes.DefaultFor"/>.</summary>
    public SpanRoute? Route { get; init; }
    /// <summary>
    /// Where spans go when the backend is not LightStep (Jaeger, Grafana Tempo, Honeycomb or any OTLP endpoint); null,
    /// the default, sends them to LightStep as <see cref="Product"/> says.
    /// </summary>
    public OtlpSpanDestination? OtlpDestination { get; init; }
}
