using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshConsole.Domain.Cluster;

/// <param name="Spec">The live spec with the plan's settings merged in; everything else as it was.</param>
/// <param name="RemovedTracers">Tracers under <c>meshConfig.defaultConfig.tracing</c> removed because the plan selects another.</param>
public sealed record IstioOperatorSpecMerge(JsonObject Spec, IReadOnlyList<string> RemovedTracers);

/// <summary>
/// Merges the plan's IstioOperator overlay into the spec of an IstioOperator that an in-cluster operator reconciles,
/// keeping every field the console does not own.
/// </summary>
/// <remarks>
/// Why the whole spec is read, merged and written back instead of server-side applying the overlay: lists in a custom
/// resource whose schema gives no <c>x-kubernetes-list-map-keys</c> are atomic under server-side apply
/// (kubernetes.io "Server-Side Apply", merge strategy; the IstioOperator CRD declares none), so applying
/// <c>components.ingressGateways</c> replaced the team's list and dropped their <c>k8s.service</c> and <c>hpaSpec</c>; and
/// server-side apply never removes a field another manager owns, so a team's <c>zipkin</c> tracer stayed next to
/// <c>lightstep</c> (ProxyConfig's tracer is a oneof).
/// <list type="bullet">
/// <item><c>meshConfig</c> goes through <see cref="MeshConfigEditor"/>, the same merge as the mesh ConfigMap (other
/// tracers removed, <c>extensionProviders</c> merged by name).</item>
/// <item><c>values</c> goes through <see cref="InjectorValuesEditor"/> (maps deep, scalars replaced).</item>
/// <item>Everything else: maps deep; list entries that are maps with a <c>name</c> (and a <c>kind</c>, as Kubernetes
/// overlays have) are matched by those and merged; other entries are added unless an equal one is there (overlay
/// patches), so merging twice gives the same spec as once.</item>
/// </list>
/// </remarks>
public static class IstioOperatorSpecEditor
{
    public const string MeshConfig = "meshConfig";
    public const string Values = "values";

    /// <param name="liveSpec">The IstioOperator's spec now; not modified.</param>
    /// <param name="overlaySpec">The plan's overlay spec (trees of dictionaries and lists).</param>
    public static IstioOperatorSpecMerge Merge(JsonObject? liveSpec, IReadOnlyDictionary<string, object?> overlaySpec)
    {
        var spec = liveSpec?.DeepClone().AsObject() ?? new JsonObject();
        IReadOnlyList<string> removedTracers = [];
        foreach (var (key, value) in overlaySpec)
        {
            if (key == MeshConfig && value is IReadOnlyDictionary<string, object?> mesh)
                spec[MeshConfig] = MeshConfigEditor.Merge(spec[MeshConfig] as JsonObject, mesh, out removedTracers);
            else if (key == Values && value is IReadOnlyDictionary<string, object?> values)
                spec[Values] = JsonNode.Parse(InjectorValuesEditor.Merge(spec[Values] is JsonObject live ? live.ToJsonString() : null, values));
            else
                spec[key] = MergeNode(spec[key], JsonSerializer.SerializeToNode(value));
        }
        return new IstioOperatorSpecMerge(spec, removedTracers);
    }

    private static JsonNode? MergeNode(JsonNode? live, JsonNode? overlay)
    {
        switch (live, overlay)
        {
            case (JsonObject liveMap, JsonObject overlayMap):
                foreach (var (key, value) in overlayMap)
                    liveMap[key] = MergeNode(liveMap[key]?.DeepClone(), value?.DeepClone());
                return liveMap;
            case (JsonArray liveList, JsonArray overlayList):
                foreach (var entry in overlayList)
                {
                    var match = Identity(entry) is { } identity ? liveList.FirstOrDefault(e => Identity(e) == identity) : null;
                    if (match is not null)
                        liveList[liveList.IndexOf(match)] = MergeNode(match.DeepClone(), entry?.DeepClone());
                    else if (!liveList.Any(e => JsonNode.DeepEquals(e, entry)))
                        liveList.Add(entry?.DeepClone());
                }
                return liveList;
            default:
                return overlay;
        }
    }

    /// <summary>
    /// Gateway components are named (<c>ingressGateways[].name</c>); a Kubernetes overlay is named by the kind and name
    /// of the object it patches (istio/api operator/v1alpha1 K8sObjectOverlay).
    /// </summary>
    private static string? Identity(JsonNode? entry) =>
        entry is JsonObject map && map["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String
            ? (map["kind"] is JsonValue kind && kind.GetValueKind() == JsonValueKind.String ? kind.GetValue<string>() + "/" : "") + name.GetValue<string>()
            : null;
}
