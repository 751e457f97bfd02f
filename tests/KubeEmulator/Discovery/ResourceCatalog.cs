using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.Discovery;

/// <summary>
/// Everything the emulator serves right now: the built-in resources plus one resource per stored
/// CustomResourceDefinition (its served versions). Creating or deleting a CRD therefore changes discovery
/// and routing immediately, like a real cluster (without the "Established" delay).
/// </summary>
internal sealed class ResourceCatalog
{
    private readonly Func<IReadOnlyList<JsonObject>> _crdSource;

    public ResourceCatalog(Func<IReadOnlyList<JsonObject>> crdSource) => _crdSource = crdSource;

    public IReadOnlyList<ResourceType> All()
    {
        var custom = _crdSource()
            .Select(FromCustomResourceDefinition)
            .OfType<ResourceType>()
            .Where(t => !BuiltInResources.All.Any(b => b.Group == t.Group && b.Plural == t.Plural));
        return BuiltInResources.All.Concat(custom).ToList();
    }

    public ResourceType? Find(string group, string version, string plural) =>
        All().FirstOrDefault(t => t.Group == group && t.Plural == plural && t.ServesVersion(version));

    public ResourceType? FindByKind(string group, string version, string kind) =>
        All().FirstOrDefault(t => t.Group == group && t.Kind == kind && t.ServesVersion(version));

    /// <summary>Served API groups (without the core group) with versions in priority order.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var all = All().Where(t => t.Group.Length > 0).ToList();
        var names = BuiltInResources.GroupOrder
            .Concat(all.Select(t => t.Group).Distinct().Where(g => !BuiltInResources.GroupOrder.Contains(g)).Order(StringComparer.Ordinal));
        return names
            .Select(group => (group, (IReadOnlyList<string>)all.Where(t => t.Group == group)
                .SelectMany(t => t.Versions).Distinct().Order(KubeVersionPriority.Instance).ToList()))
            .Where(entry => entry.Item2.Count > 0)
            .ToList();
    }

    public IReadOnlyList<ResourceType> InGroupVersion(string group, string version) =>
        All().Where(t => t.Group == group && t.ServesVersion(version)).ToList();

    /// <summary>Reads the served resource out of a CRD object; null when it serves no version.</summary>
    public static ResourceType? FromCustomResourceDefinition(JsonObject crd)
    {
        var spec = JsonTools.GetObject(crd, "spec");
        var names = JsonTools.GetObject(spec, "names");
        var group = JsonTools.GetString(spec, "group");
        var plural = JsonTools.GetString(names, "plural");
        var kind = JsonTools.GetString(names, "kind");
        if (group is null || plural is null || kind is null || spec?["versions"] is not JsonArray versions)
        {
            return null;
        }

        var served = versions.OfType<JsonObject>()
            .Where(v => v["served"]?.GetValue<bool>() ?? false)
            .ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var versionNames = served.Select(v => JsonTools.GetString(v, "name")!).Order(KubeVersionPriority.Instance).ToList();
        var hasStatus = served.Any(v => JsonTools.GetObject(JsonTools.GetObject(v, "subresources"), "status") is not null);
        return new ResourceType(
            group,
            versionNames,
            plural,
            JsonTools.GetString(names, "singular") ?? kind.ToLowerInvariant(),
            kind,
            Namespaced: JsonTools.GetString(spec, "scope") != "Cluster",
            ShortNames: StringList(names, "shortNames"),
            Verbs: BuiltInResources.CrudVerbs,
            Categories: StringList(names, "categories"),
            IsCustom: true,
            HasStatusSubresource: hasStatus)
        {
            Schemas = served
                .Where(v => JsonTools.GetObject(JsonTools.GetObject(v, "schema"), "openAPIV3Schema") is not null)
                .ToDictionary(v => JsonTools.GetString(v, "name")!, v => JsonTools.GetObject(JsonTools.GetObject(v, "schema"), "openAPIV3Schema")!),
        };
    }

    private static IReadOnlyList<string> StringList(JsonObject? obj, string property) =>
        obj?[property] is JsonArray array
            ? array.Select(n => n?.GetValue<string>()).OfType<string>().ToList()
            : [];
}
