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
    public bool ApiReachable => Api.Succeeded;
    public IReadOnlyList<AccessCheck> Denied => Access.Where(a => !a.Allowed).ToList();
    public bool CanApply => ApiReachable && Denied.Count == 0;
    public IstioApplyTarget Target => ClusterRequirements.TargetFor(Istio);
}

/// <summary>The checklist before any change: API reachable, Istio found (and how it was installed), permissions.</summary>
public sealed class Preflight(KubeGateway gateway, TimeProvider clock)
{
    public async Task<PreflightReport> RunAsync(Plan? plan, CancellationToken ct)
    {
        var api = await gateway.ServerVersionAsync(ct);
        if (!api.Succeeded)
            return new PreflightReport(api, null, null, false, [], clock.GetUtcNow());

        var (istio, istioFailure) = await DetectIstioAsync(ct);
        var meshConfigFound = false;
        if (istio is not null)
        {
            var mesh = await gateway.GetAsync(new ResourceRef("v1", "ConfigMap", istio.Namespace, LiveIstioSettings.MeshConfigMapFor(istio.Revision)), ct);
            meshConfigFound = mesh is { Succeeded: true, Value: not null };
        }
        var access = plan is null ? [] : await CheckAccessAsync(ClusterRequirements.For(plan, ClusterRequirements.TargetFor(istio)), ct);
        return new PreflightReport(api, istio, istioFailure, meshConfigFound, access, clock.GetUtcNow());
    }

    /// <summary>One SelfSubjectAccessReview per permission, several in flight: a plan for 50 namespaces asks ~400.</summary>
    public async Task<IReadOnlyList<AccessCheck>> CheckAccessAsync(IReadOnlyList<AccessRequirement> requirements, CancellationToken ct)
    {
        var checks = new AccessCheck[requirements.Count];
        await Parallel.ForAsync(0, requirements.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var allowed = await gateway.IsAllowedAsync(requirements[i], token);
            checks[i] = new AccessCheck(requirements[i], allowed.Value, allowed.Failure);
        });
        return checks;
    }

    private async Task<(IstioInstallation?, ClusterFailure?)> DetectIstioAsync(CancellationToken ct)
    {
        var controlPlane = await gateway.ListDeploymentsAsync(ClusterRequirements.ControlPlaneNamespace, null, ct);
        if (!controlPlane.Succeeded) return (null, controlPlane.Failure);
        var deployments = controlPlane.Value!.ToList();
        // Optional: most clusters have no operator namespace, and least-privilege RBAC cannot cover one that is absent.
        var operatorNamespace = await gateway.ListDeploymentsAsync(ClusterRequirements.OperatorNamespace, null, ct);
        if (operatorNamespace.Succeeded) deployments.AddRange(operatorNamespace.Value!);
        else if (operatorNamespace.Failure!.Kind is not (ClusterFailureKind.Forbidden or ClusterFailureKind.NotFound))
            return (null, operatorNamespace.Failure);
        var operators = await gateway.ListCustomAsync("install.istio.io", "v1alpha1", PlanBuilder.IstioNamespace, "istiooperators", ct);
        if (!operators.Succeeded) return (null, operators.Failure);
        var resources = operators.Value!.Select(o => k8s.KubernetesJson.Deserialize<IstioResource>(o.ToJsonString())).ToList();
        return (IstioInstallationDetector.Detect(deployments, resources), null);
    }
}
