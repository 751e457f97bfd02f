using System.Globalization;
using Bunit;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using Microsoft.Extensions.DependencyInjection;
using TrafficStandIns;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Traffic;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>The span waterfall on its own, and opened from a row of the Traffic step against the stand-ins.</summary>
public sealed class TraceWaterfallTests : ConsoleTestContext
{
    private const string Token = "lsBUNIT-trace-view-0123456789-QRST";
    private static readonly TraceId Trace = new(0x4bf92f3577b34da6, 0xa3ce929d0e0e4736);

    private static TraceSpan Span(ulong id, ulong? parent, string service, long start, long duration, TraceSpanStatus status = TraceSpanStatus.Unset, string? reporter = null) =>
        new(Trace, new SpanId(id), parent is { } p ? new SpanId(p) : null, service, "op-" + id, start, duration, status, reporter);

    private static FetchedTrace Sample() => new([
        Span(1, null, "lightstep-mesh-console", 1_000_000, 10_000, reporter: "opentelemetry (dotnet)"),
        Span(2, 1, "istio-ingressgateway.istio-system", 1_001_000, 8_000, reporter: "router istio-ingressgateway-5d9c8b7f6-abcde"),
        Span(3, 2, "productpage.default", 1_002_000, 6_000, reporter: "sidecar productpage-v1-6b746f74dc-9stvs"),
        Span(5, 3, "reviews.default", 1_004_000, 2_500, TraceSpanStatus.Error, "sidecar reviews-v2-7d5f8c9b4-x2zq"),
        Span(4, 3, "details.default", 1_003_000, 1_000, reporter: "sidecar details-v1-79f774bdb9-kn4hp"),
    ]);

    [Fact]
    public void Every_span_is_a_row_in_tree_order_with_offset_duration_status_reporter_and_a_bar_in_percent()
    {
        var cut = Render<TraceWaterfall>(p => p.Add(c => c.Trace, Sample()).Add(c => c.RootSpanId, new SpanId(1)));

        var rows = cut.FindAll(".waterfall-row[data-span-id]");
        Assert.Equal(["0000000000000001", "0000000000000002", "0000000000000003", "0000000000000004", "0000000000000005"], rows.Select(r => r.GetAttribute("data-span-id")));
        Assert.Equal(["0", "1", "2", "3", "3"], rows.Select(r => r.GetAttribute("data-depth")));
        Assert.Equal("true", rows[0].GetAttribute("data-root"));
        var reviews = rows[4];
        Assert.Equal("reviews.default", reviews.QuerySelector(".span-service")!.TextContent);
        Assert.Equal("4.0 ms", reviews.QuerySelector(".span-start")!.TextContent);
        Assert.Equal("2.5 ms", reviews.QuerySelector(".span-duration")!.TextContent);
        Assert.Equal("sidecar reviews-v2-7d5f8c9b4-x2zq", reviews.QuerySelector(".span-reporter")!.TextContent);
        Assert.Contains("error", reviews.ClassList);
        Assert.Equal("Error", reviews.QuerySelector(".span-status")!.TextContent);
        // 4 ms into a 10 ms trace, 2.5 ms long.
        Assert.Equal("left:40%;width:25%", reviews.QuerySelector(".waterfall-bar")!.GetAttribute("style"));
        Assert.Equal("left:0%;width:100%", rows[0].QuerySelector(".waterfall-bar")!.GetAttribute("style"));
    }

    [Fact]
    public void Headings_and_statuses_are_in_chinese_too()
    {
        UseCulture("zh-Hans");

        var cut = Render<TraceWaterfall>(p => p.Add(c => c.Trace, Sample()));

        Assert.Equal(["服务", "操作", "开始", "耗时", "状态", "上报者", ""], cut.FindAll(".waterfall-head > span").Select(s => s.TextContent));
        Assert.Equal("错误", cut.Find(".waterfall-row.error .span-status").TextContent);
    }

    [Fact]
    public async Task Clicking_a_row_opens_its_trace_from_jaeger_with_the_diagnosis_and_the_link_out()
    {
        Services.AddSingleton(new TrafficRunOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(5), ExportTimeout = TimeSpan.FromSeconds(5),
            FlushTimeout = TimeSpan.FromSeconds(10), ExportDelay = TimeSpan.FromMilliseconds(100),
        });
        await using var gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        await using var collector = await CollectorStandIn.StartAsync(Token);
        gateway.ReportSpansTo(collector);
        gateway.Bookinfo = new BookinfoMesh();
        await using var jaeger = await TraceBackendStandIn.StartAsync(collector, TraceQueryApi.JaegerQuery);
        var state = AttachFreshDraft();
        state.SetProduct(LightStepProduct.OnPremSatellites);
        state.SetAccessToken(Token);
        state.SetOnPremSatelliteAddress(collector.GrpcUrl.Authority);
        state.SetSkipCertificate(false);
        state.SetSecure(false);
        state.SetIstioVersionText("1.28");
        state.SetGatewayOverride(gateway.BaseUrl.Authority);
        state.SetLightStepProject("unit-project");
        state.SetTrafficRequests(3);
        state.SetTrafficConcurrency(1);
        var view = Services.GetRequiredService<TraceViewSession>();
        view.SelectBackend(TraceBackendKind.Jaeger);
        view.SetQueryUrl(jaeger.BaseUrl.ToString());
        var cut = Render<TrafficStep>();

        await cut.InvokeAsync(() => cut.Find("#traffic-run").Click());
        cut.WaitForAssertion(() => Assert.Equal("Exported", cut.Find("#span-export").GetAttribute("data-outcome")), TimeSpan.FromSeconds(20));
        var traceId = cut.FindAll(".traffic-row[data-trace-id]")[1].GetAttribute("data-trace-id");
        await cut.InvokeAsync(() => cut.Find($".traffic-row[data-trace-id='{traceId}']").Click());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#trace-waterfall")), TimeSpan.FromSeconds(10));
        Assert.Equal(traceId, cut.Find("#trace-view").GetAttribute("data-trace-id"));
        var spans = int.Parse(cut.Find("#trace-waterfall").GetAttribute("data-spans")!, CultureInfo.InvariantCulture);
        Assert.Equal(collector.Spans.Values.Count(s => s.TraceId.ToString() == traceId), spans);
        Assert.Contains(cut.Find("#trace-verdict").GetAttribute("data-verdict"), new[] { "Complete", "CompleteWithoutRatings" });
        Assert.StartsWith("https://app.lightstep.com/unit-project/trace?span_guid=", cut.Find(".trace-view-link").GetAttribute("href"));
        Assert.Contains(cut.FindAll(".span-reporter"), r => r.TextContent.StartsWith("router istio-ingressgateway", StringComparison.Ordinal));

        await cut.InvokeAsync(() => cut.Find("#trace-check-all").Click());
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("#trace-summary").GetAttribute("data-total")), TimeSpan.FromSeconds(10));
        Assert.Matches(@"^\d of 3 traces complete", cut.Find("#trace-summary").TextContent.Trim());
        Assert.DoesNotContain(Token, cut.Markup);
    }
}
