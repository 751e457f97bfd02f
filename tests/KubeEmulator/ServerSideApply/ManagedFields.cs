using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.ServerSideApply;

/// <summary>One metadata.managedFields entry.</summary>
internal sealed class ManagedFieldsEntry
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public required string Manager { get; init; }

    /// <summary>"Apply" or "Update".</summary>
    public required string Operation { get; init; }

    public required string ApiVersion { get; set; }

    public string? Time { get; set; }

    public string? Subresource { get; init; }

    public FieldSet Fields { get; set; } = FieldSet.Empty;

    /// <summary>
    /// Whether this entry is the one the given manager/operation writes to. Like kube-apiserver's manager
    /// identifier: appliers are one entry whatever the apiVersion, updaters get one entry per apiVersion.
    /// </summary>
    public bool Identifies(string manager, string operation, string apiVersion, string? subresource = null) =>
        Manager == manager && Operation == operation && Subresource == subresource
        && (operation == Apply || ApiVersion == apiVersion);

    /// <summary>How apply conflict messages name the manager: <c>"istio-operator" using v1</c>.</summary>
    public string DisplayName()
    {
        var name = JsonTools.ToWire(JsonValue.Create(Manager));
        if (!string.IsNullOrEmpty(Subresource))
        {
            name += $" with subresource {JsonTools.ToWire(JsonValue.Create(Subresource))}";
        }

        return $"{name} using {ApiVersion}";
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is not null)
        {
            json["time"] = Time;
        }

        json["fieldsType"] = "FieldsV1";
        json["fieldsV1"] = Fields.ToFieldsV1();
        if (Subresource is not null)
        {
            json["subresource"] = Subresource;
        }

        return json;
    }

    public static ManagedFieldsEntry? FromJson(JsonObject json)
    {
        var manager = JsonTools.GetString(json, "manager");
        var operation = JsonTools.GetString(json, "operation");
        if (manager is null || operation is null)
        {
            return null;
        }

        return new ManagedFieldsEntry
        {
            Manager = manager,
            Operation = operation,
            ApiVersion = JsonTools.GetString(json, "apiVersion") ?? string.Empty,
            Time = JsonTools.GetString(json, "time"),
            Subresource = JsonTools.GetString(json, "subresource"),
            Fields = FieldSet.FromFieldsV1(JsonTools.GetObject(json, "fieldsV1")),
        };
    }
}

/// <summary>The parsed metadata.managedFields of one object.</summary>
internal sealed class ManagedFields
{
    public List<ManagedFieldsEntry> Entries { get; } = [];

    public static ManagedFields Read(JsonObject? obj)
    {
        var managed = new ManagedFields();
        if (JsonTools.GetObject(obj, "metadata")?["managedFields"] is JsonArray array)
        {
            managed.Entries.AddRange(array.OfType<JsonObject>().Select(ManagedFieldsEntry.FromJson).OfType<ManagedFieldsEntry>());
        }

        return managed;
    }

    public ManagedFieldsEntry? Find(string manager, string operation, string apiVersion) =>
        Entries.FirstOrDefault(e => e.Identifies(manager, operation, apiVersion));

    public void RemoveEmpty(ManagedFieldsEntry? keep = null) => Entries.RemoveAll(e => e != keep && e.Fields.IsEmpty);

    /// <summary>Writes the entries into obj.metadata.managedFields (removing the property when there are none).</summary>
    public void WriteTo(JsonObject obj)
    {
        var metadata = JsonTools.Metadata(obj);
        if (Entries.Count == 0)
        {
            metadata.Remove("managedFields");
            return;
        }

        metadata["managedFields"] = ToJson();
    }

    /// <summary>Sorted like kube-apiserver: Apply before Update, then by time, manager, apiVersion.</summary>
    public JsonArray ToJson() => new(Entries
        .OrderBy(e => e.Operation, StringComparer.Ordinal)
        .ThenBy(e => e.Time ?? string.Empty, StringComparer.Ordinal)
        .ThenBy(e => e.Manager, StringComparer.Ordinal)
        .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
        .Select(e => (JsonNode)e.ToJson())
        .ToArray());
}
