using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

/// <summary>Where a kube-apiserver refuses what a lenient server would let through, the emulator refuses too.</summary>
public class StrictnessTests
{
    private static V1Patch Apply(string json) => new(json, V1Patch.PatchType.ApplyPatch);

    [Fact]
    public async Task A_server_side_apply_that_creates_needs_create_as_well_as_patch()
    {
        await using var cluster = await TestCluster.StartAsync();
        cluster.Emulator.Access.Deny("create", "configmaps", "", "default");
        const string config = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app","namespace":"default"},"data":{"a":"1"}}""";

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(config), "app", "default", fieldManager: "test"));
        cluster.Emulator.Store.Put(new() { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "app", ["namespace"] = "default" } });
        var updated = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(config), "app", "default", fieldManager: "test");

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Contains("cannot create resource \"configmaps\"", status["message"]!.GetValue<string>());
        Assert.Equal("1", updated.Data["a"]);
    }

    [Theory]
    [InlineData("ConfigMap")]
    [InlineData("Secret")]
    public async Task ConfigMaps_and_Secrets_hold_at_most_1_MiB(string kind)
    {
        await using var cluster = await TestCluster.StartAsync();
        string Body(int bytes)
        {
            var value = new string('x', bytes);
            var encoded = kind == "Secret" ? Convert.ToBase64String(Encoding.ASCII.GetBytes(value)) : value;
            return "{\"apiVersion\":\"v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"big\",\"namespace\":\"default\"},\"data\":{\"k\":\"" + encoded + "\"}}";
        }
        var path = $"/api/v1/namespaces/default/{kind.ToLowerInvariant()}s/big?fieldManager=test";

        var tooBig = await cluster.RawAsync(HttpMethod.Patch, path, Body(1024 * 1024), "application/apply-patch+yaml");
        var fits = await cluster.RawAsync(HttpMethod.Patch, path, Body(1024 * 1024 - 1), "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooBig.Code);
        Assert.Contains("Too long: must have at most 1048576 bytes", tooBig.Body);
        Assert.Equal(HttpStatusCode.Created, fits.Code);
    }

    private static string DeploymentApply(string containerJson) =>
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{" +
        "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[" +
        containerJson + "]}}}}";

    [Fact]
    public async Task Container_ports_are_keyed_by_containerPort_and_protocol_and_volumeMounts_by_mountPath()
    {
        await using var cluster = await TestCluster.StartAsync();
        var apps = cluster.Client.AppsV1;

        await apps.PatchNamespacedDeploymentAsync(Apply(DeploymentApply(
            "{\"name\":\"web\",\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}],\"volumeMounts\":[{\"name\":\"tmp\",\"mountPath\":\"/tmp\"}]}")),
            "web", "default", fieldManager: "first");
        var merged = await apps.PatchNamespacedDeploymentAsync(Apply(DeploymentApply(
            "{\"name\":\"web\",\"ports\":[{\"containerPort\":80,\"protocol\":\"UDP\"}],\"volumeMounts\":[{\"name\":\"tmp\",\"mountPath\":\"/data\"}]}")),
            "web", "default", fieldManager: "second");

        var container = Assert.Single(merged.Spec.Template.Spec.Containers);
        Assert.Equal(["TCP", "UDP"], container.Ports.Select(p => p.Protocol ?? "TCP").Order());
        Assert.Equal(["/data", "/tmp"], container.VolumeMounts.Select(m => m.MountPath).Order());
        var first = merged.Metadata.ManagedFields.Single(m => m.Manager == "first").FieldsV1.ToString();
        Assert.Contains("""k:{\"containerPort\":80,\"protocol\":\"TCP\"}""", first);
        Assert.Contains("mountPath", first);
    }

    [Fact]
    public async Task Service_ports_are_keyed_by_port_and_protocol()
    {
        await using var cluster = await TestCluster.StartAsync();
        const string service = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"name\":\"http\",\"port\":80}]}}";

        var applied = await cluster.Client.CoreV1.PatchNamespacedServiceAsync(Apply(service), "web", "default", fieldManager: "test");

        var fields = applied.Metadata.ManagedFields.Single(m => m.Manager == "test").FieldsV1.ToString()!;
        Assert.Contains("""k:{\"port\":80,\"protocol\":\"TCP\"}""", fields);
        Assert.DoesNotContain("""k:{\"name\":""", fields);
    }
}
