using k8s.Models;
using MeshConsole.Domain.Bookinfo;

namespace MeshConsole.Domain.Tests.Bookinfo;

public class GatewayAddressResolverTests
{
    private static V1Service Gateway(string type = "LoadBalancer", string? ip = null, string? hostname = null, int? nodePort = 31380,
        string portName = "http2", params V1LoadBalancerIngress[] extraIngress)
    {
        var ingress = new List<V1LoadBalancerIngress>();
        if (ip is not null || hostname is not null) ingress.Add(new V1LoadBalancerIngress { Ip = ip, Hostname = hostname });
        ingress.AddRange(extraIngress);
        return new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "istio-ingressgateway", NamespaceProperty = "istio-system" },
            Spec = new V1ServiceSpec
            {
                Type = type,
                Ports =
                [
                    new V1ServicePort { Name = "status-port", Port = 15021, NodePort = 30021 },
                    new V1ServicePort { Name = portName, Port = 80, NodePort = nodePort },
                    new V1ServicePort { Name = "https", Port = 443, NodePort = 31390 },
                ],
            },
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = ingress } },
        };
    }

    private static V1Node Node(string name, bool ready, params (string Type, string Address)[] addresses) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Status = new V1NodeStatus
        {
            Addresses = addresses.Select(a => new V1NodeAddress { Type = a.Type, Address = a.Address }).ToList(),
            Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private static readonly V1Node[] TwoNodes =
    [
        Node("node-a", true, ("InternalIP", "10.0.0.4"), ("Hostname", "node-a")),
        Node("node-b", true, ("InternalIP", "10.0.0.5"), ("ExternalIP", "203.0.113.5")),
    ];

    public static TheoryData<string, string, int, GatewayAddressSource, string, string> Cases => new()
    {
        // service case, host, port, source, explanation code, url
        { "lb-ip", "192.0.2.10", 80, GatewayAddressSource.LoadBalancerIp, "Gateway.FromLoadBalancerIp", "http://192.0.2.10" },
        { "lb-ip-and-hostname", "192.0.2.10", 80, GatewayAddressSource.LoadBalancerIp, "Gateway.FromLoadBalancerIp", "http://192.0.2.10" },
        { "lb-hostname", "a1b2.elb.amazonaws.com", 80, GatewayAddressSource.LoadBalancerHostname, "Gateway.FromLoadBalancerHostname", "http://a1b2.elb.amazonaws.com" },
        { "lb-ipv6", "2001:db8::10", 80, GatewayAddressSource.LoadBalancerIp, "Gateway.FromLoadBalancerIp", "http://[2001:db8::10]" },
        { "lb-pending", "203.0.113.5", 31380, GatewayAddressSource.NodePort, "Gateway.FromNodePort", "http://203.0.113.5:31380" },
        { "nodeport", "203.0.113.5", 31380, GatewayAddressSource.NodePort, "Gateway.FromNodePort", "http://203.0.113.5:31380" },
    };

    private static V1Service ServiceFor(string name) => name switch
    {
        "lb-ip" => Gateway(ip: "192.0.2.10"),
        "lb-ip-and-hostname" => Gateway(ip: "192.0.2.10", hostname: "a1b2.elb.amazonaws.com"),
        "lb-hostname" => Gateway(hostname: "a1b2.elb.amazonaws.com"),
        "lb-ipv6" => Gateway(ip: "2001:db8::10"),
        "lb-pending" => Gateway(),
        "nodeport" => Gateway(type: "NodePort"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Finds_the_address_the_way_istios_bookinfo_docs_do(string service, string host, int port, GatewayAddressSource source, string code, string url)
    {
        var address = GatewayAddressResolver.Resolve(ServiceFor(service), TwoNodes);

        Assert.NotNull(address);
        Assert.Equal((host, port, source, code, url), (address.Host, address.Port, address.Source, address.ExplanationCode, address.Url));
        Assert.Equal(url + "/productpage", address.ProductPageUrl);
    }

    [Fact]
    public void Load_balancer_uses_the_http2_service_port_not_the_node_port()
    {
        var service = Gateway(ip: "192.0.2.10");
        service.Spec.Ports[1].Port = 8080;

        var address = GatewayAddressResolver.Resolve(service, TwoNodes)!;

        Assert.Equal(("http://192.0.2.10:8080", 8080), (address.Url, address.Port));
        Assert.Equal(["istio-system/istio-ingressgateway", "192.0.2.10", 8080], address.Args);
    }

    [Fact]
    public void Node_port_explains_service_port_node_and_address_type()
    {
        var address = GatewayAddressResolver.Resolve(Gateway(type: "NodePort"), TwoNodes)!;

        Assert.Equal(["istio-system/istio-ingressgateway", 31380, "node-b", "ExternalIP", "203.0.113.5"], address.Args);
    }

    [Fact]
    public void Node_port_falls_back_to_an_internal_ip_of_a_ready_node()
    {
        V1Node[] nodes =
        [
            Node("not-ready", false, ("InternalIP", "10.0.0.9")),
            Node("kind-control-plane", true, ("InternalIP", "172.18.0.2"), ("Hostname", "kind-control-plane")),
        ];

        var address = GatewayAddressResolver.Resolve(Gateway(type: "NodePort"), nodes)!;

        Assert.Equal(("172.18.0.2", 31380, "http://172.18.0.2:31380"), (address.Host, address.Port, address.Url));
        Assert.Equal("InternalIP", address.Args[3]);
    }

    [Fact]
    public void External_ip_on_a_not_ready_node_beats_internal_ips()
    {
        V1Node[] nodes = [Node("a", true, ("InternalIP", "10.0.0.4")), Node("b", false, ("ExternalIP", "198.51.100.7"))];

        Assert.Equal("198.51.100.7", GatewayAddressResolver.Resolve(Gateway(type: "NodePort"), nodes)!.Host);
    }

    public static TheoryData<string> Unresolvable => new() { "clusterip", "no-http2-port", "nodeport-no-nodes", "nodeport-no-addresses" };

    [Theory]
    [MemberData(nameof(Unresolvable))]
    public void Returns_null_when_there_is_nothing_to_reach_from_outside(string name)
    {
        var (service, nodes) = name switch
        {
            "clusterip" => (Gateway(type: "ClusterIP", nodePort: null), TwoNodes),
            "no-http2-port" => (Gateway(ip: "192.0.2.10", portName: "http"), TwoNodes),
            "nodeport-no-nodes" => (Gateway(type: "NodePort"), []),
            "nodeport-no-addresses" => (Gateway(type: "NodePort"), [Node("a", true, ("Hostname", "a"))]),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Null(GatewayAddressResolver.Resolve(service, nodes));
    }

    [Fact]
    public void Only_the_first_load_balancer_ingress_is_read_like_the_docs_jsonpath()
    {
        var service = Gateway(hostname: "lb.example.com", extraIngress: new V1LoadBalancerIngress { Ip = "192.0.2.99" });

        Assert.Equal(GatewayAddressSource.LoadBalancerHostname, GatewayAddressResolver.Resolve(service, TwoNodes)!.Source);
    }
}

public class GatewayAddressParseTests
{
    public static TheoryData<string, string, int, string> Good => new()
    {
        // input, host, port, url
        { "192.0.2.10", "192.0.2.10", 80, "http://192.0.2.10" },
        { "192.0.2.10:80", "192.0.2.10", 80, "http://192.0.2.10" },
        { "192.0.2.10:31380", "192.0.2.10", 31380, "http://192.0.2.10:31380" },
        { "localhost:8080", "localhost", 8080, "http://localhost:8080" },
        { "bookinfo.example.com", "bookinfo.example.com", 80, "http://bookinfo.example.com" },
        { "[::1]", "::1", 80, "http://[::1]" },
        { "[::1]:8080", "::1", 8080, "http://[::1]:8080" },
        { "[2001:db8::1]:65535", "2001:db8::1", 65535, "http://[2001:db8::1]:65535" },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void Accepts_host_with_optional_port(string input, string host, int port, string url)
    {
        var (address, issues) = GatewayAddress.Parse(input);

        Assert.Empty(issues);
        Assert.NotNull(address);
        Assert.Equal((host, port, GatewayAddressSource.UserOverride, url), (address.Host, address.Port, address.Source, address.Url));
        Assert.Equal("Gateway.FromUserOverride", address.ExplanationCode);
    }

    public static TheoryData<string?, string[], string?> Bad => new()
    {
        // input, codes, suggestion of the first issue
        { null, ["Gateway.Empty"], null },
        { "   ", ["Gateway.Empty"], null },
        { "192.0.2.10 :80", ["Gateway.Whitespace"], null },
        { " 192.0.2.10 ", ["Gateway.Whitespace"], "192.0.2.10" },
        { "http://192.0.2.10", ["Gateway.HasScheme"], "192.0.2.10" },
        { "http://192.0.2.10:31380/productpage", ["Gateway.HasScheme"], "192.0.2.10:31380" },
        { "HTTPS://bookinfo.example.com/?x=1", ["Gateway.HasScheme"], "bookinfo.example.com" },
        { "http://[::1]:8080/", ["Gateway.HasScheme"], "[::1]:8080" },
        { "http://", ["Gateway.HasScheme", "Gateway.Empty"], null },
        { "http://bad_host/", ["Gateway.HasScheme", "Gateway.InvalidHost"], null },
        { "192.0.2.10/productpage", ["Gateway.HasPath"], "192.0.2.10" },
        { "192.0.2.10:31380?x", ["Gateway.HasPath"], "192.0.2.10:31380" },
        { "bad_host", ["Gateway.InvalidHost"], null },
        { "256.1.1.1", ["Gateway.InvalidHost"], null },
        { "host:", ["Gateway.InvalidPort"], null },
        { "host:0", ["Gateway.InvalidPort"], null },
        { "host:65536", ["Gateway.InvalidPort"], null },
        { "host:080", ["Gateway.InvalidPort"], null },
        { "host:http", ["Gateway.InvalidPort"], null },
        { "[::1]8080", ["Gateway.InvalidPort"], null },
        { "[::1]:", ["Gateway.InvalidPort"], null },
        { "[::g]:80", ["Gateway.InvalidHost"], null },
        { "[::1", ["Gateway.InvalidHost"], null },
        { "2001:db8::1", ["Gateway.Ipv6NeedsBrackets"], "[2001:db8::1]" },
        { "a:b:c", ["Gateway.InvalidHost"], null },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Refuses_what_is_not_host_and_port_with_a_fix_when_one_exists(string? input, string[] codes, string? suggestion)
    {
        var (address, issues) = GatewayAddress.Parse(input);

        Assert.Null(address);
        Assert.Equal(codes, issues.Select(i => i.Code));
        Assert.All(issues, i => Assert.Equal(Domain.Validation.WizardField.GatewayAddress, i.Field));
        Assert.Equal(suggestion, issues[0].SuggestedValue);
        if (suggestion is not null) Assert.Empty(GatewayAddress.Parse(suggestion).Issues);
    }
}
