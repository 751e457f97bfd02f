using System.Text.Json.Nodes;
using k8s.Models;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Cluster;

/// <summary>
/// Reads what decides tracing on the cluster (mesh config, istiod's env, Telemetry resources, the chosen namespaces'
/// pods' proxy.istio.io/config annotations, the ingress gateway and its CA Secret) for <see cref="MeshTracingChecks"/>. Read-only: GETs and LISTs only.
/// </summary>
public sealed class MeshTracingReader(KubeGateway gateway)
{
    /// <summary>Served by every Istio with the Telemetry API (1.12 and later), including those that also serve v1.</summary>
    private const string TelemetryGroup = "telemetry.istio.io";
    private const string TelemetryVersion = "v1alpha1";

    /// <param name="mesh">ConfigMap istio[-revision] as read by preflight; null when absent.</param>
    /// <param name="controlPlaneNamespace">The Deployments preflight listed in the control plane's namespace.</param>
    public async Task<ClusterResult<MeshTracingReport>> CheckAsync(
        Plan plan, IstioInstallation istio, JsonObject? mesh, IReadOnlyList<V1Deployment> controlPlaneNamespace, CancellationToken ct)
    {
        var telemetries = new List<JsonObject>();
        foreach (var ns in new[] { istio.Namespace }.Concat(plan.Namespaces).Distinct(StringComparer.Ordinal))
        {
            var listed = await gateway.ListCustomAsync(TelemetryGroup, TelemetryVersion, ns, "telemetries", ct);
            // NotFound: this Istio predates the Telemetry API (1.12), so no Telemetry resource can override anything.
            if (!listed.Succeeded && listed.Failure!.Kind == ClusterFailureKind.NotFound) break;
            if (!listed.Succeeded) return ClusterResult<MeshTracingReport>.Failed(listed.Failure!);
            telemetries.AddRange(listed.Value!);
        }
        var annotatedPods = new List<PodProxyConfigAnnotation>();
        foreach (var ns in plan.Namespaces.Distinct(StringComparer.Ordinal))
        {
            var pods = await gateway.ListPodsAsync(ns, ct);
            if (!pods.Succeeded) return ClusterResult<MeshTracingReport>.Failed(pods.Failure!);
            foreach (var pod in pods.Value!)
            {
                if (pod.Metadata.Annotations?.TryGetValue(MeshConsole.Domain.Bookinfo.PodReadiness.ProxyConfigAnnotationName, out var annotation) != true) continue;
                annotatedPods.Add(new PodProxyConfigAnnotation(ns, pod.Metadata.Name,
                    pod.Metadata.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(), annotation!));
            }
        }
        var secret = await gateway.GetAsync(new ResourceRef("v1", "Secret", istio.Namespace, PlanBuilder.SecretName), ct);
        if (!secret.Succeeded) return ClusterResult<MeshTracingReport>.Failed(secret.Failure!);

        var istiod = controlPlaneNamespace.FirstOrDefault(d => d.Metadata.Name == istio.ControlPlaneDeployment);
        var pilotSampling = istiod?.Spec?.Template?.Spec?.Containers?
            .SelectMany(c => c.Env ?? []).FirstOrDefault(e => e.Name == "PILOT_TRACE_SAMPLING")?.Value;
        var gatewayDeployment = controlPlaneNamespace.FirstOrDefault(d => d.Metadata.Name == LiveIstioSettings.IngressGatewayDeployment);
        var state = new MeshTracingState(
            istio.Version,
            istio.Namespace,
            MeshConfig(mesh),
            pilotSampling,
            telemetries,
            gatewayDeployment is null ? null : KubeGateway.ToJson(gatewayDeployment),
            secret.Value is not null,
            annotatedPods);
        return MeshTracingChecks.Check(plan, ClusterRequirements.TargetFor(istio), state);
    }

    /// <summary>Unreadable mesh config: checked as if empty (the apply itself reports it, naming the ConfigMap and key).</summary>
    private static JsonObject? MeshConfig(JsonObject? configMap)
    {
        if ((string?)configMap?["data"]?[LiveIstioSettings.MeshKey] is not { } yaml) return null;
        try
        {
            return MeshConfigEditor.ToJson(yaml);
        }
        catch (UnreadableTextException)
        {
            return null;
        }
    }
}
