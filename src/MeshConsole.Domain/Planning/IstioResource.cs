using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MeshConsole.Domain.Planning;

/// <summary>
/// An Istio custom resource (IstioOperator, ServiceEntry, DestinationRule, Telemetry). KubernetesClient has no
/// typed models for Istio, so the spec is an ordered tree of maps and lists that serializes as written.
/// </summary>
public sealed class IstioResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public Dictionary<string, object?> Spec { get; set; } = [];

    /// <summary>The type map <see cref="KubernetesYaml.LoadAllFromString"/> needs to read plan manifests back typed.</summary>
    public static IDictionary<string, Type> YamlTypeMap { get; } = new Dictionary<string, Type>
    {
        ["v1/Secret"] = typeof(V1Secret),
        ["install.istio.io/v1alpha1/IstioOperator"] = typeof(IstioResource),
        ["networking.istio.io/v1beta1/ServiceEntry"] = typeof(IstioResource),
        ["networking.istio.io/v1/ServiceEntry"] = typeof(IstioResource),
        ["networking.istio.io/v1beta1/DestinationRule"] = typeof(IstioResource),
        ["networking.istio.io/v1/DestinationRule"] = typeof(IstioResource),
        ["telemetry.istio.io/v1alpha1/Telemetry"] = typeof(IstioResource),
        ["telemetry.istio.io/v1/Telemetry"] = typeof(IstioResource),
        // Bookinfo (PlanBuilder.BuildBookinfo): core kinds and the Gateway/VirtualService in every networking version it writes.
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/Service"] = typeof(V1Service),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["networking.istio.io/v1alpha3/Gateway"] = typeof(IstioResource),
        ["networking.istio.io/v1beta1/Gateway"] = typeof(IstioResource),
        ["networking.istio.io/v1/Gateway"] = typeof(IstioResource),
        ["networking.istio.io/v1alpha3/VirtualService"] = typeof(IstioResource),
        ["networking.istio.io/v1beta1/VirtualService"] = typeof(IstioResource),
        ["networking.istio.io/v1/VirtualService"] = typeof(IstioResource),
    };
}
