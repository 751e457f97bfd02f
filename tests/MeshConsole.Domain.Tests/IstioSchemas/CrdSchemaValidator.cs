using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace MeshConsole.Domain.Tests.IstioSchemas;

/// <summary>
/// Validates objects against the OpenAPI v3 schemas of a release's CustomResourceDefinitions the way an API server does
/// for structural schemas: unknown fields are rejected unless the schema says x-kubernetes-preserve-unknown-fields (or
/// has additionalProperties), and every value must have its declared type (string, integer, number, boolean, object,
/// array; x-kubernetes-int-or-string). Both CRD layouts are read: apiextensions v1beta1 (spec.validation, one schema for
/// all versions) and v1 (spec.versions[].schema). Value constraints (enum, pattern, oneOf, CEL rules) are not checked.
/// </summary>
internal sealed class CrdSchemaValidator
{
    private readonly Dictionary<string, YamlMappingNode> _schemas = new(StringComparer.Ordinal);

    public static string SchemaFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "WebConsole.sln")))
                    return Path.Combine(dir.FullName, "tests", "IstioSchemas");
            throw new InvalidOperationException($"No WebConsole.sln above {AppContext.BaseDirectory}.");
        }
    }

    public static CrdSchemaValidator ForMinor(string minor) =>
        new(File.ReadAllText(Path.Combine(SchemaFolder, minor, "crd-all.gen.yaml")));

    public CrdSchemaValidator(string crdYaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(crdYaml));
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode crd || Scalar(crd, "kind") != "CustomResourceDefinition") continue;
            var spec = (YamlMappingNode)crd["spec"];
            var group = Scalar(spec, "group");
            var kind = Scalar((YamlMappingNode)spec["names"], "kind");
            var shared = Child(Child(spec, "validation"), "openAPIV3Schema");
            var versions = Child(spec, "versions") as YamlSequenceNode;
            var versionNames = versions?.Children.OfType<YamlMappingNode>().Select(v => (Name: Scalar(v, "name")!, Node: v)).ToList()
                ?? [(Scalar(spec, "version")!, spec)];
            foreach (var (name, node) in versionNames)
            {
                var schema = Child(Child(node, "schema"), "openAPIV3Schema") ?? shared;
                if (schema is YamlMappingNode map) _schemas[$"{group}/{name}/{kind}"] = map;
            }
        }
    }

    public bool Knows(string apiVersion, string kind) => _schemas.ContainsKey($"{apiVersion}/{kind}");

    /// <summary>Every violation, as "path: problem"; empty when the object is valid.</summary>
    public IReadOnlyList<string> Validate(YamlMappingNode resource)
    {
        var apiVersion = Scalar(resource, "apiVersion");
        var kind = Scalar(resource, "kind");
        if (!_schemas.TryGetValue($"{apiVersion}/{kind}", out var schema))
            return [$"{apiVersion}/{kind}: no CRD schema in this release"];
        var problems = new List<string>();
        foreach (var (key, value) in resource.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name is "apiVersion" or "kind" or "metadata") continue;
            var property = Child(Child(schema, "properties"), name);
            if (property is YamlMappingNode propertySchema) Check(propertySchema, value, name, problems);
            else if (!PreservesUnknown(schema)) problems.Add($"{name}: unknown field");
        }
        return problems;
    }

    private static void Check(YamlMappingNode schema, YamlNode value, string path, List<string> problems)
    {
        if (value is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } nullScalar
            && nullScalar.Value is null or "" or "null" or "~")
            return; // null: allowed where the API server prunes or defaults; the plan never writes one on purpose
        if (Scalar(schema, "x-kubernetes-int-or-string") == "true")
        {
            if (value is not YamlScalarNode) problems.Add($"{path}: expected an integer or a string");
            return;
        }
        var type = Scalar(schema, "type");
        switch (type)
        {
            case "object":
                if (value is not YamlMappingNode map) { problems.Add($"{path}: expected an object"); return; }
                var properties = Child(schema, "properties") as YamlMappingNode;
                var additional = Child(schema, "additionalProperties");
                foreach (var (key, child) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    if (Child(properties, name) is YamlMappingNode propertySchema) Check(propertySchema, child, $"{path}.{name}", problems);
                    else if (additional is YamlMappingNode additionalSchema) Check(additionalSchema, child, $"{path}.{name}", problems);
                    else if (!PreservesUnknown(schema) && !(additional is YamlScalarNode { Value: "true" }))
                        problems.Add($"{path}.{name}: unknown field");
                }
                return;
            case "array":
                if (value is not YamlSequenceNode list) { problems.Add($"{path}: expected an array"); return; }
                if (Child(schema, "items") is YamlMappingNode items)
                    for (var i = 0; i < list.Children.Count; i++) Check(items, list.Children[i], $"{path}[{i}]", problems);
                return;
            case "string":
                if (value is not YamlScalarNode) problems.Add($"{path}: expected a string");
                return;
            case "boolean":
                if (value is not YamlScalarNode { Value: "true" or "false" } b || IsQuoted(b)) problems.Add($"{path}: expected a boolean");
                return;
            case "integer":
                if (value is not YamlScalarNode i2 || IsQuoted(i2) || !long.TryParse(i2.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    problems.Add($"{path}: expected an integer");
                return;
            case "number":
                if (value is not YamlScalarNode n || IsQuoted(n) || !double.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    problems.Add($"{path}: expected a number");
                return;
            default:
                // No type: x-kubernetes-preserve-unknown-fields or a schema without structure; anything goes.
                return;
        }
    }

    private static bool IsQuoted(YamlScalarNode node) =>
        node.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted;

    private static bool PreservesUnknown(YamlMappingNode schema) => Scalar(schema, "x-kubernetes-preserve-unknown-fields") == "true";

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlNode? node, string key) => (Child(node, key) as YamlScalarNode)?.Value;
}
