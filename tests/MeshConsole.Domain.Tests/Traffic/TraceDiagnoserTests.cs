using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Tests.Traffic;

public class TraceDiagnoserTests
{
    private static readonly TraceIdentity Root = new(new TraceId(0, 7), new SpanId(1), 1000);
    private static readonly Dictionary<string, bool> AllSidecars = new[] { "productpage-v1", "details-v1", "reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1" }.ToDictionary(d => d, _ => true);

    private static TraceSpan Span(ulong id, string service, string? reporter) =>
        new(Root.TraceId, new SpanId(id), Root.SpanId, service, "op", 1000 + (long)id, 10, TraceSpanStatus.Unset, reporter);

    [Fact]
    public void A_request_id_that_is_not_a_uuid_is_the_certain_cause_of_no_mesh_span()
    {
        var trace = new FetchedTrace([Span(1, "lightstep-mesh-console", "opentelemetry (dotnet)")]);

        var d = TraceDiagnoser.Diagnose(trace, Root, new(AllSidecars, RequestIdIsUuid: false));

        Assert.Equal(TraceVerdict.NoMeshSpans, d.Verdict);
        Assert.Equal(("RequestIdNotUuid", true), (Assert.Single(d.Findings).Code, d.Findings[0].Certain));
    }

    [Fact]
    public void Reviews_without_sidecar_is_found_missing_and_its_ratings_call_still_counts()
    {
        var trace = new FetchedTrace([
            Span(1, "lightstep-mesh-console", null),
            Span(2, "istio-ingressgateway.istio-system", "router istio-ingressgateway-5d9c8b7f6-abcde"),
            Span(3, "productpage.default", "sidecar productpage-v1-6b746f74dc-9stvs"),
            Span(4, "details.default", "sidecar details-v1-79f774bdb9-kn4hp"),
            Span(5, "ratings.default", "sidecar ratings-v1-b6994bb9-gl6bq"),
        ]);
        var sidecars = new Dictionary<string, bool>(AllSidecars) { ["reviews-v2"] = false };

        var d = TraceDiagnoser.Diagnose(trace, Root, new(sidecars));

        Assert.Equal(TraceVerdict.Incomplete, d.Verdict);
        var finding = Assert.Single(d.Findings);
        Assert.Equal(("reviews", "MissingNoSidecar"), (finding.Hop, finding.Code));
        Assert.Equal("reviews-v2", finding.Args[1]);
    }

    [Theory]
    [InlineData("sidecar reviews-v3-7d5f8c9b4-x3zq", "reviews.default", "reviews", 3)]
    [InlineData("router istio-ingressgateway-5d9c8b7f6-abcde", "istio-ingressgateway.istio-system", "istio-ingressgateway", null)]
    [InlineData(null, "details.bookinfo", "details", null)]
    [InlineData(null, "lightstep-mesh-console", null, null)]
    public void Spans_are_identified_by_the_proxys_pod_or_the_service(string? reporter, string service, string? app, int? version) =>
        Assert.Equal((app, version), TraceDiagnoser.Identify(Span(9, service, reporter)));

    [Fact]
    public void Summary_counts_complete_traces_and_groups_the_rest_by_hop_and_cause()
    {
        var complete = new TraceDiagnosis(TraceVerdict.Complete, [], 2, []);
        var v1 = new TraceDiagnosis(TraceVerdict.CompleteWithoutRatings, [], 1, [new("ratings", "ReviewsV1NoRatings", [], true)]);

        var summary = TraceRunSummary.Of([.. Enumerable.Repeat(complete, 18), v1, v1]);

        Assert.Equal((20, 18), (summary.Total, summary.Complete));
        Assert.Equal((2, "ratings", "ReviewsV1NoRatings"), (summary.Groups.Single().Count, summary.Groups[0].Hop, summary.Groups[0].Code));
    }
}
