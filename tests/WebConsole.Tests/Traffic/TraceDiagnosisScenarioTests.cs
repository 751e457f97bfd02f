using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using TrafficStandIns;
using WebConsole.Features.Traffic;

namespace WebConsole.Tests.Traffic;

/// <summary>
/// One scenario per diagnosis, end to end on loopback: real requests through the gateway stand-in, the mesh's
/// Bookinfo spans (as configured) into the collector stand-in, each row's trace read back from the Jaeger stand-in,
/// then diagnosed against Bookinfo's call graph and the Bookinfo step's sidecar readiness.
/// </summary>
public sealed class TraceDiagnosisScenarioTests
{
    private const string Token = "diagnosis-token-81fa";

    private static readonly TrafficRunOptions FastOptions = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5),
        ExportTimeout = TimeSpan.FromSeconds(5),
        FlushTimeout = TimeSpan.FromSeconds(10),
        ExportDelay = TimeSpan.FromMilliseconds(100),
    };

    private static readonly string[] Deployments = ["productpage-v1", "details-v1", "reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1"];

    private static Dictionary<string, bool> Sidecars(params string[] without) => Deployments.ToDictionary(d => d, d => !without.Contains(d));

    private static async Task<IReadOnlyList<TraceDiagnosis>> RunAsync(BookinfoMesh mesh, int requests, Func<TrafficRunResult, TraceDiagnosisContext> context,
        GatewayTracer tracer = GatewayTracer.OpenTelemetry, string token = Token)
    {
        await using var gateway = await GatewayStandIn.StartAsync(tracer);
        await using var collector = await CollectorStandIn.StartAsync(Token);
        gateway.ReportSpansTo(collector);
        gateway.Bookinfo = mesh;
        var target = new TrafficTarget(gateway.BaseUrl, collector.OtlpHttpEndpoint, SpanProtocol.OtlpHttpProtobuf, token, IstioForm.OpenTelemetry);
        var run = await new TrafficRunner(FastOptions).RunAsync(target, new TrafficSettings(requests, 2));
        await using var jaeger = await TraceBackendStandIn.StartAsync(collector, TraceQueryApi.JaegerQuery);
        using var http = new HttpClient();
        var source = new JaegerTraceSource(new DirectTraceQueryTransport(http, jaeger.BaseUrl));
        var diagnoses = new List<TraceDiagnosis>();
        foreach (var row in run.Rows.ToArray())
        {
            var fetched = await source.FetchAsync(row.Identity, CancellationToken.None);
            diagnoses.Add(TraceDiagnoser.Diagnose(fetched.Trace, row.Identity, context(run)));
        }
        return diagnoses;
    }

    [Fact]
    public async Task Every_hop_reporting_is_complete_and_reviews_v1_is_complete_without_ratings()
    {
        var diagnoses = await RunAsync(new BookinfoMesh(), 6, _ => new(Sidecars()));

        // The gateway stand-in sends arrivals to reviews v1, v2, v3 in turn.
        Assert.Equal([1, 1, 2, 2, 3, 3], diagnoses.Select(d => d.ReviewsVersion ?? 0).Order());
        Assert.All(diagnoses, d => Assert.Equal(d.ReviewsVersion == 1 ? TraceVerdict.CompleteWithoutRatings : TraceVerdict.Complete, d.Verdict));
        var summary = TraceRunSummary.Of(diagnoses);
        Assert.Equal((6, 4), (summary.Total, summary.Complete));
        var group = Assert.Single(summary.Groups);
        Assert.Equal((2, "ratings", "ReviewsV1NoRatings"), (group.Count, group.Hop, group.Code));
        Assert.Equal(["istio-ingressgateway", "productpage", "details", "reviews", "ratings"], diagnoses.First(d => d.ReviewsVersion == 2).PresentHops);
        Assert.Equal(["istio-ingressgateway", "productpage", "details", "reviews"], diagnoses.First(d => d.ReviewsVersion == 1).PresentHops);
    }

    [Fact]
    public async Task A_deployment_without_sidecar_is_named_as_the_cause_of_its_missing_hop()
    {
        var mesh = new BookinfoMesh { Sidecars = new HashSet<string>(Deployments.Except(["details-v1"])) };

        var diagnoses = await RunAsync(mesh, 3, _ => new(Sidecars("details-v1"), Namespace: "bookinfo"));

        Assert.All(diagnoses, d =>
        {
            Assert.Equal(TraceVerdict.Incomplete, d.Verdict);
            var finding = Assert.Single(d.Findings);
            Assert.Equal(("details", "MissingNoSidecar", true), (finding.Hop, finding.Code, finding.Certain));
            Assert.Equal(["details", "details-v1", "bookinfo"], finding.Args);
            Assert.Equal(["details"], d.MissingHops);
        });
        var group = Assert.Single(TraceRunSummary.Of(diagnoses).Groups);
        Assert.Equal(3, group.Count);
    }

    [Fact]
    public async Task A_gateway_whose_spans_do_not_arrive_is_diagnosed_with_its_ca_and_injection()
    {
        var diagnoses = await RunAsync(new BookinfoMesh { GatewayReports = false }, 2, _ => new(Sidecars()));

        Assert.All(diagnoses, d =>
        {
            Assert.Equal(TraceVerdict.Incomplete, d.Verdict);
            Assert.Equal(["MissingGatewayCa", "MissingGatewayNotInjected"], d.Findings.Select(f => f.Code));
            Assert.Equal(["istio-ingressgateway"], d.MissingHops);
        });
    }

    [Fact]
    public async Task No_mesh_span_with_a_refused_token_names_the_token()
    {
        var diagnoses = await RunAsync(new BookinfoMesh { Reports = false }, 2,
            run => new(Sidecars(), TokenRefused: run.Export.Outcome == SpanExportOutcome.TokenRefused), token: "not-the-mesh-token");

        // The root was refused too: the backend has nothing at all, and the token is named as the certain cause.
        Assert.All(diagnoses, d =>
        {
            Assert.Equal(TraceVerdict.NotFound, d.Verdict);
            var finding = Assert.Single(d.Findings);
            Assert.Equal(("TokenRefused", true), (finding.Code, finding.Certain));
        });
    }

    [Fact]
    public async Task No_mesh_span_with_sampling_zero_names_sampling()
    {
        var diagnoses = await RunAsync(new BookinfoMesh { Reports = false }, 2, _ => new(Sidecars(), SamplingPercent: 0));

        Assert.All(diagnoses, d =>
        {
            Assert.Equal(TraceVerdict.NoMeshSpans, d.Verdict);
            Assert.Equal("SamplingZero", Assert.Single(d.Findings).Code);
        });
    }

    [Fact]
    public async Task No_mesh_span_when_the_proxy_does_not_read_the_headers_sent_names_the_headers()
    {
        // The console sends the OpenTelemetry form's headers, but the gateway runs Envoy's LightStep tracer (a mesh
        // still before 1.16): it reads none of them and starts another trace.
        var diagnoses = await RunAsync(new BookinfoMesh(), 2, _ => new(Sidecars(), MeshReadsSentHeaders: false), tracer: GatewayTracer.LightStep);

        Assert.All(diagnoses, d =>
        {
            Assert.Equal(TraceVerdict.NoMeshSpans, d.Verdict);
            Assert.Equal("HeadersNotRead", Assert.Single(d.Findings).Code);
        });
    }

    [Fact]
    public async Task No_mesh_span_without_a_known_reason_lists_the_likely_causes_including_the_request_id()
    {
        var diagnoses = await RunAsync(new BookinfoMesh { Reports = false }, 1, _ => new(Sidecars()));

        var d = Assert.Single(diagnoses);
        Assert.Equal(TraceVerdict.NoMeshSpans, d.Verdict);
        Assert.Equal(["TokenRefused", "SamplingOverridden", "RequestIdNotUuid", "HeadersNotRead"], d.Findings.Select(f => f.Code));
        Assert.All(d.Findings, f => Assert.False(f.Certain));
    }

    [Fact]
    public async Task A_missing_hop_whose_pod_sets_its_own_sampling_names_that_pod_as_the_likely_cause()
    {
        // reviews-v2's proxy reports nothing; the Bookinfo step's readiness read its proxy.istio.io/config tracing.sampling 0.
        var mesh = new BookinfoMesh { Sidecars = new HashSet<string>(Deployments.Except(["reviews-v2"])), ReviewsVersionFor = _ => 2 };
        var pod = BookinfoMesh.Pod("reviews-v2");

        var diagnoses = await RunAsync(mesh, 2, _ => new(Sidecars(), Namespace: "bookinfo",
            SamplingAnnotations: [new PodSamplingAnnotation("reviews-v2", pod, 0m)]));

        Assert.All(diagnoses, d =>
        {
            Assert.Equal(TraceVerdict.Incomplete, d.Verdict);
            var finding = Assert.Single(d.Findings);
            Assert.Equal(("reviews", "MissingSamplingAnnotation", false), (finding.Hop, finding.Code, finding.Certain));
            Assert.Equal(["reviews", pod + " (tracing.sampling 0)", "bookinfo"], finding.Args);
        });
    }

    [Fact]
    public async Task No_mesh_span_with_pods_setting_their_own_sampling_names_them_among_the_likely_causes()
    {
        var pod = BookinfoMesh.Pod("productpage-v1");

        var diagnoses = await RunAsync(new BookinfoMesh { Reports = false }, 1, _ => new(Sidecars(),
            SamplingAnnotations: [new PodSamplingAnnotation("productpage-v1", pod, 0.5m)]));

        var d = Assert.Single(diagnoses);
        Assert.Equal(["TokenRefused", "SamplingOverriddenByPods", "RequestIdNotUuid", "HeadersNotRead"], d.Findings.Select(f => f.Code));
        Assert.Equal([pod + " (tracing.sampling 0.5)", "default"], d.Findings[1].Args);
    }
}
