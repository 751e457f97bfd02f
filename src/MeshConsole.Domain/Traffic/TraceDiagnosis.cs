namespace MeshConsole.Domain.Traffic;

/// <summary>
/// Bookinfo's call graph as its sources define it (istio/istio samples/bookinfo): the gateway routes /productpage to
/// productpage; productpage calls details and reviews (src/productpage/productpage.py getProductDetails,
/// getProductReviews); reviews calls ratings only when built with ENABLE_RATINGS (src/reviews/.../LibertyRestEndpoint.java
/// ratings_enabled; src/docker-bake.hcl sets enable_ratings for reviews v2 and v3, the Dockerfile defaults it to false),
/// so reviews-v1 never calls ratings.
/// </summary>
public static class BookinfoCallGraph
{
    public const string Gateway = "istio-ingressgateway";
    public const string ProductPage = "productpage";
    public const string Details = "details";
    public const string Reviews = "reviews";
    public const string Ratings = "ratings";

    /// <summary>The hops of a request in call order.</summary>
    public static IReadOnlyList<string> Hops { get; } = [Gateway, ProductPage, Details, Reviews, Ratings];

    /// <summary>Who calls whom.</summary>
    public static IReadOnlyList<(string Caller, string Callee)> Calls { get; } =
        [(Gateway, ProductPage), (ProductPage, Details), (ProductPage, Reviews), (Reviews, Ratings)];

    public static bool ReviewsCallsRatings(int version) => version is 2 or 3;

    /// <summary>The Deployments of an app in Bookinfo's manifest (platform/kube/bookinfo.yaml).</summary>
    public static IReadOnlyList<string> DeploymentsOf(string app) => app switch
    {
        Reviews => ["reviews-v1", "reviews-v2", "reviews-v3"],
        ProductPage or Details or Ratings => [app + "-v1"],
        _ => [],
    };
}

/// <summary>What the console knows about the run beside the trace itself.</summary>
/// <param name="SidecarByDeployment">From the Bookinfo step's readiness: Deployment name → every ready pod has istio-proxy.</param>
/// <param name="TokenRefused">The span destination refused the access token the mesh also uses.</param>
/// <param name="SamplingPercent">The mesh's effective sampling, when known.</param>
/// <param name="RequestIdIsUuid">Whether the x-request-id sent was a UUID (Envoy traces no other).</param>
/// <param name="MeshReadsSentHeaders">Whether the proxies' tracer reads one of the trace headers the console sent.</param>
/// <param name="SamplingAnnotations">Bookinfo pods whose proxy.istio.io/config annotation sets tracing.sampling (from the Bookinfo step's readiness).</param>
public sealed record TraceDiagnosisContext(
    IReadOnlyDictionary<string, bool> SidecarByDeployment,
    bool TokenRefused = false,
    double? SamplingPercent = null,
    bool RequestIdIsUuid = true,
    bool MeshReadsSentHeaders = true,
    string Namespace = "default",
    IReadOnlyList<PodSamplingAnnotation>? SamplingAnnotations = null);

/// <summary>A pod of Bookinfo Deployment <paramref name="Deployment"/> whose proxy.istio.io/config annotation sets tracing.sampling.</summary>
public sealed record PodSamplingAnnotation(string Deployment, string Pod, decimal Sampling)
{
    public string Display => $"{Pod} (tracing.sampling {Sampling.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)})";
}

public enum TraceVerdict : byte
{
    /// <summary>Every hop the request took reported its spans.</summary>
    Complete,
    /// <summary>Complete for the path it took: reviews-v1 served it, which does not call ratings.</summary>
    CompleteWithoutRatings,
    /// <summary>Some hops are missing; see the findings.</summary>
    Incomplete,
    /// <summary>Only the console's own root span: the mesh did not continue the trace (or its spans were not accepted).</summary>
    NoMeshSpans,
    /// <summary>The backend does not have the trace (yet).</summary>
    NotFound,
}

/// <summary>
/// One thing found about a trace: a code ("Trace.Finding.{Code}" in the app's resources) with arguments, the hop it is
/// about, and whether the console knows it is the cause (<see cref="Certain"/>) or names a likely one.
/// </summary>
public sealed record TraceFinding(string Hop, string Code, IReadOnlyList<string> Args, bool Certain);

public sealed record TraceDiagnosis(TraceVerdict Verdict, IReadOnlyList<string> PresentHops, int? ReviewsVersion, IReadOnlyList<TraceFinding> Findings)
{
    /// <summary>Hops the request should have taken but that reported no span.</summary>
    public IEnumerable<string> MissingHops => Findings.Where(f => f.Code.StartsWith("Missing", StringComparison.Ordinal)).Select(f => f.Hop).Distinct();
}

/// <summary>Pure diagnosis of one fetched trace against Bookinfo's call graph (no I/O).</summary>
public static class TraceDiagnoser
{
    public static TraceDiagnosis Diagnose(FetchedTrace? trace, TraceIdentity root, TraceDiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(context);
        if (trace is null || trace.Spans.Count == 0)
            return new(TraceVerdict.NotFound, [], null, context.TokenRefused ? [new(BookinfoCallGraph.Gateway, "TokenRefused", [], true)] : []);

        var present = new HashSet<string>(StringComparer.Ordinal);
        int? reviewsVersion = null;
        foreach (var span in trace.Spans.Where(s => s.SpanId != root.SpanId))
        {
            var (app, version) = Identify(span);
            if (app is null) continue;
            present.Add(app);
            if (app == BookinfoCallGraph.Reviews && version is { } v) reviewsVersion = v;
        }
        var ordered = BookinfoCallGraph.Hops.Where(present.Contains).ToList();
        if (present.Count == 0) return new(TraceVerdict.NoMeshSpans, [], null, NoMeshCauses(context));

        // A ratings span means a reviews version that calls ratings, even when reviews itself reported nothing.
        var expectsRatings = reviewsVersion is { } rv ? BookinfoCallGraph.ReviewsCallsRatings(rv) : present.Contains(BookinfoCallGraph.Ratings) ? true : (bool?)null;
        var findings = new List<TraceFinding>();
        if (!present.Contains(BookinfoCallGraph.Gateway))
        {
            findings.Add(new(BookinfoCallGraph.Gateway, "MissingGatewayCa", [], false));
            findings.Add(new(BookinfoCallGraph.Gateway, "MissingGatewayNotInjected", [], false));
        }
        foreach (var app in new[] { BookinfoCallGraph.ProductPage, BookinfoCallGraph.Details, BookinfoCallGraph.Reviews })
            if (!present.Contains(app)) findings.Add(MissingService(app, reviewsVersion, context));
        if (expectsRatings == true && !present.Contains(BookinfoCallGraph.Ratings))
            findings.Add(MissingService(BookinfoCallGraph.Ratings, reviewsVersion, context));

        var verdict = findings.Count > 0 ? TraceVerdict.Incomplete
            : expectsRatings == false ? TraceVerdict.CompleteWithoutRatings
            : TraceVerdict.Complete;
        if (verdict == TraceVerdict.CompleteWithoutRatings)
            findings.Add(new(BookinfoCallGraph.Ratings, "ReviewsV1NoRatings", [], true));
        return new(verdict, ordered, reviewsVersion, findings);
    }

    /// <summary>
    /// Which Bookinfo hop reported a span: the pod in Envoy's node id ("sidecar reviews-v2-…", "router
    /// istio-ingressgateway-…", see <see cref="TraceJson.Reporter"/>), else the service name ({app}.{namespace}).
    /// </summary>
    public static (string? App, int? ReviewsVersion) Identify(TraceSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.Reporter is { } reporter)
        {
            var space = reporter.IndexOf(' ');
            if (space > 0)
            {
                var (type, pod) = (reporter[..space], reporter[(space + 1)..]);
                if (type == "router" || pod.StartsWith(BookinfoCallGraph.Gateway, StringComparison.Ordinal)) return (BookinfoCallGraph.Gateway, null);
                foreach (var app in BookinfoCallGraph.Hops)
                {
                    if (!pod.StartsWith(app + "-v", StringComparison.Ordinal)) continue;
                    var rest = pod[(app.Length + 2)..];
                    var digits = new string(rest.TakeWhile(char.IsAsciiDigit).ToArray());
                    return (app, int.TryParse(digits, out var v) ? v : null);
                }
            }
        }
        var service = span.Service.Split('.')[0];
        if (service.Contains("ingressgateway", StringComparison.Ordinal)) return (BookinfoCallGraph.Gateway, null);
        return BookinfoCallGraph.Hops.Contains(service) ? (service, null) : (null, null);
    }

    private static TraceFinding MissingService(string app, int? reviewsVersion, TraceDiagnosisContext context)
    {
        IReadOnlyList<string> deployments = app == BookinfoCallGraph.Reviews && reviewsVersion is { } v
            ? [$"reviews-v{v}"]
            : BookinfoCallGraph.DeploymentsOf(app);
        var withoutSidecar = deployments.Where(d => context.SidecarByDeployment.TryGetValue(d, out var has) && !has).ToList();
        if (withoutSidecar.Count > 0) return new(app, "MissingNoSidecar", [app, string.Join(", ", withoutSidecar), context.Namespace], true);
        // A pod's own sampling (MeshTracingChecks.ForPod has the precedence) is a likely cause, not a certain one: a
        // Telemetry percentage outranks it.
        var annotated = (context.SamplingAnnotations ?? []).Where(a => deployments.Contains(a.Deployment)).ToList();
        return annotated.Count > 0
            ? new(app, "MissingSamplingAnnotation", [app, string.Join(", ", annotated.Select(a => a.Display)), context.Namespace], false)
            : new(app, "MissingUnknown", [app], false);
    }

    private static IReadOnlyList<TraceFinding> NoMeshCauses(TraceDiagnosisContext context)
    {
        var known = new List<TraceFinding>();
        if (context.TokenRefused) known.Add(new(BookinfoCallGraph.Gateway, "TokenRefused", [], true));
        if (context.SamplingPercent is 0) known.Add(new(BookinfoCallGraph.Gateway, "SamplingZero", [], true));
        if (!context.RequestIdIsUuid) known.Add(new(BookinfoCallGraph.Gateway, "RequestIdNotUuid", [], true));
        if (!context.MeshReadsSentHeaders) known.Add(new(BookinfoCallGraph.Gateway, "HeadersNotRead", [], true));
        if (known.Count > 0) return known;
        // Nothing the console knows explains it: the likely causes, most common first (istio/istio#17973, #35750, #46653).
        return
        [
            new(BookinfoCallGraph.Gateway, "TokenRefused", [], false),
            context.SamplingAnnotations is { Count: > 0 } annotations
                ? new(BookinfoCallGraph.Gateway, "SamplingOverriddenByPods", [string.Join(", ", annotations.Select(a => a.Display)), context.Namespace], false)
                : new(BookinfoCallGraph.Gateway, "SamplingOverridden", [], false),
            new(BookinfoCallGraph.Gateway, "RequestIdNotUuid", [], false),
            new(BookinfoCallGraph.Gateway, "HeadersNotRead", [], false),
        ];
    }
}

/// <summary>One line of a run's summary: how many traces share a verdict and, for incomplete ones, a missing hop and its cause.</summary>
public sealed record TraceSummaryGroup(int Count, string Hop, string Code, IReadOnlyList<string> Args);

/// <summary>"18 of 20 traces complete; 2 miss ratings: reviews-v1 does not call ratings" as data (the app words it).</summary>
public sealed record TraceRunSummary(int Total, int Complete, IReadOnlyList<TraceSummaryGroup> Groups)
{
    public static TraceRunSummary Of(IEnumerable<TraceDiagnosis> diagnoses)
    {
        ArgumentNullException.ThrowIfNull(diagnoses);
        var list = diagnoses.ToList();
        var groups = new List<TraceSummaryGroup>();
        foreach (var d in list.Where(d => d.Verdict != TraceVerdict.Complete))
        {
            // One group per (hop, first cause): "2 miss ratings: reviews-v1 does not call ratings", "3 have no mesh span: …".
            var first = d.Verdict switch
            {
                TraceVerdict.NotFound => new TraceFinding("", "NotFound", [], true),
                TraceVerdict.NoMeshSpans => d.Findings[0] with { Hop = "" },
                _ => d.Findings[0],
            };
            var key = groups.FindIndex(g => g.Hop == first.Hop && g.Code == first.Code && g.Args.SequenceEqual(first.Args));
            if (key < 0) groups.Add(new TraceSummaryGroup(1, first.Hop, first.Code, first.Args));
            else groups[key] = groups[key] with { Count = groups[key].Count + 1 };
        }
        return new(list.Count, list.Count(d => d.Verdict == TraceVerdict.Complete), groups.OrderByDescending(g => g.Count).ToList());
    }
}
