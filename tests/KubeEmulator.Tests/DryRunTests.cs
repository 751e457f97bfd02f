using System.Net;
using k8s;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

public class DryRunTests
{
    private const string All = "All";

    [Fact]
    public async Task Dry_run_create_validates_and_returns_the_object_but_stores_nothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        var rv = cluster.Emulator.Store.ResourceVersion;
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "preview" }, Data = new Dictionary<string, string> { ["a"] = "1" } };

        var result = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default", dryRun: All);

        Assert.Equal("1", result.Data["a"]);
        Assert.NotNull(result.Metadata.Uid);
        Assert.Null(result.Metadata.ResourceVersion);
        Assert.Equal("kubernetes-csharp", result.Metadata.ManagedFields.Single().Manager);
        Assert.Null(cluster.Emulator.Store.Get("v1", "ConfigMap", "default", "preview"));
        Assert.Equal(rv, cluster.Emulator.Store.ResourceVersion);

        var invalid = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Not_Valid" } };
        var (code, _) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(invalid, "default", dryRun: All));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
    }

    [Fact]
    public async Task Dry_run_apply_computes_the_merge_and_conflicts_but_stores_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);
        var before = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!.ToJsonString();
        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "istio", NamespaceProperty = "istio-system" },
            Data = new Dictionary<string, string> { ["mesh"] = "enableTracing: true\n" },
        };
        var patch = new V1Patch(configMap, V1Patch.PatchType.ApplyPatch);

        var (code, _) = await FailsWith(() =>
            cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "istio", "istio-system", dryRun: All, fieldManager: "mesh-console"));
        Assert.Equal(HttpStatusCode.Conflict, code);

        var preview = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "istio", "istio-system", dryRun: All,
            fieldManager: "mesh-console", force: true);

        Assert.Equal("enableTracing: true\n", preview.Data["mesh"]);
        Assert.Contains(preview.Metadata.ManagedFields, m => m.Manager == "mesh-console" && m.Operation == "Apply");
        var live = cluster.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!;
        Assert.Equal(before, live.ToJsonString());
        Assert.Equal(Rv(live), preview.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Dry_run_apply_of_a_new_object_answers_201_and_stores_nothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "new-secret", NamespaceProperty = "default" },
            StringData = new Dictionary<string, string> { ["k"] = "v" },
        };

        var preview = await cluster.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(secret, V1Patch.PatchType.ApplyPatch), "new-secret", "default",
            dryRun: All, fieldManager: "mesh-console");

        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(preview.Data["k"]));
        Assert.Equal(201, cluster.Emulator.Requests.Last().StatusCode);
        Assert.Null(cluster.Emulator.Store.Get("v1", "Secret", "default", "new-secret"));
    }

    [Fact]
    public async Task Dry_run_update_and_patch_store_nothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        var rv = cluster.Emulator.Store.ResourceVersion;

        created.Data["a"] = "2";
        var replaced = await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cm", "default", dryRun: All);
        var patched = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"a":"3"}}""", V1Patch.PatchType.MergePatch), "cm", "default", dryRun: All);

        Assert.Equal("2", replaced.Data["a"]);
        Assert.Equal("3", patched.Data["a"]);
        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal(2, patched.Metadata.Generation);
        Assert.Equal("1", cluster.Emulator.Store.Get("v1", "ConfigMap", "default", "cm")!["data"]!["a"]!.GetValue<string>());
        Assert.Equal(rv, cluster.Emulator.Store.ResourceVersion);
    }

    [Fact]
    public async Task Dry_run_delete_keeps_the_object()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "keep" } }, "default");

        var status = await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("keep", "default", dryRun: All);

        Assert.Equal("Success", status.Status);
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "ConfigMap", "default", "keep"));
    }

    [Fact]
    public async Task Unsupported_dry_run_values_are_422()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "default", dryRun: "Yes"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: \"Yes\": supported values: \"All\"",
            status["message"]!.GetValue<string>());
    }
}
