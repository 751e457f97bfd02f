using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Json;
using KubeEmulator.ServerSideApply;
using KubeEmulator.Storage;

namespace KubeEmulator;

/// <summary>
/// The emulator's object storage ("etcd"). Tests use the public methods to arrange and assert directly,
/// bypassing HTTP, authorization and faults. Objects are stored per group + resource + namespace + name, so
/// one stored object is visible through every served version of its group (only apiVersion is rewritten).
/// All methods return deep copies: mutating a returned object never changes the store.
/// </summary>
public sealed class EmulatorStore
{
    private readonly Dictionary<ObjectKey, JsonObject> _objects = new();
    private long _resourceVersion = 1;

    // Every change since the start (or the last CompactHistory), for watches; and a signal watchers wait on.
    private readonly List<WatchEvent> _history = new();
    private long _compactedThrough;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private const int MaxHistory = 20_000;

    internal EmulatorStore(Func<DateTimeOffset>? clock = null)
    {
        Clock = clock ?? (() => DateTimeOffset.UtcNow);
        Namespaces = new NamespaceTerminator(this);
        Collector = new GarbageCollector(this);
        Catalog = new ResourceCatalog(() =>
        {
            lock (Gate)
            {
                return ReadAll(BuiltInResources.CustomResourceDefinitions, null);
            }
        });
    }

    /// <summary>The current value of the global resourceVersion counter (the last one handed out).</summary>
    public long ResourceVersion
    {
        get
        {
            lock (Gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>One lock for the whole store: every API operation runs under it, start to finish.</summary>
    internal object Gate { get; } = new();

    internal ResourceCatalog Catalog { get; }

    internal ObjectDefaults Defaults { get; } = new();

    internal Func<DateTimeOffset> Clock { get; }

    /// <summary>The namespace controller: deleted namespaces terminate before they are gone.</summary>
    internal NamespaceTerminator Namespaces { get; }

    /// <summary>Finalizers and ownerReferences: what a deletion leaves and what it takes with it.</summary>
    internal GarbageCollector Collector { get; }

    /// <summary>Simulated controllers (<see cref="RolloutSimulator"/>); they catch up whenever the store is used.</summary>
    internal Action? Controllers { get; set; }

    /// <summary>Runs the simulated controllers under <see cref="Gate"/>.</summary>
    internal void RunControllers()
    {
        lock (Gate)
        {
            Controllers?.Invoke();
        }
    }

    /// <summary>
    /// The object, e.g. <c>Get("v1", "Secret", "default", "x")</c> or
    /// <c>Get("install.istio.io/v1alpha1", "IstioOperator", "istio-system", "installed-state")</c>.
    /// Null when the object does not exist or the kind is not served at that apiVersion.
    /// </summary>
    public JsonObject? Get(string apiVersion, string kind, string? ns, string name)
    {
        lock (Gate)
        {
            Controllers?.Invoke();
            var (type, version) = ResolveOrNull(apiVersion, kind);
            var stored = type is null ? null : Read(type, ns, name);
            return stored is null ? null : View(stored, type!, version);
        }
    }

    /// <summary>All objects of a kind, in one namespace or (ns null) in all; sorted by namespace and name.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null)
    {
        lock (Gate)
        {
            Controllers?.Invoke();
            var (type, version) = ResolveOrNull(apiVersion, kind);
            return type is null ? [] : ReadAll(type, ns).Select(o => View(o, type, version)).ToList();
        }
    }

    /// <summary>
    /// Seeds or overwrites an object as-is (status included), bypassing validation. Fills uid, creationTimestamp,
    /// generation and a new resourceVersion, applies the server defaults (e.g. Secret stringData → data), and records
    /// every field of the object as owned by <paramref name="fieldManager"/> (operation Apply when
    /// <paramref name="asApply"/>, else Update). managedFields entries of other managers already present in
    /// <paramref name="obj"/> are kept. Returns the stored object.
    /// </summary>
    /// <exception cref="InvalidOperationException">The apiVersion/kind is not served, or the name is missing.</exception>
    public JsonObject Put(JsonObject obj, string fieldManager = "fixture", bool asApply = true)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = JsonTools.GetString(obj, "apiVersion") ?? throw new InvalidOperationException("Put: apiVersion is required");
        var kind = JsonTools.GetString(obj, "kind") ?? throw new InvalidOperationException("Put: kind is required");
        lock (Gate)
        {
            var (type, version) = ResolveOrNull(apiVersion, kind);
            if (type is null)
            {
                throw new InvalidOperationException($"Put: {kind} is not served at {apiVersion} in this cluster fixture");
            }

            var candidate = JsonTools.CloneObject(obj);
            candidate["apiVersion"] = type.ApiVersionFor(version);
            candidate["kind"] = type.Kind;
            var metadata = JsonTools.Metadata(candidate);
            var name = JsonTools.GetString(metadata, "name") ?? throw new InvalidOperationException("Put: metadata.name is required");
            var ns = type.Namespaced ? JsonTools.GetString(metadata, "namespace") ?? "default" : null;
            if (ns is null)
            {
                metadata.Remove("namespace");
            }
            else
            {
                metadata["namespace"] = ns;
            }

            var existing = Read(type, ns, name);
            if (type.Is(string.Empty, "secrets"))
            {
                ObjectDefaults.ConvertStringData(candidate);
            }

            // The manager owns what it wrote, not what the server defaults afterwards.
            var ownedFields = ObjectFields.Paths(candidate, type);
            Defaults.Apply(type, candidate, existing);

            var now = Clock();
            var existingMetadata = JsonTools.GetObject(existing, "metadata");
            metadata["uid"] ??= JsonTools.GetString(existingMetadata, "uid") ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= JsonTools.GetString(existingMetadata, "creationTimestamp") ?? JsonTools.Timestamp(now);
            metadata["generation"] ??= existingMetadata?["generation"]?.DeepClone() ?? 1;

            var managed = ManagedFields.Read(candidate);
            managed.Entries.RemoveAll(e => e.Manager == fieldManager);
            managed.Entries.Add(new ManagedFieldsEntry
            {
                Manager = fieldManager,
                Operation = asApply ? ManagedFieldsEntry.Apply : ManagedFieldsEntry.Update,
                ApiVersion = type.ApiVersionFor(version),
                Time = JsonTools.Timestamp(now),
                Fields = ownedFields,
            });
            managed.WriteTo(candidate);

            metadata["resourceVersion"] = NextResourceVersion().ToString();
            Save(type, candidate);
            var stored = View(candidate, type, version);
            Controllers?.Invoke();
            return stored;
        }
    }

    /// <summary>
    /// Deletes an object at once (a namespace also loses its contents, without terminating first; a CRD its custom
    /// objects), bypassing the API. False when absent.
    /// </summary>
    public bool Delete(string apiVersion, string kind, string? ns, string name)
    {
        lock (Gate)
        {
            var (type, _) = ResolveOrNull(apiVersion, kind);
            var removed = type is not null && Remove(type, ns, name);
            Controllers?.Invoke();
            return removed;
        }
    }

    /// <summary>
    /// Forgets the change history up to now, as etcd compaction does: a watch from an older resourceVersion is then
    /// answered 410 Gone (https://kubernetes.io/docs/reference/using-api/api-concepts/#410-gone-responses).
    /// </summary>
    public void CompactHistory()
    {
        lock (Gate)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    // ---------------- internal API used by the request handlers (call under Gate) ----------------

    /// <summary>One change: ADDED, MODIFIED or DELETED, with the object as it was then (its resourceVersion the change's).</summary>
    internal sealed record WatchEvent(long ResourceVersion, string Type, string Group, string Resource, string? Namespace, JsonObject Object);

    /// <summary>The oldest resourceVersion a watch can start from (older ones were compacted).</summary>
    internal long CompactedThrough => _compactedThrough;

    /// <summary>Changes after <paramref name="resourceVersion"/> of one resource, oldest first.</summary>
    internal IReadOnlyList<WatchEvent> ChangesAfter(long resourceVersion, ResourceType type, string? ns) =>
        _history.Where(e => e.ResourceVersion > resourceVersion && e.Group == type.Group && e.Resource == type.Plural
            && (ns is null || e.Namespace == ns)).ToList();

    /// <summary>
    /// The objects of one resource as they were at <paramref name="resourceVersion"/>, replayed from the change history
    /// (namespace/name order); null when that state is no longer known (the history was compacted).
    /// </summary>
    internal IReadOnlyList<JsonObject>? StateAt(long resourceVersion, ResourceType type, string? ns)
    {
        if (resourceVersion == _resourceVersion)
        {
            return ReadAll(type, ns);
        }

        if (_compactedThrough > 0)
        {
            return null;
        }

        return _history
            .Where(e => e.ResourceVersion <= resourceVersion && e.Group == type.Group && e.Resource == type.Plural && (ns is null || e.Namespace == ns))
            .GroupBy(e => (e.Namespace, Name: JsonTools.GetString(JsonTools.GetObject(e.Object, "metadata"), "name")))
            .Select(g => g.Last())
            .Where(e => e.Type != "DELETED")
            .OrderBy(e => e.Namespace ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(e => JsonTools.GetString(JsonTools.GetObject(e.Object, "metadata"), "name"), StringComparer.Ordinal)
            .Select(e => e.Object)
            .ToList();
    }

    /// <summary>Completes at the next change (take it under Gate, await it outside).</summary>
    internal Task NextChange => _changed.Task;

    private void Record(ObjectKey key, string eventType, JsonObject obj)
    {
        var rv = long.TryParse(JsonTools.GetString(JsonTools.GetObject(obj, "metadata"), "resourceVersion"), out var parsed) ? parsed : _resourceVersion;
        _history.Add(new WatchEvent(rv, eventType, key.Group, key.Resource, key.Namespace.Length == 0 ? null : key.Namespace, obj));
        if (_history.Count > MaxHistory)
        {
            // Bounded like etcd's compaction window: the oldest changes go, and watches from before them get 410.
            _compactedThrough = _history[MaxHistory / 10].ResourceVersion;
            _history.RemoveRange(0, MaxHistory / 10 + 1);
        }
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private void RecordDeleted(ObjectKey key, JsonObject obj)
    {
        var deleted = JsonTools.CloneObject(obj);
        JsonTools.Metadata(deleted)["resourceVersion"] = NextResourceVersion().ToString();
        Record(key, "DELETED", deleted);
    }

    internal (ResourceType? Type, string Version) ResolveOrNull(string apiVersion, string kind)
    {
        var (group, version) = ResourceType.SplitApiVersion(apiVersion);
        return (Catalog.FindByKind(group, version, kind), version);
    }

    /// <summary>The stored instance (do not mutate; use <see cref="View"/> for a copy).</summary>
    internal JsonObject? Read(ResourceType type, string? ns, string name) =>
        _objects.GetValueOrDefault(ObjectKey.For(type, ns, name));

    /// <summary>Stored instances, sorted by namespace then name (etcd key order).</summary>
    internal IReadOnlyList<JsonObject> ReadAll(ResourceType type, string? ns) =>
        _objects
            .Where(kv => kv.Key.Group == type.Group && kv.Key.Resource == type.Plural && (ns is null || kv.Key.Namespace == ns))
            .OrderBy(kv => kv.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
            .Select(kv => kv.Value)
            .ToList();

    /// <summary>Every stored instance (do not mutate).</summary>
    internal IReadOnlyList<JsonObject> AllObjects() => _objects.Values.ToList();

    /// <summary>Every stored instance with its resource type (do not mutate), for the garbage collector.</summary>
    internal IReadOnlyList<(ResourceType Type, JsonObject Object)> Everything()
    {
        var types = Catalog.All().GroupBy(t => (t.Group, t.Plural)).ToDictionary(g => g.Key, g => g.First());
        return _objects
            .Where(kv => types.ContainsKey((kv.Key.Group, kv.Key.Resource)))
            .Select(kv => (types[(kv.Key.Group, kv.Key.Resource)], kv.Value))
            .ToList();
    }

    internal bool NamespaceExists(string ns) => Read(BuiltInResources.Namespaces, null, ns) is not null;

    internal long NextResourceVersion() => ++_resourceVersion;

    /// <summary>
    /// Deletes every object in namespace <paramref name="ns"/>, as the namespace controller does before the namespace
    /// goes: objects without finalizers are removed, the others get a deletionTimestamp and stay until their finalizers
    /// are removed (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/). Returns those that
    /// stay (resource, e.g. "configmaps" or "deployments.apps", and finalizers).
    /// </summary>
    internal IReadOnlyList<(string Resource, IReadOnlyList<string> Finalizers)> DeleteContents(string ns)
    {
        var contained = _objects.Where(kv => kv.Key.Namespace == ns && !(kv.Key.Group.Length == 0 && kv.Key.Resource == "namespaces")).ToList();
        var remaining = new List<(string, IReadOnlyList<string>)>();
        foreach (var (key, obj) in contained)
        {
            var finalizers = GarbageCollector.FinalizersAfterDelete(GarbageCollector.Finalizers(obj), GarbageCollector.Background);
            if (finalizers.Count == 0)
            {
                _objects.Remove(key);
                RecordDeleted(key, obj);
                continue;
            }

            remaining.Add((key.Group.Length == 0 ? key.Resource : $"{key.Resource}.{key.Group}", finalizers));
            var metadata = JsonTools.GetObject(obj, "metadata")!;
            if (metadata["deletionTimestamp"] is null)
            {
                var marked = JsonTools.CloneObject(obj);
                JsonTools.Metadata(marked)["deletionTimestamp"] = JsonTools.Timestamp(Clock());
                JsonTools.Metadata(marked)["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
                JsonTools.Metadata(marked)["resourceVersion"] = NextResourceVersion().ToString();
                _objects[key] = JsonTools.Canonicalize(marked);
                Record(key, "MODIFIED", _objects[key]);
            }
        }

        return remaining;
    }

    /// <summary>Stores a copy of <paramref name="obj"/> (with canonical property order).</summary>
    internal void Save(ResourceType type, JsonObject obj)
    {
        var metadata = JsonTools.GetObject(obj, "metadata")!;
        var key = ObjectKey.For(type, JsonTools.GetString(metadata, "namespace"), JsonTools.GetString(metadata, "name")!);
        var existed = _objects.ContainsKey(key);
        _objects[key] = JsonTools.Canonicalize(obj);
        Record(key, existed ? "MODIFIED" : "ADDED", _objects[key]);
    }

    internal bool Remove(ResourceType type, string? ns, string name)
    {
        var key = ObjectKey.For(type, ns, name);
        if (!_objects.Remove(key, out var removed))
        {
            return false;
        }

        if (type.Is(string.Empty, "namespaces"))
        {
            foreach (var contained in _objects.Keys.Where(k => k.Namespace == name).ToList())
            {
                _objects.Remove(contained, out var gone);
                RecordDeleted(contained, gone!);
            }
        }
        else if (type.Is("apiextensions.k8s.io", "customresourcedefinitions"))
        {
            var (group, plural) = (name[(name.IndexOf('.') + 1)..], name[..Math.Max(0, name.IndexOf('.'))]);
            foreach (var custom in _objects.Keys.Where(k => k.Group == group && k.Resource == plural).ToList())
            {
                _objects.Remove(custom, out var gone);
                RecordDeleted(custom, gone!);
            }
        }

        RecordDeleted(key, removed);
        return true;
    }

    /// <summary>A deep copy of a stored object as seen through <paramref name="version"/> of its group.</summary>
    internal static JsonObject View(JsonObject stored, ResourceType type, string version)
    {
        var copy = JsonTools.CloneObject(stored);
        copy["apiVersion"] = type.ApiVersionFor(version);
        copy["kind"] = type.Kind;
        return JsonTools.Canonicalize(copy);
    }

    private readonly record struct ObjectKey(string Group, string Resource, string Namespace, string Name)
    {
        public static ObjectKey For(ResourceType type, string? ns, string name) =>
            new(type.Group, type.Plural, type.Namespaced ? ns ?? string.Empty : string.Empty, name);
    }
}
