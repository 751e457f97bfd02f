using Bunit;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Traffic;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>The Bookinfo and traffic steps offline: what can be done without a cluster, and every input's checks.</summary>
public class BookinfoAndTrafficStepTests : ConsoleTestContext
{
    private const string Token = "lsBUNIT-traffic-0123456789-WXYZ";

    public BookinfoAndTrafficStepTests()
    {
        var state = AttachFreshDraft();
        state.SetProduct(LightStepProduct.OnPremSatellites);
        state.SetAccessToken(Token);
        state.SetOnPremSatelliteAddress("127.0.0.1:9292");
        state.SetSecure(false);
        state.SetIstioVersionText("1.28");
        state.SetNamespacesText("default");
    }

    private static List<string> Messages<T>(IRenderedComponent<T> cut) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll(".issue").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public void Offline_the_bookinfo_step_shows_the_manifests_and_accepts_a_gateway_address()
    {
        var cut = Render<BookinfoStep>();

        Assert.StartsWith("Offline mode", cut.Find("#bookinfo-unavailable").TextContent.Trim());
        var yaml = cut.Find("#bookinfo-yaml").TextContent;
        Assert.Contains("kind: VirtualService", yaml);
        Assert.Contains("docker.io/istio/examples-bookinfo-productpage-v1:1.20.3", yaml);
        Assert.Empty(cut.FindAll("#gateway-discover"));

        cut.Find("#gateway-override").Change("http://127.0.0.1:8080/productpage");

        Assert.Contains(Messages(cut), m => m.StartsWith("Leave out the scheme (http://)", StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#gateway-url"));
        cut.Find("button.suggestion").Click();

        Assert.Equal("127.0.0.1:8080", State.Draft.GatewayOverride);
        Assert.Empty(cut.FindAll(".issue"));
        Assert.Equal("http://127.0.0.1:8080/productpage", cut.Find("#gateway-url").GetAttribute("data-url"));
    }

    [Fact]
    public void Traffic_needs_a_gateway_and_valid_counts_before_it_can_start()
    {
        var cut = Render<TrafficStep>();

        Assert.NotNull(cut.Find("#traffic-needs-gateway"));
        Assert.True(cut.Find("#traffic-run").HasAttribute("disabled"));

        State.SetGatewayOverride("127.0.0.1:8080");
        cut.Render();
        Assert.Equal("http://127.0.0.1:8080/productpage", cut.Find("#traffic-gateway").GetAttribute("data-url"));
        Assert.False(cut.Find("#traffic-run").HasAttribute("disabled"));

        cut.Find("#traffic-requests").Change("20000");
        Assert.Contains(Messages(cut), m => m == "Send from 1 to 10000 requests (not 20000).");
        Assert.True(cut.Find("#traffic-run").HasAttribute("disabled"));

        cut.Find("#traffic-requests").Change("20");
        cut.Find("#traffic-concurrency").Change("65");
        Assert.Contains(Messages(cut), m => m == "Use a concurrency from 1 to 64 (not 65).");
        Assert.True(cut.Find("#traffic-run").HasAttribute("disabled"));
    }

    [Fact]
    public void The_span_destination_follows_the_istio_form_and_an_override_is_checked()
    {
        var cut = Render<TrafficStep>();

        var destination = cut.Find("#span-destination");
        Assert.Equal("127.0.0.1:9292", destination.GetAttribute("data-address"));
        Assert.Equal("OtlpGrpc", destination.GetAttribute("data-transport"));

        State.SetIstioVersionText("1.9");
        cut.Render();
        Assert.Equal("LightStepCollector", cut.Find("#span-destination").GetAttribute("data-transport"));

        cut.Find("#span-endpoint-override").Change("grpc://127.0.0.1:18184");
        Assert.Contains(Messages(cut), m => m.StartsWith("Leave out the scheme", StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#span-destination"));

        cut.Find("button.suggestion").Click();
        Assert.Equal("127.0.0.1:18184", cut.Find("#span-destination").GetAttribute("data-address"));
    }

    [Theory]
    [InlineData("https://app.lightstep.com/{project}/trace?span_guid={spanld}", "my-project", "Unknown placeholder {spanld}")]
    [InlineData("https://app.lightstep.com/{project}/home", "my-project", "The template must contain {traceId}, {traceId64}, {spanId} or {spanIdUnpadded}")]
    [InlineData("javascript:alert(1)//{spanId}", "my-project", "Links use http or https, not javascript.")]
    [InlineData("https://app.lightstep.com/{project}/trace?span_guid={spanId}&at_micros={startMicros}", "", "Enter the LightStep project name")]
    public void An_invalid_link_template_or_project_hides_links_and_says_why(string template, string project, string message)
    {
        State.SetTraceLinkTemplate(template);
        State.SetLightStepProject(project);

        var cut = Render<TrafficStep>();

        Assert.NotNull(cut.Find("#links-hidden"));
        Assert.Contains(Messages(cut), m => m.StartsWith(message, StringComparison.Ordinal));
        Assert.False(State.TraceLinks.IsUsable);
    }

    [Fact]
    public void The_verification_api_key_is_kept_on_the_server_and_never_rendered()
    {
        const string apiKey = "lightstep-api-key-SECRET-9f8e7d6c";
        var cut = Render<TrafficStep>();

        cut.Find("#verify-api-key").Change(apiKey);

        Assert.Equal(apiKey, State.Draft.VerificationApiKey);
        Assert.NotNull(cut.Find("#verify-key-stored"));
        Assert.DoesNotContain(apiKey, cut.Markup);
        Assert.Null(cut.Find("#verify-api-key").GetAttribute("value"));
        // No run yet: nothing to verify.
        Assert.True(cut.Find("#verify-run").HasAttribute("disabled"));
    }
}
