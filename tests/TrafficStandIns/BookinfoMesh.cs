using MeshConsole.Domain.Traffic;

namespace TrafficStandIns;

/// <summary>
/// The spans Istio's proxies report for one Bookinfo request, as the mesh would produce them: the ingress gateway
/// (router), then each sidecar's inbound span and outbound spans per call (productpage → details, reviews; reviews
/// v2/v3 → ratings; reviews-v1 does not call ratings: istio/istio samples/bookinfo/src/productpage/productpage.py,
/// src/reviews/.../LibertyRestEndpoint.java ENABLE_RATINGS, src/docker-bake.hcl enable_ratings for v2 and v3). A
/// deployment without a sidecar reports nothing, and since Bookinfo's apps forward the trace headers they received,
/// the next proxy's span becomes a child of the last proxy span before it. Node ids follow Istio's
/// {sidecar|router}~{ip}~{pod}.{ns}~{ns}.svc.cluster.local; services are {app}.{namespace}.
/// </summary>
public sealed class BookinfoMesh
{
    public string Namespace { get; init; } = "default";

    /// <summary>Deployments with an istio-proxy sidecar (default: all six).</summary>
    public ISet<string> Sidecars { get; init; } = new HashSet<string>(StringComparer.Ordinal)
        { "productpage-v1", "details-v1", "reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1" };

    /// <summary>Whether the gateway's own span reaches the backend (false: e.g. its CA is wrong, it continues the context anyway).</summary>
    public bool GatewayReports { get; init; } = true;

    /// <summary>Whether the mesh reports at all (false: refused token, sampling 0 or overridden).</summary>
    public bool Reports { get; init; } = true;

    /// <summary>The reviews version that serves an arrival (1-based); default round robin v1, v2, v3.</summary>
    public Func<int, int> ReviewsVersionFor { get; init; } = arrival => (arrival - 1) % 3 + 1;

    /// <summary>Latency of each simulated hop.</summary>
    public long HopMicros { get; init; } = 1_000;

    /// <summary>A pod name of the deployment, as a ReplicaSet names it ({deployment}-{hash}-{suffix}).</summary>
    public static string Pod(string deployment) => $"{deployment}-6b746f74dc-{(uint)deployment.GetHashCode(StringComparison.Ordinal) % 100000:00000}";

    /// <summary>Records the spans of one request whose gateway context is (<paramref name="traceId"/>, child of <paramref name="parent"/>).</summary>
    public void Emit(CollectorStandIn sink, int arrival, TraceId traceId, SpanId parent, long startMicros)
    {
        if (!Reports) return;
        var version = ReviewsVersionFor(arrival);
        var t = startMicros;
        void Record(SpanId id, SpanId? parentId, string name, long start, long end, string kind, string app, string node) =>
            sink.Record(new ReceivedSpan(traceId, id, parentId, name, start, end, kind, $"{app}.{Namespace}", "mesh", sink.AccessToken, node));
        string Node(string type, string pod, string ns) => $"{type}~10.0.0.{arrival % 250 + 1}~{pod}.{ns}~{ns}.svc.cluster.local";
        string Host(string app) => $"{app}.{Namespace}.svc.cluster.local:9080";

        // Spans are created even when a proxy cannot export them: its children keep its id as their parent.
        var gateway = SpanId.NewRandom();
        if (GatewayReports)
            Record(gateway, parent, Host("productpage") + "/productpage", t, t + 8 * HopMicros, "client", "istio-ingressgateway",
                Node("router", "istio-ingressgateway-5d9c8b7f6-abcde", "istio-system"));

        var context = gateway;
        if (Sidecars.Contains("productpage-v1"))
        {
            var inbound = SpanId.NewRandom();
            Record(inbound, gateway, Host("productpage") + "/productpage", t + HopMicros, t + 7 * HopMicros, "server", "productpage", Node("sidecar", Pod("productpage-v1"), Namespace));
            context = inbound;
        }
        var productpageContext = context;
        var toDetails = Outbound("productpage-v1", productpageContext, "details", t + 2 * HopMicros);
        Inbound("details-v1", toDetails, "details", "/details/0", t + 2 * HopMicros);
        var toReviews = Outbound("productpage-v1", productpageContext, "reviews", t + 3 * HopMicros);
        var reviews = Inbound($"reviews-v{version}", toReviews, "reviews", "/reviews/0", t + 3 * HopMicros);
        if (version is 2 or 3)
        {
            var toRatings = Outbound($"reviews-v{version}", reviews, "ratings", t + 4 * HopMicros);
            Inbound("ratings-v1", toRatings, "ratings", "/ratings/0", t + 4 * HopMicros);
        }

        SpanId Outbound(string deployment, SpanId from, string target, long start)
        {
            if (!Sidecars.Contains(deployment)) return from;
            var id = SpanId.NewRandom();
            var app = deployment[..deployment.LastIndexOf('-')];
            Record(id, from, Host(target) + "/*", start, start + 2 * HopMicros, "client", app, Node("sidecar", Pod(deployment), Namespace));
            return id;
        }

        SpanId Inbound(string deployment, SpanId from, string app, string path, long start)
        {
            if (!Sidecars.Contains(deployment)) return from;
            var id = SpanId.NewRandom();
            Record(id, from, Host(app) + path, start + HopMicros / 4, start + 2 * HopMicros - HopMicros / 4, "server", app, Node("sidecar", Pod(deployment), Namespace));
            return id;
        }
    }
}
