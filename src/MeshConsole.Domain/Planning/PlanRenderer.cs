using System.Text;
using k8s;
using k8s.Models;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Planning;

/// <summary>Turns a plan into the text people read and run: manifests.yaml, install.sh, and their on-screen redactions.</summary>
public static class PlanRenderer
{
    public const string ManifestsFile = "manifests.yaml";
    public const string InstallScriptFile = "install.sh";
    public const string PlanFile = "PLAN.md";
    public const string UninstallScriptFile = "uninstall.sh";

    public static string Yaml(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        string.Join("---\n", objects.Select(o => EnsureNewline(KubernetesYaml.Serialize(o))));

    public static string ManifestsYaml(Plan plan) => Yaml(plan.Objects.Select(o => o.Resource));

    /// <param name="describe">The comment above each command (its localized purpose); the code when omitted.</param>
    public static string InstallScript(Plan plan, Func<PlanCommand, string>? describe = null) =>
        InstallScript(plan, ScriptWording.Describing(describe));

    public static string InstallScript(Plan plan, ScriptWording wording)
    {
        var script = new StringBuilder()
            .Append("#!/usr/bin/env bash\n")
            .Append("# ").Append(wording.Say("Script.Generated", plan.FormChoice.Version, plan.Form)).Append('\n')
            .Append("# ").Append(plan.OtherBackendAddress is null ? wording.Say("Script.HoldsToken")
                : plan.SensitiveValues.IsEmpty ? wording.Say("Script.NoSecret", plan.OtherBackendAddress)
                : wording.Say("Script.HoldsHeaders", plan.OtherBackendAddress)).Append('\n');
        if (RunsIstioctl(plan))
            script.Append("# ").Append(wording.Say("Script.BaseOverlay", InstallCommands.BaseOverlayVariable, InstallCommands.AcceptDefaultsVariable)).Append('\n');
        script.Append("set -euo pipefail\n")
            .Append("# ").Append(wording.Say("Script.PrivateFiles")).Append('\n')
            .Append("umask 077\n");
        if (RunsIstioctl(plan))
            script.Append(IstioDefaultsGuard(wording, "install.sh")).Append('\n');
        script.Append("workdir=\"$(mktemp -d)\"\n")
            .Append("trap 'rm -rf \"$workdir\"' EXIT\n")
            .Append(InstallCommands.BaseOverlayArray).Append('\n');
        var recorded = RecordedObjects(plan);
        if (recorded.Count > 0)
        {
            // The first run's record is kept: a second install.sh would otherwise record its own objects as pre-existing.
            script.Append("\n# ").Append(wording.Say("Script.Record", UninstallScriptFile)).Append('\n')
                .Append(InstallCommands.RecordAssignment).Append('\n')
                .Append("if [ ! -d \"$record\" ]; then\n")
                .Append("rm -rf \"$record.partial\"\n")
                .Append("mkdir -p \"$record.partial\"\n");
            foreach (var (o, file) in recorded)
                script.Append(InstallCommands.RecordBefore(o, file)).Append('\n');
            script.Append("mv \"$record.partial\" \"$record\"\n")
                .Append("fi\n");
        }
        var step = 1;
        foreach (var command in plan.Commands)
            script.Append('\n').Append("# ").Append(step++).Append(". ").Append(wording.Describe(command)).Append('\n').Append(command.Script).Append('\n');
        return script.ToString();
    }

    /// <summary>
    /// uninstall.sh, from the same plan: istioctl again with the base overlay alone (the mesh loses this bundle's
    /// settings), then each object install.sh applied, newest first, deleted if install.sh's record says it did not
    /// exist before, kept (with its earlier version in the record) if it did. It holds no secret: objects by name only.
    /// </summary>
    public static string UninstallScript(Plan plan, ScriptWording? wording = null)
    {
        wording ??= ScriptWording.Codes;
        var script = new StringBuilder()
            .Append("#!/usr/bin/env bash\n")
            .Append("# ").Append(wording.Say("Uninstall.Generated", plan.FormChoice.Version, InstallScriptFile)).Append('\n')
            .Append("set -euo pipefail\n")
            .Append("umask 077\n");
        if (RunsIstioctl(plan))
            script.Append(IstioDefaultsGuard(wording, "uninstall.sh")).Append('\n');
        var recorded = RecordedObjects(plan);
        if (recorded.Count > 0)
        {
            script.Append(InstallCommands.RecordAssignment).Append('\n')
                .Append("if [ ! -d \"$record\" ]; then\n")
                .Append(InstallCommands.Echo(wording.Say("Uninstall.NoRecord", InstallScriptFile, InstallCommands.RecordVariable))).Append('\n')
                .Append("  printf '  %s\\n' \"$record\" >&2\n")
                .Append("  exit ").Append(InstallCommands.RefusedExitCode).Append('\n')
                .Append("fi\n");
        }
        var step = 1;
        if (RunsIstioctl(plan))
        {
            script.Append(InstallCommands.BaseOverlayArray).Append('\n')
                .Append("\n# ").Append(step++).Append(". ").Append(wording.Say("Uninstall.IstioctlStep", InstallCommands.BaseOverlayVariable)).Append('\n')
                .Append(InstallCommands.IstioctlWithoutOverlay(InstallCommands.IstioctlVerb(plan.FormChoice.Version))).Append('\n');
        }
        foreach (var (o, file) in Enumerable.Reverse(recorded))
        {
            var display = new PlannedObject(o, default, ApplyTool.Kubectl).DisplayName;
            script.Append("\n# ").Append(step++).Append(". ").Append(wording.Say("Uninstall.ObjectStep", display)).Append('\n')
                .Append("if [ -s \"$record/").Append(file).Append("\" ]; then\n")
                .Append(InstallCommands.Echo(wording.Say("Uninstall.KeptExisting", display))).Append('\n')
                .Append("  printf '  %s\\n' \"$record/").Append(file).Append("\" >&2\n")
                .Append("else\n")
                .Append(InstallCommands.Delete(o)).Append('\n')
                .Append("fi\n");
        }
        script.Append('\n').Append(InstallCommands.Echo(wording.Say("Uninstall.Limits", string.Join(" ", plan.Namespaces)))).Append('\n');
        if (RunsIstioctl(plan))
            script.Append(InstallCommands.Echo(wording.Say("Uninstall.IstioLimits"))).Append('\n');
        return script.ToString();
    }

    /// <summary>Whether install.sh runs istioctl, which replaces the mesh's install settings (and uninstall.sh runs it again).</summary>
    public static bool RunsIstioctl(Plan plan) => plan.Commands.Any(c => c.Code == IstioctlCommandCode);

    public const string IstioctlCommandCode = "Command.IstioctlOverlay";

    private static string IstioDefaultsGuard(ScriptWording wording, string scriptName) =>
        InstallCommands.IstioDefaultsGuard(wording.Say("Script.IstioDefaultsRefused", scriptName, InstallCommands.BaseOverlayVariable, InstallCommands.AcceptDefaultsVariable));

    /// <summary>The objects install.sh applies with kubectl, each with its file in the record.</summary>
    private static List<(IKubernetesObject<V1ObjectMeta> Object, string File)> RecordedObjects(Plan plan) =>
        plan.Objects.Where(o => o.AppliedWith == ApplyTool.Kubectl).Select((o, i) => (o.Resource,
            $"{i + 1:00}-{o.Kind}-{o.Namespace ?? "cluster"}-{o.Name}.yaml".ToLowerInvariant())).ToList();

    /// <summary>Manifests for the screen: the token masked, Secret data replaced by a description of its size.</summary>
    public static string ManifestsYamlForScreen(Plan plan) =>
        Redact(plan, Yaml(plan.Objects.Select(o => o.Resource is V1Secret secret ? WithoutData(plan, secret) : o.Resource)));

    public static string InstallScriptForScreen(Plan plan, Func<PlanCommand, string>? describe = null) =>
        InstallScriptForScreen(plan, ScriptWording.Describing(describe));

    public static string InstallScriptForScreen(Plan plan, ScriptWording wording) =>
        Redact(plan, RedactHeredocSecrets(plan, InstallScript(plan, wording)));

    /// <summary>
    /// The on-screen text as the Review's copy button gives it: every YAML document (in a manifest, or in a script's
    /// heredocs) starts with a line that is not YAML, so `kubectl apply` and istioctl refuse the masked copy instead of
    /// applying a masked token and a certificate placeholder. '@' is a reserved indicator that cannot start a plain
    /// scalar (YAML 1.2, 5.3 "Indicator Characters"), so the document fails to parse whatever <paramref name="notice"/> says.
    /// </summary>
    public static string NotApplicableCopy(string screenText, string notice, bool startsWithYaml)
    {
        var marker = CopyMarkerPrefix + notice.ReplaceLineEndings(" ") + "\n";
        var text = new StringBuilder(startsWithYaml ? marker : "");
        foreach (var line in screenText.Split('\n'))
        {
            text.Append(line).Append('\n');
            if (line == "---" || line.EndsWith("<<'YAML'", StringComparison.Ordinal))
                text.Append(marker);
        }
        return text.ToString(0, text.Length - 1);
    }

    public const string CopyMarkerPrefix = "@ ";

    /// <summary>Masks each sensitive value, also in its shell-quoted form (a token with ' is written as '\'' in scripts).</summary>
    public static string Redact(Plan plan, string text)
    {
        foreach (var secret in plan.SensitiveValues)
        {
            var mask = AccessTokenRules.MaskForDisplay(secret);
            text = text.Replace(PlanBuilder.ShellQuote(secret), PlanBuilder.ShellQuote(mask), StringComparison.Ordinal)
                       .Replace(secret, mask, StringComparison.Ordinal);
        }
        return text;
    }

    private static string RedactHeredocSecrets(Plan plan, string script)
    {
        foreach (var secret in plan.Objects.Select(o => o.Resource).OfType<V1Secret>())
            script = script.Replace(EnsureNewline(KubernetesYaml.Serialize(secret)), EnsureNewline(KubernetesYaml.Serialize(WithoutData(plan, secret))), StringComparison.Ordinal);
        return script;
    }

    /// <summary>A sensitive value (the collector's token) shows as its mask, anything else (PEM) as its size.</summary>
    private static V1Secret WithoutData(Plan plan, V1Secret secret) => new()
    {
        ApiVersion = secret.ApiVersion,
        Kind = secret.Kind,
        Metadata = secret.Metadata,
        Type = secret.Type,
        StringData = secret.Data?.ToDictionary(d => d.Key, d =>
            plan.SensitiveValues.FirstOrDefault(v => v.Length > 0 && v == Encoding.UTF8.GetString(d.Value)) is { } sensitive
                ? AccessTokenRules.MaskForDisplay(sensitive)
                : $"<{d.Value.Length} bytes of PEM: in the downloaded bundle>"),
    };

    private static string EnsureNewline(string text) => text.EndsWith('\n') ? text : text + "\n";
}
