using System.Net;
using k8s;
using k8s.Models;

namespace KubeEmulator.Tests;

public class DiscoveryTests
{
    [Fact]
    public async Task Version_is_1_31()
    {
        await using var cluster = await TestCluster.StartAsync();

        var version = await cluster.Client.Version.GetCodeAsync();

        Assert.Equal("1", version.Major);
        Assert.Equal("31", version.Minor);
        Assert.Equal("v1.31.0", version.GitVersion);
        Assert.Equal("linux/amd64", version.Platform);
    }

    [Fact]
    public async Task Core_group_lists_v1_and_its_resources()
    {
        await using var cluster = await TestCluster.StartAsync();

        var versions = await cluster.Client.Core.GetAPIVersionsAsync();
        var resources = await cluster.Client.CoreV1.GetAPIResourcesAsync();

        Assert.Equal(["v1"], versions.Versions);
        Assert.Equal("v1", resources.GroupVersion);
        var secrets = resources.Resources.Single(r => r.Name == "secrets");
        Assert.Equal("secret", secrets.SingularName);
        Assert.Equal("Secret", secrets.Kind);
        Assert.True(secrets.Namespaced);
        Assert.Contains("patch", secrets.Verbs);
        var nodes = resources.Resources.Single(r => r.Name == "nodes");
        Assert.False(nodes.Namespaced);
        Assert.Equal(["no"], nodes.ShortNames);
        Assert.Equal(
            ["configmaps", "events", "namespaces", "nodes", "pods", "secrets", "serviceaccounts", "services"],
            resources.Resources.Select(r => r.Name).Order());
    }

    [Fact]
    public async Task Without_Istio_the_istio_groups_do_not_exist()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NoIstio);

        var groups = await cluster.Client.Apis.GetAPIVersionsAsync();
        var networking = await cluster.RawAsync(HttpMethod.Get, "/apis/networking.istio.io/v1beta1");

        Assert.Equal(["apps", "apiextensions.k8s.io", "authorization.k8s.io"], groups.Groups.Select(g => g.Name));
        Assert.Equal(HttpStatusCode.NotFound, networking.Code);
    }

    [Theory]
    [InlineData(ClusterFixture.OldIstio, "v1beta1", new[] { "v1beta1", "v1alpha3" }, new[] { "v1alpha1" })]
    [InlineData(ClusterFixture.MidIstio, "v1", new[] { "v1", "v1beta1", "v1alpha3" }, new[] { "v1alpha1" })]
    [InlineData(ClusterFixture.NewIstio, "v1", new[] { "v1", "v1beta1", "v1alpha3" }, new[] { "v1", "v1alpha1" })]
    public async Task Istio_groups_serve_the_fixture_versions(ClusterFixture fixture, string preferred, string[] networkingVersions, string[] telemetryVersions)
    {
        await using var cluster = await TestCluster.StartAsync(fixture);

        var groups = (await cluster.Client.Apis.GetAPIVersionsAsync()).Groups.ToDictionary(g => g.Name);

        Assert.Equal(preferred, groups["networking.istio.io"].PreferredVersion.Version);
        Assert.Equal(networkingVersions, groups["networking.istio.io"].Versions.Select(v => v.Version));
        Assert.Equal(telemetryVersions, groups["telemetry.istio.io"].Versions.Select(v => v.Version));
        Assert.Equal("install.istio.io/v1alpha1", groups["install.istio.io"].PreferredVersion.GroupVersion);

        var resources = await cluster.Client.CustomObjects.GetAPIResourcesAsync("networking.istio.io", preferred);
        Assert.Equal(["destinationrules", "gateways", "serviceentries", "virtualservices"], resources.Resources.Select(r => r.Name));
        var serviceEntries = resources.Resources.Single(r => r.Name == "serviceentries");
        Assert.Equal("ServiceEntry", serviceEntries.Kind);
        Assert.Equal(["se"], serviceEntries.ShortNames);
    }

    [Fact]
    public async Task Networking_v1_is_absent_on_old_istio()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);

        var response = await cluster.RawAsync(HttpMethod.Get, "/apis/networking.istio.io/v1");

        Assert.Equal(HttpStatusCode.NotFound, response.Code);
    }

    [Fact]
    public async Task Group_document_and_aggregated_discovery_fallback()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var group = await cluster.RawAsync(HttpMethod.Get, "/apis/install.istio.io");
        var aggregated = await cluster.RawAsync(HttpMethod.Get, "/apis",
            accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

        Assert.Equal("APIGroup", group.Json["kind"]!.GetValue<string>());
        Assert.Equal("v1alpha1", group.Json["preferredVersion"]!["version"]!.GetValue<string>());
        Assert.Equal("application/json", aggregated.MediaType);
        Assert.Equal("APIGroupList", aggregated.Json["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApi_is_not_served()
    {
        await using var cluster = await TestCluster.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, "/openapi/v2")).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, "/openapi/v3")).Code);
        Assert.Equal("ok", (await cluster.RawAsync(HttpMethod.Get, "/readyz")).Body);
    }

    [Fact]
    public async Task Creating_a_crd_serves_its_resource_and_deleting_it_removes_it()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NoIstio);
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "widgets.example.com" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "example.com",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                        },
                    },
                ],
            },
        };

        var created = await cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        Assert.Contains(created.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        var widget = new Dictionary<string, object>
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Widget",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "w1" }, ["spec"] = new Dictionary<string, object> { ["size"] = 3 },
        };
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1", "default", "widgets");

        var deleted = await cluster.RawAsync(HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");

        Assert.Equal(HttpStatusCode.OK, deleted.Code);
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, "/apis/example.com/v1/namespaces/default/widgets/w1")).Code);
        Assert.DoesNotContain((await cluster.Client.Apis.GetAPIVersionsAsync()).Groups, g => g.Name == "example.com");
    }
}
