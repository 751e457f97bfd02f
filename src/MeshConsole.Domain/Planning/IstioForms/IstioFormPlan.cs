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
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };

    /// <summary>The protocol the proxies speak to LightStep in this form.</summary>
    public abstract SpanTransport SpanTransport { get; }

    /// <summary>Where the mesh's spans go (host:port) and whether over TLS.</summary>
    public abstract (string Address, bool Secure) SpanTarget(PlanInput input);

    /// <summary>Adds this form's Istio objects, istioctl/kubectl steps and notes.</summary>
    public abstract void AddTo(PlanInput input, PlanParts parts);

    /// <summary>
    /// `--set` flags when they can say everything; the overlay file when the ingress gateway also needs the CA
    /// mounted, because a Kubernetes overlay (a list of patches) cannot be written as --set flags.
    /// </summary>
    protected static void AddIstioctlStep(PlanInput input, string verb, List<(string Path, object Value)> settings, PlanParts parts)
    {
        var overlay = IstioObjects.Overlay(settings);
        if (CaCertificates.GatewayNeedsMount(input))
        {
            var resource = (IstioResource)overlay.Resource;
            resource.Spec["components"] = CaCertificates.GatewayMountComponents(input.CacertPath);
            parts.Commands.Add(new PlanCommand("Command.IstioctlOverlay", InstallCommands.IstioctlOverlay(resource, verb)));
        }
        else
        {
            parts.Commands.Add(new PlanCommand("Command.IstioctlSet", InstallCommands.IstioctlSet(verb, settings)));
        }
        parts.Objects.Add(overlay);
    }

    protected static IEnumerable<(string, object)> TlsSettings(string cacertPath) =>
    [
        ("meshConfig.defaultConfig.tracing.tlsSettings.mode", "SIMPLE"),
        ("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates", cacertPath),
    ];
}
