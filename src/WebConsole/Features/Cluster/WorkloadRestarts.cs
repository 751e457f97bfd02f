using System.Globalization;
using System.Text.Json.Nodes;

namespace WebConsole.Features.Cluster;

public sealed record RestartCandidate(string Namespace, string Deployment, int PodsWithSidecar);

/// <summary>
/// Sidecars read tracing settings when they start, so workloads that already run keep the old ones until
/// restarted. The console lists them and restarts a namespace only when the user asks.
/// </summary>
public sealed class WorkloadRestarts(KubeGateway gateway, TimeProvider clock)
{
    public async Task<ClusterResult<IReadOnlyList<RestartCandidate>>> FindAsync(IEnumerable<string> namespaces, CancellationToken ct)
    {
        var candidates = new List<RestartCandidate>();
        foreach (var ns in namespaces)
        {
            var pods = await gateway.ListPodsAsync(ns, ct);
            if (!pods.Succeeded) return ClusterResult<IReadOnlyList<RestartCandidate>>.Failed(pods.Failure!);
            var deployments = await gateway.ListDeploymentsAsync(ns, null, ct);
            if (!deployments.Succeeded) return ClusterResult<IReadOnlyList<RestartCandidate>>.Failed(deployments.Failure!);
            var names = deployments.Value!.Select(d => d.Metadata.Name).ToHashSet();
            candidates.AddRange(pods.Value!
                .Where(p => HasSidecar(p))
                .Select(p => DeploymentOf(p))
                .Where(d => d is not null && names.Contains(d))
                .GroupBy(d => d!)
                .Select(g => new RestartCandidate(ns, g.Key, g.Count())));
        }
        return candidates.OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.Deployment, StringComparer.Ordinal).ToList();
    }

    /// <summary>What `kubectl rollout restart` does: a new pod-template annotation, so the Deployment rolls.</summary>
    public async Task<IReadOnlyList<ApplyOutcome>> RestartAsync(IEnumerable<RestartCandidate> candidates, CancellationToken ct)
    {
        var stamp = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["kubectl.kubernetes.io/restartedAt"] = stamp },
            } } },
        }.ToJsonString();
        var outcomes = new List<ApplyOutcome>();
        foreach (var candidate in candidates)
        {
            var target = new ResourceRef("apps/v1", "Deployment", candidate.Namespace, candidate.Deployment);
            var patched = await gateway.MergePatchDeploymentAsync(candidate.Namespace, candidate.Deployment, patch, ct);
            outcomes.Add(patched.Succeeded ? new ApplyOutcome(target, ApplyOutcomeKind.Changed) : new ApplyOutcome(target, ApplyOutcomeKind.Failed, patched.Failure));
        }
        return outcomes;
    }

    private static bool HasSidecar(k8s.Models.V1Pod pod) =>
        pod.Spec?.Containers?.Any(c => c.Name == "istio-proxy") == true
        || pod.Spec?.InitContainers?.Any(c => c.Name == "istio-proxy") == true; // native sidecars (Istio 1.19+ with ENABLE_NATIVE_SIDECARS)

    /// <summary>Pods of a Deployment are owned by a ReplicaSet named "&lt;deployment&gt;-&lt;pod-template-hash&gt;".</summary>
    private static string? DeploymentOf(k8s.Models.V1Pod pod)
    {
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet");
        if (owner is null) return null;
        var hash = pod.Metadata!.Labels?.TryGetValue("pod-template-hash", out var h) == true ? h : null;
        return hash is not null && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal)
            ? owner.Name[..^(hash.Length + 1)]
            : owner.Name[..Math.Max(0, owner.Name.LastIndexOf('-'))];
    }
}
