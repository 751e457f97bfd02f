using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

public class CustomObjectTests
{
    private const string Group = "networking.istio.io";

    private static Dictionary<string, object> ServiceEntry(string name, string host) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1beta1",
        ["kind"] = "ServiceEntry",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["labels"] = new Dictionary<string, string> { ["app"] = "lightstep" } },
        ["spec"] = new Dictionary<string, object>
        {
            ["hosts"] = new[] { host },
            ["location"] = "MESH_EXTERNAL",
            ["ports"] = new[] { new Dictionary<string, object> { ["name"] = "https", ["number"] = 443, ["protocol"] = "TLS" } },
            ["resolution"] = "DNS",
        },
    };

    [Fact]
    public async Task Create_get_list_patch_and_delete_custom_objects()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var custom = cluster.Client.CustomObjects;

        var created = ToJson(await custom.CreateNamespacedCustomObjectAsync(ServiceEntry("lightstep", "ingest.lightstep.com"), Group, "v1beta1", "istio-system", "serviceentries"));
        Assert.Equal("networking.istio.io/v1beta1", created["apiVersion"]!.GetValue<string>());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());

        var viaV1 = ToJson(await custom.GetNamespacedCustomObjectAsync(Group, "v1", "istio-system", "serviceentries", "lightstep"));
        Assert.Equal("networking.istio.io/v1", viaV1["apiVersion"]!.GetValue<string>());
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), viaV1["metadata"]!["uid"]!.GetValue<string>());

        var list = ToJson(await custom.ListNamespacedCustomObjectAsync(Group, "v1alpha3", "istio-system", "serviceentries", labelSelector: "app=lightstep"));
        Assert.Equal("ServiceEntryList", list["kind"]!.GetValue<string>());
        var item = list["items"]!.AsArray().Single()!;
        Assert.Equal("networking.istio.io/v1alpha3", item["apiVersion"]!.GetValue<string>()); // custom list items keep kind/apiVersion

        var patched = ToJson(await custom.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"hosts":["collector.lightstep.com"]}}""", V1Patch.PatchType.MergePatch),
            Group, "v1beta1", "istio-system", "serviceentries", "lightstep"));
        Assert.Equal("collector.lightstep.com", patched["spec"]!["hosts"]![0]!.GetValue<string>());
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<int>());

        var deleted = ToJson(await custom.DeleteNamespacedCustomObjectAsync(Group, "v1beta1", "istio-system", "serviceentries", "lightstep"));
        Assert.Equal("Success", deleted["status"]!.GetValue<string>());
        Assert.Equal("serviceentries", deleted["details"]!["kind"]!.GetValue<string>());
        Assert.Equal(Group, deleted["details"]!["group"]!.GetValue<string>());
        var (code, status) = await FailsWith(() => custom.GetNamespacedCustomObjectAsync(Group, "v1beta1", "istio-system", "serviceentries", "lightstep"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("serviceentries.networking.istio.io \"lightstep\" not found", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replace_a_custom_object_with_its_resourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstioWithOperator);
        var custom = cluster.Client.CustomObjects;
        var iop = ToJson(await custom.GetNamespacedCustomObjectAsync("install.istio.io", "v1alpha1", "istio-system", "istiooperators", "istio-controlplane"));

        iop["spec"]!["meshConfig"]!["enableTracing"] = true;
        var replaced = ToJson(await custom.ReplaceNamespacedCustomObjectAsync(iop, "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "istio-controlplane"));

        Assert.True(replaced["spec"]!["meshConfig"]!["enableTracing"]!.GetValue<bool>());
        Assert.Equal("HEALTHY", replaced["status"]!["status"]!.GetValue<string>()); // status subresource: kept from the live object
        var (code, _) = await FailsWith(() =>
            custom.ReplaceNamespacedCustomObjectAsync(iop, "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "istio-controlplane"));
        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Apply_to_an_IstioOperator_conflicts_with_istio_operator_on_changed_fields()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstioWithOperator);
        var overlay = new Dictionary<string, object>
        {
            ["apiVersion"] = "install.istio.io/v1alpha1",
            ["kind"] = "IstioOperator",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "istio-controlplane", ["namespace"] = "istio-system" },
            ["spec"] = new Dictionary<string, object>
            {
                ["meshConfig"] = new Dictionary<string, object> { ["accessLogFile"] = "", ["enableTracing"] = true },
            },
        };

        var (_, status) = await FailsWith(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(overlay, V1Patch.PatchType.ApplyPatch), "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "istio-controlplane",
            fieldManager: "mesh-console"));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"istio-operator\" using install.istio.io/v1alpha1: .spec.meshConfig.accessLogFile",
            status["message"]!.GetValue<string>());

        ((Dictionary<string, object>)((Dictionary<string, object>)overlay["spec"])["meshConfig"]).Remove("accessLogFile");
        var applied = ToJson(await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(overlay, V1Patch.PatchType.ApplyPatch), "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "istio-controlplane",
            fieldManager: "mesh-console"));
        Assert.Equal("/dev/stdout", applied["spec"]!["meshConfig"]!["accessLogFile"]!.GetValue<string>());
        Assert.True(applied["spec"]!["meshConfig"]!["enableTracing"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Json_patch_on_a_custom_object()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NewIstio);

        var patched = ToJson(await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""[{"op":"add","path":"/spec/meshConfig/enableTracing","value":true}]""", V1Patch.PatchType.JsonPatch),
            "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "installed-state"));

        Assert.True(patched["spec"]!["meshConfig"]!["enableTracing"]!.GetValue<bool>());
        Assert.IsType<JsonArray>(patched["spec"]!["meshConfig"]!["extensionProviders"]);
    }
}
