using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace MeshConsole.Domain.Planning;

/// <summary>The shell text of install.sh's steps: kubectl server-side apply and istioctl with --set flags or an overlay file.</summary>
internal static class InstallCommands
{
    public static string KubectlApply(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        $"kubectl apply --server-side --field-manager={PlanBuilder.FieldManager} -f - <<'YAML'\n{PlanRenderer.Yaml(objects)}YAML";

    public static string IstioctlSet(string verb, IEnumerable<(string Path, object Value)> settings)
    {
        var script = new StringBuilder(verb).Append(' ').Append(BaseOverlayArguments);
        foreach (var (path, value) in settings)
            script.Append(" \\\n  --set ").Append(path).Append('=').Append(PlanBuilder.ShellQuote(SetValue(value)));
        return script.ToString();
    }

    public static string IstioctlOverlay(IstioResource overlay, string verb) =>
        $"cat > \"$workdir/{PlanBuilder.OverlayName}.yaml\" <<'YAML'\n{PlanRenderer.Yaml([overlay])}YAML\n" +
        $"{verb} {BaseOverlayArguments} -f \"$workdir/{PlanBuilder.OverlayName}.yaml\"";

    // `${a[@]+"${a[@]}"}` rather than "${a[@]}": bash before 4.4 (macOS ships 3.2) treats an empty array as unset under `set -u`.
    private const string BaseOverlayArguments = "${base_overlay[@]+\"${base_overlay[@]}\"}";

    private static string SetValue(object value) => value switch
    {
        bool b => b ? "true" : "false",
        decimal d => PlanBuilder.Percent(d),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
