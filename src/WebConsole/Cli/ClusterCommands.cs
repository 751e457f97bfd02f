using System.CommandLine;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Security;
using WebConsole.Features.Access;
using WebConsole.Features.Cluster;
using WebConsole.Features.Localization;

namespace WebConsole.Cli;

/// <summary>
/// `apply` and `cleanup`: the wizard's preflight, dry-run, apply and undo, for scripts. Both honour KUBECONFIG.
/// Every dry-run and change is recorded in the audit log as the operating-system user, marked "(cli)".
/// </summary>
public sealed class ClusterCommands(ConsoleText text, TextWriter stdout, TextWriter stderr, TextReader stdin, IConfiguration configuration, IAuditLog audit)
{
    public static string CliUser => new CommandLineUser().Name;
    private readonly Option<string> _context = new("--context") { Description = "Kubeconfig context to use (default: the current context)." };
    private readonly Option<bool> _yes = new("--yes") { Description = "Do not ask for confirmation." };

    public Command ApplyVerb()
    {
        var options = new PlanOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Preflight and server dry-run with a diff per object; change nothing." };
        var force = new Option<bool>("--force-conflicts") { Description = "Take ownership of fields another field manager owns." };
        var command = new Command("apply", "Apply the plan to a cluster: preflight, server dry-run, diff, then server-side apply.");
        foreach (var option in options.All) command.Add(option);
        command.Add(_context);
        command.Add(dryRun);
        command.Add(force);
        command.Add(_yes);
        command.SetAction(async (result, ct) =>
        {
            if (options.Read(result, text, stderr) is not { } input) return CommandLine.InvalidInput;
            var plan = PlanBuilder.Build(input);
            if (!await SatelliteCheckOutput.PassesAsync(result.GetValue(options.CheckSatellite), input, text, stdout, stderr, ct)) return CommandLine.Failed;
            if (Connect(result.GetValue(_context)) is not { } connection) return CommandLine.InvalidInput;
            using var _ = connection;
            var operations = Operations(connection, plan.SensitiveValues);

            var report = await operations.PreflightAsync(plan, ct);
            PrintPreflight(report);
            if (!report.CanApply) return CommandLine.Failed;

            var previewed = await operations.PreviewAsync(plan, report.Istio, result.GetValue(force), ct);
            if (!previewed.Succeeded)
            {
                stderr.WriteLine(Describe(previewed.Failure!));
                return CommandLine.Failed;
            }
            var change = previewed.Value!;
            // Which form and why (for another backend: why directly or through the collector), as `plan` prints it.
            stdout.WriteLine($"form: {text.FormName(plan.Form)} · {text.FormReason(plan.FormChoice)}");
            foreach (var note in change.Set.Notes)
                stdout.WriteLine("note: " + text.Note(note));
            PrintPreviews(change.Previews, withDiff: result.GetValue(dryRun));
            if (!change.CanApply) return CommandLine.Failed;
            if (result.GetValue(dryRun)) return 0;
            if (!Confirm(result, text.Count("Cli.ConfirmApply", change.Previews.Count, connection.Target!.Name))) return CommandLine.Failed;

            var outcomes = await operations.ApplyAsync(change, JournalLocation.ForCluster(report.Istio), ct);
            PrintOutcomes(outcomes);
            if (outcomes.All(o => o.Kind == ApplyOutcomeKind.Unchanged))
                stdout.WriteLine(text["Cluster.NothingChanged"]);
            var restarts = await operations.RestartCandidatesAsync(outcomes, input.Namespaces, ct);
            foreach (var candidate in restarts.Value ?? [])
                stdout.WriteLine(text.Format("Cli.RestartHint", candidate.Namespace, candidate.Deployment));
            return outcomes.AnyFailed() ? CommandLine.Failed : 0;
        });
        return command;
    }

    public Command CleanupVerb()
    {
        var command = new Command("cleanup", "Undo what the console applied: restore changed objects, delete created ones.") { _context, _yes };
        command.SetAction(async (result, ct) =>
        {
            if (Connect(result.GetValue(_context)) is not { } connection) return CommandLine.InvalidInput;
            using var _ = connection;
            var operations = Operations(connection, SensitiveValues.None);
            // The journal is where apply wrote it: in the namespace Istio was detected in (istio-system or default without Istio).
            var journal = await operations.JournalAsync(istio: null, participantNamespace: null, ct);
            var read = journal.Succeeded ? await operations.ReadJournalAsync(journal.Value!, ct) : default;
            if ((journal.Failure ?? read.Failure) is { } failure)
            {
                stderr.WriteLine(Describe(failure));
                return CommandLine.Failed;
            }
            if (read.Value.Entries.Count == 0)
            {
                stdout.WriteLine(text["Cluster.NothingToUndo"]);
                return 0;
            }
            foreach (var entry in read.Value.Entries)
                stdout.WriteLine($"  {entry.Target.Display}: {text[entry.Before is null ? "Cli.WillDelete" : "Cli.WillRestore"]}");
            if (!Confirm(result, text.Count("Cli.ConfirmCleanup", read.Value.Entries.Count, connection.Target!.Name))) return CommandLine.Failed;
            var outcomes = await operations.UndoAsync(journal.Value!, only: null, ct);
            PrintOutcomes(outcomes);
            return outcomes.AnyFailed() ? CommandLine.Failed : 0;
        });
        return command;
    }

    private ClusterOperations Operations(ClusterConnection connection, SensitiveValues sensitive) =>
        CommandLineCluster.Operations(connection, audit, sensitive, text, stderr);

    private ClusterConnection? Connect(string? context) => CommandLineCluster.Connect(configuration, context, text, stderr, stdout);

    private bool Confirm(ParseResult result, string question)
    {
        if (result.GetValue(_yes)) return true;
        stdout.Write(question + " [y/N] ");
        var answer = stdin.ReadLine()?.Trim();
        if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
            return true;
        stderr.WriteLine(text["Cli.Declined"]);
        return false;
    }

    private void PrintPreflight(PreflightReport report)
    {
        stdout.WriteLine(report.ApiReachable ? "ok    " + text.Format("Cluster.ApiReachable", report.Api.Value!) : "FAIL  " + Describe(report.Api.Failure!));
        if (!report.ApiReachable) return;
        stdout.WriteLine(report.Istio is { } istio
            ? "ok    " + text.Format("Cluster.IstioFound", istio.Namespace, istio.ControlPlaneDeployment, istio.Version?.ToString() ?? istio.ImageTag ?? "?",
                text["Cluster.InstallMethod." + istio.Method], text[report.MeshConfigFound ? "Cluster.MeshConfigFound" : "Cluster.MeshConfigMissing"])
            : "warn  " + text["Cluster.IstioNotFound"]);
        foreach (var check in report.Access.Where(a => !a.Allowed))
            stdout.WriteLine("FAIL  " + text.Format("Cluster.PermissionMissing", check.Requirement.Verb, check.Requirement.Resource,
                check.Requirement.Namespace ?? text["Cluster.AllNamespaces"]) + "  " + text["Cluster.GrantWith"] + " " + check.Requirement.ToKubectlFix(text["Cluster.YourUser"]));
        stdout.WriteLine((report.Denied.Count == 0 ? "ok    " : "FAIL  ") + text.Format("Cluster.PermissionsSummary", report.Access.Count - report.Denied.Count, report.Access.Count));
        foreach (var line in MeshCheckLines.For(report, text))
            stdout.WriteLine((line.Level == CheckLevel.Ok ? "ok    " : "warn  ") + line.Text);
    }

    private void PrintPreviews(IReadOnlyList<ChangePreview> previews, bool withDiff)
    {
        foreach (var preview in previews)
        {
            stdout.WriteLine($"{preview.Change.Target.Display,-60} {text["Change." + (preview.Kind?.ToString() ?? "Failed")]}");
            if (preview.Failure is { } failure) stdout.WriteLine("    " + Describe(failure));
            else if ((withDiff || preview.Change.WritesWholeObject) && preview.Diff is { HasChanges: true } diff)
                foreach (var line in diff.Lines)
                    stdout.WriteLine("    " + line.Kind switch { DiffLineKind.Added => "+ ", DiffLineKind.Removed => "- ", DiffLineKind.Gap => "", _ => "  " } + line.Text);
        }
    }

    private void PrintOutcomes(IReadOnlyList<ApplyOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
            stdout.WriteLine($"{outcome.Target.Display,-60} {text["Outcome." + outcome.Kind]}" + (outcome.Failure is { } f ? "  " + Describe(f) : ""));
    }

    /// <summary>The failure, the fields another manager owns or the server rejected (422), and what to do.</summary>
    private string Describe(ClusterFailure failure) =>
        text.Failure(failure)
        + (failure.Conflicts.Count > 0
            ? " " + string.Join("; ", failure.Conflicts.Select(c => text.Format("Cluster.ConflictOwner", c.Field, c.Manager)))
            : "")
        + (failure.InvalidFields.Count > 0 ? " " + text.Format("Cluster.InvalidFields", string.Join(", ", failure.InvalidFields)) : "")
        + " " + text.FailureFix(failure);
}
