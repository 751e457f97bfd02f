using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Cluster;

public sealed record AccessCheck(AccessRequirement Requirement, bool Allowed, ClusterFailure? Failure);

public sealed record PreflightReport(
    ClusterResult<string> Api,
    IstioInstallation? Istio,
    ClusterFailure? IstioLookupFailure,
    bool MeshConfigFound,
    IReadOnlyList<AccessCheck> Access,
    DateTimeOffset At)
{
    /// <summary>Sampling, other tracing providers and the gateway's CA (<see cref="MeshTracingChecks"/>); null without Istio or a plan.</summary>
    public MeshTracingReport? MeshTracing { get; init; }

    /// <summary>Why <see cref="MeshTracing"/> could not be read (for example a Telemetry list refused); the apply is not blocked by it.</summary>
    public ClusterFailure? MeshTracingFailure { get; init; }

    /// <summary>The collector route's OpenTelemetry Collector (rollout and health); null when the plan has no collector.</summary>
    public ClusterResult<CollectorReadiness>? Collector { get; init; }

    public bool ApiReachable => Api.Succeeded;
    public IReadOnlyList<AccessCheck> Denied => Access.Where(a => !a.Allowed).ToList();
    public bool CanApply => ApiReachable && Denied.Count == 0;
    public IstioApplyTarget Target => ClusterRequirements.TargetFor(Istio);
}

/// <summary>
/// The checklist before any change: API reachable, Istio found (and how it was installed), permissions.
/// <paramref name="rulesReviewFirst"/>: permissions from one SelfSubjectRulesReview per namespace, with a
/// SelfSubjectAccessReview only where the rules do not grant (false: one SelfSubjectAccessReview per permission).
/// </summary>
public sealed class Preflight(KubeGateway gateway, TimeProvider clock, bool rulesReviewFirst = true)
{
    public async Task<PreflightReport> RunAsync(Plan? plan, CancellationToken ct)
    {
        var api = await gateway.ServerVersionAsync(ct);
        if (!api.Succeeded)
            return new PreflightReport(api, null, null, false, [], clock.GetUtcNow());

        var (istio, istioFailure, controlPlaneNamespace) = await DetectIstioAsync(ct);
        var meshConfigFound = false;
        ClusterResult<MeshTracingReport>? meshTracing = null;
        if (istio is not null)
        {
            var mesh = await gateway.GetAsync(new ResourceRef("v1", "ConfigMap", istio.Namespace, LiveIstioSettings.MeshConfigMapFor(istio.Revision)), ct);
            meshConfigFound = mesh is { Succeeded: true, Value: not null };
            if (plan is not null && plan.Objects.Any(o => o.Role == PlannedObjectRole.IstioInstallOverlay))
                meshTracing = await new MeshTracingReader(gateway).CheckAsync(plan, istio, mesh.Value, controlPlaneNamespace, ct);
        }
        var collector = plan is null ? null : await new CollectorReadinessReader(gateway).ReadAsync(plan, ct);
        var access = plan is null ? [] : await CheckAccessAsync(ClusterRequirements.For(plan, ClusterRequirements.TargetFor(istio), istio?.Namespace), ct);
        return new PreflightReport(api, istio, istioFailure, meshConfigFound, access, clock.GetUtcNow())
        {
            MeshTracing = meshTracing?.Value,
            MeshTracingFailure = meshTracing?.Failure,
            Collector = collector,
        };
    }

    /// <summary>
    /// One SelfSubjectRulesReview per namespace (as <c>kubectl auth can-i --list</c>), then a SelfSubjectAccessReview for
    /// each permission the rules do not grant (the rules review may be incomplete, and only the access review is
    /// authoritative) and for cluster-scoped permissions, which a namespace's rules cannot answer. A plan for 50
    /// namespaces on a cluster that grants everything asks 50 rules reviews instead of ~400 access reviews.
    /// </summary>
    public async Task<IReadOnlyList<AccessCheck>> CheckAccessAsync(IReadOnlyList<AccessRequirement> requirements, CancellationToken ct)
    {
        var rules = new Dictionary<string, RulesReview>(StringComparer.Ordinal);
        if (rulesReviewFirst)
        {
            var namespaces = requirements.Select(r => r.Namespace).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var reviews = new RulesReview?[namespaces.Count];
            await Parallel.ForAsync(0, namespaces.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
            {
                var review = await gateway.RulesReviewAsync(namespaces[i], token);
                reviews[i] = review.Succeeded ? review.Value : null; // no rules review: every permission there gets an access review
            });
            for (var i = 0; i < namespaces.Count; i++)
                if (reviews[i] is { } review) rules[namespaces[i]] = review;
        }

        var checks = new AccessCheck?[requirements.Count];
        var toAsk = new List<int>();
        for (var i = 0; i < requirements.Count; i++)
        {
            if (requirements[i].Namespace is { } ns && rules.TryGetValue(ns, out var review) && review.Allows(requirements[i]))
                checks[i] = new AccessCheck(requirements[i], true, null);
            else
                toAsk.Add(i);
        }
        await Parallel.ForEachAsync(toAsk, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var allowed = await gateway.IsAllowedAsync(requirements[i], token);
            checks[i] = new AccessCheck(requirements[i], allowed.Value, allowed.Failure);
        });
        return checks.Select(c => c!).ToList();
    }

    /// <returns>Also the Deployments of the control plane's namespace, which the mesh checks read too.</returns>
    private async Task<(IstioInstallation?, ClusterFailure?, IReadOnlyList<k8s.Models.V1Deployment>)> DetectIstioAsync(CancellationToken ct)
    {
        var controlPlane = await gateway.ListDeploymentsAsync(ClusterRequirements.ControlPlaneNamespace, null, ct);
        if (!controlPlane.Succeeded) return (null, controlPlane.Failure, []);
        var deployments = controlPlane.Value!.ToList();
        // Optional: most clusters have no operator namespace, and least-privilege RBAC cannot cover one that is absent.
        var operatorNamespace = await gateway.ListDeploymentsAsync(ClusterRequirements.OperatorNamespace, null, ct);
        if (operatorNamespace.Succeeded) deployments.AddRange(operatorNamespace.Value!);
        else if (operatorNamespace.Failure!.Kind is not (ClusterFailureKind.Forbidden or ClusterFailureKind.NotFound))
            return (null, operatorNamespace.Failure, []);
        var operators = await gateway.ListCustomAsync("install.istio.io", "v1alpha1", PlanBuilder.IstioNamespace, "istiooperators", ct);
        if (!operators.Succeeded) return (null, operators.Failure, []);
        var resources = operators.Value!.Select(o => k8s.KubernetesJson.Deserialize<IstioResource>(o.ToJsonString())).ToList();
        return (IstioInstallationDetector.Detect(deployments, resources), null, controlPlane.Value!);
    }
}
