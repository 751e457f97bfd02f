using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Cluster;

/// <param name="FieldManager">The field manager of the part that changed it, which recreates it when undo finds it gone.</param>
/// <param name="FirstChangedBy">Who made that first change (the console's user); null in journals written before it was recorded.</param>
public sealed record UndoEntry(ResourceRef Target, JsonObject? Before, DateTimeOffset FirstChangedAt, string FieldManager = FieldManagers.Mesh, string? FirstChangedBy = null);

/// <summary>
/// What each object was before the console first changed it, kept in the cluster so another console instance
/// (or this one after a restart) can still undo. A Secret rather than a ConfigMap: earlier mesh configs
/// hold access tokens.
/// </summary>
/// <remarks>
/// <paramref name="exactNamespace"/>: the journal is in the preferred namespace and nowhere else (a session participant's
/// own namespace); never read from or written to istio-system or default, where the facilitator's journal is.
/// </remarks>
public sealed class UndoJournal(KubeGateway gateway, TimeProvider clock, bool exactNamespace = false, string? changedBy = null)
{
    // The journal Secret is written by every part's apply and undo: under one manager of its own, always whole.
    private readonly KubeGateway _gateway = gateway.WithFieldManager(FieldManagers.UndoJournal);

    public const string SecretName = "lightstep-console.undo";
    public const string DataKey = "journal.json";
    public static readonly string[] CandidateNamespaces = [PlanBuilder.IstioNamespace, FallbackNamespace];

    private static readonly string[] VolatileMetadata = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"];

    /// <summary>Finds the journal (istio-system first, then default); an empty journal when there is none.</summary>
    public async Task<ClusterResult<(string Namespace, List<UndoEntry> Entries)>> ReadAsync(string preferredNamespace, CancellationToken ct)
    {
        foreach (var ns in exactNamespace ? [preferredNamespace] : CandidateNamespaces.Prepend(preferredNamespace).Distinct())
        {
            var secret = await _gateway.GetAsync(new ResourceRef("v1", "Secret", ns, SecretName), ct);
            if (!secret.Succeeded) return ClusterResult<(string, List<UndoEntry>)>.Failed(secret.Failure!);
            if (secret.Value is null) continue;
            var encoded = (string?)secret.Value["data"]?[DataKey];
            return (ns, encoded is null ? [] : Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded))));
        }
        return (preferredNamespace, new List<UndoEntry>());
    }

    /// <summary>Adds the current state of objects not yet in the journal; an object's first "before" is kept forever.</summary>
    public async Task<ClusterResult<bool>> RecordAsync(string ns, List<UndoEntry> entries, IEnumerable<LiveChange> changes, string fieldManager, CancellationToken ct)
    {
        var added = false;
        foreach (var change in changes)
        {
            if (entries.Any(e => e.Target == change.Target)) continue;
            entries.Add(new UndoEntry(change.Target, change.Current is null ? null : Strip(change.Current), clock.GetUtcNow(), fieldManager, changedBy));
            added = true;
        }
        return added ? await WriteAsync(ns, entries, ct) : true;
    }

    public async Task<ClusterResult<bool>> WriteAsync(string ns, IReadOnlyList<UndoEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            var deleted = await _gateway.DeleteAsync(new ResourceRef("v1", "Secret", ns, SecretName), ct);
            return deleted.Succeeded ? true : ClusterResult<bool>.Failed(deleted.Failure!);
        }
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = SecretName,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { [PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue },
            },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { [DataKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Serialize(entries))) },
        };
        var applied = await _gateway.ApplyAsync(secret, dryRun: false, force: true, ct);
        // A cluster without Istio has no istio-system: keep the journal in "default", where ReadAsync looks next.
        if (applied.Failure?.Kind == MeshConsole.Domain.Cluster.ClusterFailureKind.NotFound && ns != FallbackNamespace && !exactNamespace)
            return await WriteAsync(FallbackNamespace, entries, ct);
        return applied.Succeeded ? true : ClusterResult<bool>.Failed(applied.Failure!);
    }

    private const string FallbackNamespace = "default";

    /// <summary>
    /// The object as the journal keeps it: every field, label and annotation, kubectl's last-applied-configuration
    /// included (without it the next <c>kubectl apply</c> of the user's file computes a wrong three-way merge); only what
    /// the server writes itself is dropped: status and the server-owned metadata, which a restore cannot set.
    /// </summary>
    public static JsonObject Strip(JsonObject live)
    {
        var copy = live.DeepClone().AsObject();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in VolatileMetadata) metadata.Remove(key);
        }
        return copy;
    }

    private static string Serialize(IReadOnlyList<UndoEntry> entries) => new JsonObject
    {
        ["version"] = 1,
        ["entries"] = new JsonArray(entries.Select(e =>
        {
            var entry = new JsonObject
            {
                ["apiVersion"] = e.Target.ApiVersion,
                ["kind"] = e.Target.Kind,
                ["namespace"] = e.Target.Namespace,
                ["name"] = e.Target.Name,
                ["before"] = e.Before?.DeepClone(),
                ["firstChangedAt"] = e.FirstChangedAt.ToString("O"),
                ["fieldManager"] = e.FieldManager,
            };
            if (e.FirstChangedBy is { } by) entry["firstChangedBy"] = by;
            return (JsonNode)entry;
        }).ToArray()),
    }.ToJsonString();

    private static List<UndoEntry> Parse(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("The undo journal is empty.");
        return root["entries"]!.AsArray().OfType<JsonObject>().Select(e => new UndoEntry(
            new ResourceRef((string)e["apiVersion"]!, (string)e["kind"]!, (string?)e["namespace"], (string)e["name"]!),
            e["before"] as JsonObject is { } before ? before.DeepClone().AsObject() : null,
            DateTimeOffset.Parse((string)e["firstChangedAt"]!, System.Globalization.CultureInfo.InvariantCulture),
            // Journals written before there was a manager per part: everything was the mesh plan's manager then.
            (string?)e["fieldManager"] ?? FieldManagers.Mesh,
            (string?)e["firstChangedBy"])).ToList();
    }
}
