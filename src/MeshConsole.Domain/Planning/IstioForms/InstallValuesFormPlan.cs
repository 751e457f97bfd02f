using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Planning.IstioForms;

/// <summary>
/// The original task's form (Istio before 1.10): install values <c>values.global.proxy.tracer=lightstep</c> and
/// <c>values.global.tracer.lightstep.*</c>, Envoy's LightStep tracer.
/// <list type="bullet">
/// <item>1.4 and 1.5: <c>secure</c> and <c>cacertPath</c> are install values; the injector mounts Secret lightstep.cacert
/// at the directory of cacertPath when it is set (injection-template.yaml at 1.5.0), and istioctl only has
/// `istioctl manifest apply`.</item>
/// <item>1.6 to 1.9: istio/api#1397 (first tag 1.6.0) replaced them with ProxyConfig <c>tracing.tlsSettings</c>; the
/// 1.6.0 values' TracerLightStepConfig has only address and accessToken, so secure/cacertPath are never written. The
/// injector mounts the Secret at the directory of tlsSettings.caCertificates when the tracer is lightstep and
/// tlsSettings is set (injection-template.yaml at 1.6.0 and 1.9.0). istio.io showed the old fields until
/// istio/istio.io#9125 (istio/istio#31190).</item>
/// </list>
/// </summary>
internal sealed class InstallValuesFormPlan : IstioFormPlan
{
    public override SpanTransport SpanTransport => SpanTransport.LightStepCollector;

    public override (string Address, bool Secure) SpanTarget(PlanInput input) => (input.SatelliteAddress, input.Secure);

    public override bool GatewayNeedsCa(PlanInput input) => input.Secure && input.CaCertificatePem is not null;

    public override void AddTo(PlanInput input, PlanParts parts)
    {
        var settings = new List<(string Path, object Value)>
        {
            ("values.pilot.traceSampling", input.SamplingPercent),
            ("values.global.proxy.tracer", "lightstep"),
            ("values.global.tracer.lightstep.address", input.SatelliteAddress),
            ("values.global.tracer.lightstep.accessToken", input.AccessToken),
        };
        if (input.IstioVersion < IstioFormChoice.FirstWithTlsSettingsOnly)
        {
            settings.Add(("values.global.tracer.lightstep.secure", input.Secure));
            // Only with a CA to mount: the injector mounts the (optional) Secret at cacertPath's directory, and
            // istio/istio#19727 passes --lightstepCacertPath only when secure is true.
            if (input.Secure && input.CaCertificatePem is not null)
                settings.Add(("values.global.tracer.lightstep.cacertPath", input.CacertPath));
        }
        else
        {
            parts.Note("Note.TlsSettingsReplaceSecure");
            if (input.Secure)
                settings.AddRange(TlsSettings(input));
        }
        var verb = InstallCommands.IstioctlVerb(input.IstioVersion);
        if (verb == "istioctl manifest apply")
            parts.Note("Note.ManifestApplyVerb");
        AddIstioctlStep(input, verb, settings, parts);
    }
}
