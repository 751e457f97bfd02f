namespace MeshConsole.Domain.Bookinfo;

/// <summary>
/// The Bookinfo container images, pinned, in one place: the manifests read them from here and nowhere else.
/// </summary>
/// <remarks>
/// Tag 1.20.3 is the one istio/istio's own samples use today: samples/bookinfo/platform/kube/bookinfo-waypoints.yaml
/// (istio/istio commit 75d094f6) pins docker.io/istio/examples-bookinfo-*:1.20.3, raised by "Bump bookinfo samples for
/// 1.26" (istio/istio#55942; kiali/kiali#8546 rebuilt the same 1.20.3 set for other platforms). The Bookinfo images are
/// versioned separately from Istio and work with every Istio release this console supports.
/// </remarks>
public static class BookinfoImages
{
    public const string Registry = "docker.io/istio";
    public const string Tag = "1.20.3";

    public static string ProductPageV1 { get; } = Image("productpage", "v1");
    public static string DetailsV1 { get; } = Image("details", "v1");
    public static string RatingsV1 { get; } = Image("ratings", "v1");
    public static string ReviewsV1 { get; } = Image("reviews", "v1");
    public static string ReviewsV2 { get; } = Image("reviews", "v2");
    public static string ReviewsV3 { get; } = Image("reviews", "v3");

    /// <summary>Every image, in the order the Deployments are planned.</summary>
    public static IReadOnlyList<string> All { get; } = [DetailsV1, RatingsV1, ReviewsV1, ReviewsV2, ReviewsV3, ProductPageV1];

    private static string Image(string service, string version) => $"{Registry}/examples-bookinfo-{service}-{version}:{Tag}";
}
