using System.Globalization;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using Microsoft.Extensions.Localization;

namespace WebConsole.Features.Localization;

/// <summary>Turns the domain's codes (issues, notes, commands, form reasons) into sentences in the current UI culture.</summary>
public sealed class ConsoleText(IStringLocalizer<SharedResource> localizer)
{
    public string this[string key] => localizer[key];

    public string Format(string key, params object[] args) => localizer[key, args.Select(FormatArgument).ToArray()];

    /// <summary>
    /// A sentence about <paramref name="count"/> things: "{key}.One" for exactly one (English's singular), "{key}" for
    /// any other number; <paramref name="count"/> is {0}, <paramref name="rest"/> follow. Chinese has no plural forms,
    /// so both of its sentences read the same.
    /// </summary>
    public string Count(string key, int count, params object[] rest) => Format(count == 1 ? key + ".One" : key, [count, .. rest]);

    public string Issue(ValidationIssue issue) => Format("Validation." + issue.Code, [.. issue.Args]);

    public string Note(PlanNote note) => Format(note.Code, [.. note.Arguments]);

    public string Command(PlanCommand command) => localizer[command.Code];

    public string Failure(MeshConsole.Domain.Cluster.ClusterFailure failure) => Format(failure.Code, [.. failure.Arguments]);

    /// <summary>What the user can do about a failure ("Cluster.{Kind}.Fix").</summary>
    public string FailureFix(MeshConsole.Domain.Cluster.ClusterFailure failure) => Format(failure.Code + ".Fix", [.. failure.Arguments]);

    /// <summary>install.sh's and uninstall.sh's comments and messages in the current UI culture.</summary>
    public ScriptWording ScriptWording => new(Command, (code, args) => Format(code, args));

    public string FormName(IstioForm form) => localizer["FormName." + form];

    public string FormReason(IstioFormChoice choice) => Format(choice.ReasonCode, choice.Version.ToString());

    private static object FormatArgument(object arg) => arg switch
    {
        DateTimeOffset d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => arg,
    };
}
