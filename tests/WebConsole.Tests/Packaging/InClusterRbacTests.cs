using k8s;
using k8s.Models;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Cli;
using WebConsole.Tests.Cluster;
using Xunit.Sdk;

namespace WebConsole.Tests.Packaging;

/// <summary>deploy/kubernetes/rbac.yaml grants the console's ServiceAccount exactly what preflight checks.</summary>
public class InClusterRbacTests
{
    private const string RbacFile = "deploy/kubernetes/rbac.yaml";

    private static readonly string RegenerateCommand =
        $"dotnet run --project src/WebConsole --no-launch-profile -- rbac --namespace {string.Join(" --namespace ", InClusterRbac.DefaultWorkloadNamespaces)} > {RbacFile}";

    internal static HashSet<(string Verb, string Group, string Resource, string? Namespace)> Granted(IEnumerable<object> objects)
    {
        var granted = new HashSet<(string, string, string, string?)>();
        foreach (var o in objects)
        {
            var (ns, rules) = o switch
            {
                V1Role role => (role.Metadata.NamespaceProperty, role.Rules),
                V1ClusterRole clusterRole => ((string?)null, clusterRole.Rules),
                _ => (null, null),
            };
            if (rules is null) continue;
            foreach (var rule in rules)
            {
                Assert.True(rule.ResourceNames is null or { Count: 0 } && rule.NonResourceURLs is null or { Count: 0 }, "unexpected rule shape");
                foreach (var verb in rule.Verbs)
                foreach (var group in rule.ApiGroups)
                foreach (var resource in rule.Resources)
                    granted.Add((verb, group, resource, ns));
            }
        }
        return granted;
    }

    private static HashSet<(string Verb, string Group, string Resource, string? Namespace)> PreflightChecks(IReadOnlyList<string> namespaces) =>
        InClusterRbac.RepresentativePlans(namespaces)
            .SelectMany(plan => Enum.GetValues<IstioApplyTarget>().SelectMany(target => ClusterRequirements.For(plan, target)))
            .Select(r => (r.Verb, r.Group, r.Resource, r.Namespace))
            .ToHashSet();

    [Fact]
    public void The_committed_rbac_yaml_is_the_generators_output()
    {
        var committed = Repository.Read(RbacFile);
        var generated = InClusterRbac.Yaml(InClusterRbac.DefaultWorkloadNamespaces);

        if (committed != generated)
            throw new XunitException($"{RbacFile} is not what the generator writes today (the preflight list changed?). Regenerate it:\n  {RegenerateCommand}");
    }

    [Fact]
    public void The_committed_rules_equal_the_preflight_list()
    {
        var objects = KubernetesYaml.LoadAllFromString(Repository.Read(RbacFile), strict: true);

        Assert.Equal(PreflightChecks(InClusterRbac.DefaultWorkloadNamespaces).Order(), Granted(objects).Order());
    }

    [Theory]
    [InlineData("default")]
    [InlineData("default", "bookinfo", "shop")]
    public void Generated_rules_equal_the_preflight_list_for_any_namespaces(params string[] namespaces)
    {
        var objects = InClusterRbac.Build(namespaces);

        Assert.Equal(PreflightChecks(namespaces).Order(), Granted(objects).Order());
        Assert.DoesNotContain(objects.OfType<V1Role>().SelectMany(r => r.Rules), r => r.Verbs.Contains("*") || r.Resources.Contains("*") || r.ApiGroups.Contains("*"));
    }

    [Theory]
    [InlineData("1.4.9")]
    [InlineData("1.7.8")]
    [InlineData("1.9.2")]
    [InlineData("1.14.3")]
    [InlineData("1.20.1")]
    [InlineData("1.26.2")]
    [InlineData("1.28.0")]
    public void Every_plan_the_wizard_builds_is_covered(string istioVersion)
    {
        var granted = Granted(InClusterRbac.Build(["default", "bookinfo"]));
        // Before 1.16 TLS needs the CA file, so the public product without a CA goes without TLS there.
        var tlsWithoutCa = IstioVersion.Parse(istioVersion) >= IstioFormChoice.FirstWithoutEnvoyLightStepTracer;
        var inputs = new List<PlanInput>
        {
            EmulatedCluster.Input(istioVersion, "default", "bookinfo"),
            EmulatedCluster.Input(istioVersion, "bookinfo") with { Product = LightStepProduct.PublicTracing, SatelliteAddress = PlanInput.PublicSatelliteAddress, CaCertificatePem = null, Secure = tlsWithoutCa },
            EmulatedCluster.Input(istioVersion, "default") with { Secure = false },
            EmulatedCluster.Input(istioVersion, "default") with { Route = SpanRoute.Collector },
        };
        var plans = inputs.Where(i => PlanBuilder.Refusal(i) is null).Select(PlanBuilder.Build).ToList();
        Assert.True(plans.Count >= 3);

        foreach (var plan in plans)
        foreach (var target in Enum.GetValues<IstioApplyTarget>())
        foreach (var r in ClusterRequirements.For(plan, target))
            Assert.Contains((r.Verb, r.Group, r.Resource, r.Namespace), granted);
    }

    [Fact]
    public void Each_role_is_bound_to_the_console_service_account_declared_in_console_yaml()
    {
        var objects = KubernetesYaml.LoadAllFromString(Repository.Read(RbacFile), strict: true);
        var account = KubernetesYaml.LoadAllFromString(Repository.Read("deploy/kubernetes/console.yaml"), strict: true).OfType<V1ServiceAccount>().Single();
        var roles = objects.OfType<V1Role>().ToList();
        var bindings = objects.OfType<V1RoleBinding>().ToList();

        Assert.NotEmpty(roles);
        Assert.Equal(roles.Select(r => r.Metadata.NamespaceProperty), bindings.Select(b => b.Metadata.NamespaceProperty));
        foreach (var binding in bindings)
        {
            Assert.Equal(("Role", InClusterRbac.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
            var subject = Assert.Single(binding.Subjects);
            Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (subject.Kind, subject.Name, subject.NamespaceProperty));
        }
        var clusterBinding = Assert.Single(objects.OfType<V1ClusterRoleBinding>());
        Assert.Equal(("ClusterRole", InClusterRbac.Name), (clusterBinding.RoleRef.Kind, clusterBinding.RoleRef.Name));
        var clusterSubject = Assert.Single(clusterBinding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (clusterSubject.Kind, clusterSubject.Name, clusterSubject.NamespaceProperty));
    }

    [Fact]
    public void Cluster_wide_the_console_may_only_manage_namespaces_and_list_services_and_nodes()
    {
        var objects = KubernetesYaml.LoadAllFromString(Repository.Read(RbacFile), strict: true);

        var rules = Assert.Single(objects.OfType<V1ClusterRole>()).Rules
            .Select(r => $"{string.Join(",", r.ApiGroups)}/{string.Join(",", r.Resources)}: {string.Join(",", r.Verbs)}");

        Assert.Equal(["/namespaces: get,create,patch,update,delete", "/services: list", "/nodes: list"], rules);
    }

    [Fact]
    public async Task The_rbac_verb_prints_the_generated_objects()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CommandLine.RunAsync(["rbac", "--namespace", "default", "--namespace", "shop"], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr.ToString());
        Assert.Equal(InClusterRbac.Yaml(["default", "shop"]), stdout.ToString());
        Assert.Contains("-- rbac --namespace default --namespace shop > deploy/kubernetes/rbac.yaml", stdout.ToString());
    }

    [Fact]
    public async Task The_rbac_verb_with_team_sessions_adds_the_session_store_role_and_says_so_in_its_header()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CommandLine.RunAsync(["rbac", "--namespace", "default", "--team-sessions"], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Equal(InClusterRbac.Yaml(["default"], teamSessions: true), stdout.ToString());
        Assert.Contains("-- rbac --namespace default --team-sessions > deploy/kubernetes/rbac.yaml", stdout.ToString());
        var granted = Granted(KubernetesYaml.LoadAllFromString(stdout.ToString(), strict: true));
        Assert.Contains(("update", "", "configmaps", InClusterRbac.ConsoleNamespace), granted);
        Assert.Contains(("create", "", "secrets", (string?)null), granted);
        Assert.DoesNotContain(("create", "", "secrets", (string?)null), Granted(InClusterRbac.Build(["default"])));
    }

    [Fact]
    public async Task The_rbac_verb_refuses_invalid_namespaces_naming_the_option()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CommandLine.RunAsync(["rbac", "--namespace", "Shop_1", "--console-namespace", "a.b"], stdout, stderr);

        Assert.Equal(CommandLine.InvalidInput, exit);
        Assert.Equal("", stdout.ToString());
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("--namespace: ", lines[0]);
        Assert.Contains("Shop_1", lines[0]);
        Assert.StartsWith("--console-namespace: ", lines[1]);
    }
}
