using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

/// <summary>Error answers are kube-apiserver Status documents that KubernetesClient surfaces in HttpOperationException.</summary>
public class ErrorStatusTests
{
    [Fact]
    public async Task Not_found_is_a_404_Status_with_the_real_message()
    {
        await using var cluster = await TestCluster.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CoreV1.ReadNamespacedSecretAsync("x", "default"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"secrets"},"code":404}""",
            error.Response.Content);
    }

    [Fact]
    public async Task Not_found_for_a_grouped_resource_names_the_group()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (_, status) = await FailsWith(() => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("istiod", "istio-system"));

        Assert.Equal("deployments.apps \"istiod\" not found", status["message"]!.GetValue<string>());
        Assert.Equal("apps", status["details"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_names_are_422_with_a_field_cause()
    {
        await using var cluster = await TestCluster.StartAsync();
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Bad_Name" } };

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(configMap, "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain",
            status["message"]!.GetValue<string>());
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("metadata.name", cause["field"]!.GetValue<string>());
        Assert.StartsWith("Invalid value: \"Bad_Name\": ", cause["message"]!.GetValue<string>());
        Assert.Equal("ConfigMap", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Secret_data_must_be_base64()
    {
        await using var cluster = await TestCluster.StartAsync();
        var body = """{"metadata":{"name":"s"},"data":{"cacert.pem":"not base64!"}}""";

        var response = await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/default/secrets", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Code);
        var cause = response.Json["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal("data[cacert.pem]", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tls_secrets_need_their_keys_and_several_errors_are_aggregated()
    {
        await using var cluster = await TestCluster.StartAsync();
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "tls" }, Type = "kubernetes.io/tls" };

        var (_, status) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default"));

        Assert.Equal("Secret \"tls\" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_resources_and_unserved_groups_are_404()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NoIstio);

        var (code, status) = await FailsWith(() => cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(
            "networking.istio.io", "v1beta1", "default", "virtualservices"));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("the server could not find the requested resource", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_415()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var (code, status) = await FailsWith(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"tag":"x"}}""", V1Patch.PatchType.StrategicMergePatch),
            "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "installed-state"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
        Assert.Equal("UnsupportedMediaType", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_bodies_deserialize_into_V1Status()
    {
        await using var cluster = await TestCluster.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CoreV1.ReadNamespaceAsync("missing"));
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);

        Assert.Equal(404, status.Code);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal("namespaces \"missing\" not found", status.Message);
        Assert.Equal("Failure", status.Status);
    }

    [Fact]
    public async Task Unexpected_methods_are_405()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps/x", "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Code);
        Assert.Equal("Status", response.Json["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_label_selectors_are_400()
    {
        await using var cluster = await TestCluster.StartAsync();

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app in (a"));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_of_a_custom_resource_needs_a_resourceVersion()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var iop = ToJson(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(
            "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "installed-state"));
        iop["metadata"]!.AsObject().Remove("resourceVersion");

        var (code, status) = await FailsWith(() => cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
            iop, "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "installed-state"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", status["message"]!.GetValue<string>());
    }
}
