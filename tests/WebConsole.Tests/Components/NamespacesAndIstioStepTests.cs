using Bunit;
using WebConsole.Features.Wizard;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

public class NamespacesStepTests : ConsoleTestContext
{
    public NamespacesStepTests() => AttachFreshDraft();

    [Fact]
    public void Invalid_and_duplicate_names_are_reported()
    {
        var cut = Render<NamespacesStep>();

        cut.Find("#namespaces-input").Change("default, Bad_NS, default");

        var messages = cut.FindAll(".issue").Select(e => e.TextContent.Trim()).ToList();
        Assert.Contains("\"Bad_NS\" is not a valid namespace: use 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit.", messages);
        Assert.Contains("\"default\" is listed more than once.", messages);
        Assert.Equal(2, messages.Count);
        Assert.True(State.HasErrors(WizardStep.Namespaces));
        Assert.Equal(["default", "Bad_NS", "default"], cut.FindAll("#namespace-chips .mud-chip").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void Valid_names_have_no_issues()
    {
        var cut = Render<NamespacesStep>();

        cut.Find("#namespaces-input").Change("default bookinfo");

        Assert.Empty(cut.FindAll(".issue"));
        Assert.False(State.HasErrors(WizardStep.Namespaces));
    }
}

public class IstioStepTests : ConsoleTestContext
{
    public IstioStepTests() => AttachFreshDraft();

    [Theory]
    [InlineData("1.9", "InstallValues", "Install values form", "Istio 1.9.0 predates 1.10, so tracing is set with the install values")]
    [InlineData("1.14", "MeshConfigProxyTracing", "Mesh config form", "Istio 1.14.0 (1.10 to 1.15) reads LightStep settings from meshConfig.defaultConfig.tracing.lightstep")]
    [InlineData("1.28", "OpenTelemetry", "OpenTelemetry form", "Istio 1.28.0 no longer has a LightStep provider (removed in 1.27)")]
    public void Version_decides_the_explained_form(string version, string form, string formName, string reasonStart)
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-version-input").Change(version);

        var alert = cut.Find("#istio-form");
        Assert.Equal(form, alert.GetAttribute("data-form"));
        Assert.Equal(formName, alert.QuerySelector("strong")!.TextContent.Trim());
        Assert.Contains(reasonStart, alert.TextContent);
        Assert.False(State.HasErrors(WizardStep.Istio));
    }

    [Fact]
    public void Quick_pick_sets_the_version()
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-pick-1-14").Click();

        Assert.Equal("1.14", State.Draft.IstioVersionText);
        Assert.Equal("MeshConfigProxyTracing", cut.Find("#istio-form").GetAttribute("data-form"));
    }

    [Fact]
    public void Missing_version_asks_for_one()
    {
        var cut = Render<IstioStep>();

        Assert.Empty(cut.FindAll("#istio-form"));
        Assert.Contains("Enter the Istio version of the mesh, for example 1.26 (istioctl version shows it).",
            cut.FindAll(".issue").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void Sampling_below_100_warns_without_blocking()
    {
        State.SetIstioVersionText("1.26");
        var cut = Render<IstioStep>();

        cut.Find("#sampling-input").Change("50");

        Assert.Equal(50m, State.Draft.SamplingPercent);
        var warning = Assert.Single(cut.FindAll(".issue"));
        Assert.Equal("Warning", warning.GetAttribute("data-severity"));
        Assert.Equal("LightStep recommends 100%: it analyses every transaction, and a lower rate drops traces you may need. Scale the satellite pool for heavy traffic instead.",
            warning.TextContent.Trim());
        Assert.False(State.HasErrors(WizardStep.Istio));
    }

    [Fact]
    public void Sampling_zero_shows_the_range_error()
    {
        State.SetIstioVersionText("1.26");
        var cut = Render<IstioStep>();

        // The numeric field clamps what is typed to its Min (0.01); a draft can still hold 0 (e.g. set programmatically),
        // and the step must then show the range error.
        cut.Find("#sampling-input").Change("0");
        if (State.Draft.SamplingPercent != 0m)
        {
            Assert.Equal(0.01m, State.Draft.SamplingPercent);
            cut.InvokeAsync(() => State.SetSamplingPercent(0m));
            cut.Render(_ => { });
        }

        Console.WriteLine("DEBUG sampling=" + State.Draft.SamplingPercent + " issues=" + string.Join("|", cut.FindAll(".issue").Select(e => e.GetAttribute("data-code"))) + " input=" + cut.Find("#sampling-input").OuterHtml);
        var error = cut.FindAll(".issue").Single(e => e.GetAttribute("data-code") == "Sampling.OutOfRange");
        Assert.Equal("Sampling must be between 0.01 and 100 percent.", error.TextContent.Trim());
        Assert.True(State.HasErrors(WizardStep.Istio));
    }
}
