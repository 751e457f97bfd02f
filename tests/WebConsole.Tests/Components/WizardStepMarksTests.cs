using MeshConsole.Domain.Planning;
using AngleSharp.Dom;
using Bunit;
using WebConsole.Components.Pages;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>
/// What the step headers and the Istio step tell a user before and after they act: offline cluster steps are never
/// ticked off for a mere visit, and the Istio step shows no error on a form nobody has touched.
/// </summary>
public class WizardStepMarksTests : ConsoleTestContext
{
    private const string ValidToken = "Marks-token-0123456789-QRST";

    private IRenderedComponent<Wizard> RenderReadyWizard()
    {
        var cut = Render<Wizard>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#circuit-state").GetAttribute("data-interactive")));
        return cut;
    }

    private static IElement StepHeader(IRenderedComponent<Wizard> cut, string title) =>
        cut.FindAll("button.mud-step").Single(b => b.QuerySelector(".mud-step-label-content-title")!.TextContent.Trim() == title);

    private static bool HasClass(IElement element, string name) => element.ClassList.Contains(name);

    [Theory]
    [InlineData("en", "Not done (offline)")]
    [InlineData("zh-Hans", "未完成（离线）")]
    public void Offline_the_cluster_steps_are_marked_not_done_instead_of_ticked_after_a_visit(string culture, string notDone)
    {
        UseCulture(culture);
        var cut = RenderReadyWizard();
        State.SetAccessToken(ValidToken);
        State.SetSkipCertificate(true);
        State.SetIstioVersionText("1.26");

        // Walk every step with Next, so each one has been visited and left behind.
        for (var step = WizardStep.Product; step < WizardStep.Cleanup; step++)
            cut.Find("#wizard-next").Click();
        Assert.Equal("Cleanup", cut.Find("#circuit-state").GetAttribute("data-step"));

        foreach (var step in new[] { WizardStep.Apply, WizardStep.Bookinfo, WizardStep.Traffic })
        {
            var header = StepHeader(cut, Text("Step." + step));
            Assert.False(HasClass(header, "mud-step-completed"), $"{step} is ticked off although nothing was applied offline");
            Assert.True(HasClass(header, "mud-step-skipped"), $"{step} is not marked as skipped");
            Assert.Equal(notDone, header.QuerySelector(".mud-step-label-content-secondary-text")?.TextContent.Trim());
        }
        foreach (var step in new[] { WizardStep.Product, WizardStep.Token, WizardStep.Istio, WizardStep.Review })
        {
            var header = StepHeader(cut, Text("Step." + step));
            Assert.True(HasClass(header, "mud-step-completed"), $"{step} was filled in and should be ticked off");
            Assert.Null(header.QuerySelector(".mud-step-label-content-secondary-text"));
        }
    }

    [Fact]
    public void The_istio_step_shows_no_error_until_the_user_tries_next()
    {
        var cut = RenderReadyWizard();
        State.SetAccessToken(ValidToken);
        State.SetSkipCertificate(true);
        StepHeader(cut, "Istio settings").Click();
        Assert.Equal("Istio", cut.Find("#circuit-state").GetAttribute("data-step"));

        Assert.True(State.HasErrors(WizardStep.Istio));
        Assert.Empty(cut.FindAll("#step-istio .issue"));
        Assert.False(HasClass(StepHeader(cut, "Istio settings"), "mud-step-error"));

        cut.Find("#wizard-next").Click();

        Assert.Equal("Istio", cut.Find("#circuit-state").GetAttribute("data-step"));
        Assert.Equal(Text("Validation.IstioVersion.Empty"), cut.Find("#step-istio .issue[data-code='IstioVersion.Empty']").TextContent.Trim());
        Assert.True(HasClass(StepHeader(cut, "Istio settings"), "mud-step-error"));
    }

    [Theory]
    [InlineData("Access token", "token", "Token.Empty")]
    [InlineData("CA certificate", "certificate", "CaCert.MissingOrSkip")]
    public void A_step_with_an_empty_value_shows_no_error_on_arrival_only_once_next_is_refused(string title, string section, string code)
    {
        var cut = RenderReadyWizard();
        if (section != "token") State.SetAccessToken(ValidToken);
        StepHeader(cut, title).Click();

        Assert.Empty(cut.FindAll($"#step-{section} .issue"));
        Assert.False(HasClass(StepHeader(cut, title), "mud-step-error"));

        cut.Find("#wizard-next").Click();

        Assert.Single(cut.FindAll($"#step-{section} .issue[data-code='{code}']"));
        Assert.True(HasClass(StepHeader(cut, title), "mud-step-error"));
    }

    [Fact]
    public void The_on_prem_satellite_step_shows_no_error_on_arrival_only_once_next_is_refused()
    {
        var cut = RenderReadyWizard();
        State.SetProduct(LightStepProduct.OnPremSatellites);
        State.SetAccessToken(ValidToken);
        StepHeader(cut, Text("Step.Satellite")).Click();

        Assert.Empty(cut.FindAll("#step-satellite .issue"));

        cut.Find("#wizard-next").Click();

        Assert.Equal("Satellite", cut.Find("#circuit-state").GetAttribute("data-step"));
        Assert.Single(cut.FindAll("#step-satellite .issue[data-code='Satellite.Empty']"));
    }
}

public class IstioStepFirstViewTests : ConsoleTestContext
{
    public IstioStepFirstViewTests() => AttachFreshDraft();

    [Fact]
    public void An_untouched_step_shows_no_error_and_its_placeholder_reads_as_an_example()
    {
        var cut = Render<IstioStep>();

        Assert.Empty(cut.FindAll(".issue"));
        Assert.Equal("e.g. 1.26", cut.Find("#istio-version-input").GetAttribute("placeholder"));
        Assert.Equal("", cut.Find("#istio-version-input").GetAttribute("value") ?? "");
    }

    [Fact]
    public void A_bad_version_is_reported_as_soon_as_the_user_typed_it()
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-version-input").Change("one point two");

        Assert.NotEmpty(cut.FindAll(".issue[data-severity='Error']"));
    }

    [Fact]
    public void Clearing_the_version_after_typing_shows_the_missing_version_error()
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-version-input").Change("1.26");
        Assert.Empty(cut.FindAll(".issue"));
        cut.Find("#istio-version-input").Change("");

        Assert.Single(cut.FindAll(".issue[data-code='IstioVersion.Empty']"));
    }

    [Fact]
    public void Changing_another_field_first_reveals_the_missing_version()
    {
        var cut = Render<IstioStep>();

        cut.Find("#sampling-input").Change("50");

        Assert.Single(cut.FindAll(".issue[data-code='IstioVersion.Empty']"));
    }

    [Fact]
    public void A_version_entered_on_an_earlier_visit_is_checked_on_return()
    {
        State.SetIstioVersionText("1.x");

        var cut = Render<IstioStep>();

        Assert.NotEmpty(cut.FindAll(".issue[data-severity='Error']"));
    }
}
