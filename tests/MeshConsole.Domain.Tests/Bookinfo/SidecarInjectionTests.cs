using MeshConsole.Domain.Bookinfo;

namespace MeshConsole.Domain.Tests.Bookinfo;

public class SidecarInjectionTests
{
    private static Dictionary<string, string>? Labels(string? spec) =>
        spec is null ? null : spec.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    // labels ("k=v,k=v"; null = none), control-plane revision, status, reason code, proposed labels ("k=v"; null = none)
    public static TheoryData<string?, string?, InjectionStatus, string, string?> Cases => new()
    {
        { "istio-injection=enabled", null, InjectionStatus.Enabled, "Injection.Enabled", null },
        { "istio-injection=enabled,team=a", "1-20", InjectionStatus.Enabled, "Injection.Enabled", null },
        // istio-injection wins over istio.io/rev, as in Istio's webhook selectors.
        { "istio-injection=enabled,istio.io/rev=canary", "canary", InjectionStatus.Enabled, "Injection.Enabled", null },
        { "istio-injection=disabled", null, InjectionStatus.ExplicitlyDisabled, "Injection.ExplicitlyDisabled", null },
        { "istio-injection=disabled,istio.io/rev=canary", "canary", InjectionStatus.ExplicitlyDisabled, "Injection.ExplicitlyDisabled", null },
        { "istio.io/rev=canary", "canary", InjectionStatus.EnabledByRevision, "Injection.EnabledByRevision", null },
        { "istio.io/rev=default", null, InjectionStatus.EnabledByRevision, "Injection.EnabledByRevision", null },
        { "istio.io/rev=default", "default", InjectionStatus.EnabledByRevision, "Injection.EnabledByRevision", null },
        { "istio.io/rev=stable", "canary", InjectionStatus.OtherRevision, "Injection.OtherRevision", null },
        { "istio.io/rev=canary", null, InjectionStatus.OtherRevision, "Injection.OtherRevision", null },
        { "istio-injection=true", null, InjectionStatus.UnrecognizedValue, "Injection.UnrecognizedValue", "istio-injection=enabled" },
        { "istio-injection=Enabled", "", InjectionStatus.UnrecognizedValue, "Injection.UnrecognizedValue", "istio-injection=enabled" },
        { "istio-injection=", null, InjectionStatus.UnrecognizedValue, "Injection.UnrecognizedValue", "istio-injection=enabled" },
        { "istio-injection=true", "canary", InjectionStatus.UnrecognizedValue, "Injection.UnrecognizedValueWithRevision", null },
        { null, null, InjectionStatus.Missing, "Injection.Missing", "istio-injection=enabled" },
        { "", null, InjectionStatus.Missing, "Injection.Missing", "istio-injection=enabled" },
        { "team=a", "default", InjectionStatus.Missing, "Injection.Missing", "istio-injection=enabled" },
        { "team=a", "canary", InjectionStatus.Missing, "Injection.MissingUseRevision", "istio.io/rev=canary" },
        { null, "1-22-3", InjectionStatus.Missing, "Injection.MissingUseRevision", "istio.io/rev=1-22-3" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_the_namespace_labels_like_istios_webhooks(string? labels, string? revision, InjectionStatus status, string code, string? proposal)
    {
        var state = SidecarInjection.Evaluate(Labels(labels), revision);

        Assert.Equal(status, state.Status);
        Assert.Equal(code, state.ReasonCode);
        Assert.Equal(proposal, state.LabelsToSet is null ? null : string.Join(",", state.LabelsToSet.Select(l => $"{l.Key}={l.Value}")));
        Assert.Equal(status is InjectionStatus.Enabled or InjectionStatus.EnabledByRevision, state.InjectsSidecars);
    }

    [Fact]
    public void Explicitly_disabled_namespace_gets_no_proposal_and_no_command()
    {
        var state = SidecarInjection.Evaluate(Labels("istio-injection=disabled"), null);

        Assert.Null(state.LabelsToSet);
        Assert.Null(state.MergePatchJson);
        Assert.Null(state.KubectlCommand("bookinfo"));
        Assert.Equal(["istio-injection", "disabled"], state.Args);
    }

    [Fact]
    public void Missing_label_is_proposed_as_a_merge_patch_that_only_adds()
    {
        var state = SidecarInjection.Evaluate(Labels("team=a"), null);

        Assert.Equal("""{"metadata":{"labels":{"istio-injection":"enabled"}}}""", state.MergePatchJson);
        Assert.Equal("kubectl label namespace bookinfo istio-injection=enabled", state.KubectlCommand("bookinfo"));
        Assert.False(state.OverwritesExistingLabel);
    }

    [Fact]
    public void Revision_label_is_proposed_when_a_revision_is_in_use()
    {
        var state = SidecarInjection.Evaluate(null, "1-22-3");

        Assert.Equal("""{"metadata":{"labels":{"istio.io/rev":"1-22-3"}}}""", state.MergePatchJson);
        Assert.Equal("kubectl label namespace shop istio.io/rev=1-22-3", state.KubectlCommand("shop"));
    }

    [Fact]
    public void Replacing_an_unrecognized_value_is_marked_as_an_overwrite_and_shows_the_old_value()
    {
        var state = SidecarInjection.Evaluate(Labels("istio-injection=yes"), null);

        Assert.True(state.OverwritesExistingLabel);
        Assert.Equal(["istio-injection", "yes"], state.Args);
        Assert.Equal("kubectl label namespace bookinfo --overwrite istio-injection=enabled", state.KubectlCommand("bookinfo"));
    }

    [Fact]
    public void Other_revision_names_both_revisions()
    {
        var state = SidecarInjection.Evaluate(Labels("istio.io/rev=prod-stable"), "1-22-3");

        Assert.Equal(["istio.io/rev", "prod-stable", "1-22-3"], state.Args);
    }
}
