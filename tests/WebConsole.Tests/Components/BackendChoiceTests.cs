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

/// <summary>OTLP/HTTP with its path in the destination step (issue 13 item 4), and what the Istio step says of it.</summary>
public class OtlpHttpDestinationTests : ConsoleTestContext
{
    public OtlpHttpDestinationTests() => AttachFreshDraft();

    private IRenderedComponent<BackendChoice> RenderOtherBackend(string version)
    {
        State.SetIstioVersionText(version);
        var cut = Render<BackendChoice>();
        cut.Find("#backend-select").Change("otlp");
        State.SetOtlpEndpoint("otel.example.com:4318");
        cut.Render(_ => { });
        return cut;
    }

    [Fact]
    public void Otlp_http_shows_the_path_with_the_default_and_the_plan_posts_to_it()
    {
        var cut = RenderOtherBackend("1.26");
        Assert.Empty(cut.FindAll("#otlp-http-path-input"));

        cut.Find("#otlp-protocol").Change(nameof(MeshConsole.Domain.Traffic.OtlpTransport.HttpProtobuf));

        Assert.Equal(OtlpSpanDestination.DefaultHttpPath, cut.Find("#otlp-http-path-input").GetAttribute("placeholder"));
        Assert.Equal(MeshConsole.Domain.Traffic.OtlpTransport.HttpProtobuf, State.Input?.OtlpDestination?.Endpoint.Transport);
        Assert.Equal(OtlpSpanDestination.DefaultHttpPath, State.Input?.OtlpDestination?.Endpoint.Path);

        cut.Find("#otlp-http-path-input").Change("/otlp/v1/traces");

        Assert.Equal("/otlp/v1/traces", State.Input?.OtlpDestination?.Endpoint.Path);
        var checkedDestination = WebConsole.Features.Traffic.SatelliteCheckTarget.ForOtherBackend(State.EnteredOtlp!, null, null)!.Destination;
        Assert.Equal((MeshConsole.Domain.Traffic.SpanTransport.OtlpHttp, "/otlp/v1/traces"), (checkedDestination.Transport, checkedDestination.HttpPath));
    }

    [Fact]
    public void A_path_that_is_not_one_keeps_its_text_with_a_clear_error_and_the_entries_survive_a_switch_of_backend()
    {
        var cut = RenderOtherBackend("1.26");
        cut.Find("#otlp-protocol").Change(nameof(MeshConsole.Domain.Traffic.OtlpTransport.HttpProtobuf));

        cut.Find("#otlp-http-path-input").Change("v1/traces?x=1");

        Assert.Equal("v1/traces?x=1", cut.Find("#otlp-http-path-input").GetAttribute("value"));
        Assert.Contains(cut.FindAll(".issue"), e => e.TextContent.Contains("\"v1/traces?x=1\" is not an OTLP/HTTP path: start with /", StringComparison.Ordinal));
        Assert.Null(State.Input);

        cut.Find("#backend-select").Change(BackendChoices.LightStep);
        cut.Find("#backend-select").Change("otlp");

        Assert.Equal((MeshConsole.Domain.Traffic.OtlpTransport.HttpProtobuf, "v1/traces?x=1", "otel.example.com:4318"),
            (State.Draft.OtlpTransport, State.Draft.OtlpHttpPath, State.Draft.OtlpEndpoint));
        Assert.Equal("v1/traces?x=1", cut.Find("#otlp-http-path-input").GetAttribute("value"));
    }

    [Fact]
    public void The_istio_step_says_why_otlp_http_cannot_go_directly_from_the_proxies_before_1_22()
    {
        RenderOtherBackend("1.21");
        State.SetOtlpSecure(false);
        State.SetOtlpTransport(MeshConsole.Domain.Traffic.OtlpTransport.HttpProtobuf);

        var cut = Render<IstioStep>();

        Assert.Equal(["route-collector"], cut.FindAll("#route-choice [id^='route-']").Select(e => e.Id));
        var refused = cut.Find("#route-refused-direct").TextContent;
        Assert.Contains("cannot export OTLP/HTTP from the proxies: the opentelemetry provider's http setting exists from Istio 1.22.", refused);
        Assert.StartsWith(Text("Route.Direct"), refused.Trim());

        State.SetIstioVersionText("1.22");
        cut.Render(_ => { });

        Assert.Empty(cut.FindAll("#route-refused-direct"));
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
