using System.Text.Json.Nodes;

namespace KubeEmulator.Discovery;

/// <summary>
/// Legacy (non-aggregated) discovery documents: /version, /api, /api/v1, /apis, /apis/{group}, /apis/{group}/{version}.
/// Aggregated discovery (Accept: ...;as=APIGroupDiscoveryList) is not implemented: the emulator always answers
/// the legacy form with Content-Type application/json, which kubectl and client-go accept as a fallback.
/// </summary>
internal static class DiscoveryDocuments
{
    public const string GitVersion = "v1.31.0";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "31",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "9befe60c7ea3ef1d0b4e3bd6b1bba3e0e6b8b4b1",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-08-13T07:28:49Z",
        ["goVersion"] = "go1.22.5",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    /// <summary>GET /api: the legacy core group's versions.</summary>
    public static JsonObject CoreApiVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = "10.0.0.10:6443",
        }),
    };

    /// <summary>GET /apis.</summary>
    public static JsonObject GroupList(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.Groups().Select(g => (JsonNode)GroupBody(g.Group, g.Versions)).ToArray()),
    };

    /// <summary>GET /apis/{group}.</summary>
    public static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var body = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (key, value) in GroupBody(group, versions))
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    /// <summary>GET /api/v1 or /apis/{group}/{version}.</summary>
    public static JsonObject ResourceList(string group, string version, IEnumerable<ResourceType> resources)
    {
        var list = new JsonArray();
        foreach (var type in resources.OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(type.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode)s).ToArray());
            }

            if (type.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(type.Categories.Select(c => (JsonNode)c).ToArray());
            }

            list.Add(entry);
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    private static JsonObject GroupBody(string group, IReadOnlyList<string> versions)
    {
        static JsonObject VersionEntry(string group, string version) =>
            new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)VersionEntry(group, v)).ToArray()),
            ["preferredVersion"] = VersionEntry(group, versions[0]),
        };
    }
}
