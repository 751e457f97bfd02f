using System.Text.Json.Nodes;
using k8s;
using KubeEmulator;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using TrafficStandIns;
using WebConsole.Features.Traffic;

namespace WebConsole.Tests.Traffic;

/// <summary>
/// Every trace source reads back the trace the mesh produced for a real request: the console's root span plus the
/// Bookinfo proxies' spans the gateway stand-in emitted into the collector stand-in, served by stand-ins that answer
/// as LightStep's public API, Jaeger and Tempo do; directly and through the emulated API server's service proxy.
/// </summary>
public sealed class TraceSourceTests
{
    private const string Token = "trace-source-token-3c9a";
    private const string ApiKey = "trace-source-key-77e1d0";

    private static readonly TrafficRunOptions FastOptions = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5),
        ExportTimeout = TimeSpan.FromSeconds(5),
        FlushTimeout = TimeSpan.FromSeconds(10),
        ExportDelay = TimeSpan.FromMilliseconds(100),
    };

    private static async Task<(GatewayStandIn Gateway, CollectorStandIn Collector, TrafficRunResult Run)> SendAsync(int requests, IstioForm form = IstioForm.OpenTelemetry)
    {
        var gateway = await GatewayStandIn.StartAsync(form is IstioForm.InstallValues or IstioForm.MeshConfigProxyTracing ? GatewayTracer.LightStep : GatewayTracer.OpenTelemetry);
        var collector = await CollectorStandIn.StartAsync(Token);
        gateway.ReportSpansTo(collector);
        gateway.Bookinfo = new BookinfoMesh();
        var target = new TrafficTarget(gateway.BaseUrl, collector.OtlpHttpEndpoint, SpanProtocol.OtlpHttpProtobuf, Token, form);
        var run = await new TrafficRunner(FastOptions).RunAsync(target, new TrafficSettings(requests, 2));
        Assert.Equal(SpanExportOutcome.Exported, run.Export.Outcome);
        return (gateway, collector, run);
    }

    private static void AssertSameTrace(CollectorStandIn collector, TrafficRow row, FetchedTrace trace)
    {
        var expected = collector.Spans.Values.Where(s => s.TraceId == row.TraceId).ToList();
        Assert.Equal(expected.Select(s => s.SpanId.Value).Order(), trace.Spans.Select(s => s.SpanId.Value).Order());
        foreach (var span in trace.Spans)
        {
            var received = expected.Single(s => s.SpanId == span.SpanId);
            Assert.Equal(received.ParentSpanId, span.ParentSpanId);
            Assert.Equal(received.Name, span.Operation);
            Assert.Equal(received.StartMicros, span.StartMicros);
            Assert.Equal(received.EndMicros - received.StartMicros, span.DurationMicros);
            if (received.NodeId is not null) Assert.Matches("^(sidecar|router) [a-z0-9-]+$", span.Reporter);
        }
        Assert.Null(trace.Spans.Single(s => s.SpanId == row.SpanId).ParentSpanId);
        // gateway, productpage in + 2 out, details, reviews, and for v2/v3 reviews → ratings out + ratings in, plus the root
        Assert.Contains(trace.Spans.Count, new[] { 7, 9 });
    }

    [Theory]
    [InlineData(TraceQueryApi.JaegerQuery)]
    [InlineData(TraceQueryApi.TempoQuery)]
    public async Task Jaeger_and_tempo_return_every_span_of_each_rows_trace(TraceQueryApi api)
    {
        var (gateway, collector, run) = await SendAsync(6);
        await using var _ = gateway;
        await using var __ = collector;
        await using var backend = await TraceBackendStandIn.StartAsync(collector, api);
        using var http = new HttpClient();
        var transport = new DirectTraceQueryTransport(http, backend.BaseUrl);
        ITraceSource source = api == TraceQueryApi.JaegerQuery ? new JaegerTraceSource(transport) : new TempoTraceSource(transport);

        foreach (var row in run.Rows.ToArray())
        {
            var result = await source.FetchAsync(row.Identity, CancellationToken.None);
            Assert.True(result.State == TraceFetchState.Found, result.Reason);
            AssertSameTrace(collector, row, result.Trace!);
            Assert.Contains(result.Trace!.Spans, s => s.Service == "ratings.default" || s.Reporter is { } r && r.Contains("reviews-v1", StringComparison.Ordinal));
        }
        Assert.Equal(TraceFetchState.NotYet, (await source.FetchAsync(new TraceIdentity(TraceId.NewRandom(), SpanId.NewRandom(), 1), CancellationToken.None)).State);
    }

    [Fact]
    public async Task Lightstep_public_api_returns_the_trace_by_its_root_span_with_64_bit_ids()
    {
        var (gateway, collector, run) = await SendAsync(3, IstioForm.MeshConfigProxyTracing);
        await using var _ = gateway;
        await using var __ = collector;
        await using var api = await LightStepApiStandIn.StartAsync(collector, ApiKey);
        using var http = new HttpClient();
        var source = new LightStepTraceSource(new LightStepTraceVerifier(http), new TraceVerificationSettings(ApiKey, api.Organization, api.Project, api.BaseUrl));

        foreach (var row in run.Rows.ToArray())
        {
            var result = await source.FetchAsync(row.Identity, CancellationToken.None);
            Assert.True(result.State == TraceFetchState.Found, result.Reason);
            Assert.All(result.Trace!.Spans, s => Assert.Equal(0UL, s.TraceId.High));
            AssertSameTrace(collector, row, result.Trace!);
            Assert.Contains(result.Trace!.Spans, s => s.Reporter is { } r && r.StartsWith("router istio-ingressgateway", StringComparison.Ordinal));
        }

        var refused = await new LightStepTraceSource(new LightStepTraceVerifier(http), new TraceVerificationSettings("wrong-key", api.Organization, api.Project, api.BaseUrl))
            .FetchAsync(run.Rows.ToArray()[0].Identity, CancellationToken.None);
        Assert.Equal(new TraceFetchResult(TraceFetchState.Failed, null, VerificationReasons.ApiKeyRefused), refused);
    }

    [Fact]
    public async Task A_key_is_sent_only_as_a_header_and_a_wrong_one_is_named()
    {
        var (gateway, collector, run) = await SendAsync(1);
        await using var _ = gateway;
        await using var __ = collector;
        await using var backend = await TraceBackendStandIn.StartAsync(collector, TraceQueryApi.TempoQuery, ApiKey);
        using var http = new HttpClient();
        var transport = new DirectTraceQueryTransport(http, backend.BaseUrl);
        var row = run.Rows.ToArray()[0];

        Assert.Equal(TraceFetchState.Found, (await new TempoTraceSource(transport, ApiKey).FetchAsync(row.Identity, CancellationToken.None)).State);
        var wrong = new TempoTraceSource(transport, "not-the-key");
        Assert.Equal(VerificationReasons.ApiKeyRefused, (await wrong.FetchAsync(row.Identity, CancellationToken.None)).Reason);
        Assert.DoesNotContain("not-the-key", wrong.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_in_cluster_jaeger_is_read_through_the_api_servers_service_proxy()
    {
        var (gateway, collector, run) = await SendAsync(3);
        await using var _ = gateway;
        await using var __ = collector;
        await using var jaeger = await TraceBackendStandIn.StartAsync(collector, TraceQueryApi.JaegerQuery);
        await using var kube = await KubeApiEmulator.StartAsync(ClusterFixture.NewIstio);
        // istio/istio samples/addons/jaeger.yaml: Service "tracing", port 80 "http-query" → 16686.
        var addon = new JaegerBackend().DefaultQueryService!;
        kube.Store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = addon.Name, ["namespace"] = addon.Namespace },
            ["spec"] = new JsonObject
            {
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "http-query", ["port"] = addon.Port, ["targetPort"] = 16686 },
                    new JsonObject { ["name"] = "grpc-query", ["port"] = 16685 }),
            },
        });
        kube.ExposeService(addon.Namespace, addon.Name, addon.Port, jaeger.BaseUrl);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = kube.BaseAddress.ToString(), AccessToken = KubeApiEmulator.Token });
        var source = new JaegerTraceSource(new ServiceProxyTraceQueryTransport(client, addon));

        foreach (var row in run.Rows.ToArray())
        {
            var result = await source.FetchAsync(row.Identity, CancellationToken.None);
            Assert.True(result.State == TraceFetchState.Found, result.Reason);
            AssertSameTrace(collector, row, result.Trace!);
        }
        Assert.Contains(kube.Requests, r => r.Path.StartsWith("/api/v1/namespaces/istio-system/services/tracing:80/proxy/api/traces/", StringComparison.Ordinal));

        var row0 = run.Rows.ToArray()[0].Identity;
        var missing = new JaegerTraceSource(new ServiceProxyTraceQueryTransport(client, new InClusterService("istio-system", "jaeger-query", 16686)));
        Assert.Equal(VerificationReasons.ServiceNotFound, (await missing.FetchAsync(row0, CancellationToken.None)).Reason);
        var noEndpoints = new JaegerTraceSource(new ServiceProxyTraceQueryTransport(client, addon with { Port = 16685 }));
        Assert.Equal(VerificationReasons.NoEndpoints, (await noEndpoints.FetchAsync(row0, CancellationToken.None)).Reason);
    }
}
