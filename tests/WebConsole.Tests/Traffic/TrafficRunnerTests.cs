using System.Diagnostics;
using System.Text.Json;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using TrafficStandIns;
using WebConsole.Features;
using WebConsole.Features.Traffic;

namespace WebConsole.Tests.Traffic;

/// <summary>
/// The traffic engine end to end on loopback: real HTTP to a gateway stand-in, real OTLP/HTTP export to a collector
/// stand-in.
/// </summary>
public sealed class TrafficRunnerTests
{
    private const string Token = "test-access-token-7f3a9c";
    private static readonly LightStepTraceLinks Links = new(TraceLinkTemplate.Default, "demo");

    private static readonly TrafficRunOptions FastOptions = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5),
        ExportTimeout = TimeSpan.FromSeconds(5),
        FlushTimeout = TimeSpan.FromSeconds(10),
        ExportDelay = TimeSpan.FromMilliseconds(100),
    };

    private static TrafficTarget Target(GatewayStandIn gateway, CollectorStandIn collector, IstioForm form = IstioForm.OpenTelemetry,
        string token = Token, SpanProtocol protocol = SpanProtocol.OtlpHttpProtobuf) =>
        new(gateway.BaseUrl, protocol == SpanProtocol.OtlpHttpProtobuf ? collector.OtlpHttpEndpoint : collector.GrpcUrl, protocol, token, form);

    /// <summary>The collector's key for a row's root span: LightStep's collector protocol carries 64-bit trace ids.</summary>
    private static (TraceId, SpanId) SpanKey(TrafficRow row, SpanProtocol protocol) =>
        (protocol == SpanProtocol.LightStepCollector ? new TraceId(0, row.TraceId.Low) : row.TraceId, row.SpanId);

    [Theory]
    [InlineData(SpanProtocol.OtlpHttpProtobuf)]
    [InlineData(SpanProtocol.OtlpGrpc)]
    public async Task Another_backends_headers_replace_the_access_token_on_the_console_spans(SpanProtocol protocol)
    {
        const string key = "hc-ingest-key-5e6f";
        await using var gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        await using var collector = await CollectorStandIn.StartAsync(key);
        collector.TokenHeader = "x-honeycomb-team";
        var target = Target(gateway, collector, token: "", protocol: protocol) with { ExportHeaders = [new("x-honeycomb-team", key)] };

        var result = await new TrafficRunner(FastOptions).RunAsync(target, new TrafficSettings(5, 2), new InlineProgress<TrafficProgress>(_ => { }));

        Assert.Equal(SpanExportOutcome.Exported, result.Export.Outcome);
        Assert.All(result.Rows.ToArray(), row => Assert.True(collector.Spans.ContainsKey((row.TraceId, row.SpanId))));
    }

    [Theory]
    [InlineData(SpanProtocol.OtlpHttpProtobuf)]
    [InlineData(SpanProtocol.OtlpGrpc)]
    [InlineData(SpanProtocol.LightStepCollector)]
    public async Task Every_row_is_the_root_span_the_collector_received_and_the_context_the_gateway_continued(SpanProtocol protocol)
    {
        await using var gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        await using var collector = await CollectorStandIn.StartAsync(Token);
        var reports = 0;
        var result = await new TrafficRunner(FastOptions).RunAsync(Target(gateway, collector, protocol: protocol), new TrafficSettings(50, 8),
            new InlineProgress<TrafficProgress>(_ => Interlocked.Increment(ref reports)));

        Assert.Equal(50, result.Count);
        Assert.Equal(50, reports);
        Assert.False(result.Canceled);
        Assert.Equal(SpanExportOutcome.Exported, result.Export.Outcome);
        Assert.Equal(Enumerable.Range(1, 50), result.Rows.ToArray().Select(r => r.Sequence));
        var seen = gateway.Observations.ToDictionary(o => o.TraceId!.Value);
        Assert.Equal(50, seen.Count);

        foreach (var row in result.Rows.ToArray())
        {
            Assert.Equal(200, row.Status);
            Assert.Null(row.Error);
            Assert.True(row.Succeeded);
            Assert.NotEqual(0UL, row.TraceId.High); // the OpenTelemetry tracer continues the full 128-bit id

            Assert.True(collector.Spans.TryGetValue(SpanKey(row, protocol), out var span), $"row {row.Sequence}: no span {row.TraceIdHex}/{row.SpanIdHex}");
            Assert.Null(span.ParentSpanId);
            Assert.Equal(TrafficRunner.SpanName, span.Name);
            Assert.Equal("client", span.Kind, ignoreCase: true);
            Assert.Equal(TrafficRunner.ServiceName, span.ServiceName);
            
            Assert.Equal(row.StartMicros, span.StartMicros);

            var observed = seen[row.TraceId];
            Assert.True(observed.WouldContinue, observed.Reason);
            Assert.Equal(row.SpanId, observed.ParentId);
            Assert.True(observed.RequestIdIsUuid);
            Assert.Equal('4', observed.RequestId![14]);
            // B3 is no tracer's input here, but Bookinfo's services forward it: it carries the same ids.
            Assert.Equal(row.TraceIdHex, observed.Headers[TraceContextHeaders.B3TraceId]);
            Assert.Equal(row.SpanIdHex, observed.Headers[TraceContextHeaders.B3SpanId]);
            Assert.Equal("1", observed.Headers[TraceContextHeaders.B3Sampled]);
            Assert.False(observed.Headers.ContainsKey(TraceContextHeaders.LightStepTraceId)); // 1.16+: no ot-tracer-*

            var link = Links.LinkFor(row.Identity)!.Url;
            Assert.StartsWith("https://app.lightstep.com/demo/trace?", link);
            Assert.Contains($"span_guid={row.SpanId.Value:x}&", link);
            Assert.Contains($"at_micros={row.StartMicros}", link);
        }
        Assert.Equal(50, collector.Spans.Count);
        using var http = new HttpClient();
        Assert.Contains("<title>Simple Bookstore App</title>", await http.GetStringAsync(new Uri(gateway.BaseUrl, "/productpage")));
    }

    [Theory]
    [InlineData(SpanProtocol.OtlpHttpProtobuf)]
    [InlineData(SpanProtocol.LightStepCollector)]
    public async Task Two_users_running_at_once_each_export_every_span_exactly_once_with_their_own_token(SpanProtocol protocol)
    {
        const string alice = "alice-access-token-1111";
        const string bob = "bob-access-token-2222";
        await using var gateway = await GatewayStandIn.StartAsync();
        await using var collector = await CollectorStandIn.StartAsync(alice, bob);
        // Slow enough that each run is still sending when the other starts: serialized runs could not overlap.
        gateway.DelayFor = _ => TimeSpan.FromMilliseconds(5);
        var runner = new TrafficRunner(FastOptions);
        var aliceRun = Task.Run(() => runner.RunAsync(Target(gateway, collector, token: alice, protocol: protocol), new TrafficSettings(150, 4)));
        var bobRun = Task.Run(() => new TrafficRunner(FastOptions).RunAsync(Target(gateway, collector, token: bob, protocol: protocol), new TrafficSettings(150, 4)));
        var results = await Task.WhenAll(aliceRun, bobRun);

        var (aliceRows, bobRows) = (results[0].Rows.ToArray(), results[1].Rows.ToArray());
        Assert.All(results, r => Assert.Equal(SpanExportOutcome.Exported, r.Export.Outcome));
        Assert.True(aliceRows.Min(r => r.StartedAt) < bobRows.Max(r => r.StartedAt) && bobRows.Min(r => r.StartedAt) < aliceRows.Max(r => r.StartedAt),
            "the two runs did not overlap in time");
        var receipts = collector.Received.GroupBy(s => (s.TraceId, s.SpanId)).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(300, collector.Received.Count);
        Assert.Equal(300, receipts.Count);
        foreach (var (rows, token) in new[] { (aliceRows, alice), (bobRows, bob) })
        foreach (var row in rows)
        {
            var span = Assert.Single(receipts[SpanKey(row, protocol)]);
            Assert.Equal(token, span.AccessToken);
        }
    }

    /// <summary>
    /// Before 1.16 Envoy's LightStep tracer reads x-ot-span-context and falls back to ot-tracer-* only when that header
    /// is absent: the request continues the same trace from the same parent whichever of the two the proxy reads.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Istio_1_14_gets_x_ot_span_context_and_ot_tracer_headers_and_a_64_bit_trace_id_the_gateway_continues(bool proxySeesOnlyTextMap)
    {
        var form = IstioFormChoice.For(IstioVersion.Parse("1.14.3")).Form;
        Assert.Equal(IstioForm.MeshConfigProxyTracing, form);
        await using var gateway = await GatewayStandIn.StartAsync(GatewayTracer.LightStep);
        if (proxySeesOnlyTextMap) gateway.HiddenHeaders = new HashSet<string> { TraceContextHeaders.LightStepSpanContext };
        await using var collector = await CollectorStandIn.StartAsync(Token);
        var result = await new TrafficRunner(FastOptions).RunAsync(Target(gateway, collector, form), new TrafficSettings(20, 4));

        Assert.Equal(SpanExportOutcome.Exported, result.Export.Outcome);
        var seen = gateway.Observations.ToDictionary(o => o.TraceId!.Value);
        foreach (var row in result.Rows.ToArray())
        {
            Assert.Equal(200, row.Status);
            Assert.Equal(0UL, row.TraceId.High);
            var observed = seen[row.TraceId];
            Assert.True(observed.WouldContinue, observed.Reason);
            Assert.Equal(row.TraceId.LowHex, observed.Headers[TraceContextHeaders.LightStepTraceId]);
            Assert.Equal(proxySeesOnlyTextMap ? TraceContextHeaders.LightStepTraceId : TraceContextHeaders.LightStepSpanContext, observed.ContextHeader);
            Assert.Equal(row.SpanId, observed.ParentId);
            Assert.True(collector.Spans.TryGetValue((row.TraceId, row.SpanId), out var span));
            Assert.Null(span.ParentSpanId);
        }
    }

    [Theory]
    [InlineData(SpanProtocol.OtlpHttpProtobuf)]
    [InlineData(SpanProtocol.OtlpGrpc)]
    [InlineData(SpanProtocol.LightStepCollector)]
    public async Task A_wrong_token_is_reported_as_refused_and_the_rows_are_still_recorded(SpanProtocol protocol)
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        await using var collector = await CollectorStandIn.StartAsync(Token);
        const string wrong = "wrong-access-token-1234";
        var result = await new TrafficRunner(FastOptions).RunAsync(Target(gateway, collector, token: wrong, protocol: protocol), new TrafficSettings(10, 3));

        Assert.Equal(10, result.Count);
        Assert.All(result.Rows.ToArray(), row => Assert.Equal(200, row.Status));
        Assert.Equal(SpanExportOutcome.TokenRefused, result.Export.Outcome);
        if (protocol == SpanProtocol.OtlpHttpProtobuf)
        {
            Assert.Equal(401, result.Export.HttpStatus);
            Assert.Contains("refused the access token (HTTP 401", result.Export.Message);
        }
        else
        {
            Assert.Contains("refused the access token (gRPC", result.Export.Message);
        }
        Assert.DoesNotContain(wrong, result.Export.Message);
        Assert.True(collector.RefusedCalls > 0);
        Assert.Empty(collector.Spans);
    }

    [Fact]
    public async Task Failing_and_slow_gateway_answers_are_rows_with_errors_and_the_run_completes()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        await using var collector = await CollectorStandIn.StartAsync(Token);
        gateway.FailWith = arrival => arrival % 5 == 0 ? 503 : arrival == 7 ? 500 : null;
        gateway.DelayFor = arrival => arrival == 3 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero;
        var options = FastOptions with { RequestTimeout = TimeSpan.FromMilliseconds(400) };
        var result = await new TrafficRunner(options).RunAsync(Target(gateway, collector), new TrafficSettings(20, 4));

        var rows = result.Rows.ToArray();
        Assert.Equal(20, rows.Length);
        Assert.Equal(4, rows.Count(r => r.Status == 503 && r.Error?.Code == "ServerError"));
        Assert.Equal(1, rows.Count(r => r.Status == 500 && r.Error?.Code == "ServerError"));
        var timedOut = Assert.Single(rows, r => r.Error?.Code == "Timeout");
        Assert.Null(timedOut.Status);
        Assert.Equal(14, rows.Count(r => r.Succeeded));
        Assert.Equal(6, result.Failed);
        Assert.Equal(SpanExportOutcome.Exported, result.Export.Outcome);
        Assert.All(rows, row => Assert.True(collector.Spans.ContainsKey((row.TraceId, row.SpanId)))); // failed requests are traced too
    }

    [Fact]
    public async Task A_gateway_that_refuses_connections_gives_a_row_per_request()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        await using var collector = await CollectorStandIn.StartAsync(Token);
        await gateway.StopListeningAsync();
        var result = await new TrafficRunner(FastOptions).RunAsync(Target(gateway, collector), new TrafficSettings(8, 2));

        Assert.Equal(8, result.Count);
        Assert.All(result.Rows.ToArray(), row =>
        {
            Assert.Null(row.Status);
            Assert.Equal("ConnectionRefused", row.Error?.Code);
        });
        Assert.Equal(SpanExportOutcome.Exported, result.Export.Outcome);
    }

    [Fact]
    public async Task Cancel_stops_promptly_and_keeps_the_completed_rows()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        await using var collector = await CollectorStandIn.StartAsync(Token);
        gateway.DelayFor = arrival => arrival > 8 ? TimeSpan.FromSeconds(30) : TimeSpan.Zero;
        using var cancel = new CancellationTokenSource();
        var canceledAt = 0L;
        var progress = new InlineProgress<TrafficProgress>(p =>
        {
            if (p.Completed == 8 && Interlocked.CompareExchange(ref canceledAt, Stopwatch.GetTimestamp(), 0) == 0) cancel.Cancel();
        });
        var options = FastOptions with { RequestTimeout = TimeSpan.FromSeconds(60) };
        var result = await new TrafficRunner(options).RunAsync(Target(gateway, collector), new TrafficSettings(1000, 4), progress, cancel.Token);

        Assert.True(Stopwatch.GetElapsedTime(canceledAt) < TimeSpan.FromSeconds(3));
        Assert.True(result.Canceled);
        var rows = result.Rows.ToArray();
        Assert.InRange(rows.Length, 8, 20);
        Assert.Equal(Enumerable.Range(1, rows.Length), rows.Select(r => r.Sequence));
        Assert.True(rows.Count(r => r.Status == 200) >= 8);
        Assert.All(rows.Where(r => r.Status is null), r => Assert.Equal("Canceled", r.Error?.Code));
        Assert.All(rows, row => Assert.True(collector.Spans.ContainsKey((row.TraceId, row.SpanId))));
    }

    [Fact]
    public async Task An_unreachable_collector_is_reported_and_the_rows_are_still_recorded()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        var collector = await CollectorStandIn.StartAsync(Token);
        var endpoint = collector.OtlpHttpEndpoint;
        await collector.DisposeAsync();
        var target = new TrafficTarget(gateway.BaseUrl, endpoint, SpanProtocol.OtlpHttpProtobuf, Token, IstioForm.OpenTelemetry);
        var options = FastOptions with { ExportTimeout = TimeSpan.FromSeconds(1), FlushTimeout = TimeSpan.FromSeconds(3) };
        var result = await new TrafficRunner(options).RunAsync(target, new TrafficSettings(5, 5));

        Assert.Equal(5, result.Count);
        Assert.All(result.Rows.ToArray(), row => Assert.Equal(200, row.Status));
        Assert.Contains(result.Export.Outcome, new[] { SpanExportOutcome.Unreachable, SpanExportOutcome.NotFlushed });
        Assert.DoesNotContain(Token, result.Export.Message);
    }

    [Fact]
    public async Task Csv_and_json_exports_hold_one_record_per_row_with_its_link()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        await using var collector = await CollectorStandIn.StartAsync(Token);
        var result = await new TrafficRunner(FastOptions).RunAsync(Target(gateway, collector), new TrafficSettings(12, 4));
        var rows = result.Rows.ToArray();
        string? Link(TrafficRow row) => Links.LinkFor(row.Identity)?.Url;

        var lines = TrafficExport.Csv(rows, Link).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Length + 1, lines.Length);
        foreach (var row in rows)
            Assert.Single(lines, line => line.Contains(TrafficExport.Quote(Link(row)!), StringComparison.Ordinal) && line.Contains(row.SpanIdHex, StringComparison.Ordinal));

        using var json = JsonDocument.Parse(TrafficExport.Json(rows, Link));
        var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        Assert.Equal(rows.Length, items.GetArrayLength());
        foreach (var (item, row) in items.EnumerateArray().Zip(rows))
        {
            Assert.Equal(row.SpanIdHex, item.GetProperty("spanId").GetString());
            Assert.Equal(Link(row), item.GetProperty("link").GetString());
        }
    }

    [Fact]
    public async Task Settings_out_of_range_are_refused_and_the_target_never_prints_the_token()
    {
        var target = new TrafficTarget(new Uri("http://127.0.0.1:9"), new Uri("http://127.0.0.1:9/v1/traces"), SpanProtocol.OtlpHttpProtobuf, Token, IstioForm.OpenTelemetry);
        Assert.Equal(new Uri("https://collector-grpc.lightstep.com:443"), TrafficTarget.CollectorEndpointFor(LightStepProduct.PublicTracing, PlanInput.PublicSatelliteAddress, true));
        Assert.Equal(new Uri("https://sat.example:8184"), TrafficTarget.CollectorEndpointFor(LightStepProduct.OnPremSatellites, "sat.example:8184", true));
        await Assert.ThrowsAsync<ArgumentException>(() => new TrafficRunner().RunAsync(target, new TrafficSettings(0, 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => new TrafficRunner().RunAsync(target, new TrafficSettings(10, 65)));
        Assert.DoesNotContain(Token, target.ToString());
        Assert.Equal(new Uri("http://127.0.0.1:9/productpage"), target.ProductPageUrl);
        Assert.Equal(new Uri("https://ingest.lightstep.com/traces/otlp/v0.9"), TrafficTarget.OtlpHttpEndpointFor(LightStepProduct.PublicTracing, PlanInput.PublicSatelliteAddress, true));
        Assert.Equal(new Uri("http://sat.example:8383/traces/otlp/v0.9"), TrafficTarget.OtlpHttpEndpointFor(LightStepProduct.OnPremSatellites, "sat.example:8383", false));
    }
}
