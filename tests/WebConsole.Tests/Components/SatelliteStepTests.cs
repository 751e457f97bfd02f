using Bunit;
using MeshConsole.Domain.Planning;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

public class SatelliteStepTests : ConsoleTestContext
{
    public SatelliteStepTests() => AttachFreshDraft().SetProduct(LightStepProduct.OnPremSatellites);

    private List<string> Messages(IRenderedComponent<SatelliteStep> cut) =>
        cut.FindAll(".issue").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public void Scheme_and_path_are_reported_with_a_suggestion_that_fixes_the_address()
    {
        var cut = Render<SatelliteStep>();

        cut.Find("#satellite-input").Change("https://sat.example.com:443/path");

        Assert.Contains(Messages(cut), m => m.StartsWith("Leave out the scheme (https://, grpc://…): the address is host:port only.", StringComparison.Ordinal));
        Assert.True(State.HasErrors(WizardStep.Satellite));
        var suggestion = cut.Find("button.suggestion");
        Assert.Equal("Use sat.example.com:443", suggestion.TextContent.Trim());

        suggestion.Click();

        Assert.Equal("sat.example.com:443", State.Draft.OnPremSatelliteAddress);
        Assert.Equal("sat.example.com:443", cut.Find("#satellite-input").GetAttribute("value"));
        Assert.Empty(cut.FindAll(".issue"));
        Assert.False(State.HasErrors(WizardStep.Satellite));
    }

    [Fact]
    public void Host_without_port_reports_the_missing_port()
    {
        var cut = Render<SatelliteStep>();

        cut.Find("#satellite-input").Change("host");

        Assert.Contains(Messages(cut), m => m.StartsWith("Add the port to host, for example host:443.", StringComparison.Ordinal));
        Assert.Equal("Use host:443", cut.Find("button.suggestion").TextContent.Trim());
        Assert.True(State.HasErrors(WizardStep.Satellite));
    }

    [Fact]
    public void Bracketed_ipv6_with_port_is_accepted()
    {
        var cut = Render<SatelliteStep>();

        cut.Find("#satellite-input").Change("[::1]:9292");

        Assert.Empty(cut.FindAll(".issue"));
        Assert.False(State.HasErrors(WizardStep.Satellite));
        Assert.Equal("[::1]:9292", State.Draft.SatelliteAddress);
    }

    [Fact]
    public void Port_out_of_range_is_rejected()
    {
        var cut = Render<SatelliteStep>();

        cut.Find("#satellite-input").Change("sat.example.com:70000");

        Assert.Contains("\"70000\" is not a port: use a number from 1 to 65535.", Messages(cut));
        Assert.True(State.HasErrors(WizardStep.Satellite));
    }

    [Fact]
    public void Arriving_shows_no_error_until_next_was_tried()
    {
        var cut = Render<SatelliteStep>();

        Assert.True(State.HasErrors(WizardStep.Satellite));
        Assert.Empty(cut.FindAll(".issue"));

        cut.Render(p => p.Add(s => s.IssuesRevealed, true));

        Assert.Equal(["Enter the satellite pool address as host:port."], Messages(cut));
    }

    [Fact]
    public void Clearing_an_entered_address_shows_the_missing_address_error()
    {
        var cut = Render<SatelliteStep>();

        cut.Find("#satellite-input").Change("sat.example.com:443");
        Assert.Empty(cut.FindAll(".issue"));
        cut.Find("#satellite-input").Change("");

        Assert.Single(cut.FindAll(".issue[data-code='Satellite.Empty']"));
    }

    [Fact]
    public void An_address_entered_on_an_earlier_visit_is_checked_on_return()
    {
        State.SetOnPremSatelliteAddress("host");

        var cut = Render<SatelliteStep>();

        Assert.Single(cut.FindAll(".issue[data-code='Satellite.MissingPort']"));
    }

    [Fact]
    public void Public_product_shows_the_preset_read_only()
    {
        State.SetProduct(LightStepProduct.PublicTracing);

        var cut = Render<SatelliteStep>();

        var input = cut.Find("#satellite-input");
        Assert.Equal(PlanInput.PublicSatelliteAddress, input.GetAttribute("value"));
        Assert.True(input.HasAttribute("readonly"));
        Assert.False(State.HasErrors(WizardStep.Satellite));
    }
}
