using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Errors;
using KubeEmulator.Json;
using KubeEmulator.Patches;
using KubeEmulator.ServerSideApply;

namespace KubeEmulator.Storage;

/// <summary>Options shared by every write: <c>?dryRun=All</c> and the field manager recorded in managedFields.</summary>
internal sealed record WriteOptions(bool DryRun, string FieldManager);

/// <summary>A response body and status code.</summary>
internal sealed record OperationResult(JsonObject Body, int StatusCode);

/// <summary>The non-apply patch formats.</summary>
internal enum PatchFormat
{
    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,

    /// <summary>application/strategic-merge-patch+json (see <see cref="StrategicMergePatch"/>).</summary>
    Strategic,
}

/// <summary>
/// The REST semantics of kube-apiserver's generic registry, independent of HTTP: get, list, create, update,
/// patch, server-side apply, delete. Each operation runs under the store lock. With dry run every step runs
/// (validation, defaults, managedFields, conflict checks) but nothing is stored and no resourceVersion is used.
/// A write that changes nothing (same content, same managedFields) is not stored either and keeps the resourceVersion.
/// </summary>
internal sealed class ObjectOperations
{
    private static readonly string[] SystemMetadata =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

    private readonly EmulatorStore _store;

    public ObjectOperations(EmulatorStore store) => _store = store;

    public JsonObject Get(ResourceType type, string version, string? ns, string name)
    {
        lock (_store.Gate)
        {
            return EmulatorStore.View(ReadOrThrow(type, ns, name), type, version);
        }
    }

    public JsonObject List(ResourceType type, string version, string? ns, LabelSelector labels, FieldSelector fields) =>
        List(type, version, ns, labels, fields, ListChunk.All, ReadVersion.MostRecent);

    /// <summary>
    /// A list, in chunks when <paramref name="chunk"/> has a limit: at most that many items, and <c>metadata.continue</c>
    /// (plus <c>remainingItemCount</c> when no selector was given) while more follow
    /// (https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks). Every chunk
    /// carries the first chunk's resourceVersion, as the docs say; the items themselves are read from the current state
    /// (no snapshot at that resourceVersion), in namespace/name order after the token's last key.
    /// </summary>
    public JsonObject List(ResourceType type, string version, string? ns, LabelSelector labels, FieldSelector fields, ListChunk chunk, ReadVersion at)
    {
        lock (_store.Gate)
        {
            at.RequireReached(_store.ResourceVersion);
            var source = _store.ReadAll(type, ns);
            if (at.Exactly is { } exactly)
            {
                // Exact: the state at that resourceVersion, or 410 Gone once it is no longer known.
                source = exactly < _store.CompactedThrough ? null : _store.StateAt(exactly, type, ns);
                if (source is null)
                {
                    throw new ApiException(410, "Expired", $"too old resource version: {exactly} ({_store.CompactedThrough})", new JsonObject());
                }

                chunk = chunk with { ResourceVersion = chunk.ResourceVersion ?? exactly.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }

            var matching = source
                .Where(o => labels.Matches(o) && fields.Matches(o))
                .Where(chunk.Follows)
                .ToList();
            var page = chunk.Limit is { } limit ? matching.Take(limit).ToList() : matching;
            var document = ListDocument(type, version, page.Select(o => ListItem(type, version, o)));
            var metadata = (JsonObject)document["metadata"]!;
            if (chunk.ResourceVersion is { } first)
            {
                metadata["resourceVersion"] = first;
            }

            if (page.Count < matching.Count)
            {
                metadata["continue"] = ListChunk.Token((string)metadata["resourceVersion"]!, ListChunk.KeyOf(page[^1]));
                if (labels.IsEmpty && fields.IsEmpty)
                {
                    metadata["remainingItemCount"] = matching.Count - page.Count;
                }
            }

            return document;
        }
    }

    public OperationResult Create(ResourceType type, string version, string? ns, JsonObject body, WriteOptions options)
    {
        lock (_store.Gate)
        {
            var obj = JsonTools.CloneObject(body);
            SetTypeMeta(type, version, obj, requireTypeMeta: false);
            var metadata = JsonTools.Metadata(obj);
            SetNamespace(type, ns, metadata);
            if (JsonTools.GetString(metadata, "name") is null or "" && JsonTools.GetString(metadata, "generateName") is { Length: > 0 } prefix)
            {
                metadata["name"] = prefix + RandomSuffix();
            }

            if (!string.IsNullOrEmpty(JsonTools.GetString(metadata, "resourceVersion")))
            {
                throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
            }

            RequireNamespaceExists(type, ns, JsonTools.GetString(metadata, "name"));
            foreach (var field in SystemMetadata)
            {
                metadata.Remove(field);
            }

            if (type.HasStatusSubresource)
            {
                obj.Remove("status");
            }

            _store.Defaults.Apply(type, obj, null);
            ObjectValidation.Validate(type, obj, null);
            var name = JsonTools.GetString(metadata, "name")!;
            if (_store.Read(type, ns, name) is not null)
            {
                throw ApiException.AlreadyExists(type.Group, type.Plural, name);
            }

            InitializeNewObject(type, obj);
            ServerSideApplier.TrackUpdate(type, type.ApiVersionFor(version), null, obj, options.FieldManager, _store.Clock());
            return Commit(type, version, null, obj, options);
        }
    }

    public OperationResult Replace(ResourceType type, string version, string? ns, string name, JsonObject body, WriteOptions options)
    {
        lock (_store.Gate)
        {
            var live = ReadOrThrow(type, ns, name);
            var obj = JsonTools.CloneObject(body);
            SetTypeMeta(type, version, obj, requireTypeMeta: false);
            var metadata = JsonTools.Metadata(obj);
            SetNamespace(type, ns, metadata);
            CheckName(metadata, name);

            var requested = JsonTools.GetString(metadata, "resourceVersion");
            if (string.IsNullOrEmpty(requested))
            {
                // Built-in types allow unconditional updates; custom resources do not.
                if (type.IsCustom)
                {
                    throw ApiException.Invalid(type.Group, type.Kind, name,
                        [new FieldError("FieldValueInvalid", "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update")]);
                }
            }
            else
            {
                CheckResourceVersion(type, live, name, requested);
            }

            return CommitUpdate(type, version, live, obj, options);
        }
    }

    public OperationResult Patch(ResourceType type, string version, string? ns, string name, PatchFormat format, JsonNode patch, WriteOptions options)
    {
        lock (_store.Gate)
        {
            var live = ReadOrThrow(type, ns, name);
            var current = EmulatorStore.View(live, type, version);
            JsonNode? patched;
            try
            {
                patched = format switch
                {
                    PatchFormat.Merge => JsonMergePatch.Apply(JsonTools.CloneObject(current), patch),
                    PatchFormat.Json => JsonPatch.Apply(current, patch as JsonArray
                        ?? throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")),
                    PatchFormat.Strategic => StrategicMergePatch.Apply(current, patch as JsonObject
                        ?? throw ApiException.BadRequest("the patch must be a JSON object")),
                    _ => throw new ArgumentOutOfRangeException(nameof(format)),
                };
            }
            catch (JsonPatchException e)
            {
                throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request",
                    new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = e.Message }) });
            }

            if (patched is not JsonObject patchedObject)
            {
                throw ApiException.BadRequest("the patched object is not a JSON object");
            }

            var metadata = JsonTools.Metadata(patchedObject);
            CheckName(metadata, name);
            SetNamespace(type, ns, metadata);
            if (JsonTools.GetString(metadata, "resourceVersion") is { Length: > 0 } requested)
            {
                CheckResourceVersion(type, live, name, requested);
            }

            patchedObject["apiVersion"] = type.ApiVersionFor(version);
            patchedObject["kind"] = type.Kind;
            return CommitUpdate(type, version, live, patchedObject, options);
        }
    }

    /// <summary>Server-side apply (PATCH with application/apply-patch+yaml): creates (201) or merges (200).</summary>
    public OperationResult Apply(ResourceType type, string version, string? ns, string name, JsonObject body, WriteOptions options, bool force)
    {
        lock (_store.Gate)
        {
            var config = JsonTools.CloneObject(body);
            SetTypeMeta(type, version, config, requireTypeMeta: true);
            var metadata = JsonTools.Metadata(config);
            if (JsonTools.GetString(metadata, "name") is null)
            {
                metadata["name"] = name;
            }

            CheckName(metadata, name);
            SetNamespace(type, ns, metadata);
            var live = _store.Read(type, ns, name);
            if (live is not null && JsonTools.GetString(metadata, "resourceVersion") is { Length: > 0 } requested)
            {
                CheckResourceVersion(type, live, name, requested);
            }

            foreach (var field in SystemMetadata)
            {
                metadata.Remove(field);
            }

            if (type.HasStatusSubresource)
            {
                config.Remove("status");
            }

            if (type.Is(string.Empty, "secrets"))
            {
                ObjectDefaults.ConvertStringData(config);
            }

            var apiVersion = type.ApiVersionFor(version);
            var now = _store.Clock();
            if (live is null)
            {
                RequireNamespaceExists(type, ns, name);
                var created = ServerSideApplier.Apply(type, apiVersion, null, config, options.FieldManager, force, now);
                _store.Defaults.Apply(type, created, null);
                ObjectValidation.Validate(type, created, null);
                InitializeNewObject(type, created);
                return Commit(type, version, null, created, options);
            }

            var liveView = EmulatorStore.View(live, type, version);
            var result = ServerSideApplier.Apply(type, apiVersion, liveView, config, options.FieldManager, force, now);
            _store.Defaults.Apply(type, result, liveView);
            ObjectValidation.Validate(type, result, liveView);
            BumpGenerationIfSpecChanged(liveView, result);
            return Commit(type, version, liveView, result, options);
        }
    }

    public OperationResult Delete(ResourceType type, string version, string? ns, string name, JsonObject? deleteOptions, bool dryRun)
    {
        lock (_store.Gate)
        {
            var live = ReadOrThrow(type, ns, name);
            var preconditions = JsonTools.GetObject(deleteOptions, "preconditions");
            var liveMetadata = JsonTools.GetObject(live, "metadata");
            if (JsonTools.GetString(preconditions, "resourceVersion") is { } rv && rv != JsonTools.GetString(liveMetadata, "resourceVersion"))
            {
                throw ApiException.Conflict(type.Group, type.Plural, name,
                    $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({JsonTools.GetString(liveMetadata, "resourceVersion")}). The object might have been modified");
            }

            if (JsonTools.GetString(preconditions, "uid") is { } uid && uid != JsonTools.GetString(liveMetadata, "uid"))
            {
                throw ApiException.Conflict(type.Group, type.Plural, name,
                    $"the UID in the precondition ({uid}) does not match the UID in record ({JsonTools.GetString(liveMetadata, "uid")}). The object might have been deleted and then recreated");
            }

            var policy = PropagationPolicy(deleteOptions);
            if (type.Is(string.Empty, "namespaces"))
            {
                return DeleteNamespace(type, version, live, name, dryRun);
            }

            var finalizers = GarbageCollector.FinalizersAfterDelete(GarbageCollector.Finalizers(live), policy);
            if (finalizers.Count > 0)
            {
                return DeleteLater(type, version, live, finalizers, dryRun);
            }

            var view = EmulatorStore.View(live, type, version);
            if (!dryRun)
            {
                // Background: the object goes now; the garbage collector removes its dependents (GarbageCollector).
                _store.Remove(type, ns, name);
            }

            return new OperationResult(DeleteResponse(type, view), 200);
        }
    }

    /// <summary>
    /// DeleteOptions.propagationPolicy (body, or the query parameter kubectl and curl can send), or the deprecated
    /// orphanDependents; null when neither is given. Unknown values are a 422, as the API validates DeleteOptions.
    /// </summary>
    private static string? PropagationPolicy(JsonObject? deleteOptions)
    {
        var policy = JsonTools.GetString(deleteOptions, "propagationPolicy");
        var orphanDependents = deleteOptions?["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var value) ? value : (bool?)null;
        if (policy is not null && orphanDependents is not null)
        {
            throw ApiException.Invalid("meta.k8s.io", "DeleteOptions", string.Empty,
                [FieldError.Invalid("propagationPolicy", policy, "orphanDependents and deletionPropagation cannot be both set")]);
        }

        if (policy is not null && !GarbageCollector.Policies.Contains(policy))
        {
            throw ApiException.Invalid("meta.k8s.io", "DeleteOptions", string.Empty,
                [FieldError.NotSupported("propagationPolicy", policy, GarbageCollector.Policies)]);
        }

        return policy ?? (orphanDependents switch { true => GarbageCollector.Orphan, false => GarbageCollector.Background, null => null });
    }

    /// <summary>
    /// An object that keeps finalizers is not removed: it gets deletionTimestamp and those finalizers, and the answer is
    /// 202 Accepted with the object ("returns a 202 status code", https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/).
    /// It goes once its finalizers are removed (by the garbage collector for orphan/foregroundDeletion, by whoever set the others).
    /// </summary>
    private OperationResult DeleteLater(ResourceType type, string version, JsonObject live, List<string> finalizers, bool dryRun)
    {
        var marked = JsonTools.CloneObject(live);
        var metadata = JsonTools.Metadata(marked);
        metadata["deletionTimestamp"] ??= JsonTools.Timestamp(_store.Clock());
        metadata["deletionGracePeriodSeconds"] ??= 0;
        metadata["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        if (!dryRun)
        {
            metadata["resourceVersion"] = _store.NextResourceVersion().ToString();
            _store.Save(type, marked);
        }

        return new OperationResult(EmulatorStore.View(marked, type, version), 202);
    }

    /// <summary>
    /// A namespace is not removed by its DELETE: it becomes Terminating and the namespace controller
    /// (<see cref="NamespaceTerminator"/>) removes its content and then the namespace. A DELETE while it terminates is a
    /// 409, with kube-apiserver's wording (pkg/registry/core/namespace/storage).
    /// </summary>
    private OperationResult DeleteNamespace(ResourceType type, string version, JsonObject live, string name, bool dryRun)
    {
        if (_store.Namespaces.IsTerminating(name))
        {
            throw ApiException.Conflict(type.Group, type.Plural, name,
                "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.");
        }

        if (dryRun)
        {
            return new OperationResult(DeleteResponse(type, EmulatorStore.View(live, type, version)), 200);
        }

        var marked = _store.Namespaces.MarkDeleted(live);
        return new OperationResult(EmulatorStore.View(marked, type, version), 200);
    }

    /// <summary>DELETE on a collection: deletes the matching objects and returns them as a list.</summary>
    public OperationResult DeleteCollection(ResourceType type, string version, string? ns, LabelSelector labels, FieldSelector fields, bool dryRun)
    {
        lock (_store.Gate)
        {
            var doomed = _store.ReadAll(type, ns).Where(o => labels.Matches(o) && fields.Matches(o)).ToList();
            var items = doomed.Select(o => ListItem(type, version, o)).ToList();
            if (!dryRun)
            {
                foreach (var obj in doomed)
                {
                    var metadata = JsonTools.GetObject(obj, "metadata");
                    _store.Remove(type, JsonTools.GetString(metadata, "namespace"), JsonTools.GetString(metadata, "name")!);
                }
            }

            return new OperationResult(ListDocument(type, version, items), 200);
        }
    }

    // ---------------- helpers ----------------

    private JsonObject ListDocument(ResourceType type, string version, IEnumerable<JsonObject> items) => new()
    {
        ["kind"] = type.ListKind,
        ["apiVersion"] = type.ApiVersionFor(version),
        ["metadata"] = new JsonObject { ["resourceVersion"] = _store.ResourceVersion.ToString() },
        ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
    };

    /// <summary>List items of built-in types carry no kind/apiVersion on the wire; custom resources keep them.</summary>
    private static JsonObject ListItem(ResourceType type, string version, JsonObject stored)
    {
        var item = EmulatorStore.View(stored, type, version);
        if (!type.IsCustom)
        {
            item.Remove("kind");
            item.Remove("apiVersion");
        }

        return item;
    }

    private JsonObject ReadOrThrow(ResourceType type, string? ns, string name) =>
        _store.Read(type, ns, name) ?? throw ApiException.NotFound(type.Group, type.Plural, name);

    private void RequireNamespaceExists(ResourceType type, string? ns, string? name)
    {
        if (type.Namespaced && (ns is null || !_store.NamespaceExists(ns)))
        {
            throw ApiException.NotFound(string.Empty, "namespaces", ns ?? string.Empty);
        }

        // The namespace lifecycle admission plugin (plugin/pkg/admission/namespace/lifecycle) refuses new content.
        if (type.Namespaced && _store.Namespaces.IsTerminating(ns!))
        {
            throw ApiException.NamespaceTerminating(type.Group, type.Plural, name, ns!);
        }
    }

    private static void SetTypeMeta(ResourceType type, string version, JsonObject obj, bool requireTypeMeta)
    {
        var expectedApiVersion = type.ApiVersionFor(version);
        var apiVersion = JsonTools.GetString(obj, "apiVersion");
        var kind = JsonTools.GetString(obj, "kind");
        if (requireTypeMeta && (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind)))
        {
            var missing = string.IsNullOrEmpty(kind) ? "Kind" : "APIVersion";
            throw ApiException.BadRequest($"error decoding YAML: Object '{missing}' is missing in '{JsonTools.ToWire(obj)}'");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != expectedApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expectedApiVersion})");
        }

        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {type.Kind}: the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        obj["apiVersion"] = expectedApiVersion;
        obj["kind"] = type.Kind;
    }

    private static void SetNamespace(ResourceType type, string? ns, JsonObject metadata)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        var bodyNamespace = JsonTools.GetString(metadata, "namespace");
        if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
    }

    private static void CheckName(JsonObject metadata, string urlName)
    {
        var bodyName = JsonTools.GetString(metadata, "name");
        if (string.IsNullOrEmpty(bodyName))
        {
            metadata["name"] = urlName;
        }
        else if (bodyName != urlName)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({urlName})");
        }
    }

    private static void CheckResourceVersion(ResourceType type, JsonObject live, string name, string requested)
    {
        var current = JsonTools.GetString(JsonTools.GetObject(live, "metadata"), "resourceVersion");
        if (requested != current)
        {
            throw ApiException.StaleResourceVersion(type.Group, type.Plural, name);
        }
    }

    private void InitializeNewObject(ResourceType type, JsonObject obj)
    {
        var metadata = JsonTools.Metadata(obj);
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = JsonTools.Timestamp(_store.Clock());
        metadata["generation"] = 1;
        if (type.Is("apiextensions.k8s.io", "customresourcedefinitions"))
        {
            obj["status"] = CustomResourceDefinitionStatus(obj);
        }
    }

    /// <summary>Shared tail of PUT and non-apply PATCH: keep system fields, default, validate, track managedFields, commit.</summary>
    private OperationResult CommitUpdate(ResourceType type, string version, JsonObject live, JsonObject candidate, WriteOptions options)
    {
        var liveView = EmulatorStore.View(live, type, version);
        var liveMetadata = JsonTools.GetObject(liveView, "metadata")!;
        var metadata = JsonTools.Metadata(candidate);
        foreach (var field in SystemMetadata)
        {
            if (liveMetadata[field] is { } value && field != "managedFields")
            {
                metadata[field] = value.DeepClone();
            }
            else
            {
                metadata.Remove(field);
            }
        }

        if (type.HasStatusSubresource)
        {
            if (liveView["status"] is { } status)
            {
                candidate["status"] = status.DeepClone();
            }
            else
            {
                candidate.Remove("status");
            }
        }

        _store.Defaults.Apply(type, candidate, liveView);
        ObjectValidation.Validate(type, candidate, liveView);
        BumpGenerationIfSpecChanged(liveView, candidate);
        ServerSideApplier.TrackUpdate(type, type.ApiVersionFor(version), liveView, candidate, options.FieldManager, _store.Clock());
        return Commit(type, version, liveView, candidate, options);
    }

    /// <summary>Stores the result unless it is a dry run or nothing changed; 201 for creates.</summary>
    private OperationResult Commit(ResourceType type, string version, JsonObject? liveView, JsonObject result, WriteOptions options)
    {
        if (liveView is not null && JsonTools.DeepEquals(liveView, result))
        {
            return new OperationResult(liveView, 200);
        }

        if (!options.DryRun)
        {
            JsonTools.Metadata(result)["resourceVersion"] = _store.NextResourceVersion().ToString();
            _store.Save(type, result);
        }

        return new OperationResult(EmulatorStore.View(result, type, version), liveView is null ? 201 : 200);
    }

    /// <summary>metadata.generation counts changes to anything but metadata and status.</summary>
    private static void BumpGenerationIfSpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject Desired(JsonObject obj)
        {
            var copy = new JsonObject();
            foreach (var (key, value) in obj)
            {
                if (key is not ("metadata" or "status" or "apiVersion" or "kind"))
                {
                    copy[key] = value?.DeepClone();
                }
            }

            return copy;
        }

        if (!JsonTools.DeepEquals(Desired(before), Desired(after)))
        {
            var generation = JsonTools.GetInt64(JsonTools.GetObject(before, "metadata"), "generation") ?? 0;
            JsonTools.Metadata(after)["generation"] = generation + 1;
        }
    }

    /// <summary>
    /// What a DELETE answers, as kube-apiserver 1.31 does: pods, namespaces and CRDs (graceful or finalizer-guarded
    /// deletion) and services (ReturnDeletedObject) answer with the object; everything else with a Success Status.
    /// The emulator removes the object at once in every case.
    /// </summary>
    private static JsonObject DeleteResponse(ResourceType type, JsonObject deleted)
    {
        var metadata = JsonTools.Metadata(deleted);
        switch (type.Group, type.Plural)
        {
            case ("", "pods"):
                metadata["deletionTimestamp"] = JsonTools.Timestamp(DateTimeOffset.UtcNow);
                metadata["deletionGracePeriodSeconds"] = 30;
                return JsonTools.Canonicalize(deleted);
            case ("", "namespaces"):
                metadata["deletionTimestamp"] = JsonTools.Timestamp(DateTimeOffset.UtcNow);
                JsonTools.GetOrAddObject(deleted, "status")["phase"] = "Terminating";
                return JsonTools.Canonicalize(deleted);
            case ("apiextensions.k8s.io", "customresourcedefinitions"):
                metadata["deletionTimestamp"] = JsonTools.Timestamp(DateTimeOffset.UtcNow);
                metadata["finalizers"] = new JsonArray("customresourcecleanup.apiextensions.k8s.io");
                return JsonTools.Canonicalize(deleted);
            case ("", "services"):
                return deleted;
            default:
                return StatusDocuments.DeleteSuccess(type.Group, type.Plural, JsonTools.GetString(metadata, "name")!,
                    JsonTools.GetString(metadata, "uid"));
        }
    }

    private static JsonObject CustomResourceDefinitionStatus(JsonObject crd)
    {
        var spec = JsonTools.GetObject(crd, "spec");
        var storage = (spec?["versions"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true);
        var now = JsonTools.Timestamp(DateTimeOffset.UtcNow);
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message,
        };

        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = JsonTools.GetObject(spec, "names")?.DeepClone(),
            ["storedVersions"] = new JsonArray(JsonTools.GetString(storage, "name") is { } v ? [JsonValue.Create(v)] : []),
        };
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(Enumerable.Range(0, 5).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]));
    }
}
