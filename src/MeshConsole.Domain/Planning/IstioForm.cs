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
    /// <summary>
    /// An <c>opentelemetry</c> extension provider exporting OTLP to LightStep, Istio 1.27 and later; or, from 1.16.1, to
    /// another OTLP backend (<see cref="PlanInput.OtlpDestination"/>) on the direct route.
    /// </summary>
    OpenTelemetry,
    /// <summary>The collector route: an <c>opentelemetry</c> provider exporting plain OTLP to an in-cluster collector, Istio 1.16.1 and later.</summary>
    OpenTelemetryCollector,
}

/// <summary>The chosen form and the reason, as a localizable code plus arguments.</summary>
public sealed record IstioFormChoice(IstioForm Form, IstioVersion Version, string ReasonCode)
{
    // Boundaries, each checked against Istio's own sources:
    // - 1.6: `istioctl install` replaced `istioctl manifest apply` (1.6.0 change notes).
    // - 1.6: ProxyConfig Tracing.Lightstep lost `secure` and `cacert_path` for Tracing.tls_settings (istio/api#1397,
    //   first tag 1.6.0); from 1.6.0 the install values' TracerLightStepConfig has only `address` and `accessToken`
    //   (operator/pkg/apis/istio/v1alpha1/values_types.proto), and the injection template mounts Secret lightstep.cacert
    //   only `if and (eq .Values.global.proxy.tracer "lightstep") .ProxyConfig.GetTracing.GetTlsSettings`
    //   (manifests/charts/istio-control/istio-discovery/files/injection-template.yaml, unchanged through 1.28.0).
    //   istio.io's task pages for 1.6 to 1.9 still showed secure/cacertPath until istio/istio.io#9125 (istio/istio#31190).
    // - 1.10: first minor whose LightStep task uses meshConfig.defaultConfig.tracing.lightstep (istio/istio.io#9125).
    // - 1.16: Envoy 1.24 dropped its LightStep tracer (envoyproxy/envoy#21370); Istio translates the `lightstep`
    //   extension provider into Envoy's OpenTelemetry tracer with a lightstep-access-token header (istio/istio#40032).
    //   1.16.0's proxy was built without that tracer (istio/istio#42080), fixed in 1.16.1 (istio/proxy#4231).
    // - 1.17: the `lightstep` provider is deprecated (istio/api#2663, the release-1.17 backport of istio/api#2635);
    //   `istioctl analyze` warns from 1.18 (istio/istio#43998).
    // - 1.22: Telemetry API served as telemetry.istio.io/v1 (istio.io blog "v1 APIs", 2024); the opentelemetry
    //   provider's `http.headers` (istio/api#2998, first tag 1.22.0).
    // - 1.24: the opentelemetry provider's `grpc.initialMetadata` (istio/api#3301, first tag 1.24.0): the first release
    //   where a direct OTLP/gRPC export can carry the access token.
    // - 1.27: "telemetry: remove Lightstep support" (istio/istio#56265, first tag 1.27.0).
    public static readonly IstioVersion FirstWithIstioctlInstall = new(1, 6, 0);
    public static readonly IstioVersion FirstWithTlsSettingsOnly = new(1, 6, 0);
    public static readonly IstioVersion FirstWithMeshConfigForm = new(1, 10, 0);
    public static readonly IstioVersion FirstWithoutEnvoyLightStepTracer = new(1, 16, 0);
    /// <summary>The one release this console refuses: its proxy has no OpenTelemetry tracer (istio/istio#42080).</summary>
    public static readonly IstioVersion WithoutOpenTelemetryTracer = new(1, 16, 0);
    public static readonly IstioVersion FirstWithLightStepProviderDeprecated = new(1, 17, 0);
    public static readonly IstioVersion FirstWithTelemetryV1 = new(1, 22, 0);
    public static readonly IstioVersion FirstWithOtlpGrpcInitialMetadata = new(1, 24, 0);
    public static readonly IstioVersion FirstWithoutLightStepProvider = new(1, 27, 0);
    /// <summary>
    /// The newest minor the forms were checked against (the injection template and gateway chart "unchanged through
    /// 1.28.0" above and in IstioFormPlan): a later release gets the newest form, with a warning that it is assumed.
    /// </summary>
    public static readonly IstioVersion NewestKnown = new(1, 28, 0);

    /// <summary>
    /// The form of <paramref name="route"/> for this input: for another OTLP backend the collector form or, directly, the
    /// <c>opentelemetry</c> provider at any supported release, with a reason that says why that route; for LightStep
    /// <see cref="For(IstioVersion, SpanRoute)"/>.
    /// </summary>
    public static IstioFormChoice For(PlanInput input, SpanRoute route)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.OtlpDestination is not { } otlp) return For(input.IstioVersion, route);
        if (route == SpanRoute.Collector)
            return new(IstioForm.OpenTelemetryCollector, input.IstioVersion,
                SpanRoutes.NeedsNothingFromTheProxies(otlp) ? "Form.OtherBackendCollectorChosen" : "Form.OtherBackendCollector");
        return new(IstioForm.OpenTelemetry, input.IstioVersion,
            SpanRoutes.NeedsNothingFromTheProxies(otlp) ? "Form.OtherBackendDirectPlain" : "Form.OtherBackendDirect");
    }

    /// <summary>The form of <paramref name="route"/>: the collector form, or the version's direct form.</summary>
    public static IstioFormChoice For(IstioVersion version, SpanRoute route) =>
        route == SpanRoute.Collector ? new(IstioForm.OpenTelemetryCollector, version, "Form.OpenTelemetryCollector") : For(version);

    /// <summary>The direct route's form for this release.</summary>
    public static IstioFormChoice For(IstioVersion version) => version switch
    {
        _ when version < FirstWithMeshConfigForm => new(IstioForm.InstallValues, version, "Form.InstallValues"),
        _ when version < FirstWithoutEnvoyLightStepTracer => new(IstioForm.MeshConfigProxyTracing, version, "Form.MeshConfigProxyTracing"),
        _ when version < FirstWithoutLightStepProvider => new(IstioForm.LightStepExtensionProvider, version, "Form.LightStepExtensionProvider"),
        _ => new(IstioForm.OpenTelemetry, version, "Form.OpenTelemetry"),
    };
}
