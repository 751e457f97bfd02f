using System.Text;
using k8s.Models;
using static MeshConsole.Domain.Planning.IstioObjects;

namespace MeshConsole.Domain.Planning;

/// <summary>The CA certificate Secret and where proxies find it.</summary>
internal static class CaCertificates
{
    /// <summary>
    /// The Secret is mounted as a directory (at the directory of the CA path), so its one key must be the CA path's file
    /// name for the file the proxies are told to read to exist.
    /// </summary>
    public static string KeyFor(string cacertPath) => cacertPath[(cacertPath.LastIndexOf('/') + 1)..];

    public static V1Secret Secret(string ns, string pem, string key = PlanBuilder.SecretKey) => new()
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
        Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(pem) },
    };

    /// <summary>Ingress gateway Deployment istioctl installs in istio-system, and its proxy container.</summary>
    public const string IngressGatewayDeployment = "istio-ingressgateway";
    public const string IngressGatewayContainer = "istio-proxy";
    private const string GatewayVolume = "lightstep-certs";

    /// <summary>
    /// The gateway's CA mount as the console applies it: a server-side apply of just the volume and the proxy
    /// container's volume mount. Both lists merge by name under server-side apply (the Deployment's pod template keys
    /// containers and volumes by name), so every other field of the gateway stays with its owner.
    /// </summary>
    public static V1Deployment GatewayMountDeployment(string cacertPath) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = IngressGatewayDeployment, NamespaceProperty = PlanBuilder.IstioNamespace },
        Spec = new V1DeploymentSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = IngressGatewayContainer,
                            VolumeMounts = [new V1VolumeMount { Name = GatewayVolume, MountPath = Directory(cacertPath), ReadOnlyProperty = true }],
                        },
                    ],
                    Volumes = [new V1Volume { Name = GatewayVolume, Secret = new V1SecretVolumeSource { SecretName = PlanBuilder.SecretName, Optional = true } }],
                },
            },
        },
    };

    /// <summary>IstioOperator <c>components</c> that mount the Secret into the ingress gateway.</summary>
    public static Dictionary<string, object?> GatewayMountComponents(string cacertPath) => Map(("ingressGateways", new List<object?>
    {
        Map(("name", IngressGatewayDeployment), ("enabled", true), ("k8s", Map(("overlays", new List<object?>
        {
            Map(("kind", "Deployment"), ("name", IngressGatewayDeployment), ("patches", new List<object?>
            {
                Map(("path", "spec.template.spec.containers[0].volumeMounts[-1]"),
                    ("value", Map(("name", GatewayVolume), ("mountPath", Directory(cacertPath)), ("readOnly", true)))),
                Map(("path", "spec.template.spec.volumes[-1]"),
                    ("value", Map(("name", GatewayVolume), ("secret", Map(("secretName", PlanBuilder.SecretName), ("optional", true)))))),
            })),
        })))),
    }));

    public static string Directory(string cacertPath)
    {
        var slash = cacertPath.LastIndexOf('/');
        return slash <= 0 ? "/" : cacertPath[..slash];
    }
}
