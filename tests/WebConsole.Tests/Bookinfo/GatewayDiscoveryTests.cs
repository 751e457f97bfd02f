using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Cluster;
using WebConsole.Features.Bookinfo;
using WebConsole.Tests.Cluster;

namespace WebConsole.Tests.Bookinfo;

public sealed class GatewayDiscoveryTests
{
    private static BookinfoCluster Bookinfo(EmulatedCluster cluster) => new(cluster.Gateway, cluster.Clock);

    /// <summary>Rewrites the fixture's istio-ingressgateway Service (spec and status) the way another cloud would show it.</summary>
    private static void ReshapeGatewayService(EmulatedCluster cluster, string type, JsonObject? loadBalancerIngress)
    {
        var service = cluster.Emulator.Store.Get("v1", "Service", "istio-system", "istio-ingressgateway")!;
        service["spec"]!["type"] = type;
        service["status"] = new JsonObject
        {
            ["loadBalancer"] = loadBalancerIngress is null ? new JsonObject() : new JsonObject { ["ingress"] = new JsonArray(loadBalancerIngress) },
        };
        service["metadata"]!.AsObject().Remove("managedFields");
        cluster.Emulator.Store.Put(service, "istio-operator");
    }

    [Fact]
    public async Task A_load_balancer_ip_is_the_address_on_the_http2_port()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);

        var found = await Bookinfo(cluster).DiscoverGatewayAsync("istio-system", default);

        Assert.True(found.Succeeded);
        var discovery = found.Value!;
        Assert.Equal(("istio-system", "istio-ingressgateway", null), (discovery.ServiceNamespace, discovery.ServiceName, discovery.ProblemCode));
        Assert.Equal(GatewayAddressSource.LoadBalancerIp, discovery.Address?.Source);
        Assert.Equal("http://172.18.255.200/productpage", discovery.Address?.ProductPageUrl);
        Assert.DoesNotContain(cluster.Emulator.Requests, r => r.Path == "/api/v1/nodes");
    }

    [Fact]
    public async Task A_load_balancer_hostname_is_used_when_there_is_no_ip()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NewIstio);
        ReshapeGatewayService(cluster, "LoadBalancer", new JsonObject { ["hostname"] = "a1b2c3.elb.us-east-1.amazonaws.com" });

        var discovery = (await Bookinfo(cluster).DiscoverGatewayAsync("istio-system", default)).Value!;

        Assert.Equal(GatewayAddressSource.LoadBalancerHostname, discovery.Address?.Source);
        Assert.Equal("http://a1b2c3.elb.us-east-1.amazonaws.com/productpage", discovery.Address?.ProductPageUrl);
    }

    [Fact]
    public async Task Without_a_load_balancer_the_node_port_on_a_node_address_is_used()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        ReshapeGatewayService(cluster, "NodePort", loadBalancerIngress: null);

        var discovery = (await Bookinfo(cluster).DiscoverGatewayAsync("istio-system", default)).Value!;

        Assert.Equal(GatewayAddressSource.NodePort, discovery.Address?.Source);
        Assert.Equal("http://10.0.0.10:31380/productpage", discovery.Address?.ProductPageUrl);
        Assert.Contains("emulator-node", discovery.Address!.Args);
    }

    [Fact]
    public async Task A_cluster_ip_gateway_has_no_external_address_and_says_so()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var service = cluster.Emulator.Store.Get("v1", "Service", "istio-system", "istio-ingressgateway")!;
        service["spec"]!["type"] = "ClusterIP";
        foreach (var port in service["spec"]!["ports"]!.AsArray().OfType<JsonObject>()) port.Remove("nodePort");
        service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        service["metadata"]!.AsObject().Remove("managedFields");
        cluster.Emulator.Store.Put(service, "istio-operator");

        var discovery = (await Bookinfo(cluster).DiscoverGatewayAsync("istio-system", default)).Value!;

        Assert.Null(discovery.Address);
        Assert.Equal("Gateway.NoExternalAddress", discovery.ProblemCode);
        Assert.Equal(["istio-system/istio-ingressgateway", "ClusterIP"], discovery.ProblemArgs);
    }

    [Fact]
    public async Task The_gateway_in_the_istio_namespace_wins_over_one_elsewhere()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Store.Put(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"edge"}}
            """)!.AsObject());
        cluster.Emulator.Store.Put(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"custom-gateway","namespace":"edge","labels":{"istio":"ingressgateway"}},
             "spec":{"type":"LoadBalancer","ports":[{"name":"http2","port":8080,"nodePort":32000}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"}]}}}
            """)!.AsObject());

        var inIstioNamespace = (await Bookinfo(cluster).DiscoverGatewayAsync("istio-system", default)).Value!;
        var inEdge = (await Bookinfo(cluster).DiscoverGatewayAsync("edge", default)).Value!;

        Assert.Equal("172.18.255.200", inIstioNamespace.Address?.Host);
        Assert.Equal(("edge", "custom-gateway", "203.0.113.7", 8080), (inEdge.ServiceNamespace, inEdge.ServiceName, inEdge.Address?.Host, inEdge.Address?.Port));
    }

    [Fact]
    public async Task Without_istio_no_ingress_gateway_is_found()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);

        var discovery = (await Bookinfo(cluster).DiscoverGatewayAsync(null, default)).Value!;

        Assert.Null(discovery.Address);
        Assert.Equal("Gateway.ServiceNotFound", discovery.ProblemCode);
        Assert.Equal(["istio=ingressgateway"], discovery.ProblemArgs);
    }

    [Fact]
    public async Task Without_cluster_wide_access_the_istio_namespace_is_still_searched()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        // Access rules cannot tell the cluster scope from a namespace: the cluster-wide list alone answers 403.
        cluster.Emulator.Faults.Fail("GET", "^/api/v1/services$", 403, "Forbidden",
            "services is forbidden: User \"emulator-user\" cannot list resource \"services\" in API group \"\" at the cluster scope");

        var discovery = (await Bookinfo(cluster).DiscoverGatewayAsync("istio-system", default)).Value!;

        Assert.Equal("172.18.255.200", discovery.Address?.Host);
        Assert.Contains(cluster.Emulator.Requests, r => r.Path == "/api/v1/namespaces/istio-system/services");
    }

    [Fact]
    public async Task A_failed_listing_is_a_cluster_failure_not_an_exception()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("list", "services");

        var found = await Bookinfo(cluster).DiscoverGatewayAsync(null, default);

        Assert.False(found.Succeeded);
        Assert.Equal(ClusterFailureKind.Forbidden, found.Failure?.Kind);
    }
}
