using k8s;
using k8s.Models;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Cluster.ClusterFixtures;

namespace MeshConsole.Domain.Tests.Cluster;

public class ClusterRequirementsTests
{
    private static IstioResource Istio(string apiVersion, string kind, string name = "lightstep-tracing") => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "istio-system" },
    };

    private static V1Secret Secret(string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = "lightstep.cacert", NamespaceProperty = ns },
    };

    /// <summary>An extension-provider plan for namespaces default and bookinfo, written out so PlanBuilder's later choices do not move it.</summary>
    private static Plan ProviderPlan(params string[] secretNamespaces) => new(
        IstioFormChoice.For(new IstioVersion(1, 20, 0)),
        [
            .. secretNamespaces.Select(ns => new PlannedObject(Secret(ns), PlannedObjectRole.CaCertificateSecret, ApplyTool.Kubectl)),
            new PlannedObject(Istio("install.istio.io/v1alpha1", "IstioOperator"), PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl),
            new PlannedObject(Istio("networking.istio.io/v1beta1", "ServiceEntry"), PlannedObjectRole.TracingServiceEntry, ApplyTool.Kubectl),
            new PlannedObject(Istio("networking.istio.io/v1beta1", "DestinationRule"), PlannedObjectRole.TracingDestinationRule, ApplyTool.Kubectl),
            new PlannedObject(Istio("telemetry.istio.io/v1alpha1", "Telemetry", "mesh-default"), PlannedObjectRole.TracingTelemetry, ApplyTool.Kubectl),
        ],
        [],
        [new PlanNote("Note.IstioctlReplacesConfiguration"), new PlanNote("Note.RestartWorkloads", "default bookinfo")],
        [Token]) { Namespaces = ["default", "bookinfo"] };

    private static string Row(AccessRequirement r) => $"{r.Verb} {(r.Group.Length == 0 ? "core" : r.Group)}/{r.Resource} {r.Namespace ?? "(cluster)"} {r.PurposeCode}";

    /// <summary>Server-side apply creates ("create") or changes ("patch"); undo restores ("update") or removes ("delete").</summary>
    private static IEnumerable<string> ObjectRows(string groupResource, string ns) =>
    [
        $"get {groupResource} {ns} Access.ReadPlannedObject",
        $"create {groupResource} {ns} Access.ApplyPlannedObject",
        $"patch {groupResource} {ns} Access.ApplyPlannedObject",
        $"update {groupResource} {ns} Access.UndoPlannedObject",
        $"delete {groupResource} {ns} Access.UndoPlannedObject",
    ];

    private static readonly string[] SecretRows = [.. ObjectRows("core/secrets", "default"), .. ObjectRows("core/secrets", "bookinfo")];

    private static readonly string[] IstioObjectRows =
    [
        .. ObjectRows("networking.istio.io/serviceentries", "istio-system"),
        .. ObjectRows("networking.istio.io/destinationrules", "istio-system"),
        .. ObjectRows("telemetry.istio.io/telemetries", "istio-system"),
    ];

    private static string[] JournalRows(string ns) =>
    [
        $"get core/secrets {ns} Access.UndoJournal",
        $"create core/secrets {ns} Access.UndoJournal",
        $"patch core/secrets {ns} Access.UndoJournal",
        $"delete core/secrets {ns} Access.UndoJournal",
    ];

    private static readonly string[] PreflightAndWorkloadRows =
    [
        "list apps/deployments istio-system Access.FindIstio",
        "list install.istio.io/istiooperators istio-system Access.FindIstio",
        "list core/pods default Access.ListWorkloads",
        "list apps/deployments default Access.ListWorkloads",
        "patch apps/deployments default Access.RestartWorkloads",
        "list core/pods bookinfo Access.ListWorkloads",
        "list apps/deployments bookinfo Access.ListWorkloads",
        "patch apps/deployments bookinfo Access.RestartWorkloads",
    ];

    public static TheoryData<IstioApplyTarget, string?, string[]> Targets => new()
    {
        {
            IstioApplyTarget.MeshConfigMaps, null,
            ["get core/configmaps istio-system Access.ReadMeshConfig", "patch core/configmaps istio-system Access.PatchMeshConfig",
             "update core/configmaps istio-system Access.UndoIstioSettings",
             "list telemetry.istio.io/telemetries istio-system Access.MeshChecks", "list telemetry.istio.io/telemetries default Access.MeshChecks", "list telemetry.istio.io/telemetries bookinfo Access.MeshChecks"]
        },
        {
            IstioApplyTarget.IstioOperatorResource, null,
            ["get install.istio.io/istiooperators istio-system Access.ReadIstioOperator", "patch install.istio.io/istiooperators istio-system Access.PatchIstioOperator",
             "update install.istio.io/istiooperators istio-system Access.UndoIstioSettings",
             "list telemetry.istio.io/telemetries istio-system Access.MeshChecks", "list telemetry.istio.io/telemetries default Access.MeshChecks", "list telemetry.istio.io/telemetries bookinfo Access.MeshChecks"]
        },
        {
            IstioApplyTarget.IstioOperatorResource, "mesh-admin",
            ["get install.istio.io/istiooperators mesh-admin Access.ReadIstioOperator", "patch install.istio.io/istiooperators mesh-admin Access.PatchIstioOperator",
             "update install.istio.io/istiooperators mesh-admin Access.UndoIstioSettings",
             "list telemetry.istio.io/telemetries mesh-admin Access.MeshChecks", "list telemetry.istio.io/telemetries default Access.MeshChecks", "list telemetry.istio.io/telemetries bookinfo Access.MeshChecks"]
        },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_permission_once_in_a_stable_order(IstioApplyTarget target, string? istioNamespace, string[] istioRows)
    {
        var requirements = ClusterRequirements.For(ProviderPlan("default", "bookinfo"), target, istioNamespace);

        // The journal lives next to the detected Istio (JournalLocation.ForCluster), wherever that is.
        Assert.Equal([.. SecretRows, .. IstioObjectRows, .. istioRows, .. JournalRows(istioNamespace ?? "istio-system"), .. PreflightAndWorkloadRows], requirements.Select(Row));
    }

    private static readonly string[] BookinfoWatchRows =
    [
        "list apps/deployments shop Access.WatchBookinfo",
        "list core/pods shop Access.WatchBookinfo",
        "list core/events shop Access.WatchBookinfo",
        "list core/services (cluster) Access.FindIngressGateway",
        "list core/nodes (cluster) Access.FindIngressGateway",
    ];

    [Theory]
    [InlineData(IstioApplyTarget.MeshConfigMaps)]
    [InlineData(IstioApplyTarget.IstioOperatorResource)]
    public void A_bookinfo_plan_needs_its_namespace_its_objects_and_what_the_wait_and_gateway_discovery_read_but_no_istio_settings(IstioApplyTarget target)
    {
        var plan = PlanBuilder.BuildBookinfo(new MeshConsole.Domain.Bookinfo.BookinfoInput("shop", new IstioVersion(1, 26, 0)));

        var rows = ClusterRequirements.For(plan, target).Select(Row);

        Assert.Equal(
        [
            .. ObjectRows("core/namespaces", "(cluster)"),
            .. ObjectRows("core/serviceaccounts", "shop"),
            .. ObjectRows("core/services", "shop"),
            .. ObjectRows("apps/deployments", "shop"),
            .. ObjectRows("networking.istio.io/gateways", "shop"),
            .. ObjectRows("networking.istio.io/virtualservices", "shop"),
            .. JournalRows("istio-system"),
            "list apps/deployments istio-system Access.FindIstio",
            "list install.istio.io/istiooperators istio-system Access.FindIstio",
            .. BookinfoWatchRows,
        ], rows);
    }

    [Fact]
    public void Without_istio_a_bookinfo_plan_skips_the_gateway_and_virtual_service_and_keeps_the_journal_in_default()
    {
        var plan = PlanBuilder.BuildBookinfo(new MeshConsole.Domain.Bookinfo.BookinfoInput("shop", new IstioVersion(1, 26, 0)));

        var rows = ClusterRequirements.For(plan, IstioApplyTarget.None).Select(Row).ToList();

        Assert.DoesNotContain(rows, r => r.Contains("istio.io/", StringComparison.Ordinal) && !r.Contains("FindIstio", StringComparison.Ordinal));
        Assert.Equal(JournalRows("default"), rows.Where(r => r.EndsWith("Access.UndoJournal", StringComparison.Ordinal)));
        Assert.Equal(BookinfoWatchRows, rows.TakeLast(BookinfoWatchRows.Length));
    }

    [Fact]
    public void Without_istio_only_the_namespace_secrets_are_required_and_the_journal_moves_to_default()
    {
        var requirements = ClusterRequirements.For(ProviderPlan("default", "bookinfo"), IstioApplyTarget.None);

        // The journal's permissions on Secrets in "default" are already required for the planned Secret there.
        Assert.Equal([.. SecretRows, .. PreflightAndWorkloadRows], requirements.Select(Row));
        Assert.Equal(JournalRows("default").Select(r => r.Split(' ')[0]).Order(),
            requirements.Where(r => r is { Resource: "secrets", Namespace: "default" } && r.Verb != "update").Select(r => r.Verb).Order());
    }

    [Theory]
    [InlineData(IstioApplyTarget.MeshConfigMaps, "", "configmaps")]
    [InlineData(IstioApplyTarget.IstioOperatorResource, "install.istio.io", "istiooperators")]
    public void Apply_may_create_and_undo_restores_with_update(IstioApplyTarget target, string settingsGroup, string settingsResource)
    {
        var requirements = ClusterRequirements.For(ProviderPlan("bookinfo"), target);

        // Server-side apply that creates an object is authorized as "create"; undo PUTs the previous object back ("update").
        foreach (var (group, resource, ns) in new[] { ("", "secrets", "bookinfo"), ("networking.istio.io", "serviceentries", "istio-system"),
                     ("networking.istio.io", "destinationrules", "istio-system"), ("telemetry.istio.io", "telemetries", "istio-system") })
        {
            Assert.Single(requirements, r => r.Verb == "create" && r.Group == group && r.Resource == resource && r.Namespace == ns && r.PurposeCode == "Access.ApplyPlannedObject");
            Assert.Single(requirements, r => r.Verb == "update" && r.Group == group && r.Resource == resource && r.Namespace == ns && r.PurposeCode == "Access.UndoPlannedObject");
        }
        var undoSettings = Assert.Single(requirements, r => r.PurposeCode == "Access.UndoIstioSettings");
        Assert.Equal(("update", settingsGroup, settingsResource, "istio-system"), (undoSettings.Verb, undoSettings.Group, undoSettings.Resource, undoSettings.Namespace));
    }

    [Fact]
    public void Without_istio_the_istio_objects_are_skipped_and_the_journal_is_kept_in_default()
    {
        // A Secret planned for istio-system is Istio-specific too; bookinfo's Secret does not overlap the journal in default.
        var requirements = ClusterRequirements.For(ProviderPlan("bookinfo", "istio-system"), IstioApplyTarget.None);

        Assert.Equal([.. ObjectRows("core/secrets", "bookinfo"), .. JournalRows("default"), .. PreflightAndWorkloadRows], requirements.Select(Row));
        Assert.DoesNotContain(requirements, r => r.PurposeCode == "Access.UndoIstioSettings");
    }

    [Fact]
    public void A_permission_needed_twice_is_listed_once_with_its_first_purpose()
    {
        var requirements = ClusterRequirements.For(ProviderPlan("default", "istio-system"), IstioApplyTarget.MeshConfigMaps);

        var istioSecrets = requirements.Where(r => r is { Resource: "secrets", Namespace: "istio-system" }).Select(Row);
        Assert.Equal(ObjectRows("core/secrets", "istio-system"), istioSecrets);
        Assert.Equal(requirements.Count, requirements.DistinctBy(r => (r.Verb, r.Group, r.Resource, r.Namespace)).Count());
    }

    [Fact]
    public void The_overlay_is_not_applied_as_an_object_and_selfsubjectaccessreviews_are_never_asked_for()
    {
        var requirements = ClusterRequirements.For(ProviderPlan("default"), IstioApplyTarget.MeshConfigMaps);

        // Preflight lists IstioOperators to learn how Istio was installed; only the operator target may change one.
        Assert.DoesNotContain(requirements, r => r.Resource == "istiooperators" && r.Verb != "list");
        Assert.DoesNotContain(requirements, r => r.Resource == "selfsubjectaccessreviews");
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.14")]
    [InlineData("1.22")]
    [InlineData("1.28")]
    public void Real_plans_cover_every_kubectl_object_and_every_chosen_namespace(string version)
    {
        var plan = PublicPlan(version, "shop", "bookinfo");

        var requirements = ClusterRequirements.For(plan, IstioApplyTarget.MeshConfigMaps);

        foreach (var o in plan.Objects.Where(o => o.AppliedWith == ApplyTool.Kubectl && o.Role != PlannedObjectRole.WorkloadNamespace))
        {
            foreach (var verb in new[] { "get", "create", "patch", "update", "delete" })
                Assert.Contains(requirements, r => r.Verb == verb && r.Resource == ClusterRequirements.ResourceOf(o.Kind) && r.Namespace == o.Namespace
                    && r.Group == ClusterRequirements.GroupOf(o.Resource.ApiVersion));
        }
        foreach (var ns in new[] { "shop", "bookinfo" })
            Assert.Contains(requirements, r => r is { Verb: "patch", Group: "apps", Resource: "deployments" } && r.Namespace == ns);
    }

    [Fact]
    public void Applying_into_existing_namespaces_needs_no_right_over_namespaces()
    {
        // The console creates a chosen namespace only where it is missing; a namespace admin can still apply.
        var plan = PublicPlan("1.14", "shop");

        Assert.Contains(plan.Objects, o => o.Role == PlannedObjectRole.WorkloadNamespace);
        Assert.DoesNotContain(ClusterRequirements.For(plan, IstioApplyTarget.MeshConfigMaps), r => r.Resource == "namespaces");
    }

    [Fact]
    public void The_workload_namespaces_are_the_plans_own_not_the_restart_notes_or_the_ca_secrets()
    {
        // A note is display text (its argument may be localized or reworded); the plan's namespaces are the fact.
        var plan = ProviderPlan("default", "bookinfo") with { Namespaces = ["shop"] };

        var requirements = ClusterRequirements.For(plan, IstioApplyTarget.MeshConfigMaps);

        Assert.Equal(["shop"], requirements.Where(r => r.Resource == "pods").Select(r => r.Namespace));
        Assert.Equal(["istio-system", "shop"], requirements.Where(r => r.PurposeCode == "Access.MeshChecks").Select(r => r.Namespace));
    }

    [Theory]
    [InlineData(IstioApplyTarget.MeshConfigMaps, "mesh-admin", "mesh-admin")]
    [InlineData(IstioApplyTarget.IstioOperatorResource, "mesh-admin", "mesh-admin")]
    [InlineData(IstioApplyTarget.MeshConfigMaps, null, "istio-system")]
    [InlineData(IstioApplyTarget.None, "mesh-admin", "default")]
    public void The_journal_is_required_where_it_will_be_written(IstioApplyTarget target, string? istioNamespace, string journalNamespace)
    {
        var plan = PlanBuilder.BuildBookinfo(new MeshConsole.Domain.Bookinfo.BookinfoInput("shop", new IstioVersion(1, 26, 0)));

        var requirements = ClusterRequirements.For(plan, target, istioNamespace);

        Assert.Equal(JournalRows(journalNamespace), requirements.Where(r => r.PurposeCode == "Access.UndoJournal").Select(Row));
    }

    [Theory]
    [InlineData("v1", "")]
    [InlineData("networking.istio.io/v1beta1", "networking.istio.io")]
    [InlineData("telemetry.istio.io/v1", "telemetry.istio.io")]
    [InlineData("apps/v1", "apps")]
    public void Group_of_an_api_version(string apiVersion, string group) => Assert.Equal(group, ClusterRequirements.GroupOf(apiVersion));

    [Theory]
    [InlineData("Secret", "secrets")]
    [InlineData("ConfigMap", "configmaps")]
    [InlineData("ServiceEntry", "serviceentries")]
    [InlineData("DestinationRule", "destinationrules")]
    [InlineData("Telemetry", "telemetries")]
    [InlineData("IstioOperator", "istiooperators")]
    [InlineData("NetworkPolicy", "networkpolicies")]
    [InlineData("Ingress", "ingresses")]
    [InlineData("Gateway", "gateways")]
    public void Resource_of_a_kind(string kind, string resource) => Assert.Equal(resource, ClusterRequirements.ResourceOf(kind));

    [Fact]
    public void One_role_and_binding_per_namespace_and_resource_with_all_its_verbs()
    {
        var requirements = ClusterRequirements.For(ProviderPlan("default", "bookinfo"), IstioApplyTarget.MeshConfigMaps);

        var fixes = AccessRequirement.ToKubectlFixes(requirements, "alice@example.com");

        Assert.Equal(
        [
            "kubectl create role lightstep-console-secrets --verb=get,create,patch,update,delete --resource=secrets -n default\n" +
            "kubectl create rolebinding lightstep-console-secrets --role=lightstep-console-secrets --user=alice@example.com -n default",
            "kubectl create role lightstep-console-secrets --verb=get,create,patch,update,delete --resource=secrets -n bookinfo\n" +
            "kubectl create rolebinding lightstep-console-secrets --role=lightstep-console-secrets --user=alice@example.com -n bookinfo",
            "kubectl create role lightstep-console-serviceentries.networking.istio.io --verb=get,create,patch,update,delete --resource=serviceentries.networking.istio.io -n istio-system\n" +
            "kubectl create rolebinding lightstep-console-serviceentries.networking.istio.io --role=lightstep-console-serviceentries.networking.istio.io --user=alice@example.com -n istio-system",
            "kubectl create role lightstep-console-destinationrules.networking.istio.io --verb=get,create,patch,update,delete --resource=destinationrules.networking.istio.io -n istio-system\n" +
            "kubectl create rolebinding lightstep-console-destinationrules.networking.istio.io --role=lightstep-console-destinationrules.networking.istio.io --user=alice@example.com -n istio-system",
            "kubectl create role lightstep-console-telemetries.telemetry.istio.io --verb=get,create,patch,update,delete,list --resource=telemetries.telemetry.istio.io -n istio-system\n" +
            "kubectl create rolebinding lightstep-console-telemetries.telemetry.istio.io --role=lightstep-console-telemetries.telemetry.istio.io --user=alice@example.com -n istio-system",
            "kubectl create role lightstep-console-configmaps --verb=get,patch,update --resource=configmaps -n istio-system\n" +
            "kubectl create rolebinding lightstep-console-configmaps --role=lightstep-console-configmaps --user=alice@example.com -n istio-system",
            "kubectl create role lightstep-console-telemetries.telemetry.istio.io --verb=list --resource=telemetries.telemetry.istio.io -n default\n" +
            "kubectl create rolebinding lightstep-console-telemetries.telemetry.istio.io --role=lightstep-console-telemetries.telemetry.istio.io --user=alice@example.com -n default",
            "kubectl create role lightstep-console-telemetries.telemetry.istio.io --verb=list --resource=telemetries.telemetry.istio.io -n bookinfo\n" +
            "kubectl create rolebinding lightstep-console-telemetries.telemetry.istio.io --role=lightstep-console-telemetries.telemetry.istio.io --user=alice@example.com -n bookinfo",
            "kubectl create role lightstep-console-secrets --verb=get,create,patch,delete --resource=secrets -n istio-system\n" +
            "kubectl create rolebinding lightstep-console-secrets --role=lightstep-console-secrets --user=alice@example.com -n istio-system",
            "kubectl create role lightstep-console-deployments.apps --verb=list --resource=deployments.apps -n istio-system\n" +
            "kubectl create rolebinding lightstep-console-deployments.apps --role=lightstep-console-deployments.apps --user=alice@example.com -n istio-system",
            "kubectl create role lightstep-console-istiooperators.install.istio.io --verb=list --resource=istiooperators.install.istio.io -n istio-system\n" +
            "kubectl create rolebinding lightstep-console-istiooperators.install.istio.io --role=lightstep-console-istiooperators.install.istio.io --user=alice@example.com -n istio-system",
            "kubectl create role lightstep-console-pods --verb=list --resource=pods -n default\n" +
            "kubectl create rolebinding lightstep-console-pods --role=lightstep-console-pods --user=alice@example.com -n default",
            "kubectl create role lightstep-console-deployments.apps --verb=list,patch --resource=deployments.apps -n default\n" +
            "kubectl create rolebinding lightstep-console-deployments.apps --role=lightstep-console-deployments.apps --user=alice@example.com -n default",
            "kubectl create role lightstep-console-pods --verb=list --resource=pods -n bookinfo\n" +
            "kubectl create rolebinding lightstep-console-pods --role=lightstep-console-pods --user=alice@example.com -n bookinfo",
            "kubectl create role lightstep-console-deployments.apps --verb=list,patch --resource=deployments.apps -n bookinfo\n" +
            "kubectl create rolebinding lightstep-console-deployments.apps --role=lightstep-console-deployments.apps --user=alice@example.com -n bookinfo",
        ], fixes);
    }

    [Theory]
    [InlineData("alice@example.com", "--user=alice@example.com")]
    [InlineData("system:serviceaccount:tools:mesh-console", "--serviceaccount=tools:mesh-console")]
    [InlineData("Jane Doe", "--user='Jane Doe'")]
    [InlineData("o'brien", "--user='o'\\''brien'")]
    [InlineData("system:serviceaccount:broken", "--user=system:serviceaccount:broken")]
    public void The_binding_names_the_user_safely_for_a_shell(string user, string subject)
    {
        var fix = new AccessRequirement("patch", "", "configmaps", "istio-system", "Access.PatchMeshConfig").ToKubectlFix(user);

        Assert.Equal(
            "kubectl create role lightstep-console-configmaps --verb=patch --resource=configmaps -n istio-system\n" +
            $"kubectl create rolebinding lightstep-console-configmaps --role=lightstep-console-configmaps {subject} -n istio-system",
            fix);
    }

    [Fact]
    public void A_cluster_scoped_permission_gets_a_cluster_role()
    {
        var fix = new AccessRequirement("get", "apiextensions.k8s.io", "customresourcedefinitions", null, "Access.ReadCrds").ToKubectlFix("alice");

        Assert.Equal(
            "kubectl create clusterrole lightstep-console-customresourcedefinitions.apiextensions.k8s.io --verb=get --resource=customresourcedefinitions.apiextensions.k8s.io\n" +
            "kubectl create clusterrolebinding lightstep-console-customresourcedefinitions.apiextensions.k8s.io --clusterrole=lightstep-console-customresourcedefinitions.apiextensions.k8s.io --user=alice",
            fix);
    }

    [Fact]
    public void Rbac_rule()
    {
        var (groups, resources, verbs) = new AccessRequirement("patch", "networking.istio.io", "serviceentries", "istio-system", "Access.ApplyPlannedObject").ToRbacRule();

        Assert.Equal(["networking.istio.io"], groups);
        Assert.Equal(["serviceentries"], resources);
        Assert.Equal(["patch"], verbs);
        Assert.Equal([""], new AccessRequirement("get", "", "secrets", "default", "x").ToRbacRule().ApiGroups);
    }

    [Fact]
    public void A_blank_user_is_refused() =>
        Assert.ThrowsAny<ArgumentException>(() => new AccessRequirement("get", "", "secrets", "default", "x").ToKubectlFix(" "));
}
