using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeEmulator.Tests;

/// <summary>Kubeconfig, transports, store access and concurrency.</summary>
public class HostingTests
{
    [Fact]
    public async Task Kubeconfig_contexts_work_over_https_and_plain_http()
    {
        await using var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio);
        var directory = Directory.CreateTempSubdirectory("kube-emulator-").FullName;
        try
        {
            var https = emulator.WriteKubeconfig(Path.Combine(directory, "https"), "prod", "kube-system");
            var http = emulator.WriteKubeconfig(Path.Combine(directory, "http"), "local", plainHttp: true);

            var httpsConfig = KubernetesClientConfiguration.BuildConfigFromConfigFile(https);
            using var httpsClient = new Kubernetes(httpsConfig);
            using var httpClient = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(http));

            Assert.Equal("kube-system", httpsConfig.Namespace);
            Assert.Equal("prod", httpsConfig.CurrentContext);
            Assert.StartsWith("https://127.0.0.1:", httpsConfig.Host);
            Assert.Equal("kube-system", (await httpsClient.CoreV1.ReadNamespaceAsync(httpsConfig.Namespace)).Metadata.Name);
            Assert.Equal("default", (await httpClient.CoreV1.ReadNamespaceAsync("default")).Metadata.Name);
            Assert.Equal("http", emulator.BaseAddress.Scheme);
            Assert.Contains("token: emulator-token", emulator.KubeconfigYaml());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_client_built_from_BaseAddress_with_the_token_works()
    {
        await using var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio);
        using var client = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = emulator.BaseAddress.ToString(),
            AccessToken = KubeApiEmulator.Token,
        });

        var namespaces = await client.CoreV1.ListNamespaceAsync();

        Assert.NotEmpty(namespaces.Items);
    }

    [Fact]
    public async Task Store_put_get_list_and_delete_bypass_http()
    {
        await using var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.MidIstio);
        var store = emulator.Store;
        var rv = store.ResourceVersion;

        var put = store.Put(JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"vs","namespace":"default"},"spec":{"hosts":["a"]}}
            """)!.AsObject(), "tester");

        Assert.Equal((rv + 1).ToString(), put["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("networking.istio.io/v1", store.Get("networking.istio.io/v1", "VirtualService", "default", "vs")!["apiVersion"]!.GetValue<string>());
        Assert.Single(store.List("networking.istio.io/v1alpha3", "VirtualService"));
        Assert.Equal("""{"f:spec":{"f:hosts":{}}}""", put["metadata"]!["managedFields"]![0]!["fieldsV1"]!.ToJsonString());
        Assert.True(store.Delete("networking.istio.io/v1beta1", "VirtualService", "default", "vs"));
        Assert.False(store.Delete("networking.istio.io/v1beta1", "VirtualService", "default", "vs"));
        Assert.Null(store.Get("v1", "NoSuchKind", "default", "x"));
        Assert.Throws<InvalidOperationException>(() => store.Put(JsonNode.Parse("""{"apiVersion":"v1","kind":"NoSuchKind","metadata":{"name":"x"}}""")!.AsObject()));

        var copy = store.Get("v1", "ConfigMap", "istio-system", "istio")!;
        copy["data"]!["mesh"] = "mutated";
        Assert.NotEqual("mutated", store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["mesh"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_writes_get_distinct_resource_versions()
    {
        await using var cluster = await TestCluster.StartAsync();

        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" } }, "default")));

        Assert.Equal(20, created.Select(c => c.Metadata.ResourceVersion).Distinct().Count());
        Assert.Equal(cluster.Emulator.Store.ResourceVersion, created.Max(c => long.Parse(c.Metadata.ResourceVersion)));
    }

    [Fact]
    public async Task Apply_bodies_must_be_json()
    {
        await using var cluster = await TestCluster.StartAsync();
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n";

        var response = await cluster.RawAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/y?fieldManager=t", yaml,
            "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Code);
        Assert.Contains("JSON", response.Json["message"]!.GetValue<string>());
    }
}
