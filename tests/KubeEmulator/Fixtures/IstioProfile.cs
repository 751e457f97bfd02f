namespace KubeEmulator.Fixtures;

/// <summary>Which Istio a fixture installs and how.</summary>
/// <param name="Version">Istio release, also the image tag ("1.7.8").</param>
/// <param name="NetworkingV1">networking.istio.io/v1 is served (besides v1alpha3 and v1beta1).</param>
/// <param name="TelemetryV1">telemetry.istio.io/v1 is served (besides v1alpha1).</param>
/// <param name="InstalledState">istioctl saved IstioOperator istio-system/installed-state.</param>
/// <param name="RunningOperator">An in-cluster istio-operator reconciles IstioOperator istio-system/istio-controlplane.</param>
internal sealed record IstioProfile(string Version, bool NetworkingV1, bool TelemetryV1, bool InstalledState, bool RunningOperator)
{
    public static IstioProfile? For(ClusterFixture fixture) => fixture switch
    {
        ClusterFixture.NoIstio => null,
        ClusterFixture.OldIstio => new IstioProfile("1.7.8", NetworkingV1: false, TelemetryV1: false, InstalledState: false, RunningOperator: false),
        ClusterFixture.MidIstio => new IstioProfile("1.14.3", NetworkingV1: true, TelemetryV1: false, InstalledState: true, RunningOperator: false),
        ClusterFixture.MidIstioWithOperator => new IstioProfile("1.14.3", NetworkingV1: true, TelemetryV1: false, InstalledState: true, RunningOperator: true),
        ClusterFixture.NewIstio => new IstioProfile("1.28.0", NetworkingV1: true, TelemetryV1: true, InstalledState: true, RunningOperator: false),
        _ => throw new ArgumentOutOfRangeException(nameof(fixture), fixture, null),
    };

    /// <summary>Istio 1.7: Zipkin tracer values, pre-1.8 injector layout.</summary>
    public bool IsOld => Version.StartsWith("1.7.", StringComparison.Ordinal);

    /// <summary>Istio 1.2x: no proxy.tracer value, OpenTelemetry extension provider.</summary>
    public bool IsNew => Version.StartsWith("1.2", StringComparison.Ordinal);

    /// <summary>The IstioOperator that owns the installation's objects (label install.operator.istio.io/owning-resource).</summary>
    public string OwningResource => RunningOperator ? "istio-controlplane" : InstalledState ? "installed-state" : "unknown";

    /// <summary>Mesh config accessLogFile: the operator's IstioOperator sets /dev/stdout.</summary>
    public string AccessLogFile => RunningOperator ? "/dev/stdout" : string.Empty;

    public string IstiodServiceAccount => IsOld ? "istiod-service-account" : "istiod";
}
