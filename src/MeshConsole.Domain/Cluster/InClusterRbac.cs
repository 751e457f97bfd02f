using k8s;
using k8s.Models;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Cluster;

/// <summary>
/// The RBAC objects that let the console's ServiceAccount do exactly what preflight checks, and nothing more: the
/// union of <see cref="ClusterRequirements.For"/> over every plan the console can build for the given workload
/// namespaces (each Istio minor release it supports, both products, with and without a CA certificate, secure or
/// not, and Bookinfo in each of them) and every <see cref="IstioApplyTarget"/>. One Role and RoleBinding per namespace (a ClusterRole and
/// ClusterRoleBinding if a requirement is ever cluster-scoped), one rule per API group and resource.
/// </summary>
public static class InClusterRbac
{
    public const string Name = "lightstep-console";
    public const string ConsoleNamespace = "lightstep-console";
    public static readonly IReadOnlyList<string> DefaultWorkloadNamespaces = ["default"];

    private static readonly Dictionary<string, string> Labels = new() { ["app.kubernetes.io/name"] = Name, ["app.kubernetes.io/component"] = "rbac" };

    /// <summary>Every plan the wizard can produce for these namespaces, up to Istio choices that add no object kind.</summary>
    public static IReadOnlyList<Plan> RepresentativePlans(IReadOnlyList<string> workloadNamespaces)
    {
        if (NamespaceRules.Validate(workloadNamespaces).Count > 0)
            throw new ArgumentException("Workload namespaces must be distinct DNS-1123 labels.", nameof(workloadNamespaces));
        var lastKnownMinor = IstioFormChoice.FirstWithoutLightStepProvider.Minor + 5;
        var plans = new List<Plan>();
        for (var minor = IstioVersionRules.MinimumSupported.Minor; minor <= lastKnownMinor; minor++)
        {
            foreach (var product in Enum.GetValues<LightStepProduct>())
            foreach (var withCa in new[] { true, false })
            foreach (var secure in new[] { true, false })
            foreach (var route in Enum.GetValues<SpanRoute>())
            {
                // Only the public product may go without a CA certificate (CertificateRules).
                if (!withCa && product != LightStepProduct.PublicTracing) continue;
                var input = new PlanInput
                {
                    Product = product,
                    AccessToken = "rbac-generator-placeholder",
                    SatelliteAddress = product == LightStepProduct.PublicTracing ? PlanInput.PublicSatelliteAddress : "satellite.example:8443",
                    CaCertificatePem = withCa ? "placeholder" : null,
                    Namespaces = workloadNamespaces,
                    // 1.16.0 is refused (its proxy has no OpenTelemetry tracer); 1.16.1 stands for that minor.
                    IstioVersion = new IstioVersion(1, minor, minor == IstioFormChoice.WithoutOpenTelemetryTracer.Minor ? 1 : 0),
                    Secure = secure,
                    Route = route,
                };
                // Combinations the input rules refuse (TLS without a CA before 1.16, a route that cannot carry spans).
                if (PlanBuilder.Refusal(input) is not null) continue;
                plans.Add(PlanBuilder.Build(input));
            }
        }
        // Bookinfo goes to one of the workload namespaces; the networking API version does not change the permissions.
        plans.AddRange(workloadNamespaces.Select(ns => PlanBuilder.BuildBookinfo(new BookinfoInput(ns, new IstioVersion(1, lastKnownMinor, 0)))));
        return plans;
    }

    /// <summary>
    /// The union of what preflight checks for <see cref="RepresentativePlans"/>, first occurrence first; with
    /// <paramref name="teamSessions"/>, also <see cref="TeamSessionRequirements.For"/> (the session store in the console's namespace).
    /// </summary>
    public static IReadOnlyList<AccessRequirement> Requirements(IReadOnlyList<string> workloadNamespaces, bool teamSessions = false, string consoleNamespace = ConsoleNamespace) =>
        RepresentativePlans(workloadNamespaces)
            .SelectMany(plan => Enum.GetValues<IstioApplyTarget>().SelectMany(target => ClusterRequirements.For(plan, target)))
            .Concat(teamSessions ? TeamSessionRequirements.For(consoleNamespace) : [])
            .DistinctBy(r => (r.Verb, r.Group, r.Resource, r.Namespace))
            .ToList();

    /// <summary>Roles (per namespace, in order of first use) and their bindings to ServiceAccount <see cref="Name"/>.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(IEnumerable<string> workloadNamespaces, string consoleNamespace = ConsoleNamespace, bool teamSessions = false)
    {
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = consoleNamespace };
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var scope in Requirements([.. workloadNamespaces], teamSessions, consoleNamespace).GroupBy(r => r.Namespace))
        {
            var rules = scope.GroupBy(r => (r.Group, r.Resource))
                .Select(g => new V1PolicyRule { ApiGroups = [g.Key.Group], Resources = [g.Key.Resource], Verbs = [.. g.Select(r => r.Verb)] })
                .ToList();
            if (scope.Key is { } ns)
            {
                objects.Add(new V1Role { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role", Metadata = Meta(ns), Rules = rules });
                objects.Add(new V1RoleBinding
                {
                    ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "RoleBinding", Metadata = Meta(ns),
                    RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name },
                    Subjects = [subject],
                });
            }
            else
            {
                objects.Add(new V1ClusterRole { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole", Metadata = Meta(null), Rules = rules });
                objects.Add(new V1ClusterRoleBinding
                {
                    ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRoleBinding", Metadata = Meta(null),
                    RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
                    Subjects = [subject],
                });
            }
        }
        return objects;
    }

    /// <summary>deploy/kubernetes/rbac.yaml: a header saying how it was made, then <see cref="Build"/> as YAML documents.</summary>
    public static string Yaml(IReadOnlyList<string> workloadNamespaces, string consoleNamespace = ConsoleNamespace, bool teamSessions = false)
    {
        var flags = string.Join(" ", workloadNamespaces.Select(ns => $"--namespace {ns}"))
            + (consoleNamespace == ConsoleNamespace ? "" : $" --console-namespace {consoleNamespace}")
            + (teamSessions ? " --team-sessions" : "");
        var header =
            "# Generated from the permissions the console's preflight checks (ClusterRequirements) for workload namespaces: " +
            string.Join(", ", workloadNamespaces) + (teamSessions ? ", and team sessions (TeamSessionRequirements: their Bookinfo and Secrets in any namespace)" : "") + ".\n" +
            $"# Regenerate instead of editing: dotnet run --project src/WebConsole --no-launch-profile -- rbac {flags} > deploy/kubernetes/rbac.yaml\n";
        return header + "---\n" + PlanRenderer.Yaml(Build(workloadNamespaces, consoleNamespace, teamSessions));
    }

    private static V1ObjectMeta Meta(string? ns) => new() { Name = Name, NamespaceProperty = ns, Labels = new Dictionary<string, string>(Labels) };
}
