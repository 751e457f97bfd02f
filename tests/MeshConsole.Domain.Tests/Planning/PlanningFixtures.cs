using System.Text;
using k8s;
using k8s.Models;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>Fixed inputs so that plan output is byte-for-byte deterministic.</summary>
internal static class PlanningFixtures
{
    public const string Token = "lsTOKEN-0123456789abcdef";
    public const string MaskedToken = "••••cdef";
    public const string CaFileName = "lightstep-test-ca.pem";

    /// <summary>When the CA file is read through the inspector; inside the checked-in CA's 100-year validity.</summary>
    public static readonly DateTimeOffset InspectionTime = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<CaCertificateInspection> CaInspection = new(() =>
        CaCertificateInspector.Inspect(File.ReadAllBytes(Path.Combine(GoldenFile.OutputFolder, CaFileName)), InspectionTime));

    /// <summary>The checked-in CA as the wizard would pass it on: inspected and normalized.</summary>
    public static CaCertificateInspection Ca => CaInspection.Value;

    public static string CaPem => Ca.NormalizedPem ?? throw new InvalidOperationException("the golden CA file is unreadable");

    /// <summary>The certificate body (base64 lines between the PEM markers), joined without line breaks.</summary>
    public static string CaPemBody => string.Concat(CaPem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));

    /// <summary>What a Secret's <c>data.cacert.pem</c> holds in YAML.</summary>
    public static string CaPemBase64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(CaPem));

    public static PlanInput Public(string version, bool withCa = true) => new()
    {
        Product = LightStepProduct.PublicTracing,
        AccessToken = Token,
        SatelliteAddress = PlanInput.PublicSatelliteAddress,
        CaCertificatePem = withCa ? CaPem : null,
        Namespaces = ["default"],
        IstioVersion = IstioVersion.Parse(version),
    };

    public static PlanInput OnPrem(string version, string address, bool secure = true) => new()
    {
        Product = LightStepProduct.OnPremSatellites,
        AccessToken = Token,
        SatelliteAddress = address,
        CaCertificatePem = CaPem,
        Namespaces = ["default"],
        IstioVersion = IstioVersion.Parse(version),
        Secure = secure,
    };

    public const string HoneycombKey = "hcKEY-0123456789abcdef";

    /// <summary>Istio's Jaeger addon as the backend: its collector's OTLP/gRPC port in istio-system, plaintext, no header.</summary>
    public static PlanInput Jaeger(string version) => OtherBackend(version, TraceBackendKind.Jaeger, new Dictionary<string, string>());

    /// <summary>Honeycomb as the backend: api.honeycomb.io:443 over TLS with the system roots, the key in x-honeycomb-team.</summary>
    public static PlanInput Honeycomb(string version) =>
        OtherBackend(version, TraceBackendKind.Honeycomb, new Dictionary<string, string> { ["x-honeycomb-team"] = HoneycombKey });

    public const string OtlpHttpKey = "otlpKEY-fedcba9876543210";

    /// <summary>
    /// An OTLP/HTTP backend outside the cluster on a non-default path (as the istio/api example's "/api/otlp/traces"),
    /// over TLS with the system roots, its key in an authorization header.
    /// </summary>
    public static PlanInput OtlpHttp(string version) => new()
    {
        Namespaces = ["default"],
        IstioVersion = IstioVersion.Parse(version),
        Secure = true,
        OtlpDestination = new OtlpSpanDestination(
            new OtlpTraceDestination("otlp.example.com", 443, OtlpTransport.HttpProtobuf, true, "/api/otlp/traces", [new OtlpHeaderName("authorization")]),
            new Dictionary<string, string> { ["authorization"] = "Bearer " + OtlpHttpKey }),
    };

    private static PlanInput OtherBackend(string version, TraceBackendKind kind, Dictionary<string, string> headerValues)
    {
        var endpoint = TraceBackends.For(kind).DefaultDestination!;
        return new()
        {
            Namespaces = ["default"],
            IstioVersion = IstioVersion.Parse(version),
            Secure = endpoint.Secure,
            OtlpDestination = new OtlpSpanDestination(endpoint, headerValues),
        };
    }

    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Resources(this Plan plan) => plan.Objects.Select(o => o.Resource);

    public static IstioResource Overlay(this Plan plan) =>
        (IstioResource)Assert.Single(plan.Objects, o => o.Role == PlannedObjectRole.IstioInstallOverlay).Resource;

    public static IstioResource? Istio(this Plan plan, PlannedObjectRole role) =>
        plan.Objects.SingleOrDefault(o => o.Role == role)?.Resource as IstioResource;

    /// <summary>The namespaces of the planned CA Secrets, in plan order.</summary>
    public static IReadOnlyList<string?> SecretNamespaces(this Plan plan) =>
        plan.Objects.Where(o => o.Role == PlannedObjectRole.CaCertificateSecret).Select(o => o.Namespace).ToList();

    /// <summary>The one istioctl step: the overlay file written by heredoc, then istioctl -f.</summary>
    public static PlanCommand IstioctlStep(this Plan plan) =>
        Assert.Single(plan.Commands, c => c.Code == "Command.IstioctlOverlay");

    public static string AllCommands(this Plan plan) => string.Join("\n", plan.Commands.Select(c => c.Script));

    /// <summary>The value at a dotted path in an Istio spec ("meshConfig.defaultConfig.tracing.sampling"), or null.</summary>
    public static object? At(this IstioResource resource, string path)
    {
        object? node = resource.Spec;
        foreach (var segment in path.Split('.'))
        {
            if (node is not IDictionary<string, object?> map || !map.TryGetValue(segment, out node)) return null;
        }
        return node;
    }

    public static bool Has(this IstioResource resource, string path) => resource.At(path) is not null;
}
