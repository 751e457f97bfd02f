using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Planning.IstioForms;

/// <summary><c>meshConfig.defaultConfig.tracing.lightstep</c> (ProxyConfig) and Envoy's LightStep tracer, Istio 1.10 to 1.15.</summary>
internal sealed class MeshConfigFormPlan : IstioFormPlan
{
    public override SpanTransport SpanTransport => SpanTransport.LightStepCollector;

    public override (string Address, bool Secure) SpanTarget(PlanInput input) => (input.SatelliteAddress, input.Secure);

    public override bool GatewayNeedsCa(PlanInput input) => input.Secure && input.CaCertificatePem is not null;

    public override void AddTo(PlanInput input, PlanParts parts)
    {
        var settings = new List<(string Path, object Value)>
        {
            // Still needed: the sidecar injector mounts Secret lightstep.cacert only when this tracer is selected.
            ("values.global.proxy.tracer", "lightstep"),
            ("meshConfig.enableTracing", true),
            ("meshConfig.defaultConfig.tracing.sampling", input.SamplingPercent),
            ("meshConfig.defaultConfig.tracing.lightstep.address", input.SatelliteAddress),
            ("meshConfig.defaultConfig.tracing.lightstep.accessToken", input.AccessToken),
        };
        if (input.Secure)
            settings.AddRange(TlsSettings(input));
        AddIstioctlStep(input, "istioctl install", settings, parts);
    }
}
