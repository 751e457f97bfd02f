using System.Globalization;
using k8s.Models;

namespace MeshConsole.Domain.Planning;

/// <summary>Building blocks for Istio custom resources and the addresses they point at.</summary>
internal static class IstioObjects
{
    public static IstioResource Create(string apiVersion, string kind, string name, Dictionary<string, object?> spec) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = PlanBuilder.IstioNamespace,
            Labels = new Dictionary<string, string> { ["app"] = "lightstep", [PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue },
        },
        Spec = spec,
    };

    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    /// <summary>An IstioOperator overlay whose spec holds each dotted path's value.</summary>
    public static PlannedObject Overlay(IEnumerable<(string Path, object Value)> settings)
    {
        var spec = new Dictionary<string, object?>();
        foreach (var (path, value) in settings)
        {
            var segments = path.Split('.');
            var node = spec;
            foreach (var segment in segments[..^1])
            {
                if (!node.TryGetValue(segment, out var child) || child is not Dictionary<string, object?> map)
                    node[segment] = map = [];
                node = map;
            }
            node[segments[^1]] = value;
        }
        return new PlannedObject(Create("install.istio.io/v1alpha1", "IstioOperator", PlanBuilder.OverlayName, spec),
            PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl);
    }

    public static (string Host, int Port) SplitAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = address[..colon].Trim('[', ']');
        return (host, int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// "name.namespace" or "name.namespace.svc[.cluster.local]" is a Kubernetes Service already in Istio's registry,
    /// which the provider's `service` field wants as its FQDN; anything else is external and needs a ServiceEntry.
    /// </summary>
    private static readonly HashSet<string> PublicSuffixes =
        ["com", "net", "org", "io", "dev", "cloud", "app", "ai", "co", "cn", "de", "uk", "jp", "fr", "eu", "us", "local", "internal", "corp", "lan"];

    public static string? InClusterServiceHost(string host)
    {
        var labels = host.Split('.');
        if (labels.Length == 2 && !labels.Any(l => l.All(char.IsAsciiDigit)) && !PublicSuffixes.Contains(labels[1]))
            return $"{host}.svc.cluster.local";
        if (host.EndsWith(".svc", StringComparison.Ordinal)) return $"{host}.cluster.local";
        if (host.EndsWith(".svc.cluster.local", StringComparison.Ordinal)) return host;
        return null;
    }
}
