using Bunit;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>The Product step's backend choice (issue 13 item 4).</summary>
public class BackendChoiceTests : ConsoleTestContext
{
    private const string HoneycombKey = "HcKey-Secret-5d4c3b2a-QRST";

    public BackendChoiceTests() => AttachFreshDraft();

    [Fact]
    public void LightStep_is_first_and_the_default_and_shows_no_endpoint()
    {
        var cut = Render<BackendChoice>();

        var options = cut.FindAll("#backend-select option").Select(o => o.TextContent.Trim()).ToList();
        Assert.Equal(["LightStep", "Jaeger", "Grafana Tempo", "Honeycomb", "Any OTLP endpoint"], options);
        Assert.Equal(BackendChoices.LightStep, State.Draft.Backend);
        Assert.Empty(cut.FindAll("#otlp-endpoint"));
    }

    [Fact]
    public void Honeycomb_fills_its_endpoint_and_header_and_keeps_the_value_masked()
    {
        State.SetIstioVersionText("1.24");
        var cut = Render<BackendChoice>();

        cut.Find("#backend-select").Change("honeycomb");

        Assert.Equal("api.honeycomb.io:443", State.Draft.OtlpEndpoint);
        Assert.Equal("x-honeycomb-team", cut.Find(".otlp-header-name").GetAttribute("value"));
        Assert.Contains("Header \"x-honeycomb-team\" has no value.", cut.FindAll(".issue").Select(e => e.TextContent.Trim()));

        cut.Find(".otlp-header-value").Change(HoneycombKey);

        Assert.Equal(HoneycombKey, State.Draft.OtlpHeaders.Single().Value);
        Assert.Equal("Stored: ••••QRST", cut.Find(".otlp-header-stored").TextContent.Trim());
        Assert.False(cut.Find(".otlp-header-value").HasAttribute("value"));
        Assert.DoesNotContain(HoneycombKey, cut.Markup);
        Assert.Empty(cut.FindAll(".issue"));
        Assert.Contains(HoneycombKey, State.SensitiveValues);
        Assert.Equal("api.honeycomb.io:443", State.Input?.OtlpDestination?.Address);
        Assert.Equal(SpanRoute.Collector, State.Plan?.Route);
    }

    [Fact]
    public void An_endpoint_without_port_is_reported_with_the_port_to_add()
    {
        var cut = Render<BackendChoice>();
        cut.Find("#backend-select").Change("otlp");

        State.SetOtlpEndpoint("otel.example.com");
        cut.Render(_ => { });

        Assert.Contains(cut.FindAll(".issue"), e => e.TextContent.Contains("otel.example.com:443", StringComparison.Ordinal));
    }
}

/// <summary>The Traffic step's trace source follows the backend chosen in the wizard until the user picks one there.</summary>
public class TraceSourceDefaultTests : ConsoleTestContext
{
    public TraceSourceDefaultTests() => AttachFreshDraft();

    [Fact]
    public void The_trace_source_defaults_to_the_wizards_backend_until_the_user_picks_one()
    {
        var view = Services.GetRequiredService<WebConsole.Features.Traffic.TraceViewSession>();
        Assert.Equal(MeshConsole.Domain.Traffic.TraceBackendKind.LightStep, view.Backend.Kind);

        State.SetBackend("jaeger");
        Assert.Equal(MeshConsole.Domain.Traffic.TraceBackendKind.Jaeger, view.Backend.Kind);
        Assert.Equal("istio-system/tracing:80", view.ServiceText);

        view.SelectBackend(MeshConsole.Domain.Traffic.TraceBackendKind.GrafanaTempo);
        State.SetBackend("honeycomb");
        Assert.Equal(MeshConsole.Domain.Traffic.TraceBackendKind.GrafanaTempo, view.Backend.Kind);
    }
}
