using System.Text.Json.Nodes;

namespace WebConsole.Features.Cluster;

/// <summary>Which object a request is about. Only the kinds the console manages are known.</summary>
public sealed record ResourceRef(string ApiVersion, string Kind, string? Namespace, string Name)
{
    private static readonly Dictionary<string, string> Plurals = new(StringComparer.Ordinal)
    {
        ["Secret"] = "secrets",
        ["ConfigMap"] = "configmaps",
        ["Deployment"] = "deployments",
        ["Pod"] = "pods",
        ["Namespace"] = "namespaces",
        ["ServiceAccount"] = "serviceaccounts",
        ["Service"] = "services",
        ["Gateway"] = "gateways",
        ["VirtualService"] = "virtualservices",
        ["IstioOperator"] = "istiooperators",
        ["ServiceEntry"] = "serviceentries",
        ["DestinationRule"] = "destinationrules",
        ["Telemetry"] = "telemetries",
    };

    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";
    public string Version => ApiVersion[(ApiVersion.IndexOf('/') + 1)..];
    public string Plural => Plurals.TryGetValue(Kind, out var plural) ? plural
        : throw new NotSupportedException($"The console does not manage objects of kind {Kind}.");
    public bool IsCore => Group.Length == 0;
    public string Display => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Name} -n {Namespace}";

    public static ResourceRef Of(JsonObject obj) => new(
        (string?)obj["apiVersion"] ?? "", (string?)obj["kind"] ?? "",
        (string?)obj["metadata"]?["namespace"], (string?)obj["metadata"]?["name"] ?? "");
}
