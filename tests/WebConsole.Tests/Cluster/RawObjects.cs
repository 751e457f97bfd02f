using System.Text.Json.Nodes;
using KubeEmulator;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// The test's own view of stored objects, independent of the product's journal code: every field, label, annotation
/// and status exactly as stored, without only what the server rewrites on every write (resourceVersion, generation,
/// managedFields). uid and creationTimestamp stay, so an object deleted and created again does not pass as restored.
/// </summary>
public static class RawObjects
{
    private static readonly string[] ServerBookkeeping = ["resourceVersion", "generation", "managedFields"];

    public static string Normalise(JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        var metadata = copy["metadata"]!.AsObject();
        foreach (var key in ServerBookkeeping) metadata.Remove(key);
        return copy.ToJsonString();
    }

    /// <summary>Every stored object of these kinds, one normalised line each, keyed by kind/namespace/name.</summary>
    public static SortedDictionary<string, string> Snapshot(KubeApiEmulator emulator, IEnumerable<(string ApiVersion, string Kind)> kinds)
    {
        var objects = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (apiVersion, kind) in kinds.Distinct())
        {
            foreach (var obj in emulator.Store.List(apiVersion, kind))
                objects.Add($"{kind}/{(string?)obj["metadata"]!["namespace"]}/{(string)obj["metadata"]!["name"]!}", Normalise(obj));
        }
        return objects;
    }

    public static string Get(KubeApiEmulator emulator, string apiVersion, string kind, string? ns, string name) =>
        Normalise(emulator.Store.Get(apiVersion, kind, ns, name) ?? throw new InvalidOperationException($"{kind} {ns}/{name} is not stored"));
}
