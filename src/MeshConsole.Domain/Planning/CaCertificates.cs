using System.Text;
using k8s.Models;
using static MeshConsole.Domain.Planning.IstioObjects;

namespace MeshConsole.Domain.Planning;

/// <summary>The CA certificate Secret and where proxies find it.</summary>
internal static class CaCertificates
{
    public static V1Secret Secret(string ns, string pem) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = PlanBuilder.SecretName,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["app"] = "lightstep", [PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue },
        },
        Type = "Opaque",
        Data = new Dictionary<string, byte[]> { [PlanBuilder.SecretKey] = Encoding.UTF8.GetBytes(pem) },
    };

    /// <summary>
    /// From 1.8 the TLS settings (tracing.tlsSettings, later the DestinationRule) apply to gateways too, but the
    /// injector mounts Secret lightstep.cacert only into sidecars; without this the ingress gateway, the root of
    /// every Bookinfo trace, cannot export (istio/istio#31190; the LightStep task's gateway overlay). The public
    /// OTLP endpoint from 1.16 is verified against public roots instead, so it needs no mount.
    /// </summary>
    public static bool GatewayNeedsMount(PlanInput input) =>
        input.Secure && input.CaCertificatePem is not null
        && input.IstioVersion >= IstioFormChoice.FirstWithTlsSettingsOnly
        && !(input.Product == LightStepProduct.PublicTracing && input.IstioVersion >= IstioFormChoice.FirstWithoutEnvoyLightStepTracer);

    /// <summary>IstioOperator <c>components</c> that mount the Secret into the ingress gateway.</summary>
    public static Dictionary<string, object?> GatewayMountComponents(string cacertPath) => Map(("ingressGateways", new List<object?>
    {
        Map(("name", "istio-ingressgateway"), ("enabled", true), ("k8s", Map(("overlays", new List<object?>
        {
            Map(("kind", "Deployment"), ("name", "istio-ingressgateway"), ("patches", new List<object?>
            {
                Map(("path", "spec.template.spec.containers[0].volumeMounts[-1]"),
                    ("value", Map(("name", "lightstep-certs"), ("mountPath", Directory(cacertPath)), ("readOnly", true)))),
                Map(("path", "spec.template.spec.volumes[-1]"),
                    ("value", Map(("name", "lightstep-certs"), ("secret", Map(("secretName", PlanBuilder.SecretName), ("optional", true)))))),
            })),
        })))),
    }));

    public static string Directory(string cacertPath)
    {
        var slash = cacertPath.LastIndexOf('/');
        return slash <= 0 ? "/" : cacertPath[..slash];
    }
}
