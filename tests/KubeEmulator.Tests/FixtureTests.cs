using System.Text.Json.Nodes;
using k8s;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

/// <summary>The seeded clusters, read through KubernetesClient like the console reads them.</summary>
public class FixtureTests
{
    [Fact]
    public async Task NoIstio_has_the_base_namespaces_and_one_node()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NoIstio);

        var namespaces = await cluster.Client.CoreV1.ListNamespaceAsync();
        var node = (await cluster.Client.CoreV1.ListNodeAsync()).Items.Single();
        var deployments = await cluster.Client.AppsV1.ListDeploymentForAllNamespacesAsync();

        Assert.Equal(["default", "kube-public", "kube-system"], namespaces.Items.Select(n => n.Metadata.Name));
        Assert.Equal("emulator-node", node.Metadata.Name);
        Assert.Equal("10.0.0.10", node.Status.Addresses.Single(a => a.Type == "InternalIP").Address);
        Assert.Empty(deployments.Items);
        Assert.Empty(cluster.Emulator.Store.List("apiextensions.k8s.io/v1", "CustomResourceDefinition"));
        Assert.Null(cluster.Emulator.Store.Get("install.istio.io/v1alpha1", "IstioOperator", "istio-system", "installed-state"));
    }

    [Theory]
    [InlineData(ClusterFixture.OldIstio, "docker.io/istio/pilot:1.7.8")]
    [InlineData(ClusterFixture.MidIstio, "docker.io/istio/pilot:1.14.3")]
    [InlineData(ClusterFixture.MidIstioWithOperator, "docker.io/istio/pilot:1.14.3")]
    [InlineData(ClusterFixture.NewIstio, "docker.io/istio/pilot:1.28.0")]
    public async Task Istiod_runs_the_fixture_version(ClusterFixture fixture, string image)
    {
        await using var cluster = await TestCluster.StartAsync(fixture);

        var istiod = (await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("istio-system", labelSelector: "app=istiod,istio=pilot")).Items.Single();
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync("istio-system", labelSelector: "app=istiod");

        Assert.Equal("istiod", istiod.Metadata.Name);
        Assert.Equal(image, istiod.Spec.Template.Spec.Containers.Single(c => c.Name == "discovery").Image);
        Assert.Equal(1, istiod.Status.AvailableReplicas);
        var pod = Assert.Single(pods.Items);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(image, pod.Status.ContainerStatuses.Single().Image);
        Assert.Equal("ReplicaSet", pod.Metadata.OwnerReferences.Single().Kind);
    }

    [Fact]
    public async Task OldIstio_mesh_config_traces_to_zipkin_and_the_injector_uses_the_zipkin_tracer()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);

        var mesh = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio", "istio-system");
        var injector = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio-sidecar-injector", "istio-system");

        Assert.Contains("enableTracing: true\n", mesh.Data["mesh"]);
        Assert.Contains("  discoveryAddress: istiod.istio-system.svc:15012\n", mesh.Data["mesh"]);
        Assert.Contains("    zipkin:\n      address: zipkin.istio-system:9411\n", mesh.Data["mesh"]);
        Assert.Contains("rootNamespace: istio-system", mesh.Data["mesh"]);
        Assert.Contains("trustDomain: cluster.local", mesh.Data["mesh"]);
        Assert.DoesNotContain("extensionProviders", mesh.Data["mesh"]);
        Assert.Contains("networks", mesh.Data["meshNetworks"]);
        var values = JsonNode.Parse(injector.Data["values"])!;
        Assert.Equal("zipkin", values["global"]!["proxy"]!["tracer"]!.GetValue<string>());
        Assert.Equal("1.7.8", values["global"]!["tag"]!.GetValue<string>());
        Assert.StartsWith("{\n  \"global\": {\n", injector.Data["values"]); // Helm toPrettyJson layout
        Assert.Contains("template:", injector.Data["config"]);
        Assert.Empty(cluster.Emulator.Store.List("install.istio.io/v1alpha1", "IstioOperator"));
    }

    [Fact]
    public async Task The_ingress_gateway_is_a_load_balancer_with_an_address()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.OldIstio);

        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("istio-ingressgateway", "istio-system");
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("istio-ingressgateway", "istio-system");

        Assert.Equal("LoadBalancer", service.Spec.Type);
        Assert.Equal("172.18.255.200", service.Status.LoadBalancer.Ingress.Single().Ip);
        var http2 = service.Spec.Ports.Single(p => p.Name == "http2");
        Assert.Equal(80, http2.Port);
        Assert.Equal("8080", http2.TargetPort.Value);
        Assert.Equal(31380, http2.NodePort);
        Assert.Equal("docker.io/istio/proxyv2:1.7.8", deployment.Spec.Template.Spec.Containers.Single().Image);
    }

    [Fact]
    public async Task MidIstio_has_the_installed_state_IstioOperator_that_istioctl_writes()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var iop = ToJson(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(
            "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "installed-state"));
        var deployments = await cluster.Client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: "name=istio-operator");

        Assert.Equal("true", iop["metadata"]!["annotations"]!["install.istio.io/ignoreReconcile"]!.GetValue<string>());
        Assert.Equal("1.14.3", iop["spec"]!["tag"]!.GetValue<string>());
        Assert.Equal("default", iop["spec"]!["profile"]!.GetValue<string>());
        Assert.Empty(deployments.Items);
    }

    [Fact]
    public async Task MidIstioWithOperator_runs_the_operator_and_its_IstioOperator()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstioWithOperator);

        var operatorDeployment = (await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("istio-operator", labelSelector: "name=istio-operator")).Items.Single();
        var controlPlane = ToJson(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(
            "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "istio-controlplane"));
        var iops = ToJson(await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync("install.istio.io", "v1alpha1", "istio-system", "istiooperators"));
        var mesh = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio", "istio-system");

        Assert.Equal("istio-operator", operatorDeployment.Metadata.Name);
        Assert.Equal("docker.io/istio/operator:1.14.3", operatorDeployment.Spec.Template.Spec.Containers.Single().Image);
        Assert.Equal("default", controlPlane["spec"]!["profile"]!.GetValue<string>());
        Assert.Equal("/dev/stdout", controlPlane["spec"]!["meshConfig"]!["accessLogFile"]!.GetValue<string>());
        Assert.Null(controlPlane["metadata"]!["annotations"]);
        Assert.Equal(["installed-state", "istio-controlplane"], iops["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Contains("accessLogFile: /dev/stdout", mesh.Data["mesh"]);
    }

    [Fact]
    public async Task NewIstio_mesh_config_has_the_OpenTelemetry_provider()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NewIstio);

        var mesh = (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio", "istio-system")).Data["mesh"];
        var values = JsonNode.Parse((await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio-sidecar-injector", "istio-system")).Data["values"])!;

        Assert.Contains("extensionProviders:\n- name: otel\n  opentelemetry:\n    port: 4317\n    service: otel-collector.observability.svc.cluster.local\n", mesh);
        Assert.Null(values["global"]!["proxy"]!["tracer"]);
        Assert.NotNull(cluster.Emulator.Store.Get("install.istio.io/v1alpha1", "IstioOperator", "istio-system", "installed-state"));
        await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync("telemetry.istio.io", "v1", "istio-system", "telemetries");
    }

    [Theory]
    [InlineData(ClusterFixture.OldIstio)]
    [InlineData(ClusterFixture.NewIstio)]
    public async Task Istio_objects_are_owned_by_istio_operator_through_apply(ClusterFixture fixture)
    {
        await using var cluster = await TestCluster.StartAsync(fixture);
        var store = cluster.Emulator.Store;

        JsonObject[] istioObjects =
        [
            store.Get("v1", "ConfigMap", "istio-system", "istio")!,
            store.Get("v1", "ConfigMap", "istio-system", "istio-sidecar-injector")!,
            store.Get("apps/v1", "Deployment", "istio-system", "istiod")!,
            store.Get("v1", "Service", "istio-system", "istio-ingressgateway")!,
            store.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "virtualservices.networking.istio.io")!,
        ];

        foreach (var obj in istioObjects)
        {
            var entry = obj["metadata"]!["managedFields"]!.AsArray().Single()!;
            Assert.Equal("istio-operator", entry["manager"]!.GetValue<string>());
            Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        }

        var meshFields = istioObjects[0]["metadata"]!["managedFields"]![0]!["fieldsV1"]!;
        Assert.NotNull(meshFields["f:data"]!["f:mesh"]);
        Assert.NotNull(meshFields["f:metadata"]!["f:labels"]!["f:app"]);
    }

    [Fact]
    public async Task Istiod_wrote_its_CA_and_root_certificate()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var caSecret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync("istio-ca-secret", "istio-system");
        var rootCert = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("istio-ca-root-cert", "default");
        var kubeRoot = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("kube-root-ca.crt", "istio-system");

        Assert.Equal("istio.io/ca-root", caSecret.Type);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", System.Text.Encoding.UTF8.GetString(caSecret.Data["ca-cert.pem"]));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", rootCert.Data["root-cert.pem"]);
        Assert.Equal(cluster.Emulator.CertificateAuthorityPem, kubeRoot.Data["ca.crt"]);
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(kubeRoot.Data["ca.crt"]);
        Assert.Equal("CN=kubernetes", ca.Subject);
    }
}
