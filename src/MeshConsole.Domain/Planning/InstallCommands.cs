using k8s;
using k8s.Models;

namespace MeshConsole.Domain.Planning;

/// <summary>
/// The shell text of install.sh's and uninstall.sh's steps: kubectl server-side apply from stdin and istioctl with an
/// overlay file; never a secret in argv.
/// </summary>
public static class InstallCommands
{
    /// <summary>Set to accept that istioctl returns every setting it is not given to the profile's default.</summary>
    public const string AcceptDefaultsVariable = "ACCEPT_ISTIO_DEFAULTS";
    public const string BaseOverlayVariable = "ISTIO_BASE_OVERLAY";
    /// <summary>Where install.sh writes which objects existed before it ran (uninstall.sh reads it); next to the scripts unless set.</summary>
    public const string RecordVariable = "LIGHTSTEP_INSTALL_RECORD";
    public const string RecordDirectory = "install-record";
    /// <summary>Exit status of either script when it refuses to start (nothing changed).</summary>
    public const int RefusedExitCode = 3;

    public static string KubectlApply(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, string fieldManager = FieldManagers.Mesh) =>
        $"kubectl apply --server-side --field-manager={fieldManager} -f - <<'YAML'\n{PlanRenderer.Yaml(objects)}YAML";

    public static string IstioctlOverlay(IstioResource overlay, string verb) =>
        $"cat > \"$workdir/{PlanBuilder.OverlayName}.yaml\" <<'YAML'\n{PlanRenderer.Yaml([overlay])}YAML\n" +
        $"{verb} {BaseOverlayArguments} -f \"$workdir/{PlanBuilder.OverlayName}.yaml\"";

    /// <summary>
    /// `istioctl install` from 1.6 (1.6.0 change notes); 1.4 and 1.5 have `istioctl manifest apply` (istio.io/v1.4,
    /// "Customizable Install with Istioctl").
    /// </summary>
    public static string IstioctlVerb(IstioVersion version) =>
        version < IstioFormChoice.FirstWithIstioctlInstall ? "istioctl manifest apply" : "istioctl install";

    /// <summary>uninstall.sh's istioctl step: the base overlay alone, so the mesh loses this bundle's settings.</summary>
    public static string IstioctlWithoutOverlay(string verb) => $"{verb} {BaseOverlayArguments}".TrimEnd();

    /// <summary>
    /// Stops the script before it changes anything unless the user named the base overlay or accepted Istio's defaults.
    /// istioctl installs a complete configuration: whatever its files do not set returns to the profile's default
    /// ("If you installed Istio using --set flags, ensure that you pass the same --set flags to upgrade, otherwise the
    /// customizations done with --set will be reverted", istio.io/v1.8/docs/setup/upgrade/in-place; "if -f is omitted,
    /// Istio upgrades with the default configuration", istio.io/v1.8/zh/docs/setup/upgrade/istioctl-upgrade).
    /// </summary>
    public static string IstioDefaultsGuard(string message) =>
        $"if [ -z \"${{{BaseOverlayVariable}:-}}\" ] && [ \"${{{AcceptDefaultsVariable}:-}}\" != yes ]; then\n" +
        $"  cat >&2 <<'MESSAGE'\n{message}\nMESSAGE\n" +
        $"  exit {RefusedExitCode}\nfi";

    public const string BaseOverlayArray = $"base_overlay=(${{{BaseOverlayVariable}:+-f \"${BaseOverlayVariable}\"}})";

    /// <summary>The record directory: <see cref="RecordVariable"/>, else install-record next to the script.</summary>
    public const string RecordAssignment = $"record=\"${{{RecordVariable}:-$(cd \"$(dirname \"$0\")\" && pwd)/{RecordDirectory}}}\"";

    /// <summary>The object as kubectl finds it (kind, name, namespace), without any of its data: safe to print.</summary>
    public static string Identity(IKubernetesObject<V1ObjectMeta> o)
    {
        var text = $"apiVersion: {o.ApiVersion}\nkind: {o.Kind}\nmetadata:\n  name: {o.Metadata.Name}\n";
        return o.Metadata.NamespaceProperty is { } ns ? text + $"  namespace: {ns}\n" : text;
    }

    /// <summary>Saves the object as it is now (empty file when absent) into the record: install.sh, before any change.</summary>
    public static string RecordBefore(IKubernetesObject<V1ObjectMeta> o, string file) =>
        $"kubectl get --ignore-not-found -o yaml -f - > \"$record.partial/{file}\" <<'YAML'\n{Identity(o)}YAML";

    public static string Delete(IKubernetesObject<V1ObjectMeta> o) =>
        $"kubectl delete --ignore-not-found -f - <<'YAML'\n{Identity(o)}YAML";

    public static string Echo(string message) => $"cat >&2 <<'MESSAGE'\n{message}\nMESSAGE";

    // `${a[@]+"${a[@]}"}` rather than "${a[@]}": bash before 4.4 (macOS ships 3.2) treats an empty array as unset under `set -u`.
    private const string BaseOverlayArguments = "${base_overlay[@]+\"${base_overlay[@]}\"}";
}
