using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using TrafficStandIns;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Traffic;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// The traffic stand-ins started in the same process as the console under test: the browser reaches the gateway,
/// and the console's traffic engine, gateway check and verifier work against them while the console serves pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TrafficStandInTests(ConsoleServerFixture server) : PageErrorCheckedTest(server)
{
    private const string Token = "browser-traffic-token-3c2b1a";
    private const string ApiKey = "browser-api-key-6f5e4d";

    [Fact]
    public async Task Gateway_collector_and_api_stand_ins_run_beside_the_console_in_one_process()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        await using var collector = await CollectorStandIn.StartAsync(Token);
        gateway.ReportSpansTo(collector);
        await using var api = await LightStepApiStandIn.StartAsync(collector, ApiKey);

        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await page.GotoAsync(new Uri(gateway.BaseUrl, "/productpage").ToString());
        await Expect(page).ToHaveTitleAsync("Simple Bookstore App");

        var check = await new GatewayProbe().CheckAsync(gateway.BaseUrl, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.True(check.LooksLikeProductPage);

        var target = new TrafficTarget(gateway.BaseUrl, collector.OtlpHttpEndpoint, SpanProtocol.OtlpHttpProtobuf, Token, IstioForm.OpenTelemetry);
        var run = await new TrafficRunner(new TrafficRunOptions { ExportDelay = TimeSpan.FromMilliseconds(100) }).RunAsync(target, new TrafficSettings(5, 2));
        Assert.Equal(SpanExportOutcome.Exported, run.Export.Outcome);
        var rows = run.Rows.ToArray();
        foreach (var row in rows)
        {
            var seen = Assert.Single(gateway.Observations, o => o.TraceId == row.TraceId);
            Assert.Equal($"00-{row.TraceIdHex}-{row.SpanIdHex}-01", seen.Headers[TraceContextHeaders.TraceParent]);
            Assert.Equal(Token, collector.Spans[(row.TraceId, row.SpanId)].AccessToken);
        }

        using var http = new HttpClient();
        var results = new TraceVerification[rows.Length];
        await new LightStepTraceVerifier(http).VerifyAllAsync(new TraceVerificationSettings(ApiKey, api.Organization, api.Project, api.BaseUrl),
            rows, 2, new SynchronousProgress(r => results[r.Index] = r.Result), CancellationToken.None);
        Assert.All(results, r => Assert.Equal(TraceVerification.Arrived(2), r));
        server.AssertNoCspViolations();
    }

    private sealed class SynchronousProgress(Action<(int Index, TraceVerification Result)> report) : IProgress<(int Index, TraceVerification Result)>
    {
        public void Report((int Index, TraceVerification Result) value) => report(value);
    }
}
