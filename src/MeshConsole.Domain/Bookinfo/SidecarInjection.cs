using System.Text.Json;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Bookinfo;

public enum InjectionStatus
{
    /// <summary><c>istio-injection=enabled</c>: the default revision's webhook injects.</summary>
    Enabled,
    /// <summary><c>istio.io/rev</c> names the revision in use (or "default" when none is): that revision injects.</summary>
    EnabledByRevision,
    /// <summary><c>istio-injection=disabled</c>: someone opted this namespace out. The console proposes nothing.</summary>
    ExplicitlyDisabled,
    /// <summary><c>istio.io/rev</c> names another revision or a revision tag the console cannot resolve; proposes nothing.</summary>
    OtherRevision,
    /// <summary><c>istio-injection</c> has a value no webhook matches (neither enabled nor disabled).</summary>
    UnrecognizedValue,
    /// <summary>No injection label: pods start without sidecars.</summary>
    Missing,
}

/// <summary>
/// Whether new pods in a namespace get the istio-proxy sidecar, and the label change (if any) the console may propose.
/// <see cref="LabelsToSet"/> is only a proposal: it is applied after the user confirms, and it never removes a label.
/// </summary>
/// <param name="ReasonCode">Localized as "Injection.{...}" in the app; <paramref name="Args"/> fill it.</param>
/// <param name="LabelsToSet">Labels to add (or, for <see cref="InjectionStatus.UnrecognizedValue"/>, to overwrite); null when nothing is proposed.</param>
public sealed record InjectionState(
    InjectionStatus Status,
    string ReasonCode,
    IReadOnlyList<object> Args,
    IReadOnlyDictionary<string, string>? LabelsToSet)
{
    public bool InjectsSidecars => Status is InjectionStatus.Enabled or InjectionStatus.EnabledByRevision;

    /// <summary>True when the proposal replaces a value the namespace already has (the user must see the old value).</summary>
    public bool OverwritesExistingLabel => Status == InjectionStatus.UnrecognizedValue && LabelsToSet is not null;

    /// <summary>The proposal as a JSON merge patch on the Namespace (<c>{"metadata":{"labels":{…}}}</c>); null when none.</summary>
    public string? MergePatchJson => LabelsToSet is null
        ? null
        : JsonSerializer.Serialize(new { metadata = new { labels = LabelsToSet } });

    /// <summary>The same proposal as a kubectl command for the namespace <paramref name="ns"/>; null when none.</summary>
    public string? KubectlCommand(string ns) => LabelsToSet is null
        ? null
        : $"kubectl label namespace {PlanBuilder.ShellQuote(ns)}" +
          (OverwritesExistingLabel ? " --overwrite" : "") +
          string.Concat(LabelsToSet.Select(l => " " + PlanBuilder.ShellQuote($"{l.Key}={l.Value}")));
}

/// <summary>
/// Reads a namespace's injection labels the way Istio's injection webhooks select namespaces (istio.io, "Installing the
/// sidecar": <c>istio-injection=enabled</c> for the default revision, <c>istio.io/rev=&lt;revision&gt;</c> for a revision,
/// <c>istio-injection</c> taking precedence over <c>istio.io/rev</c> when both are set).
/// </summary>
public static class SidecarInjection
{
    public const string InjectionLabel = "istio-injection";
    public const string RevisionLabel = "istio.io/rev";
    public const string EnabledValue = "enabled";
    public const string DisabledValue = "disabled";
    public const string DefaultRevision = "default";

    /// <param name="namespaceLabels">The namespace's labels; null when it has none (or does not exist yet).</param>
    /// <param name="istioRevision">The control plane's revision (<c>IstioInstallation.Revision</c>); null or "default" for the default revision.</param>
    public static InjectionState Evaluate(IReadOnlyDictionary<string, string>? namespaceLabels, string? istioRevision)
    {
        var revision = string.IsNullOrEmpty(istioRevision) || istioRevision == DefaultRevision ? null : istioRevision;
        string? injection = null, rev = null;
        var hasInjection = namespaceLabels?.TryGetValue(InjectionLabel, out injection) == true;
        var hasRev = namespaceLabels?.TryGetValue(RevisionLabel, out rev) == true;

        if (hasInjection)
        {
            return injection switch
            {
                EnabledValue => new(InjectionStatus.Enabled, "Injection.Enabled", [InjectionLabel, EnabledValue], null),
                DisabledValue => new(InjectionStatus.ExplicitlyDisabled, "Injection.ExplicitlyDisabled", [InjectionLabel, DisabledValue], null),
                // With the default revision, overwriting the value with "enabled" is the fix. A revision's webhook
                // selects istio.io/rev only while istio-injection is absent, so there the fix removes a label: the
                // console never removes labels, it says what to do instead.
                _ when revision is null => new(InjectionStatus.UnrecognizedValue, "Injection.UnrecognizedValue",
                    [InjectionLabel, injection ?? ""], new Dictionary<string, string> { [InjectionLabel] = EnabledValue }),
                _ => new(InjectionStatus.UnrecognizedValue, "Injection.UnrecognizedValueWithRevision",
                    [InjectionLabel, injection ?? "", RevisionLabel, revision], null),
            };
        }
        if (hasRev)
        {
            var expected = revision ?? DefaultRevision;
            return rev == expected
                ? new(InjectionStatus.EnabledByRevision, "Injection.EnabledByRevision", [RevisionLabel, rev], null)
                : new(InjectionStatus.OtherRevision, "Injection.OtherRevision", [RevisionLabel, rev ?? "", expected], null);
        }
        return revision is null
            ? new(InjectionStatus.Missing, "Injection.Missing", [InjectionLabel, EnabledValue],
                new Dictionary<string, string> { [InjectionLabel] = EnabledValue })
            : new(InjectionStatus.Missing, "Injection.MissingUseRevision", [RevisionLabel, revision],
                new Dictionary<string, string> { [RevisionLabel] = revision });
    }
}
