using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Planning.IstioForms;

/// <summary>
/// The original task's form: install values <c>values.global.tracer.lightstep.*</c> and Envoy's LightStep tracer.
/// Istio before 1.6 only has `istioctl manifest apply`; 1.8 and 1.9 ignore `secure`/`cacertPath` and read TLS from
/// meshConfig.defaultConfig.tracing.tlsSettings instead (istio/istio#31190).
/// </summary>
internal sealed class InstallValuesFormPlan : IstioFormPlan
{
    public override SpanTransport SpanTransport => SpanTransport.LightStepCollector;

    public override (string Address, bool Secure) SpanTarget(PlanInput input) => (input.SatelliteAddress, input.Secure);

    public override void AddTo(PlanInput input, PlanParts parts)
    {
        var settings = new List<(string Path, object Value)>
        {
            ("values.pilot.traceSampling", input.SamplingPercent),
            ("values.global.proxy.tracer", "lightstep"),
            ("values.global.tracer.lightstep.address", input.SatelliteAddress),
            ("values.global.tracer.lightstep.accessToken", input.AccessToken),
            ("values.global.tracer.lightstep.secure", input.Secure),
            ("values.global.tracer.lightstep.cacertPath", input.CacertPath),
        };
        if (input.IstioVersion >= IstioFormChoice.FirstWithTlsSettingsOnly)
        {
            parts.Note("Note.TlsSettingsReplaceSecure");
            if (input.Secure)
                settings.AddRange(TlsSettings(input.CacertPath));
        }
        var verb = input.IstioVersion < IstioFormChoice.FirstWithIstioctlInstall ? "istioctl manifest apply" : "istioctl install";
        if (verb == "istioctl manifest apply")
            parts.Note("Note.ManifestApplyVerb");
        AddIstioctlStep(input, verb, settings, parts);
    }
}
