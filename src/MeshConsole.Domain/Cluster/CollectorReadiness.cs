using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Cluster;

/// <summary>
/// The one place that names the in-cluster OpenTelemetry Collector of the collector route, for the checks that look
/// for it on the cluster; the plan builder's collector objects are recognised by these names.
/// </summary>
public static class CollectorNames
{
    public const string Deployment = PlanBuilder.CollectorName;
    public const string Service = PlanBuilder.CollectorName;

    /// <summary>
    /// The collector's <c>health_check</c> extension: endpoint 0.0.0.0:13133, path "/", 200 with
    /// <c>{"status":"Server available",…}</c> when healthy (open-telemetry/opentelemetry-collector-contrib
    /// extension/healthcheckextension/README.md). The check reaches it through the Service, so the Service must expose it.
    /// </summary>
    public const int HealthPort = PlanBuilder.CollectorHealthCheckPort;
    public const string HealthPath = "/";

    /// <summary>The collector Deployment the plan creates; null when the plan does not use the collector route.</summary>
    public static PlannedObject? DeploymentIn(Plan plan) =>
        plan.Objects.FirstOrDefault(o => o.Kind == "Deployment" && o.Name == Deployment);
}

public enum CollectorHealth
{
    /// <summary>The console may not use the API server's service proxy here (SelfSubjectAccessReview said no).</summary>
    NotPermitted,
    /// <summary>Not asked: the Deployment is absent or has no ready pod.</summary>
    NotChecked,
    Healthy,
    /// <summary>The health endpoint answered with an error status (the collector reports itself unavailable).</summary>
    Unhealthy,
    /// <summary>The API server could not reach it (503: no ready endpoint, or the Service does not expose the port).</summary>
    Unreachable,
}

/// <param name="Found">The Deployment exists (null fields below otherwise).</param>
/// <param name="RolledOut">Every desired replica is updated and ready for the current generation, as `kubectl rollout status` waits for.</param>
/// <param name="HealthDetail">The health endpoint's status line or the API server's reason, for the user.</param>
public sealed record CollectorReadiness(
    string Namespace, string Name, bool Found, int Desired, int Ready, int Updated, bool RolledOut, CollectorHealth Health, string HealthDetail = "")
{
    public bool IsReady => Found && RolledOut && Health is CollectorHealth.Healthy or CollectorHealth.NotPermitted;

    /// <summary>Replica counts from a Deployment as the API returns it; <paramref name="deployment"/> null: not deployed.</summary>
    /// <remarks>
    /// Rolled out when status.observedGeneration has caught up with metadata.generation and updated and ready replicas reach
    /// spec.replicas (default 1), the conditions kubectl's DeploymentStatusViewer checks (kubernetes/kubectl
    /// pkg/polymorphichelpers/rollout_status.go).
    /// </remarks>
    public static CollectorReadiness From(string ns, string name, JsonObject? deployment, CollectorHealth health, string healthDetail = "")
    {
        if (deployment is null) return new CollectorReadiness(ns, name, false, 0, 0, 0, false, CollectorHealth.NotChecked);
        var desired = Int(deployment["spec"]?["replicas"]) ?? 1;
        var status = deployment["status"];
        var ready = Int(status?["readyReplicas"]) ?? 0;
        var updated = Int(status?["updatedReplicas"]) ?? 0;
        var generation = Int(deployment["metadata"]?["generation"]) ?? 0;
        var observed = Int(status?["observedGeneration"]) ?? 0;
        var rolledOut = observed >= generation && updated >= desired && ready >= desired;
        return new CollectorReadiness(ns, name, true, desired, ready, updated, rolledOut, health, healthDetail);
    }

    private static int? Int(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<int>() : null;
}
