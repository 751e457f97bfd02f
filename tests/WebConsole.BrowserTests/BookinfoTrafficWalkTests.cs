using System.Globalization;
using System.Text;
using KubeEmulator;
using MeshConsole.Domain.Traffic;
using Microsoft.Playwright;
using TrafficStandIns;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>The console, the emulated Istio 1.28 cluster and the stand-ins of <see cref="MeshStandInsFixture"/>, unconnected.</summary>
public sealed class BookinfoTrafficServerFixture() : MeshStandInsFixture(Token, "emulator-new")
{
    public const string Token = "lsBROWSER-traffic-5a6b7c8d9e-LMNO";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };
}

public sealed class BookinfoTrafficWalkTests(BookinfoTrafficServerFixture server) : PageErrorCheckedTest(server), IClassFixture<BookinfoTrafficServerFixture>
{
    private const string Project = "browser-walk-project";

    [Fact]
    public async Task Deploys_bookinfo_sends_twenty_requests_and_every_row_links_to_its_own_trace()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("#cluster-mode")).ToContainTextAsync("emulator-new");

        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", BookinfoTrafficServerFixture.Token);
        await page.NextAsync("Satellite");
        await page.EnterAsync("#satellite-input", server.Collector.GrpcUrl.Authority);
        await page.NextAsync("Certificate");
        await page.UploadAsync(new FilePayload
        {
            Name = "ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.CaPem("Traffic Walk CA")),
        });
        await Expect(page.Locator(".certificate-details")).ToHaveCountAsync(1);
        await page.NextAsync("Namespaces");
        await page.EnterAsync("#namespaces-input", "bookinfo");
        await page.NextAsync("Istio");
        await page.EnterAsync("#istio-version-input", "1.28");
        // The collector stand-in speaks cleartext gRPC.
        await page.Locator("#secure-switch").ClickAsync();
        await page.NextAsync("Review");
        await page.NextAsync("Apply");
        await page.NextAsync("Bookinfo");

        // Namespace: absent, so it will be created; injection is proposed and applied only once confirmed.
        await Expect(page.Locator("#bookinfo-namespace")).ToHaveValueAsync("bookinfo");
        await page.Locator("#bookinfo-check-namespace").ClickAsync();
        await Expect(page.Locator("#bookinfo-namespace-state")).ToHaveAttributeAsync("data-exists", "false");
        await Expect(page.Locator("#bookinfo-injection")).ToHaveAttributeAsync("data-status", "Missing");
        await page.Locator("#bookinfo-confirm-label").ClickAsync();

        await page.Locator("#bookinfo-preview").ClickAsync();
        await Expect(page.Locator("#bookinfo-previews .preview[data-object='Namespace/bookinfo']")).ToHaveAttributeAsync("data-change", "Create");
        await Expect(page.Locator("#bookinfo-previews .preview[data-object='Deployment/productpage-v1 -n bookinfo']")).ToHaveAttributeAsync("data-change", "Create");
        Assert.Null(server.Emulator.Store.Get("v1", "Namespace", null, "bookinfo"));

        await page.Locator("#bookinfo-deploy-confirm").ClickAsync();
        await page.Locator("#bookinfo-deploy").ClickAsync();
        await Expect(page.Locator("#bookinfo-results .outcome[data-object='VirtualService/bookinfo -n bookinfo']")).ToHaveAttributeAsync("data-result", "Created");
        await Expect(page.Locator("#bookinfo-ready")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#bookinfo-readiness .readiness[data-state='Ready']")).ToHaveCountAsync(6);
        Assert.Equal("enabled", (string?)server.Emulator.Store.Get("v1", "Namespace", null, "bookinfo")!["metadata"]!["labels"]!["istio-injection"]);

        // The gateway Service's load balancer address is not reachable from here: the user types the stand-in's.
        await Expect(page.Locator("#gateway-discovered")).ToHaveAttributeAsync("data-source", "LoadBalancerIp");
        await page.EnterAsync("#gateway-override", server.Gateway.BaseUrl.Authority);
        await page.Locator("#gateway-check").ClickAsync();
        await Expect(page.Locator("#gateway-check-result")).ToHaveAttributeAsync("data-status", "200");

        await page.NextAsync("Traffic");
        await page.EnterAsync("#lightstep-project", Project);
        await page.EnterAsync("#traffic-requests", "20");
        await page.EnterAsync("#traffic-concurrency", "4");
        await page.Locator("#traffic-run").ClickAsync();
        await Expect(page.Locator("#traffic-counts")).ToHaveAttributeAsync("data-completed", "20", new() { Timeout = 30_000 });
        await Expect(page.Locator("#span-export")).ToHaveAttributeAsync("data-outcome", "Exported");
        await Expect(page.Locator(".traffic-row[data-trace-id]")).ToHaveCountAsync(20);
        await Expect(page.Locator(".traffic-row .trace-link")).ToHaveCountAsync(20);

        // Every row's link carries exactly the ids of the root span the collector received for that request, and the
        // gateway saw a context it would continue with that trace id.
        var rows = page.Locator(".traffic-row[data-trace-id]");
        for (var i = 0; i < 20; i++)
        {
            var row = rows.Nth(i);
            var traceId = TraceId.Parse((await row.GetAttributeAsync("data-trace-id"))!);
            var spanId = SpanId.Parse((await row.GetAttributeAsync("data-span-id"))!);
            Assert.Equal("200", await row.GetAttributeAsync("data-status"));
            var root = server.Collector.Spans[(traceId, spanId)];
            Assert.Null(root.ParentSpanId);
            Assert.Equal(BookinfoTrafficServerFixture.Token, root.AccessToken);
            var expected = $"https://app.lightstep.com/{Project}/trace?span_guid={spanId.Value:x}&at_micros={root.StartMicros.ToString(CultureInfo.InvariantCulture)}";
            Assert.Equal(expected, await row.Locator(".trace-link").GetAttributeAsync("href"));
            Assert.Contains(server.Gateway.Observations, o => o.WouldContinue && o.TraceId == traceId && o.ParentId == spanId);
        }

        // Opening a link goes to LightStep's web UI (answered here, since nothing outside this machine is reachable).
        await page.Context.RouteAsync("https://app.lightstep.com/**", route => route.FulfillAsync(new() { Status = 200, Body = "LightStep" }));
        var firstLink = await rows.Nth(0).Locator(".trace-link").GetAttributeAsync("href");
        var popup = await page.RunAndWaitForPopupAsync(() => rows.Nth(0).Locator(".trace-link").ClickAsync());
        await popup.WaitForLoadStateAsync();
        Assert.Equal(firstLink, popup.Url);
        Assert.StartsWith($"https://app.lightstep.com/{Project}/trace?span_guid=", popup.Url);
        await popup.CloseAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-csv").ClickAsync());
        Assert.Equal("traffic.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(21, lines.Length);
        Assert.StartsWith("sequence,started_at,status,latency_micros,trace_id,span_id", lines[0]);
        Assert.Contains(lines, l => l.EndsWith(firstLink!, StringComparison.Ordinal));

        server.AssertNoCspViolations();
        foreach (var text in server.ServerLogs.Events.Append(await page.ContentAsync()))
            Assert.False(text.Contains(BookinfoTrafficServerFixture.Token, StringComparison.Ordinal), "The token leaked: " + text);
    }
}
