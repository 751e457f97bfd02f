using System.Diagnostics;
using System.Globalization;
using System.Text;
using KubeEmulator;
using MeshConsole.Domain.Traffic;
using Microsoft.Playwright;
using TrafficStandIns;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// Like <see cref="BookinfoTrafficServerFixture"/>, and the gateway stand-in also emits Bookinfo's proxies' spans
/// into the collector, which a Jaeger stand-in serves back.
/// </summary>
public sealed class TraceViewServerFixture() : MeshStandInsFixture(Token, "emulator-new")
{
    public const string Token = "lsBROWSER-traceview-1a2b3c4d5e-PQRS";

    public TraceBackendStandIn Jaeger { get; private set; } = null!;

    protected override async Task PrepareAsync()
    {
        Gateway.ReportSpansTo(Collector);
        Gateway.Bookinfo = new BookinfoMesh { Namespace = "bookinfo" };
        Jaeger = await TraceBackendStandIn.StartAsync(Collector, TraceQueryApi.JaegerQuery);
    }

    public override async Task DisposeAsync()
    {
        await Jaeger.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>The wizard walk up to the Traffic step, shared with bench/TraceViewBenchmark.</summary>
public static class TraceViewWalk
{
    public static async Task<IPage> ToTrafficStepAsync(TraceViewServerFixture server)
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("#cluster-mode")).ToContainTextAsync("emulator-new");
        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", TraceViewServerFixture.Token);
        await page.NextAsync("Satellite");
        await page.EnterAsync("#satellite-input", server.Collector.GrpcUrl.Authority);
        await page.NextAsync("Certificate");
        await page.UploadAsync(new FilePayload
        {
            Name = "ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.CaPem("Trace View CA")),
        });
        await Expect(page.Locator(".certificate-details")).ToHaveCountAsync(1);
        await page.NextAsync("Namespaces");
        await page.EnterAsync("#namespaces-input", "bookinfo");
        await page.NextAsync("Istio");
        await page.EnterAsync("#istio-version-input", "1.28");
        await page.Locator("#secure-switch").ClickAsync();
        await page.NextAsync("Review");
        await page.NextAsync("Apply");
        await page.NextAsync("Bookinfo");
        await page.Locator("#bookinfo-check-namespace").ClickAsync();
        await page.Locator("#bookinfo-confirm-label").ClickAsync();
        await page.Locator("#bookinfo-preview").ClickAsync();
        await page.Locator("#bookinfo-deploy-confirm").ClickAsync();
        await page.Locator("#bookinfo-deploy").ClickAsync();
        await Expect(page.Locator("#bookinfo-ready")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.EnterAsync("#gateway-override", server.Gateway.BaseUrl.Authority);
        await page.Locator("#gateway-check").ClickAsync();
        await Expect(page.Locator("#gateway-check-result")).ToHaveAttributeAsync("data-status", "200");
        await page.NextAsync("Traffic");
        return page;
    }

    /// <summary>Types into a field the way a user does (fill, then leave it), as the walks do.</summary>
    public static Task EnterAsync(IPage page, string selector, string value) => page.EnterAsync(selector, value);
}

public sealed class TraceViewWalkTests(TraceViewServerFixture server) : PageErrorCheckedTest(server), IClassFixture<TraceViewServerFixture>
{
    [Fact]
    public async Task Sends_traffic_and_opens_a_rows_waterfall_from_jaeger_with_its_diagnosis()
    {
        var page = await TraceViewWalk.ToTrafficStepAsync(server);
        await page.EnterAsync("#lightstep-project", "trace-view-project");
        await page.EnterAsync("#traffic-requests", "6");
        await page.EnterAsync("#traffic-concurrency", "2");
        await page.Locator("#traffic-run").ClickAsync();
        await Expect(page.Locator("#traffic-counts")).ToHaveAttributeAsync("data-completed", "6", new() { Timeout = 30_000 });
        await Expect(page.Locator("#span-export")).ToHaveAttributeAsync("data-outcome", "Exported");

        await page.Locator("#trace-backend").SelectOptionAsync("Jaeger");
        await page.EnterAsync("#trace-query-url", server.Jaeger.BaseUrl.ToString());
        var row = page.Locator(".traffic-row[data-trace-id]").Nth(2);
        var traceId = (await row.GetAttributeAsync("data-trace-id"))!;
        var clicked = Stopwatch.StartNew();
        await row.Locator("code").ClickAsync();
        await Expect(page.Locator("#trace-waterfall")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        clicked.Stop();

        await Expect(page.Locator("#trace-view")).ToHaveAttributeAsync("data-trace-id", traceId);
        var expected = server.Collector.Spans.Values.Count(s => s.TraceId.ToString() == traceId);
        await Expect(page.Locator("#trace-waterfall .waterfall-row[data-span-id]")).ToHaveCountAsync(expected);
        await Expect(page.Locator("#trace-verdict")).ToHaveAttributeAsync("data-verdict", new System.Text.RegularExpressions.Regex("^Complete"));
        await Expect(page.Locator("#trace-waterfall .span-reporter").Filter(new() { HasTextRegex = new("^router istio-ingressgateway") })).ToHaveCountAsync(1);

        await page.Locator("#trace-check-all").ClickAsync();
        await Expect(page.Locator("#trace-summary")).ToHaveAttributeAsync("data-total", "6", new() { Timeout = 15_000 });
        await Expect(page.Locator("#trace-summary")).ToContainTextAsync("miss ratings: reviews-v1 does not call ratings");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trace view: click on a row to its {expected}-span waterfall in {clicked.Elapsed.TotalMilliseconds:0} ms"));

        server.AssertNoCspViolations();
        foreach (var text in server.ServerLogs.Events.Append(await page.ContentAsync()))
            Assert.False(text.Contains(TraceViewServerFixture.Token, StringComparison.Ordinal), "The token leaked: " + text);
    }
}
