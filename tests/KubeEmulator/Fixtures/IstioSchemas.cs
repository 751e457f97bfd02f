using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace KubeEmulator.Fixtures;

/// <summary>
/// Istio's own CRD schemas for a minor release, from tests/IstioSchemas/&lt;minor&gt;/crd-all.gen.yaml (the file
/// istio/istio ships at that tag, unmodified; see tests/IstioSchemas/SOURCES.md), so the emulator prunes and rejects
/// fields in Istio resources as a cluster with those CRDs does.
/// </summary>
internal static class IstioSchemas
{
    private static readonly Dictionary<string, IReadOnlyList<JsonObject>> Loaded = new(StringComparer.Ordinal);

    /// <summary>The openAPIV3Schema of <paramref name="kind"/> in <paramref name="group"/> at <paramref name="version"/>, falling
    /// back to the CRD's first version that has one; null when that minor has no schema file or no such kind.</summary>
    public static JsonObject? For(string istioVersion, string group, string kind, string version)
    {
        var parts = istioVersion.Split('.');
        var minor = $"{parts[0]}.{parts[1]}";
        var crd = Crds(minor).FirstOrDefault(c => (string?)c["spec"]?["group"] == group && (string?)c["spec"]?["names"]?["kind"] == kind);
        if (crd?["spec"]?["versions"] is not JsonArray versions) return null;
        var withSchema = versions.OfType<JsonObject>().Where(v => v["schema"]?["openAPIV3Schema"] is JsonObject).ToList();
        var chosen = withSchema.FirstOrDefault(v => (string?)v["name"] == version) ?? withSchema.FirstOrDefault();
        return chosen?["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject();
    }

    private static IReadOnlyList<JsonObject> Crds(string minor)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(minor, out var cached)) return cached;
            var path = Path.Combine(AppContext.BaseDirectory, "IstioSchemas", minor, "crd-all.gen.yaml");
            var crds = new List<JsonObject>();
            if (File.Exists(path))
            {
                var stream = new YamlStream();
                using (var reader = new StreamReader(path)) stream.Load(reader);
                crds.AddRange(stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>()
                    .Where(o => (string?)o["kind"] == "CustomResourceDefinition"));
            }
            Loaded[minor] = crds;
            return crds;
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(e => KeyValuePair.Create(((YamlScalarNode)e.Key).Value ?? "", ToJson(e.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // The schema files use plain true/false, integers and strings; quoted scalars stay strings.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any)) return JsonValue.Create(text);
        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            _ when long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ => JsonValue.Create(text),
        };
    }
}
