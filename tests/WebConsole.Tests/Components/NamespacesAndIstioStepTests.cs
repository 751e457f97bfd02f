using Bunit;
using WebConsole.Drafts;
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

    private void CompleteOnPremDraft(string version)
    {
        var (pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        State.SetProduct(MeshConsole.Domain.Planning.LightStepProduct.OnPremSatellites);
        State.SetAccessToken("RouteTok-0123456789abcdef");
        State.SetOnPremSatelliteAddress("satellites.example.com:8443");
        State.SetCertificate(MeshConsole.Domain.Certificates.CaCertificateInspector.Inspect(System.Text.Encoding.ASCII.GetBytes(pem), Clock.GetUtcNow()), "ca.pem");
        State.SetIstioVersionText(version);
    }

    [Fact]
    public void A_private_ca_on_1_26_offers_the_collector_first_and_direct_as_the_alternative()
    {
        CompleteOnPremDraft("1.26");
        var cut = Render<IstioStep>();

        Assert.Equal(["route-collector", "route-direct"], cut.FindAll("#route-choice [id^='route-']").Select(e => e.Id));
        Assert.Equal("OpenTelemetryCollector", cut.Find("#istio-form").GetAttribute("data-form"));
        // MudRadio puts the id on its <input>; the label around it carries the text.
        Assert.True(cut.Find("#route-collector").HasAttribute("checked"));
        Assert.Contains("it adds one Deployment to run and watch", cut.Find("#route-collector").Closest("label")!.TextContent);

        cut.Find("#route-direct").Click();

        Assert.Equal(MeshConsole.Domain.Planning.SpanRoute.Direct, State.Draft.Route);
        Assert.Equal("LightStepExtensionProvider", cut.Find("#istio-form").GetAttribute("data-form"));
        Assert.Contains("deprecated since 1.17", cut.Find("#istio-form").TextContent);
    }

    [Fact]
    public void A_private_ca_on_1_28_offers_only_the_collector()
    {
        CompleteOnPremDraft("1.28");
        var cut = Render<IstioStep>();

        Assert.Equal(["route-collector"], cut.FindAll("#route-choice [id^='route-']").Select(e => e.Id));
        Assert.False(State.HasErrors(WizardStep.Istio));
    }

    [Fact]
    public void Istio_1_16_0_is_refused_with_the_reason_and_the_fix()
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-version-input").Change("1.16.0");

        Assert.Contains("whose proxy has no OpenTelemetry tracer (istio/istio#42080)", cut.Find(".issue").TextContent);
        Assert.Contains("Upgrade to 1.16.1 or later", cut.Find(".issue").TextContent);
        Assert.True(State.HasErrors(WizardStep.Istio));
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
    public void Missing_version_asks_for_one_once_next_was_tried()
    {
        var cut = Render<IstioStep>(p => p.Add(s => s.IssuesRevealed, true));

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

        Assert.Equal("50", State.Draft.SamplingText);
        var warning = Assert.Single(cut.FindAll(".issue"));
        Assert.Equal("Warning", warning.GetAttribute("data-severity"));
        Assert.Equal("LightStep recommends 100%: it analyses every transaction, and a lower rate drops traces you may need. Scale the satellite pool for heavy traffic instead.",
            warning.TextContent.Trim());
        Assert.False(State.HasErrors(WizardStep.Istio));
    }

    /// <summary>
    /// What the user types is kept as typed (a numeric field would clamp 0 to 0.01 or 150 to 100) and SamplingRules'
    /// range error appears: the user who typed 0 does not get 0.01 % sampling with only the below-recommended warning.
    /// </summary>
    [Theory]
    [InlineData("0")]
    [InlineData("150")]
    public void Sampling_out_of_range_shows_the_range_error(string typed)
    {
        State.SetIstioVersionText("1.26");
        var cut = Render<IstioStep>();

        cut.Find("#sampling-input").Change(typed);

        Assert.Equal(typed, State.Draft.SamplingText);
        var error = Assert.Single(cut.FindAll(".issue"), e => e.GetAttribute("data-code") == "Sampling.OutOfRange");
        Assert.Equal("Sampling must be between 0.01 and 100 percent.", error.TextContent.Trim());
        Assert.True(State.HasErrors(WizardStep.Istio));
    }

    [Fact]
    public void Sampling_zero_in_the_draft_is_a_blocking_range_error()
    {
        State.SetIstioVersionText("1.26");

        State.SetSamplingText("0");

        var issue = Assert.Single(State.IssuesFor(WizardStep.Istio));
        Assert.Equal("Sampling.OutOfRange", issue.Code);
        Assert.Equal("Sampling must be between 0.01 and 100 percent.", Text("Validation." + issue.Code, [.. issue.Args]));
        Assert.True(State.HasErrors(WizardStep.Istio));
    }

    /// <summary>
    /// "1e2" once became 12 (the numeric field dropped the "e"); "1,5" or "١٠٠" must not become a number either. The text
    /// stays in the field, the step shows what a sampling percentage looks like and Next is blocked.
    /// </summary>
    [Theory]
    [InlineData("1e2")]
    [InlineData("1,5")]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("١٠٠")]
    public void Sampling_that_is_not_a_plain_decimal_number_is_refused_as_typed(string typed)
    {
        State.SetIstioVersionText("1.26");
        var cut = Render<IstioStep>();

        cut.Find("#sampling-input").Change(typed);

        Assert.Equal(typed, State.Draft.SamplingText);
        Assert.Equal(typed, cut.Find("#sampling-input").GetAttribute("value"));
        var error = Assert.Single(cut.FindAll(".issue"), e => e.GetAttribute("data-code") == "Sampling.NotANumber");
        Assert.Equal($"\"{typed}\" is not a sampling percentage: write a number from 0.01 to 100 with digits and at most one '.', for example 100, 50 or 0.5 (no exponent, no thousands separator).",
            error.TextContent.Trim());
        Assert.True(State.HasErrors(WizardStep.Istio));
        Assert.Null(State.Plan);
    }
}
