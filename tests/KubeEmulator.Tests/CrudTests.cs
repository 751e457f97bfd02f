using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

public class CrudTests
{
    private static V1ConfigMap ConfigMap(string name, IDictionary<string, string>? labels = null, string value = "v") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    [Fact]
    public async Task Create_get_and_list_with_label_and_field_selectors()
    {
        await using var cluster = await TestCluster.StartAsync();
        var core = cluster.Client.CoreV1;
        await core.CreateNamespacedConfigMapAsync(ConfigMap("web-fe", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe" }), "default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("web-be", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "be" }), "default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("db", new Dictionary<string, string> { ["app"] = "db" }), "default");

        var read = await core.ReadNamespacedConfigMapAsync("web-fe", "default");
        Assert.Equal("v", read.Data["key"]);
        Assert.Equal("ConfigMap", read.Kind);
        Assert.Equal("v1", read.ApiVersion);
        Assert.True(Guid.TryParse(read.Metadata.Uid, out _));
        Assert.NotNull(read.Metadata.CreationTimestamp);
        Assert.Equal(1, read.Metadata.Generation);
        Assert.True(long.Parse(read.Metadata.ResourceVersion) > 0);

        async Task<string[]> Names(string? labelSelector = null, string? fieldSelector = null) =>
            (await core.ListNamespacedConfigMapAsync("default", labelSelector: labelSelector, fieldSelector: fieldSelector))
            .Items.Select(c => c.Metadata.Name).Where(n => n != "kube-root-ca.crt").ToArray();

        Assert.Equal(["db", "web-be", "web-fe"], await Names());
        Assert.Equal(["web-be", "web-fe"], await Names("app=web"));
        Assert.Equal(["web-fe"], await Names("app==web,tier in (fe)"));
        Assert.Equal(["db", "web-be"], await Names("tier!=fe"));
        Assert.Equal(["db"], await Names("tier notin (fe, be),app"));
        Assert.Equal(["web-be", "web-fe"], await Names("tier"));
        Assert.Equal(["db"], await Names("!tier"));
        Assert.Equal(["web-be"], await Names(fieldSelector: "metadata.name=web-be"));
        Assert.Equal(["db", "web-fe"], await Names(fieldSelector: "metadata.name!=web-be,metadata.namespace=default"));

        var list = await core.ListNamespacedConfigMapAsync("default");
        Assert.Equal(cluster.Emulator.Store.ResourceVersion.ToString(), list.Metadata.ResourceVersion);

        var everywhere = await core.ListConfigMapForAllNamespacesAsync(labelSelector: "app=db");
        Assert.Single(everywhere.Items);
    }

    [Fact]
    public async Task Creating_an_existing_object_is_409_AlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default");

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default"));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("AlreadyExists", status["reason"]!.GetValue<string>());
        Assert.Equal("configmaps \"twice\" already exists", status["message"]!.GetValue<string>());
        Assert.Equal("configmaps", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_with_a_stale_resourceVersion_is_409_Conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        var core = cluster.Client.CoreV1;
        var created = await core.CreateNamespacedConfigMapAsync(ConfigMap("cm"), "default");

        created.Data["key"] = "second";
        var updated = await core.ReplaceNamespacedConfigMapAsync(created, "cm", "default");
        Assert.True(long.Parse(updated.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
        Assert.Equal(2, updated.Metadata.Generation);

        created.Data["key"] = "stale";
        var (code, status) = await FailsWith(() => core.ReplaceNamespacedConfigMapAsync(created, "cm", "default"));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Equal(
            "Operation cannot be fulfilled on configmaps \"cm\": the object has been modified; please apply your changes to the latest version and try again",
            status["message"]!.GetValue<string>());
        Assert.Equal("second", (await core.ReadNamespacedConfigMapAsync("cm", "default")).Data["key"]);
    }

    [Fact]
    public async Task Put_that_changes_nothing_keeps_the_resourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("same"), "default");

        var replaced = await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", "default");

        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Namespaced_create_needs_an_existing_namespace()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x"), "nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("namespaces \"nowhere\" not found", status["message"]!.GetValue<string>());
        Assert.Equal("namespaces", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Secret_stringData_is_stored_as_base64_data_and_never_returned()
    {
        await using var cluster = await TestCluster.StartAsync();
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            StringData = new Dictionary<string, string> { ["token"] = "s3cr3t" },
            Data = new Dictionary<string, byte[]> { ["other"] = Encoding.UTF8.GetBytes("x") },
        };

        var created = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        Assert.Null(created.StringData);
        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(created.Data["token"]));
        Assert.Equal("Opaque", created.Type);
        var stored = cluster.Emulator.Store.Get("v1", "Secret", "default", "creds")!;
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t")), stored["data"]!["token"]!.GetValue<string>());
        Assert.Null(stored["stringData"]);
    }

    [Fact]
    public async Task Delete_returns_a_Success_status_then_the_object_is_gone()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("doomed"), "default");

        var status = await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("doomed", "default");

        Assert.Equal("Success", status.Status);
        Assert.Equal("doomed", status.Details.Name);
        Assert.Equal("configmaps", status.Details.Kind);
        Assert.Equal(created.Metadata.Uid, status.Details.Uid);
        Assert.Null(cluster.Emulator.Store.Get("v1", "ConfigMap", "default", "doomed"));
        var (code, notFound) = await FailsWith(() => cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("doomed", "default"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("configmaps \"doomed\" not found", notFound["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_namespace_removes_its_objects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("inside"), "team-a");

        // Like kube-apiserver, the answer is the Namespace (phase Terminating), not a Status, so KubernetesClient's
        // DeleteNamespaceAsync (typed V1Status) cannot parse it; use plain HTTP here.
        var deleted = await cluster.RawAsync(HttpMethod.Delete, "/api/v1/namespaces/team-a");

        Assert.Equal(HttpStatusCode.OK, deleted.Code);
        Assert.Equal("Namespace", deleted.Json["kind"]!.GetValue<string>());
        Assert.Equal("Terminating", deleted.Json["status"]!["phase"]!.GetValue<string>());
        Assert.Null(cluster.Emulator.Store.Get("v1", "ConfigMap", "team-a", "inside"));
        Assert.Null(cluster.Emulator.Store.Get("v1", "Namespace", null, "team-a"));
    }

    [Fact]
    public async Task A_deleted_namespace_terminates_refuses_new_content_and_goes_once_the_controller_is_done()
    {
        await using var cluster = await TestCluster.StartAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        cluster.Emulator.Namespaces.Configure(TimeSpan.FromSeconds(5), clock);
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("inside"), "team-a");

        var deleted = await cluster.RawAsync(HttpMethod.Delete, "/api/v1/namespaces/team-a");

        Assert.Equal("Terminating", deleted.Json["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05Z", deleted.Json["metadata"]!["deletionTimestamp"]!.GetValue<string>());
        var live = await cluster.Client.CoreV1.ReadNamespaceAsync("team-a");
        Assert.Equal("Terminating", live.Status.Phase);
        Assert.Equal(["kubernetes"], live.Spec.Finalizers);
        // An object already there may still be read and changed; a new one is refused by the namespace lifecycle admission.
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("inside", "team-a"));
        var (code, refused) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("late"), "team-a"));
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", refused["reason"]!.GetValue<string>());
        Assert.Equal("configmaps \"late\" is forbidden: unable to create new content in namespace team-a because it is being terminated", refused["message"]!.GetValue<string>());
        Assert.Equal("NamespaceTerminating", refused["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        var applied = await cluster.RawAsync(HttpMethod.Patch, "/api/v1/namespaces/team-a/configmaps/applied?fieldManager=test",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"}}""", "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Forbidden, applied.Code);
        var again = await cluster.RawAsync(HttpMethod.Delete, "/api/v1/namespaces/team-a");
        Assert.Equal(HttpStatusCode.Conflict, again.Code);
        Assert.Equal("Operation cannot be fulfilled on namespaces \"team-a\": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.",
            again.Json["message"]!.GetValue<string>());

        clock.Advance(TimeSpan.FromSeconds(5));

        var (gone, _) = await FailsWith(() => cluster.Client.CoreV1.ReadNamespaceAsync("team-a"));
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Null(cluster.Emulator.Store.Get("v1", "ConfigMap", "team-a", "inside"));
    }

    [Fact]
    public async Task A_held_namespace_loses_its_content_but_stays_terminating_until_released()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Emulator.Namespaces.Hold("team-a");
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("inside"), "team-a");

        await cluster.RawAsync(HttpMethod.Delete, "/api/v1/namespaces/team-a");

        Assert.Equal("Terminating", (await cluster.Client.CoreV1.ReadNamespaceAsync("team-a")).Status.Phase);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("team-a")).Items);

        cluster.Emulator.Namespaces.Release("team-a");

        var (gone, _) = await FailsWith(() => cluster.Client.CoreV1.ReadNamespaceAsync("team-a"));
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task Created_namespaces_get_the_defaults_of_a_real_cluster()
    {
        await using var cluster = await TestCluster.StartAsync();

        var ns = await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "observability" } });

        Assert.Equal("Active", ns.Status.Phase);
        Assert.Equal("observability", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
    }

    [Fact]
    public async Task Merge_json_and_strategic_merge_patches()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);
        var apps = cluster.Client.AppsV1;

        // Strategic merge: the containers list is merged by name, other containers and fields stay.
        var strategic = """
            {"spec":{"template":{"spec":{"containers":[{"name":"discovery","env":[{"name":"PILOT_TRACE_SAMPLING","value":"50"}]}]}}}}
            """;
        var patched = await apps.PatchNamespacedDeploymentAsync(new V1Patch(strategic, V1Patch.PatchType.StrategicMergePatch), "istiod", "istio-system");
        var discovery = Assert.Single(patched.Spec.Template.Spec.Containers);
        Assert.Equal("docker.io/istio/pilot:1.7.8", discovery.Image);
        Assert.Equal("50", discovery.Env.Single(e => e.Name == "PILOT_TRACE_SAMPLING").Value);
        Assert.Contains(discovery.Env, e => e.Name == "REVISION");
        Assert.Equal(2, patched.Metadata.Generation);

        // Merge patch: lists are replaced wholesale.
        var merge = """{"metadata":{"labels":{"patched":"yes","release":null}}}""";
        patched = await apps.PatchNamespacedDeploymentAsync(new V1Patch(merge, V1Patch.PatchType.MergePatch), "istiod", "istio-system");
        Assert.Equal("yes", patched.Metadata.Labels["patched"]);
        Assert.False(patched.Metadata.Labels.ContainsKey("release"));
        Assert.Equal(2, patched.Metadata.Generation); // metadata changes do not bump generation

        // JSON patch.
        var json = """[{"op":"replace","path":"/spec/replicas","value":3},{"op":"test","path":"/metadata/labels/patched","value":"yes"}]""";
        patched = await apps.PatchNamespacedDeploymentAsync(new V1Patch(json, V1Patch.PatchType.JsonPatch), "istiod", "istio-system");
        Assert.Equal(3, patched.Spec.Replicas);

        var failingTest = """[{"op":"test","path":"/spec/replicas","value":1}]""";
        var (code, status) = await FailsWith(() =>
            apps.PatchNamespacedDeploymentAsync(new V1Patch(failingTest, V1Patch.PatchType.JsonPatch), "istiod", "istio-system"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());

        var update = cluster.Emulator.Store.Get("apps/v1", "Deployment", "istio-system", "istiod")!["metadata"]!["managedFields"]!.AsArray()
            .Single(e => e!["operation"]!.GetValue<string>() == "Update" && e["manager"]!.GetValue<string>() == "kubernetes-csharp");
        Assert.NotNull(update!["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public async Task Patch_with_a_stale_resourceVersion_is_409()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cm"), "default");

        var (code, _) = await FailsWith(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"resourceVersion":"1"},"data":{"key":"x"}}""", V1Patch.PatchType.MergePatch), "cm", "default"));

        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Services_get_a_cluster_ip_and_port_defaults()
    {
        await using var cluster = await TestCluster.StartAsync();
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec
            {
                Type = "NodePort",
                Selector = new Dictionary<string, string> { ["app"] = "web" },
                Ports = [new V1ServicePort { Name = "http", Port = 80 }],
            },
        };

        var created = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(service, "default");

        Assert.StartsWith("10.96.", created.Spec.ClusterIP);
        var port = Assert.Single(created.Spec.Ports);
        Assert.Equal("TCP", port.Protocol);
        Assert.Equal("80", port.TargetPort.Value);
        Assert.InRange(port.NodePort!.Value, 30000, 32767);
    }
}
