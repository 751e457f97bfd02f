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
}
