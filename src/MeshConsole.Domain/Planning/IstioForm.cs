namespace MeshConsole.Domain.Planning;

/// <summary>Where Istio takes LightStep tracing settings from; it depends on the Istio release.</summary>
public enum IstioForm
{
    /// <summary>Helm-style install values <c>values.global.tracer.lightstep.*</c> (the original task, Istio before 1.10).</summary>
    InstallValues,
    /// <summary><c>meshConfig.defaultConfig.tracing.lightstep</c> (ProxyConfig), Istio 1.10 to 1.15.</summary>
    MeshConfigProxyTracing,
    /// <summary>The <c>lightstep</c> extension provider plus a Telemetry resource, Istio 1.16 to 1.26.</summary>
    LightStepExtensionProvider,
    /// <summary>An <c>opentelemetry</c> extension provider exporting OTLP to LightStep, Istio 1.27 and later.</summary>
    OpenTelemetry,
}

/// <summary>The chosen form and the reason, as a localizable code plus arguments.</summary>
public sealed record IstioFormChoice(IstioForm Form, IstioVersion Version, string ReasonCode)
{
    // Boundaries (each checked against Istio's own notes):
    // - 1.6: `istioctl install` replaced `istioctl manifest apply` (1.6.0 change notes).
    // - 1.8: values.global.tracer.lightstep.secure/cacertPath stopped being honoured; TLS moved to
    //   meshConfig.defaultConfig.tracing.tlsSettings (istio/istio#31190, istio/istio.io#9125).
    // - 1.10: first minor whose LightStep task uses meshConfig.defaultConfig.tracing.lightstep (istio/istio.io#9125).
    // - 1.16: Envoy 1.24 dropped its LightStep tracer (envoyproxy/envoy#21370); Istio translates the `lightstep`
    //   extension provider into Envoy's OpenTelemetry tracer with a lightstep-access-token header (istio/istio#40032).
    // - 1.22: Telemetry API served as telemetry.istio.io/v1 (istio.io blog "v1 APIs", 2024).
    // - 1.24: opentelemetry provider gains grpc.initialMetadata (1.24.0 change notes, istio/istio#52915).
    // - 1.27: "Removed support of Lightstep tracing provider" (1.27.0 change notes, istio/istio#54002, #56265).
    public static readonly IstioVersion FirstWithIstioctlInstall = new(1, 6, 0);
    public static readonly IstioVersion FirstWithTlsSettingsOnly = new(1, 8, 0);
    public static readonly IstioVersion FirstWithMeshConfigForm = new(1, 10, 0);
    public static readonly IstioVersion FirstWithoutEnvoyLightStepTracer = new(1, 16, 0);
    public static readonly IstioVersion FirstWithTelemetryV1 = new(1, 22, 0);
    public static readonly IstioVersion FirstWithoutLightStepProvider = new(1, 27, 0);

    public static IstioFormChoice For(IstioVersion version) => version switch
    {
        _ when version < FirstWithMeshConfigForm => new(IstioForm.InstallValues, version, "Form.InstallValues"),
        _ when version < FirstWithoutEnvoyLightStepTracer => new(IstioForm.MeshConfigProxyTracing, version, "Form.MeshConfigProxyTracing"),
        _ when version < FirstWithoutLightStepProvider => new(IstioForm.LightStepExtensionProvider, version, "Form.LightStepExtensionProvider"),
        _ => new(IstioForm.OpenTelemetry, version, "Form.OpenTelemetry"),
    };
}
