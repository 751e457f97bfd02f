using k8s;
using k8s.Models;

namespace MeshConsole.Domain.Planning;

/// <summary>The shell text of install.sh's steps: kubectl server-side apply from stdin and istioctl with an overlay file; never a secret in argv.</summary>
internal static class InstallCommands
{
    public static string KubectlApply(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, string fieldManager = FieldManagers.Mesh) =>
        $"kubectl apply --server-side --field-manager={fieldManager} -f - <<'YAML'\n{PlanRenderer.Yaml(objects)}YAML";

    public static string IstioctlOverlay(IstioResource overlay, string verb) =>
        $"cat > \"$workdir/{PlanBuilder.OverlayName}.yaml\" <<'YAML'\n{PlanRenderer.Yaml([overlay])}YAML\n" +
        $"{verb} {BaseOverlayArguments} -f \"$workdir/{PlanBuilder.OverlayName}.yaml\"";

    // `${a[@]+"${a[@]}"}` rather than "${a[@]}": bash before 4.4 (macOS ships 3.2) treats an empty array as unset under `set -u`.
    private const string BaseOverlayArguments = "${base_overlay[@]+\"${base_overlay[@]}\"}";
}
