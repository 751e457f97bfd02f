using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using k8s.Models;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Bookinfo;

public enum GatewayAddressSource
{
    LoadBalancerIp,
    LoadBalancerHostname,
    NodePort,
    UserOverride,
}

/// <summary>Where Bookinfo answers from outside the cluster, and how the console found it.</summary>
/// <param name="Host">A DNS name, an IPv4 address or a bare IPv6 address (no brackets).</param>
/// <param name="ExplanationCode">Localized as "Gateway.{...}" in the app, filled with <paramref name="Args"/>.</param>
public sealed partial record GatewayAddress(string Host, int Port, GatewayAddressSource Source, string ExplanationCode, IReadOnlyList<object> Args)
{
    public const int DefaultHttpPort = 80;

    public bool IsIpv6 => Host.Contains(':');

    /// <summary>host:port as it goes into a URL; IPv6 bracketed, the port left out when it is 80.</summary>
    public string Authority => (IsIpv6 ? $"[{Host}]" : Host) + (Port == DefaultHttpPort ? "" : $":{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>"http://host:port" (IPv6 bracketed, ":80" omitted), without a trailing slash.</summary>
    public string Url => $"http://{Authority}";

    /// <summary>The page every traffic request asks for.</summary>
    public string ProductPageUrl => Url + BookinfoSample.ProductPagePath;

    /// <summary>
    /// The address a user typed instead of the discovered one: host[:port] (port 80 when omitted), IPv6 in brackets.
    /// A scheme or a path is refused with the bare address suggested, like the satellite address rules.
    /// </summary>
    public static (GatewayAddress? Address, IReadOnlyList<ValidationIssue> Issues) Parse(string? userOverride)
    {
        if (string.IsNullOrWhiteSpace(userOverride)) return Failed(Error("Gateway.Empty"));
        var trimmed = userOverride.Trim();
        if (trimmed.Any(char.IsWhiteSpace)) return Failed(Error("Gateway.Whitespace"));
        if (trimmed.Length != userOverride.Length) return Rewritten("Gateway.Whitespace", trimmed);

        var scheme = SchemePattern().Match(userOverride);
        if (scheme.Success)
        {
            var rest = scheme.Groups["rest"].Value;
            var end = rest.IndexOfAny(['/', '?', '#']);
            return Rewritten("Gateway.HasScheme", end < 0 ? rest : rest[..end], scheme.Groups["scheme"].Value);
        }
        var pathStart = userOverride.IndexOfAny(['/', '?', '#']);
        if (pathStart >= 0) return Rewritten("Gateway.HasPath", userOverride[..pathStart]);

        return ParseAuthority(userOverride);
    }

    private static (GatewayAddress?, IReadOnlyList<ValidationIssue>) ParseAuthority(string text)
    {
        string host, portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || !IsIpv6Text(text[1..close])) return Failed(Error("Gateway.InvalidHost", null, text));
            host = text[1..close];
            var after = text[(close + 1)..];
            if (after.Length > 0 && !after.StartsWith(':')) return Failed(Error("Gateway.InvalidPort", null, after));
            portText = after.Length == 0 ? "" : after[1..];
            if (after.Length > 0 && portText.Length == 0) return Failed(Error("Gateway.InvalidPort", null, ""));
        }
        else if (text.Count(c => c == ':') > 1)
        {
            // Bare IPv6: the whole text is the address (a trailing ":8080" cannot be told from a group).
            return IsIpv6Text(text)
                ? Failed(Error("Gateway.Ipv6NeedsBrackets", $"[{text}]", text))
                : Failed(Error("Gateway.InvalidHost", null, text));
        }
        else
        {
            var colon = text.IndexOf(':');
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? "" : text[(colon + 1)..];
            if (colon >= 0 && portText.Length == 0) return Failed(Error("Gateway.InvalidPort", null, ""));
            if (!SatelliteAddressRules.IsValidHost(host)) return Failed(Error("Gateway.InvalidHost", null, host));
        }

        var port = DefaultHttpPort;
        if (portText.Length > 0 && !TryParsePort(portText, out port)) return Failed(Error("Gateway.InvalidPort", null, portText));
        var address = new GatewayAddress(host, port, GatewayAddressSource.UserOverride, "Gateway.FromUserOverride", [Format(host, port)]);
        return (address, []);
    }

    private static string Format(string host, int port) =>
        (host.Contains(':') ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reports <paramref name="code"/> with <paramref name="candidate"/> as the suggestion when it parses cleanly.</summary>
    private static (GatewayAddress?, IReadOnlyList<ValidationIssue>) Rewritten(string code, string candidate, params object[] args)
    {
        var (inner, innerIssues) = Parse(candidate);
        var suggestion = inner is not null ? candidate : innerIssues.Select(i => i.SuggestedValue).FirstOrDefault(s => s is not null);
        return (null, [new ValidationIssue(WizardField.GatewayAddress, code, IssueSeverity.Error, args, suggestion), .. innerIssues]);
    }

    private static bool IsIpv6Text(string text) => SatelliteAddressRules.IsIpv6(text);

    private static bool TryParsePort(string text, out int port) => SatelliteAddressRules.TryParsePort(text, out port);

    private static (GatewayAddress?, IReadOnlyList<ValidationIssue>) Failed(ValidationIssue issue) => (null, [issue]);

    private static ValidationIssue Error(string code, string? suggestion = null, params object[] args) =>
        new(WizardField.GatewayAddress, code, IssueSeverity.Error, args, suggestion);

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?<rest>.*)$")]
    private static partial Regex SchemePattern();
}

/// <summary>
/// Finds the ingress gateway's external address the way Istio's Bookinfo docs do ("Determining the ingress IP and
/// ports"): the Service's LoadBalancer ingress IP, else its hostname, with the port of the service port named
/// <c>http2</c>; without a load balancer (none, or perpetually pending), the NodePort of that port on a node's address.
/// </summary>
public static class GatewayAddressResolver
{
    public const string HttpPortName = "http2";

    /// <returns>Null when the Service has no <c>http2</c> port, or neither a load balancer address nor a node port
    /// with a node address exists (ClusterIP gateways): the user then enters the address.</returns>
    public static GatewayAddress? Resolve(V1Service ingressGateway, IReadOnlyList<V1Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(ingressGateway);
        ArgumentNullException.ThrowIfNull(nodes);
        var service = $"{ingressGateway.Metadata?.NamespaceProperty}/{ingressGateway.Metadata?.Name}";
        var http2 = ingressGateway.Spec?.Ports?.FirstOrDefault(p => p.Name == HttpPortName);
        if (http2 is null) return null;

        // The docs read .status.loadBalancer.ingress[0].ip, then .hostname.
        var ingress = ingressGateway.Status?.LoadBalancer?.Ingress?.FirstOrDefault();
        if (!string.IsNullOrEmpty(ingress?.Ip))
            return new(ingress.Ip, http2.Port, GatewayAddressSource.LoadBalancerIp, "Gateway.FromLoadBalancerIp",
                [service, ingress.Ip, http2.Port]);
        if (!string.IsNullOrEmpty(ingress?.Hostname))
            return new(ingress.Hostname, http2.Port, GatewayAddressSource.LoadBalancerHostname, "Gateway.FromLoadBalancerHostname",
                [service, ingress.Hostname, http2.Port]);

        if (http2.NodePort is not { } nodePort || nodePort <= 0) return null;
        var node = PickNodeAddress(nodes);
        if (node is null) return null;
        return new(node.Value.Address, nodePort, GatewayAddressSource.NodePort, "Gateway.FromNodePort",
            [service, nodePort, node.Value.Node, node.Value.Type, node.Value.Address]);
    }

    /// <summary>A Ready node's ExternalIP if any node has one, else a Ready node's InternalIP; not-ready nodes last.</summary>
    private static (string Node, string Type, string Address)? PickNodeAddress(IReadOnlyList<V1Node> nodes)
    {
        var ordered = nodes.Where(n => n is not null).OrderBy(n => IsReady(n) ? 0 : 1).ToList();
        foreach (var type in (string[])["ExternalIP", "InternalIP"])
            foreach (var node in ordered)
            {
                var address = node.Status?.Addresses?.FirstOrDefault(a => a.Type == type && !string.IsNullOrEmpty(a.Address));
                if (address is not null) return (node.Metadata?.Name ?? "", type, address.Address);
            }
        return null;
    }

    private static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
