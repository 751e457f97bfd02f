using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Cluster;

/// <summary>Where the console writes the Istio settings of a plan.</summary>
public enum IstioApplyTarget
{
    /// <summary>Patch the IstioOperator resource an in-cluster operator reconciles.</summary>
    IstioOperatorResource,
    /// <summary>Patch ConfigMaps istio and istio-sidecar-injector, as istioctl would have written them.</summary>
    MeshConfigMaps,
    /// <summary>The user runs istioctl; the console touches no Istio settings.</summary>
    None,
}

/// <summary>
/// One Kubernetes permission the console needs. <paramref name="Group"/> is the API group ("" for the core group);
/// <paramref name="Namespace"/> is null for a cluster-scoped resource; <paramref name="PurposeCode"/> names the
/// localized reason ("Cluster.{PurposeCode}" in the app's resources).
/// </summary>
public sealed record AccessRequirement(string Verb, string Group, string Resource, string? Namespace, string PurposeCode)
{
    public const string RoleNamePrefix = "lightstep-console-";

    /// <summary>The RBAC rule that grants this permission, as a Role or ClusterRole lists it.</summary>
    public (IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs) ToRbacRule() =>
        ([Group], [Resource], [Verb]);

    /// <summary>kubectl commands that grant this one permission to <paramref name="user"/>.</summary>
    public string ToKubectlFix(string user) => ToKubectlFixes([this], user).Single();

    /// <summary>
    /// One command pair per namespace and resource: a Role (ClusterRole when cluster-scoped) named
    /// lightstep-console-&lt;resource&gt;[.&lt;group&gt;] with every verb needed on it, and its binding to
    /// <paramref name="user"/>, as two lines. A user "system:serviceaccount:NS:NAME" is bound as that ServiceAccount.
    /// </summary>
    public static IReadOnlyList<string> ToKubectlFixes(IEnumerable<AccessRequirement> requirements, string user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var subject = SubjectFlag(user);
        return requirements
            .GroupBy(r => (r.Namespace, r.Group, r.Resource))
            .Select(g =>
            {
                var resource = g.Key.Group.Length == 0 ? g.Key.Resource : $"{g.Key.Resource}.{g.Key.Group}";
                var name = RoleNamePrefix + resource;
                var verbs = string.Join(",", g.Select(r => r.Verb).Distinct());
                return g.Key.Namespace is { } ns
                    ? $"kubectl create role {name} --verb={verbs} --resource={resource} -n {PlanBuilder.ShellQuote(ns)}\n" +
                      $"kubectl create rolebinding {name} --role={name} {subject} -n {PlanBuilder.ShellQuote(ns)}"
                    : $"kubectl create clusterrole {name} --verb={verbs} --resource={resource}\n" +
                      $"kubectl create clusterrolebinding {name} --clusterrole={name} {subject}";
            })
            .ToList();
    }

    // A service account authenticates as user system:serviceaccount:<namespace>:<name>.
    private static string SubjectFlag(string user)
    {
        const string prefix = "system:serviceaccount:";
        var parts = user.StartsWith(prefix, StringComparison.Ordinal) ? user[prefix.Length..].Split(':') : [];
        return parts.Length == 2 && parts.All(p => p.Length > 0)
            ? $"--serviceaccount={PlanBuilder.ShellQuote($"{parts[0]}:{parts[1]}")}"
            : $"--user={PlanBuilder.ShellQuote(user)}";
    }
}

public static class ClusterRequirements
{
    /// <summary>
    /// The Secret that keeps the undo journal. A Secret, not a ConfigMap: the journal holds previous mesh configs,
    /// and those contain access tokens.
    /// </summary>
    public const string UndoJournalSecret = "lightstep-console.undo";

    /// <summary>Where preflight must look for istiod (or pilot); a namespace the console needs to list.</summary>
    public const string ControlPlaneNamespace = PlanBuilder.IstioNamespace;

    /// <summary>
    /// Where an Istio operator may run. Optional: preflight looks there when it may and otherwise assumes no
    /// operator, so it is not a requirement (a Role cannot even exist in a namespace that does not).
    /// </summary>
    public const string OperatorNamespace = "istio-operator";

    /// <summary>Where the Istio settings go for a detected installation (None: no Istio found).</summary>
    public static IstioApplyTarget TargetFor(IstioInstallation? istio) => istio is null ? IstioApplyTarget.None
        : istio.Method == IstioInstallMethod.OperatorReconciled ? IstioApplyTarget.IstioOperatorResource
        : IstioApplyTarget.MeshConfigMaps;

    /// <summary>
    /// Every permission applying <paramref name="plan"/> needs, without duplicates, in a stable order: the planned
    /// objects (in plan order), the Istio settings, the undo journal, preflight's reads, waiting for Bookinfo and
    /// finding its ingress gateway (Bookinfo plans), then workload restarts per namespace. SelfSubjectAccessReviews
    /// are not listed: every authenticated user may create them.
    /// </summary>
    /// <param name="istioNamespace">
    /// Namespace of the detected Istio: of the IstioOperator or the mesh ConfigMaps, and of the undo journal; istio-system when null.
    /// </param>
    public static IReadOnlyList<AccessRequirement> For(Plan plan, IstioApplyTarget target, string? istioNamespace = null)
    {
        var controlPlaneNamespace = istioNamespace ?? PlanBuilder.IstioNamespace;
        var requirements = new List<AccessRequirement>();

        // Without Istio the console applies only the namespace Secrets (Istio's own kinds are not even served).
        // A workload namespace is created only where it is missing (LiveChangePlanner): a user who may not create
        // namespaces can still apply into existing ones, and a missing one's refusal is shown at preview.
        var objects = plan.Objects.Where(o => o.Role is not (PlannedObjectRole.IstioInstallOverlay or PlannedObjectRole.WorkloadNamespace))
            .Where(o => target != IstioApplyTarget.None || !o.NeedsIstio);
        foreach (var o in objects)
        {
            var group = GroupOf(o.Resource.ApiVersion);
            var resource = ResourceOf(o.Kind);
            // Server-side apply that creates an object is authorized as "create" (apiserver handlers/patch.go),
            // as "patch" otherwise; undo restores with PUT ("update") and removes what it created ("delete").
            requirements.Add(new("get", group, resource, o.Namespace, "Access.ReadPlannedObject"));
            requirements.Add(new("create", group, resource, o.Namespace, "Access.ApplyPlannedObject"));
            requirements.Add(new("patch", group, resource, o.Namespace, "Access.ApplyPlannedObject"));
            requirements.Add(new("update", group, resource, o.Namespace, "Access.UndoPlannedObject"));
            requirements.Add(new("delete", group, resource, o.Namespace, "Access.UndoPlannedObject"));
        }

        // Only a plan with the install overlay changes Istio settings (a Bookinfo plan has none).
        var hasIstioSettings = plan.Objects.Any(o => o.Role == PlannedObjectRole.IstioInstallOverlay);
        switch (hasIstioSettings ? target : IstioApplyTarget.None)
        {
            case IstioApplyTarget.IstioOperatorResource:
                requirements.Add(new("get", "install.istio.io", "istiooperators", controlPlaneNamespace, "Access.ReadIstioOperator"));
                requirements.Add(new("patch", "install.istio.io", "istiooperators", controlPlaneNamespace, "Access.PatchIstioOperator"));
                requirements.Add(new("update", "install.istio.io", "istiooperators", controlPlaneNamespace, "Access.UndoIstioSettings"));
                break;
            case IstioApplyTarget.MeshConfigMaps:
                requirements.Add(new("get", "", "configmaps", controlPlaneNamespace, "Access.ReadMeshConfig"));
                requirements.Add(new("patch", "", "configmaps", controlPlaneNamespace, "Access.PatchMeshConfig"));
                requirements.Add(new("update", "", "configmaps", controlPlaneNamespace, "Access.UndoIstioSettings"));
                break;
        }
        // The mesh checks before apply (MeshTracingChecks) read the Telemetry resources that could override the plan's sampling.
        if (hasIstioSettings && target != IstioApplyTarget.None)
        {
            foreach (var ns in WorkloadNamespaces(plan).Prepend(controlPlaneNamespace))
                requirements.Add(new("list", "telemetry.istio.io", "telemetries", ns, "Access.MeshChecks"));
        }

        // The undo journal lives next to the detected Istio (JournalLocation.ForCluster), or in "default" on a cluster without Istio.
        var journalNamespace = target == IstioApplyTarget.None ? "default" : controlPlaneNamespace;
        foreach (var verb in new[] { "get", "create", "patch", "delete" })
            requirements.Add(new(verb, "", "secrets", journalNamespace, "Access.UndoJournal"));

        requirements.Add(new("list", "apps", "deployments", ControlPlaneNamespace, "Access.FindIstio"));
        requirements.Add(new("list", "install.istio.io", "istiooperators", ControlPlaneNamespace, "Access.FindIstio"));

        // Waiting for Bookinfo (BookinfoCluster): its Deployments, their pods and events; the ingress gateway Service is
        // found by label in any namespace, and a NodePort gateway needs the nodes' addresses.
        var bookinfoNamespaces = plan.Objects.Where(o => o.Role == PlannedObjectRole.BookinfoDeployment).Select(o => o.Namespace!).Distinct().ToList();
        foreach (var ns in bookinfoNamespaces)
        {
            requirements.Add(new("list", "apps", "deployments", ns, "Access.WatchBookinfo"));
            requirements.Add(new("list", "", "pods", ns, "Access.WatchBookinfo"));
            requirements.Add(new("list", "", "events", ns, "Access.WatchBookinfo"));
        }
        if (bookinfoNamespaces.Count > 0)
        {
            requirements.Add(new("list", "", "services", null, "Access.FindIngressGateway"));
            requirements.Add(new("list", "", "nodes", null, "Access.FindIngressGateway"));
        }

        foreach (var ns in WorkloadNamespaces(plan))
        {
            requirements.Add(new("list", "", "pods", ns, "Access.ListWorkloads"));
            requirements.Add(new("list", "apps", "deployments", ns, "Access.ListWorkloads"));
            requirements.Add(new("patch", "apps", "deployments", ns, "Access.RestartWorkloads"));
        }

        return requirements.DistinctBy(r => (r.Verb, r.Group, r.Resource, r.Namespace)).ToList();
    }

    /// <summary>"networking.istio.io/v1beta1" → "networking.istio.io"; "v1" → "" (the core group).</summary>
    public static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.LastIndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }

    /// <summary>The REST resource (lowercase plural) of a kind.</summary>
    public static string ResourceOf(string kind) => kind switch
    {
        "Telemetry" => "telemetries",
        "ServiceEntry" => "serviceentries",
        "DestinationRule" => "destinationrules",
        "IstioOperator" => "istiooperators",
        _ when kind.Length > 1 && kind.EndsWith('y') && !"aeiou".Contains(char.ToLowerInvariant(kind[^2])) => kind.ToLowerInvariant()[..^1] + "ies",
        _ when kind.EndsWith('s') => kind.ToLowerInvariant() + "es",
        _ => kind.ToLowerInvariant() + "s",
    };

    /// <summary>The namespaces whose workloads the plan is for, as the plan carries them.</summary>
    private static IEnumerable<string> WorkloadNamespaces(Plan plan) => plan.Namespaces.Distinct();
}
