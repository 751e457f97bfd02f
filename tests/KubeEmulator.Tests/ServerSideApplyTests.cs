using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

public class ServerSideApplyTests
{
    private const string Console = "mesh-console";

    private static V1Patch Apply(object body) => new(body, V1Patch.PatchType.ApplyPatch);

    private static V1ConfigMap MeshConfigMap(string mesh) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "istio", NamespaceProperty = "istio-system" },
        Data = new Dictionary<string, string> { ["mesh"] = mesh },
    };

    private static V1Secret CacertSecret(params (string Key, string Value)[] data) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = "lightstep.cacert", NamespaceProperty = "istio-system" },
        Type = "Opaque",
        Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)),
    };

    private static JsonObject ManagedEntry(JsonObject obj, string manager, string operation = "Apply") =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>()
            .Single(e => e["manager"]!.GetValue<string>() == manager && e["operation"]!.GetValue<string>() == operation);

    [Fact]
    public async Task Apply_creates_then_an_identical_apply_changes_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var core = cluster.Client.CoreV1;
        cluster.Emulator.ClearRequests();

        var created = await core.PatchNamespacedSecretAsync(Apply(CacertSecret(("cacert.pem", "PEM"))), "lightstep.cacert", "istio-system", fieldManager: Console);
        Assert.Equal(201, (int)cluster.Emulator.Requests.Single().StatusCode);
        Assert.Equal("PEM", Encoding.UTF8.GetString(created.Data["cacert.pem"]));
        var stored = cluster.Emulator.Store.Get("v1", "Secret", "istio-system", "lightstep.cacert")!;
        var entry = ManagedEntry(stored, Console);
        Assert.Equal("""{"f:data":{"f:cacert.pem":{}},"f:type":{}}""", entry["fieldsV1"]!.ToJsonString());
        Assert.Equal("v1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        var rv = cluster.Emulator.Store.ResourceVersion;

        var again = await core.PatchNamespacedSecretAsync(Apply(CacertSecret(("cacert.pem", "PEM"))), "lightstep.cacert", "istio-system", fieldManager: Console);

        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.Equal(rv, cluster.Emulator.Store.ResourceVersion);
        Assert.Equal(stored.ToJsonString(), cluster.Emulator.Store.Get("v1", "Secret", "istio-system", "lightstep.cacert")!.ToJsonString());
        Assert.Equal(200, cluster.Emulator.Requests.Last().StatusCode);
    }

    [Fact]
    public async Task Applying_a_field_istio_operator_owns_is_a_409_with_the_real_Status()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(MeshConfigMap("enableTracing: true\n")), "istio", "istio-system", fieldManager: Console));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Apply failed with 1 conflict: conflict with \"istio-operator\" using v1: .data.mesh","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"istio-operator\" using v1","field":".data.mesh"}]},"code":409}""",
            error.Response.Content);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("FieldManagerConflict", status.Details.Causes.Single().Reason);
    }

    [Fact]
    public async Task Several_conflicts_are_listed_per_manager()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);
        var configMap = MeshConfigMap("a: b\n");
        configMap.Data["meshNetworks"] = "networks: {x: {}}\n";

        var (_, status) = await FailsWith(() =>
            cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(configMap), "istio", "istio-system", fieldManager: Console));

        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"istio-operator\" using v1:\n- .data.mesh\n- .data.meshNetworks",
            status["message"]!.GetValue<string>());
        Assert.Equal([".data.mesh", ".data.meshNetworks"], status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Force_takes_ownership_from_istio_operator()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);

        var applied = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(MeshConfigMap("enableTracing: true\n")), "istio", "istio-system",
            fieldManager: Console, force: true);

        Assert.Equal("enableTracing: true\n", applied.Data["mesh"]);
        Assert.Contains("networks", applied.Data["meshNetworks"]); // not in the applied config, owned by istio-operator: kept
        var stored = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!;
        Assert.Equal("""{"f:data":{"f:mesh":{}}}""", ManagedEntry(stored, Console)["fieldsV1"]!.ToJsonString());
        var operatorFields = ManagedEntry(stored, "istio-operator")["fieldsV1"]!["f:data"]!.AsObject();
        Assert.False(operatorFields.ContainsKey("f:mesh"));
        Assert.True(operatorFields.ContainsKey("f:meshNetworks"));

        // Now the console owns it alone: a new value applies without force.
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(MeshConfigMap("enableTracing: false\n")), "istio", "istio-system", fieldManager: Console);
    }

    [Fact]
    public async Task Applying_the_value_another_manager_set_shares_ownership_without_conflict()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var current = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["mesh"]!.GetValue<string>();
        var rv = cluster.Emulator.Store.ResourceVersion;

        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(MeshConfigMap(current)), "istio", "istio-system", fieldManager: Console);

        var stored = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!;
        Assert.NotNull(ManagedEntry(stored, Console)["fieldsV1"]!["f:data"]!["f:mesh"]);
        Assert.NotNull(ManagedEntry(stored, "istio-operator")["fieldsV1"]!["f:data"]!["f:mesh"]);
        Assert.True(cluster.Emulator.Store.ResourceVersion > rv); // managedFields changed: that is a write
    }

    [Fact]
    public async Task Fields_the_applier_no_longer_applies_are_removed()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var core = cluster.Client.CoreV1;
        var first = CacertSecret(("cacert.pem", "PEM"), ("old.pem", "OLD"));
        first.Metadata.Labels = new Dictionary<string, string> { ["app"] = "mesh-console" };
        await core.PatchNamespacedSecretAsync(Apply(first), "lightstep.cacert", "istio-system", fieldManager: Console);
        // Someone else adds a key with a plain update: it is theirs and survives the console's next apply.
        await core.PatchNamespacedSecretAsync(new V1Patch("""{"data":{"theirs":"eA=="}}""", V1Patch.PatchType.MergePatch), "lightstep.cacert", "istio-system",
            fieldManager: "someone-else");

        var second = await core.PatchNamespacedSecretAsync(Apply(CacertSecret(("cacert.pem", "PEM"))), "lightstep.cacert", "istio-system", fieldManager: Console);

        Assert.Equal(["cacert.pem", "theirs"], second.Data.Keys.Order());
        Assert.Null(second.Metadata.Labels);
        var stored = cluster.Emulator.Store.Get("v1", "Secret", "istio-system", "lightstep.cacert")!;
        Assert.Equal("""{"f:data":{"f:theirs":{}}}""", ManagedEntry(stored, "someone-else", "Update")["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_needs_a_field_manager()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var (code, status) = await FailsWith(() =>
            cluster.Client.CoreV1.PatchNamespacedSecretAsync(Apply(CacertSecret(("cacert.pem", "PEM"))), "lightstep.cacert", "istio-system"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_needs_apiVersion_and_kind()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var secret = CacertSecret(("cacert.pem", "PEM"));
        secret.Kind = null;

        var (code, _) = await FailsWith(() =>
            cluster.Client.CoreV1.PatchNamespacedSecretAsync(Apply(secret), "lightstep.cacert", "istio-system", fieldManager: Console));

        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Lists_of_named_items_are_owned_per_item_and_conflict_per_field()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var deployment = JsonNode.Parse("""
            {
              "apiVersion": "apps/v1",
              "kind": "Deployment",
              "metadata": { "name": "istiod", "namespace": "istio-system" },
              "spec": { "template": { "spec": { "containers": [ { "name": "discovery", "image": "docker.io/istio/pilot:1.14.4" } ] } } }
            }
            """)!;

        var (_, status) = await FailsWith(() => cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(deployment.ToJsonString(), V1Patch.PatchType.ApplyPatch), "istiod", "istio-system", fieldManager: Console));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"istio-operator\" using apps/v1: .spec.template.spec.containers[name=\"discovery\"].image",
            status["message"]!.GetValue<string>());

        var forced = await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(deployment.ToJsonString(), V1Patch.PatchType.ApplyPatch), "istiod", "istio-system", fieldManager: Console, force: true);
        var discovery = forced.Spec.Template.Spec.Containers.Single();
        Assert.Equal("docker.io/istio/pilot:1.14.4", discovery.Image);
        Assert.NotEmpty(discovery.Env); // merged into the item, not replacing it
        Assert.Equal(2, forced.Metadata.Generation);
        var stored = cluster.Emulator.Store.Get("apps/v1", "Deployment", "istio-system", "istiod")!;
        Assert.Equal(
            """{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"discovery\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            Wire(ManagedEntry(stored, Console)["fieldsV1"]));
    }

    [Fact]
    public async Task Plain_writes_are_recorded_as_Update_by_the_user_agent_or_fieldManager()
    {
        await using var cluster = await TestCluster.StartAsync();
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } };

        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default");
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"b":"2"}}""", V1Patch.PatchType.MergePatch), "cm", "default",
            fieldManager: "kubectl-edit");

        var stored = cluster.Emulator.Store.Get("v1", "ConfigMap", "default", "cm")!;
        Assert.Equal("""{"f:data":{"f:a":{}}}""", ManagedEntry(stored, "kubernetes-csharp", "Update")["fieldsV1"]!.ToJsonString());
        Assert.Equal("""{"f:data":{"f:b":{}}}""", ManagedEntry(stored, "kubectl-edit", "Update")["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task Custom_resources_apply_through_any_served_version()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NewIstio);
        var telemetry = new Dictionary<string, object>
        {
            ["apiVersion"] = "telemetry.istio.io/v1",
            ["kind"] = "Telemetry",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "mesh-default", ["namespace"] = "istio-system" },
            ["spec"] = new Dictionary<string, object>
            {
                ["tracing"] = new[] { new Dictionary<string, object> { ["providers"] = new[] { new Dictionary<string, object> { ["name"] = "otel" } } } },
            },
        };

        var created = await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(Apply(telemetry), "telemetry.istio.io", "v1", "istio-system",
            "telemetries", "mesh-default", fieldManager: Console);
        Assert.Equal("telemetry.istio.io/v1", ToJson(created)["apiVersion"]!.GetValue<string>());

        var viaAlpha = ToJson(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync("telemetry.istio.io", "v1alpha1", "istio-system",
            "telemetries", "mesh-default"));
        Assert.Equal("telemetry.istio.io/v1alpha1", viaAlpha["apiVersion"]!.GetValue<string>());
        Assert.Equal("otel", viaAlpha["spec"]!["tracing"]![0]!["providers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("""{"f:spec":{"f:tracing":{}}}""", ManagedEntry(viaAlpha, Console)["fieldsV1"]!.ToJsonString()); // CR lists are atomic
    }
}
