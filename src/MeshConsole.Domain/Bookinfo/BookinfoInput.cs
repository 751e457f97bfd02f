using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Bookinfo;

/// <summary>What <see cref="PlanBuilder.BuildBookinfo"/> needs: the namespace Bookinfo goes to and the Istio release.</summary>
/// <param name="NamespaceLabels">The sidecar injection labels the Bookinfo step applies: those it applied before and still
/// owns, and those the user confirmed (<see cref="InjectionState.LabelsToSet"/>); null or empty when there are none. The
/// plan's Namespace object carries exactly these.</param>
public sealed record BookinfoInput(string Namespace, IstioVersion IstioVersion, IReadOnlyDictionary<string, string>? NamespaceLabels = null)
{
    public IReadOnlyList<ValidationIssue> Validate() =>
        NamespaceRules.IsDns1123Label(Namespace)
            ? []
            : [ValidationIssue.Error(WizardField.BookinfoNamespace, "Bookinfo.InvalidNamespace", Namespace ?? "")];
}

/// <summary>Names and numbers of the Bookinfo sample shared by the plan, readiness, gateway and traffic code.</summary>
public static class BookinfoSample
{
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string PartOfValue = "bookinfo";
    /// <summary>The label selector for every object of the sample the console applied.</summary>
    public const string PartOfSelector = PartOfLabel + "=" + PartOfValue;
    public const int ServicePort = 9080;
    public const string ServicePortName = "http";
    public const string GatewayName = "bookinfo-gateway";
    public const string VirtualServiceName = "bookinfo";
    /// <summary>The label of the default ingress gateway's pods (Istio's istioctl/operator installs).</summary>
    public const string IngressGatewaySelectorKey = "istio";
    public const string IngressGatewaySelectorValue = "ingressgateway";
    public const string ProductPagePath = "/productpage";

    /// <summary>The four services in the order the plan lists them (upstream's order).</summary>
    public static IReadOnlyList<string> Services { get; } = ["details", "ratings", "reviews", "productpage"];

    /// <summary>The Deployments as (name, app, version, image), in plan order.</summary>
    public static IReadOnlyList<(string Name, string App, string Version, string Image)> Deployments { get; } =
    [
        ("details-v1", "details", "v1", BookinfoImages.DetailsV1),
        ("ratings-v1", "ratings", "v1", BookinfoImages.RatingsV1),
        ("reviews-v1", "reviews", "v1", BookinfoImages.ReviewsV1),
        ("reviews-v2", "reviews", "v2", BookinfoImages.ReviewsV2),
        ("reviews-v3", "reviews", "v3", BookinfoImages.ReviewsV3),
        ("productpage-v1", "productpage", "v1", BookinfoImages.ProductPageV1),
    ];

    public static string ServiceAccountFor(string service) => $"bookinfo-{service}";

    /// <summary>
    /// networking.istio.io/v1beta1 is served from Istio 1.5 (before it only v1alpha3 exists; fluxcd/flagger#1602 and the
    /// 1.5 CRDs); v1 from 1.22, the same release as telemetry v1 (<see cref="IstioFormChoice.FirstWithTelemetryV1"/>).
    /// </summary>
    public static readonly IstioVersion FirstWithNetworkingV1beta1 = new(1, 5, 0);

    public static string NetworkingApiVersion(IstioVersion version) =>
        version >= IstioFormChoice.FirstWithTelemetryV1 ? "networking.istio.io/v1"
        : version >= FirstWithNetworkingV1beta1 ? "networking.istio.io/v1beta1"
        : "networking.istio.io/v1alpha3";
}
