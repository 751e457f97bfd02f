using System.IO.Compression;
using System.Text;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Localization;

namespace WebConsole.Features.Bundle;

public sealed record BundleFile(string Name, string Content, bool Executable);

/// <summary>
/// The downloadable bundle: manifests.yaml, install.sh, uninstall.sh and PLAN.md, the scripts' comments and messages
/// and PLAN.md in the current UI language (the <c>plan</c> command runs in English).
/// </summary>
public sealed class PlanBundle(ConsoleText text)
{
    public IReadOnlyList<BundleFile> Files(Plan plan) =>
    [
        new(PlanRenderer.ManifestsFile, PlanRenderer.ManifestsYaml(plan), false),
        new(PlanRenderer.InstallScriptFile, PlanRenderer.InstallScript(plan, text.ScriptWording), true),
        new(PlanRenderer.UninstallScriptFile, PlanRenderer.UninstallScript(plan, text.ScriptWording), true),
        new(PlanRenderer.PlanFile, PlanDocument(plan), false),
    ];

    public byte[] Zip(Plan plan)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Files(plan))
            {
                // A fixed timestamp keeps the archive reproducible for the same plan.
                var entry = zip.CreateEntry($"lightstep-plan/{file.Name}", CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
                entry.ExternalAttributes = (file.Executable ? 0b111_101_101 : 0b110_100_100) << 16;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(file.Content));
            }
        }
        return buffer.ToArray();
    }

    public void WriteTo(string directory, Plan plan)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Files(plan))
        {
            var path = Path.Combine(directory, file.Name);
            File.WriteAllText(path, file.Content, new UTF8Encoding(false));
            if (file.Executable && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private string PlanDocument(Plan plan)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(text["PlanDoc.Title"]).Append("\n\n");
        md.Append("## ").Append(text["PlanDoc.FormHeading"]).Append("\n\n");
        md.Append("**").Append(text.FormName(plan.Form)).Append("**: ").Append(text.FormReason(plan.FormChoice)).Append("\n\n");
        md.Append("## ").Append(text["PlanDoc.ObjectsHeading"]).Append("\n\n");
        md.Append("| # | ").Append(text["PlanDoc.Object"]).Append(" | ").Append(text["PlanDoc.Namespace"]).Append(" | ")
          .Append(text["PlanDoc.AppliedWith"]).Append(" | ").Append(text["PlanDoc.Purpose"]).Append(" |\n|---|---|---|---|---|\n");
        var index = 1;
        foreach (var o in plan.Objects)
            md.Append("| ").Append(index++).Append(" | `").Append(o.Kind).Append('/').Append(o.Name).Append("` | ")
              .Append(o.Namespace ?? "-").Append(" | ").Append(o.AppliedWith == ApplyTool.Kubectl ? "kubectl" : "istioctl").Append(" | ")
              .Append(text["Role." + o.Role]).Append(" |\n");
        md.Append("\n## ").Append(text["PlanDoc.CommandsHeading"]).Append("\n\n");
        index = 1;
        foreach (var command in plan.Commands)
            md.Append(index++).Append(". ").Append(text.Command(command)).Append('\n');
        md.Append("\n## ").Append(text["PlanDoc.NotesHeading"]).Append("\n\n");
        foreach (var note in plan.Notes)
            md.Append("- ").Append(text.Note(note)).Append('\n');
        md.Append("\n## ").Append(text["PlanDoc.UninstallHeading"]).Append("\n\n").Append(text["PlanDoc.Uninstall"]).Append('\n');
        md.Append("\n## ").Append(text["PlanDoc.SecretHeading"]).Append("\n\n")
          .Append(plan.OtherBackendAddress is null ? text.Format("PlanDoc.SecretWarning", AccessTokenRules.MaskForDisplay(plan.SensitiveValues[0]))
              : plan.SensitiveValues.IsEmpty ? text.Format("PlanDoc.NoSecretForBackend", plan.OtherBackendAddress)
              : text.Format(plan.Route == SpanRoute.Direct ? "PlanDoc.BackendHeadersInMeshConfigWarning" : "PlanDoc.BackendHeadersWarning", plan.OtherBackendAddress, string.Join(", ", plan.SensitiveValues.Select(AccessTokenRules.MaskForDisplay))))
          .Append('\n');
        return md.ToString();
    }
}
