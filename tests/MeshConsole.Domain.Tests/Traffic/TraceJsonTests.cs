using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Tests.Traffic;

public class TraceJsonTests
{
    [Fact]
    public void Jaeger_reads_64_bit_ids_parents_processes_errors_and_the_proxy_from_envoys_node_id()
    {
        const string json = """
            {"data":[{"traceID":"a3ce929d0e0e4736","spans":[
              {"traceID":"a3ce929d0e0e4736","spanID":"00f067aa0ba902b7","operationName":"GET /productpage","references":[],
               "startTime":1000,"duration":500,"tags":[],"processID":"p1"},
              {"traceID":"a3ce929d0e0e4736","spanID":"1111111111111111","operationName":"details.default.svc.cluster.local:9080/*",
               "references":[{"refType":"CHILD_OF","traceID":"a3ce929d0e0e4736","spanID":"00f067aa0ba902b7"}],
               "startTime":1100,"duration":200,"tags":[{"key":"error","type":"bool","value":true},
               {"key":"node_id","type":"string","value":"sidecar~10.1.2.3~details-v1-79f774bdb9-kn4hp.default~default.svc.cluster.local"}],"processID":"p2"}],
              "processes":{"p1":{"serviceName":"lightstep-mesh-console","tags":[{"key":"telemetry.sdk.name","type":"string","value":"opentelemetry"},{"key":"telemetry.sdk.language","type":"string","value":"dotnet"}]},
                           "p2":{"serviceName":"details.default","tags":[]}}}]}
            """;

        var trace = TraceJson.ParseJaeger(json);

        Assert.Equal(2, trace.Spans.Count);
        var (root, child) = (trace.Spans[0], trace.Spans[1]);
        Assert.Equal(new TraceId(0, 0xa3ce929d0e0e4736), root.TraceId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal("opentelemetry (dotnet)", root.Reporter);
        Assert.Equal(root.SpanId, child.ParentSpanId);
        Assert.Equal("details.default", child.Service);
        Assert.Equal("sidecar details-v1-79f774bdb9-kn4hp", child.Reporter);
        Assert.Equal(TraceSpanStatus.Error, child.Status);
        Assert.Equal((1100L, 200L), (child.StartMicros, child.DurationMicros));
        Assert.Equal(500, trace.DurationMicros);
    }

    [Fact]
    public void Otlp_reads_tempos_base64_ids_and_otlp_hex_ids_both_scope_names_and_status()
    {
        // Tempo: "batches", ids base64 (grafana/tempo#5437); OTLP/JSON: "resourceSpans", ids hex, older "instrumentationLibrarySpans".
        const string tempo = """
            {"batches":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"istio-ingressgateway.istio-system"}}]},
              "scopeSpans":[{"spans":[{"traceId":"S/kvNXezTaajzpKdDg5HNg==","spanId":"APBnqgupArc=","name":"gw","kind":"SPAN_KIND_CLIENT",
                "startTimeUnixNano":"1893499200123456000","endTimeUnixNano":"1893499200124456000","status":{"code":"STATUS_CODE_ERROR"}}]}]}]}
            """;
        const string otlp = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"ratings.default"}}]},
              "instrumentationLibrarySpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"2222222222222222",
                "parentSpanId":"00f067aa0ba902b7","name":"r","kind":2,"startTimeUnixNano":"2000","endTimeUnixNano":"5000","status":{"code":1}}]}]}]}
            """;

        var gateway = Assert.Single(TraceJson.ParseOtlp(tempo).Spans);
        var ratings = Assert.Single(TraceJson.ParseOtlp(otlp).Spans);

        Assert.Equal(TraceId.Parse("4bf92f3577b34da6a3ce929d0e0e4736"), gateway.TraceId);
        Assert.Equal(SpanId.Parse("00f067aa0ba902b7"), gateway.SpanId);
        Assert.Equal(("istio-ingressgateway.istio-system", "client", TraceSpanStatus.Error, 1000L), (gateway.Service, gateway.Kind, gateway.Status, gateway.DurationMicros));
        Assert.Equal(SpanId.Parse("00f067aa0ba902b7"), ratings.ParentSpanId);
        Assert.Equal(("server", TraceSpanStatus.Ok, 2L, 3L), (ratings.Kind, ratings.Status, ratings.StartMicros, ratings.DurationMicros));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"data":null}""")]
    [InlineData("""{"data":[{"spans":[{"traceID":"zz","spanID":"1"}]}]}""")]
    public void A_document_without_the_jaeger_structure_is_refused(string json) =>
        Assert.Throws<TraceFormatException>(() => TraceJson.ParseJaeger(json));

    [Fact]
    public void Tree_order_puts_children_under_parents_and_orphans_at_the_top()
    {
        var trace = new FetchedTrace([
            new(new TraceId(0, 1), new SpanId(3), new SpanId(2), "c", "c", 30, 1, TraceSpanStatus.Unset, null),
            new(new TraceId(0, 1), new SpanId(1), null, "a", "a", 10, 50, TraceSpanStatus.Unset, null),
            new(new TraceId(0, 1), new SpanId(2), new SpanId(1), "b", "b", 20, 20, TraceSpanStatus.Unset, null),
            new(new TraceId(0, 1), new SpanId(4), new SpanId(99), "orphan", "o", 25, 1, TraceSpanStatus.Unset, null),
        ]);

        Assert.Equal(["a:0", "b:1", "c:2", "orphan:0"], trace.InTreeOrder().Select(x => $"{x.Span.Service}:{x.Depth}"));
    }
}

public class TraceBackendsTests
{
    [Fact]
    public void Lightstep_is_first_and_every_preset_has_a_valid_link_template()
    {
        Assert.Equal(TraceBackendKind.LightStep, TraceBackends.All[0].Kind);
        Assert.Same(TraceBackends.LightStep, TraceBackends.All[0]);
        Assert.All(TraceBackends.All, b => Assert.Empty(TraceLinkTemplate.Parse(b.DefaultLinkTemplate).Issues));
        Assert.Equal(["LightStep", "Jaeger", "Grafana Tempo", "Honeycomb"], TraceBackends.All.Select(b => b.Name));
    }

    [Fact]
    public void Jaeger_preset_points_at_istios_addon_and_honeycomb_needs_its_team_header()
    {
        var jaeger = TraceBackends.For(TraceBackendKind.Jaeger);
        Assert.Equal(new InClusterService("istio-system", "tracing", 80), jaeger.DefaultQueryService);
        Assert.Equal(("jaeger-collector.istio-system.svc.cluster.local", 4317), (jaeger.DefaultDestination!.Host, jaeger.DefaultDestination.Port));

        var honeycomb = TraceBackends.For(TraceBackendKind.Honeycomb);
        Assert.Null(honeycomb.QueryApi);
        Assert.Equal("x-honeycomb-team", Assert.Single(honeycomb.DefaultDestination!.Headers).Name);
        var link = TraceLinkTemplate.Parse(honeycomb.DefaultLinkTemplate).Template!
            .Render(new TraceIdentity("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1_893_499_200_123_456), "");
        Assert.Equal("https://ui.honeycomb.io/TEAM/environments/ENVIRONMENT/datasets/DATASET/trace?trace_id=4bf92f3577b34da6a3ce929d0e0e4736&span=00f067aa0ba902b7&trace_start_ts=1893499200&trace_end_ts=1893499261", link);
    }
}
