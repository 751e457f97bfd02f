using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Planning.IstioForms;

/// <summary>
/// One Istio configuration form and its rules: which objects and commands it needs, how the mesh's spans travel,
/// and whether the sidecar injector mounts the CA Secret from the workload's namespace.
/// </summary>
internal abstract class IstioFormPlan
{
    public static IstioFormPlan For(IstioForm form) => form switch
    {
        IstioForm.InstallValues => new InstallValuesFormPlan(),
        IstioForm.MeshConfigProxyTracing => new MeshConfigFormPlan(),
        IstioForm.LightStepExtensionProvider => new ExtensionProviderFormPlan(form),
        IstioForm.OpenTelemetry => new ExtensionProviderFormPlan(form),
        IstioForm.OpenTelemetryCollector => new CollectorFormPlan(),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };

    /// <summary>The protocol the proxies speak to LightStep in this form.</summary>
    public abstract SpanTransport SpanTransport { get; }

    /// <summary>Where the mesh's spans go (host:port) and whether over TLS.</summary>
    public abstract (string Address, bool Secure) SpanTarget(PlanInput input);

    /// <summary>
    /// Whether sidecars read the CA from Secret lightstep.cacert in their own namespace (mounted by the injector), so the
    /// plan writes that Secret into every chosen namespace.
    /// </summary>
    public virtual bool ReadsCaFromWorkloadNamespace(PlanInput input) => input.CaCertificatePem is not null;

    /// <summary>
    /// Whether the ingress gateway must mount the CA: its proxy is told to verify the satellites with the CA file, but
    /// the injector mounts Secret lightstep.cacert only into sidecars, and the gateway Deployment istioctl renders has no
    /// such volume in any release (manifests/charts/gateways/istio-ingress/templates/deployment.yaml, 1.5.0 to 1.28.0).
    /// Without it the gateway's spans, the parents of every Bookinfo request, are dropped (istio/istio#31190; the
    /// gateway overlay of istio/istio.io#9125).
    /// </summary>
    public abstract bool GatewayNeedsCa(PlanInput input);

    /// <summary>Adds this form's Istio objects, istioctl/kubectl steps and notes.</summary>
    public abstract void AddTo(PlanInput input, PlanParts parts);

    /// <summary>
    /// Always an overlay file, never `--set`: the settings hold the access token, and a command line is visible to every
    /// local user in `ps` (install.sh writes the file with mode 0600 into a private temporary directory).
    /// </summary>
    protected void AddIstioctlStep(PlanInput input, string verb, List<(string Path, object Value)> settings, PlanParts parts)
    {
        var overlay = IstioObjects.Overlay(settings);
        var resource = (IstioResource)overlay.Resource;
        AddGatewayMount(input, resource.Spec);
        parts.Commands.Add(new PlanCommand(PlanRenderer.IstioctlCommandCode, InstallCommands.IstioctlOverlay(resource, verb)));
        parts.Objects.Add(overlay);
    }

    /// <summary>The gateway's CA mount as IstioOperator <c>components</c>, for istioctl and an operator-reconciled install.</summary>
    protected void AddGatewayMount(PlanInput input, Dictionary<string, object?> overlaySpec)
    {
        if (GatewayNeedsCa(input))
            overlaySpec["components"] = CaCertificates.GatewayMountComponents(input.CacertPath);
    }

    /// <summary>
    /// ProxyConfig tracing.tlsSettings (1.6 to 1.15). Written only with a CA: the injector mounts Secret lightstep.cacert
    /// at the directory of caCertificates whenever tlsSettings is set (injection-template.yaml), so TLS without a CA
    /// file has no valid form here and <see cref="PlanInputRules"/> asks for the CA.
    /// </summary>
    protected static IEnumerable<(string, object)> TlsSettings(PlanInput input) => input.CaCertificatePem is null
        ? []
        :
        [
            ("meshConfig.defaultConfig.tracing.tlsSettings.mode", "SIMPLE"),
            ("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates", input.CacertPath),
        ];
}
