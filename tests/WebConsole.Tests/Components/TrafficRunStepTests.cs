using System.Globalization;
using System.Text;
using Bunit;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using Microsoft.Extensions.DependencyInjection;
using TrafficStandIns;
using WebConsole.Features.Access;
using WebConsole.Features.Traffic;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>
/// The traffic step sending real requests to a gateway stand-in and real spans (OTLP/gRPC, the Istio 1.28 form) to a
/// collector stand-in that checks the access token.
/// </summary>
public sealed class TrafficRunStepTests : ConsoleTestContext
{
    private const string Token = "lsBUNIT-traffic-0123456789-WXYZ";
    private const string Project = "unit-project";
    private GatewayStandIn _gateway = null!;
    private CollectorStandIn _collector = null!;

    public TrafficRunStepTests()
    {
        Services.AddSingleton(new TrafficRunOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(5), ExportTimeout = TimeSpan.FromSeconds(5),
            FlushTimeout = TimeSpan.FromSeconds(10), ExportDelay = TimeSpan.FromMilliseconds(100),
        });
    }

    protected override async Task InitializeTestAsync()
    {
        _gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        _collector = await CollectorStandIn.StartAsync("lsBUNIT-the-right-token-00000-ABCD");
    }

    protected override async Task DisposeTestAsync()
    {
        await _gateway.DisposeAsync();
        await _collector.DisposeAsync();
    }

    private void Configure(string token, int requests, int concurrency = 4)
    {
        var state = AttachFreshDraft();
        state.SetProduct(LightStepProduct.OnPremSatellites);
        state.SetAccessToken(token);
        state.SetOnPremSatelliteAddress(_collector.GrpcUrl.Authority);
        state.SetSkipCertificate(false);
        state.SetSecure(false);
        state.SetIstioVersionText("1.28");
        state.SetGatewayOverride(_gateway.BaseUrl.Authority);
        state.SetLightStepProject(Project);
        state.SetTrafficRequests(requests);
        state.SetTrafficConcurrency(concurrency);
    }

    [Fact]
    public async Task A_wrong_access_token_is_reported_above_the_rows()
    {
        Configure(Token, requests: 5);
        var cut = Render<TrafficStep>();

        await cut.InvokeAsync(() => cut.Find("#traffic-run").Click());

        cut.WaitForAssertion(() => Assert.Equal("TokenRefused", cut.Find("#span-export").GetAttribute("data-outcome")), TimeSpan.FromSeconds(20));
        Assert.StartsWith("LightStep refused the access token", cut.Find("#span-export").TextContent.Trim());
        // The requests themselves went through: the token problem is about spans, not the gateway.
        Assert.Equal("5", cut.Find("#traffic-counts").GetAttribute("data-succeeded"));
        Assert.DoesNotContain(Token, cut.Markup);
        Assert.Empty(_collector.Spans);
    }

    [Fact]
    public async Task Every_row_links_to_the_root_span_the_collector_received_and_the_export_has_the_same_links()
    {
        Configure("lsBUNIT-the-right-token-00000-ABCD", requests: 12);
        var cut = Render<TrafficStep>();

        await cut.InvokeAsync(() => cut.Find("#traffic-run").Click());

        cut.WaitForAssertion(() => Assert.Equal("Exported", cut.Find("#span-export").GetAttribute("data-outcome")), TimeSpan.FromSeconds(20));
        var rows = cut.FindAll(".traffic-row[data-trace-id]");
        Assert.Equal(12, rows.Count);
        foreach (var row in rows)
        {
            var key = (TraceId.Parse(row.GetAttribute("data-trace-id")!), SpanId.Parse(row.GetAttribute("data-span-id")!));
            var root = _collector.Spans[key];
            Assert.Null(root.ParentSpanId);
            var link = row.QuerySelector(".trace-link")!.GetAttribute("href");
            Assert.Equal($"https://app.lightstep.com/{Project}/trace?span_guid={key.Item2.Value:x}&at_micros={root.StartMicros.ToString(CultureInfo.InvariantCulture)}", link);
        }

        var csv = Encoding.UTF8.GetString(Services.GetRequiredService<TrafficSession>().Export(json: false));
        Assert.Equal(13, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var row in rows)
            Assert.Contains(row.QuerySelector(".trace-link")!.GetAttribute("href")!, csv);
    }

    [Fact]
    public async Task Failing_requests_are_rows_with_their_error()
    {
        Configure("lsBUNIT-the-right-token-00000-ABCD", requests: 6, concurrency: 1);
        _gateway.FailWith = arrival => arrival % 2 == 0 ? 503 : null;
        var cut = Render<TrafficStep>();

        await cut.InvokeAsync(() => cut.Find("#traffic-run").Click());

        cut.WaitForAssertion(() => Assert.Equal("6", cut.Find("#traffic-counts").GetAttribute("data-completed")), TimeSpan.FromSeconds(20));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#span-export")), TimeSpan.FromSeconds(20));
        Assert.Equal("3", cut.Find("#traffic-counts").GetAttribute("data-failed"));
        var failed = cut.FindAll(".traffic-row[data-status='503']");
        Assert.Equal(3, failed.Count);
        Assert.All(failed, row => Assert.Contains("HTTP 503", row.TextContent));
        // A failed request is still a trace root: its link is there.
        Assert.All(failed, row => Assert.NotNull(row.QuerySelector(".trace-link")));
    }

    [Fact]
    public async Task Cancel_stops_the_run_and_keeps_the_rows_sent_so_far()
    {
        Configure("lsBUNIT-the-right-token-00000-ABCD", requests: 200, concurrency: 2);
        _gateway.DelayFor = _ => TimeSpan.FromMilliseconds(100);
        var cut = Render<TrafficStep>();

        await cut.InvokeAsync(() => cut.Find("#traffic-run").Click());
        cut.WaitForAssertion(() => Assert.True(int.Parse(cut.Find("#traffic-counts").GetAttribute("data-completed")!, CultureInfo.InvariantCulture) >= 4), TimeSpan.FromSeconds(20));
        await cut.InvokeAsync(() => cut.Find("#traffic-cancel").Click());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#traffic-canceled")), TimeSpan.FromSeconds(20));
        var kept = Services.GetRequiredService<TrafficSession>().RecordedRows.Count();
        Assert.InRange(kept, 4, 199);
        Assert.Contains($"{kept} requests were sent", cut.Find("#traffic-canceled").TextContent);
    }

    [Fact]
    public async Task A_second_run_beyond_the_users_limit_is_refused_with_the_wait()
    {
        Services.AddSingleton<ITrafficRunLimiter>(new TrafficRunLimiter(1));
        Configure("lsBUNIT-the-right-token-00000-ABCD", requests: 1, concurrency: 1);
        var cut = Render<TrafficStep>();

        await cut.InvokeAsync(() => cut.Find("#traffic-run").Click());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#span-export")), TimeSpan.FromSeconds(20));
        await cut.InvokeAsync(() => cut.Find("#traffic-run").Click());

        Assert.StartsWith("Too many runs: try again in", cut.Find("#traffic-refused").TextContent.Trim());
        Assert.Equal(1, _gateway.Arrivals);
    }
}
