using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Fixtures;
using KubeEmulator.Json;

namespace KubeEmulator;

/// <summary>
/// Opt-in stand-in for the Deployment and ReplicaSet controllers, the sidecar injector and the kubelet. Off by default.
/// When enabled, every Deployment without a seeded ReplicaSet (the fixtures' Istio workloads have one and are left alone)
/// gets a ReplicaSet per pod template, owned by the Deployment, and the ReplicaSet one Pod per replica, owned by the
/// ReplicaSet: Pending (ContainerCreating) first, Running and Ready once <see cref="ReadyAfter"/> has passed on the
/// simulator's clock, with the ReplicaSet's and the Deployment's status following. A pod whose image matches
/// <see cref="FailImage"/> stays Pending with the container waiting for that reason, plus kubelet's Warning event, and its
/// Deployment never becomes ready. Deleting a Deployment leaves its ReplicaSets and pods to the garbage collector.
/// <para>
/// There is no background thread: the simulation catches up with the clock whenever the API is called (before and after
/// each request) or the store is read, so the outcome depends only on the clock and the requests, never on timing luck.
/// </para>
/// </summary>
public sealed class RolloutSimulator
{
    public const string SidecarName = "istio-proxy";
    private const string ControllerManager = "kube-controller-manager";
    private const string Kubelet = "kubelet";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private readonly EmulatorStore _store;
    private readonly Dictionary<string, DateTimeOffset> _podCreatedAt = new(StringComparer.Ordinal);
    private readonly List<(string ImageSubstring, string Reason)> _failingImages = [];
    private readonly HashSet<string> _simulatedReplicaSets = new(StringComparer.Ordinal);
    private TimeProvider _clock = TimeProvider.System;
    private bool _reconciling;
    private int _nextPodIp = 100;

    internal RolloutSimulator(EmulatorStore store) => _store = store;

    public bool Enabled { get; private set; }

    /// <summary>How long a new pod stays Pending before it runs (or, for a failing image, before the pull fails).</summary>
    public TimeSpan ReadyAfter { get; private set; }

    /// <summary>Turns the simulation on. <paramref name="clock"/> (default: the system clock) decides when pods are ready.</summary>
    public void Enable(TimeSpan readyAfter, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(readyAfter, TimeSpan.Zero);
        lock (_store.Gate)
        {
            ReadyAfter = readyAfter;
            _clock = clock ?? TimeProvider.System;
            Enabled = true;
            Reconcile();
        }
    }

    /// <summary>
    /// Pods whose image contains <paramref name="imageSubstring"/> never pull it: the container waits with
    /// <paramref name="reason"/> (kubelet's ImagePullBackOff, ErrImagePull, ...) and a Warning event "Failed" says why.
    /// </summary>
    public void FailImage(string imageSubstring, string reason = "ImagePullBackOff")
    {
        ArgumentException.ThrowIfNullOrEmpty(imageSubstring);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_store.Gate)
        {
            _failingImages.Add((imageSubstring, reason));
        }
    }

    /// <summary>Brings ReplicaSets, pods and statuses up to date with the clock. Call under the store's Gate.</summary>
    internal void Reconcile()
    {
        if (!Enabled || _reconciling)
        {
            return;
        }

        _reconciling = true;
        try
        {
            var now = _clock.GetUtcNow();
            var replicaSets = _store.ReadAll(BuiltInResources.ReplicaSets, null);
            // A Deployment is simulated while every ReplicaSet it owns is one the simulator made: the fixtures' seeded
            // Istio workloads (and anything a test seeds) are left as they are.
            var seededOwners = replicaSets.Where(rs => !_simulatedReplicaSets.Contains(Uid(rs)))
                .SelectMany(rs => OwnerUids(rs, "Deployment"))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var deployment in _store.ReadAll(BuiltInResources.Deployments, null).Where(d => !seededOwners.Contains(Uid(d))))
            {
                ReconcileDeployment(deployment, now);
            }
        }
        finally
        {
            _reconciling = false;
        }
    }

    /// <summary>
    /// The Deployment controller (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/): the current pod
    /// template gets a ReplicaSet "&lt;deployment&gt;-&lt;pod-template-hash&gt;" owned by the Deployment with the
    /// Deployment's replicas, every older ReplicaSet it owns is scaled to 0, and the status follows the pods. A Deployment
    /// being deleted only has its status synced, as kube-controller-manager does.
    /// </summary>
    private void ReconcileDeployment(JsonObject deployment, DateTimeOffset now)
    {
        var metadata = JsonTools.GetObject(deployment, "metadata")!;
        var ns = JsonTools.GetString(metadata, "namespace")!;
        var name = JsonTools.GetString(metadata, "name")!;
        var spec = JsonTools.GetObject(deployment, "spec") ?? new JsonObject();
        var template = JsonTools.GetObject(spec, "template") ?? new JsonObject();
        var replicas = (int)(JsonTools.GetInt64(spec, "replicas") ?? 1);
        var hash = Alphabetic(JsonTools.ToWire(template), 10);
        var newName = $"{name}-{hash}";

        if (JsonTools.GetString(metadata, "deletionTimestamp") is null)
        {
            var owned = OwnedReplicaSets(deployment, ns);
            if (owned.All(rs => Name(rs) != newName))
            {
                var existing = _store.Read(BuiltInResources.ReplicaSets, ns, newName);
                if (existing is null)
                {
                    CreateReplicaSet(deployment, template, ns, newName, hash, replicas, owned, now);
                }
                else if (ControllerUid(existing) is null && JsonTools.GetString(JsonTools.GetObject(existing, "metadata"), "deletionTimestamp") is null)
                {
                    Adopt(existing, deployment);
                }
            }

            foreach (var rs in OwnedReplicaSets(deployment, ns))
            {
                Scale(rs, Name(rs) == newName ? replicas : 0);
            }
        }

        var pods = new List<JsonObject>();
        foreach (var rs in OwnedReplicaSets(deployment, ns))
        {
            pods.AddRange(ReconcileReplicaSet(rs, ns, now));
        }

        UpdateDeploymentStatus(deployment, name, pods, hash, replicas);
    }

    private List<JsonObject> OwnedReplicaSets(JsonObject deployment, string ns) =>
        _store.ReadAll(BuiltInResources.ReplicaSets, ns).Where(rs => ControllerUid(rs) == Uid(deployment)).ToList();

    private void CreateReplicaSet(JsonObject deployment, JsonObject template, string ns, string rsName, string hash, int replicas,
        IReadOnlyList<JsonObject> older, DateTimeOffset now)
    {
        // The hash label goes on the ReplicaSet, its selector and its pod template, so the ReplicaSets of one Deployment
        // never select each other's pods (Deployment docs, "Pod-template-hash label").
        var podTemplate = JsonTools.CloneObject(template);
        var podLabels = JsonTools.GetOrAddObject(JsonTools.GetOrAddObject(podTemplate, "metadata"), "labels");
        podLabels["pod-template-hash"] = hash;
        var selector = JsonTools.CloneObject(JsonTools.GetObject(JsonTools.GetObject(deployment, "spec"), "selector") ?? new JsonObject());
        JsonTools.GetOrAddObject(selector, "matchLabels")["pod-template-hash"] = hash;
        var revision = older.Select(rs => long.TryParse(JsonTools.GetString(JsonTools.GetObject(JsonTools.GetObject(rs, "metadata"), "annotations"), RevisionAnnotation),
            System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : 0).DefaultIfEmpty(0).Max() + 1;
        var stored = _store.Put(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = rsName,
                ["namespace"] = ns,
                ["labels"] = JsonTools.CloneObject(podLabels),
                ["annotations"] = new JsonObject { [RevisionAnnotation] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["ownerReferences"] = new JsonArray(OwnerReference("Deployment", deployment)),
                ["creationTimestamp"] = JsonTools.Timestamp(now),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = selector,
                ["template"] = podTemplate,
            },
            ["status"] = new JsonObject { ["replicas"] = 0 },
        }, ControllerManager, asApply: false);
        _simulatedReplicaSets.Add(Uid(stored));
    }

    /// <summary>
    /// An orphaned ReplicaSet of the same template (left by an Orphan deletion of an earlier Deployment of this name) is
    /// adopted rather than duplicated, as the Deployment controller adopts ReplicaSets its selector matches.
    /// </summary>
    private void Adopt(JsonObject rs, JsonObject deployment)
    {
        var updated = JsonTools.CloneObject(rs);
        var references = JsonTools.Metadata(updated)["ownerReferences"] as JsonArray ?? new JsonArray();
        references.Add(OwnerReference("Deployment", deployment));
        JsonTools.Metadata(updated)["ownerReferences"] = references;
        Save(BuiltInResources.ReplicaSets, updated);
        _simulatedReplicaSets.Add(Uid(rs));
    }

    /// <summary>Sets a ReplicaSet's spec.replicas; a spec change bumps metadata.generation.</summary>
    private void Scale(JsonObject rs, int replicas)
    {
        if (JsonTools.GetInt64(JsonTools.GetObject(rs, "spec"), "replicas") == replicas)
        {
            return;
        }

        var updated = JsonTools.CloneObject(rs);
        JsonTools.GetOrAddObject(updated, "spec")["replicas"] = replicas;
        var metadata = JsonTools.Metadata(updated);
        metadata["generation"] = (JsonTools.GetInt64(metadata, "generation") ?? 1) + 1;
        Save(BuiltInResources.ReplicaSets, updated);
    }

    /// <summary>
    /// The ReplicaSet controller (https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/): one pod per
    /// replica, owned by the ReplicaSet, named "&lt;replicaset&gt;-&lt;5 chars&gt;" (deterministic here); a ReplicaSet
    /// being deleted creates and removes none. Returns its pods after the kubelet's step.
    /// </summary>
    private List<JsonObject> ReconcileReplicaSet(JsonObject rs, string ns, DateTimeOffset now)
    {
        var rsName = Name(rs);
        var spec = JsonTools.GetObject(rs, "spec") ?? new JsonObject();
        var replicas = (int)(JsonTools.GetInt64(spec, "replicas") ?? 1);
        var owned = _store.ReadAll(BuiltInResources.Pods, ns).Where(p => ControllerUid(p) == Uid(rs)).ToList();
        if (JsonTools.GetString(JsonTools.GetObject(rs, "metadata"), "deletionTimestamp") is null)
        {
            var wanted = Enumerable.Range(0, replicas).Select(i => $"{rsName}-{Alphabetic($"{rsName}/{i}", 5)}").ToList();
            foreach (var pod in owned.Where(p => !wanted.Contains(Name(p))))
            {
                RemovePod(pod);
            }

            foreach (var podName in wanted.Where(n => owned.All(p => Name(p) != n)))
            {
                CreatePod(rs, JsonTools.GetObject(spec, "template") ?? new JsonObject(), ns, podName, now);
            }

            owned = _store.ReadAll(BuiltInResources.Pods, ns).Where(p => ControllerUid(p) == Uid(rs)).ToList();
        }

        foreach (var pod in owned)
        {
            AdvancePod(pod, now);
        }

        var pods = owned.Select(p => _store.Read(BuiltInResources.Pods, ns, Name(p))).OfType<JsonObject>().ToList();
        UpdateReplicaSetStatus(rs, pods);
        return pods;
    }

    private void UpdateReplicaSetStatus(JsonObject rs, IReadOnlyList<JsonObject> pods)
    {
        var ready = pods.Count(IsReady);
        // ReplicaSetStatus: zero counts are omitted (omitempty) except replicas.
        var status = new JsonObject { ["replicas"] = pods.Count };
        if (pods.Count > 0) status["fullyLabeledReplicas"] = pods.Count;
        if (ready > 0) status["readyReplicas"] = ready;
        if (ready > 0) status["availableReplicas"] = ready;
        status["observedGeneration"] = JsonTools.GetInt64(JsonTools.GetObject(rs, "metadata"), "generation") ?? 1;
        if (JsonTools.DeepEquals(JsonTools.GetObject(rs, "status"), status))
        {
            return;
        }

        var updated = JsonTools.CloneObject(rs);
        updated["status"] = status;
        Save(BuiltInResources.ReplicaSets, updated);
    }

    private void CreatePod(JsonObject rs, JsonObject template, string ns, string podName, DateTimeOffset now)
    {
        var podSpec = JsonTools.CloneObject(JsonTools.GetObject(template, "spec") ?? new JsonObject());
        podSpec["nodeName"] = ClusterFixtures.NodeName;
        podSpec["serviceAccountName"] ??= "default";
        if (SidecarImage(ns) is { } proxyImage)
        {
            var containers = podSpec["containers"] as JsonArray ?? new JsonArray();
            containers.Add(new JsonObject
            {
                ["name"] = SidecarName,
                ["image"] = proxyImage,
                ["args"] = new JsonArray("proxy", "sidecar"),
            });
            podSpec["containers"] = containers;
        }

        var labels = JsonTools.CloneObject(JsonTools.GetObject(JsonTools.GetObject(template, "metadata"), "labels") ?? new JsonObject());
        var annotations = JsonTools.GetObject(JsonTools.GetObject(template, "metadata"), "annotations");
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = podName,
                ["namespace"] = ns,
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(OwnerReference("ReplicaSet", rs)),
                ["creationTimestamp"] = JsonTools.Timestamp(now),
            },
            ["spec"] = podSpec,
            ["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(
                    Condition("PodScheduled", true, now),
                    Condition("Initialized", true, now),
                    Condition("ContainersReady", false, now, "ContainersNotReady"),
                    Condition("Ready", false, now, "ContainersNotReady")),
                ["containerStatuses"] = new JsonArray(Containers(podSpec).Select(c => (JsonNode)ContainerStatus(c,
                    new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } }, ready: false)).ToArray()),
                ["hostIP"] = ClusterFixtures.NodeIp,
                ["qosClass"] = "Burstable",
                ["startTime"] = JsonTools.Timestamp(now),
            },
        };
        if (annotations is not null)
        {
            // The pod template's annotations (kubectl.kubernetes.io/restartedAt, sidecar.istio.io/…) are the pod's.
            JsonTools.Metadata(pod)["annotations"] = JsonTools.CloneObject(annotations);
        }

        var stored = _store.Put(pod, ControllerManager, asApply: false);
        _podCreatedAt[Uid(stored)] = now;
    }

    private void AdvancePod(JsonObject pod, DateTimeOffset now)
    {
        var status = JsonTools.GetObject(pod, "status") ?? new JsonObject();
        if (JsonTools.GetString(status, "phase") != "Pending"
            || !_podCreatedAt.TryGetValue(Uid(pod), out var createdAt) || now < createdAt + ReadyAfter)
        {
            return;
        }

        var containers = Containers(JsonTools.GetObject(pod, "spec"));
        var failing = containers
            .Select(c => (Container: c, Failure: FailureFor(JsonTools.GetString(c, "image") ?? string.Empty)))
            .FirstOrDefault(x => x.Failure is not null);
        if (failing.Failure is { } reason)
        {
            if (status["containerStatuses"] is JsonArray statuses
                && statuses.OfType<JsonObject>().Any(s => JsonTools.GetString(JsonTools.GetObject(JsonTools.GetObject(s, "state"), "waiting"), "reason") == reason))
            {
                return;
            }

            FailPull(pod, containers, failing.Container, reason, now);
            return;
        }

        var updated = JsonTools.CloneObject(pod);
        var ip = $"10.244.1.{_nextPodIp++ % 250}";
        updated["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", true, now),
                Condition("Initialized", true, now),
                Condition("ContainersReady", true, now),
                Condition("Ready", true, now)),
            ["containerStatuses"] = new JsonArray(containers.Select(c => (JsonNode)ContainerStatus(c,
                new JsonObject { ["running"] = new JsonObject { ["startedAt"] = JsonTools.Timestamp(now) } }, ready: true)).ToArray()),
            ["hostIP"] = ClusterFixtures.NodeIp,
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["qosClass"] = "Burstable",
            ["startTime"] = JsonTools.GetString(status, "startTime"),
        };
        Save(BuiltInResources.Pods, updated);
    }

    private void FailPull(JsonObject pod, IReadOnlyList<JsonObject> containers, JsonObject failingContainer, string reason, DateTimeOffset now)
    {
        var image = JsonTools.GetString(failingContainer, "image") ?? string.Empty;
        // kubelet's wording (pkg/kubelet/images/image_manager.go): the pull error, then "Back-off pulling image" while it waits.
        var pullError = $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": " +
                        $"failed to resolve reference \"{image}\": {image}: not found";
        var waitingMessage = reason == "ImagePullBackOff" ? $"Back-off pulling image \"{image}\"" : pullError;
        var updated = JsonTools.CloneObject(pod);
        var status = JsonTools.GetOrAddObject(updated, "status");
        status["containerStatuses"] = new JsonArray(containers.Select(c => (JsonNode)(ReferenceEquals(c, failingContainer)
            ? ContainerStatus(c, new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = waitingMessage } }, ready: false)
            : ContainerStatus(c, new JsonObject { ["running"] = new JsonObject { ["startedAt"] = JsonTools.Timestamp(now) } }, ready: true))).ToArray());
        Save(BuiltInResources.Pods, updated);

        var metadata = JsonTools.GetObject(pod, "metadata")!;
        var podName = JsonTools.GetString(metadata, "name")!;
        var ns = JsonTools.GetString(metadata, "namespace")!;
        _store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{podName}.{Hex(podName + reason, 16)}", ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["name"] = podName,
                ["namespace"] = ns,
                ["uid"] = Uid(pod),
                ["fieldPath"] = $"spec.containers{{{JsonTools.GetString(failingContainer, "name")}}}",
            },
            ["reason"] = "Failed",
            ["message"] = pullError,
            ["type"] = "Warning",
            ["count"] = 1,
            ["firstTimestamp"] = JsonTools.Timestamp(now),
            ["lastTimestamp"] = JsonTools.Timestamp(now),
            ["source"] = new JsonObject { ["component"] = Kubelet, ["host"] = ClusterFixtures.NodeName },
            ["reportingComponent"] = Kubelet,
            ["reportingInstance"] = ClusterFixtures.NodeName,
        }, Kubelet, asApply: false);
    }

    private void UpdateDeploymentStatus(JsonObject deployment, string name, IReadOnlyList<JsonObject> pods, string hash, int replicas)
    {
        var ready = pods.Count(IsReady);
        var updatedReplicas = pods.Count(p => JsonTools.GetString(JsonTools.GetObject(JsonTools.GetObject(p, "metadata"), "labels"), "pod-template-hash") == hash);
        var complete = ready >= replicas;
        var status = new JsonObject
        {
            ["observedGeneration"] = JsonTools.GetInt64(JsonTools.GetObject(deployment, "metadata"), "generation") ?? 1,
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = updatedReplicas,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["conditions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Available",
                    ["status"] = complete ? "True" : "False",
                    ["reason"] = complete ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    ["message"] = complete ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                },
                new JsonObject
                {
                    ["type"] = "Progressing",
                    ["status"] = "True",
                    ["reason"] = complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    ["message"] = complete ? $"Deployment \"{name}\" has successfully progressed." : $"Deployment \"{name}\" is progressing.",
                }),
        };
        if (ready < replicas)
        {
            status["unavailableReplicas"] = replicas - ready;
        }

        if (JsonTools.DeepEquals(JsonTools.GetObject(deployment, "status"), status))
        {
            return;
        }

        var updated = JsonTools.CloneObject(deployment);
        updated["status"] = status;
        Save(BuiltInResources.Deployments, updated);
    }

    private void Save(ResourceType type, JsonObject obj)
    {
        JsonTools.Metadata(obj)["resourceVersion"] = _store.NextResourceVersion().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _store.Save(type, obj);
    }

    private void RemovePod(JsonObject pod)
    {
        _podCreatedAt.Remove(Uid(pod));
        _store.Remove(BuiltInResources.Pods, JsonTools.GetString(JsonTools.GetObject(pod, "metadata"), "namespace"), Name(pod));
    }

    /// <summary>
    /// The proxy image when Istio's injector would add a sidecar: the namespace has istio-injection=enabled and the default
    /// revision's istiod runs in istio-system, or an istio.io/rev label (and no istio-injection label) naming a revision
    /// whose istiod runs there (istio.io, "Installing the sidecar"). A revision no control plane serves has no injector
    /// webhook, so nothing is injected; the emulator stands in for the webhook configurations with the istiod
    /// Deployments' istio.io/rev labels.
    /// </summary>
    private string? SidecarImage(string ns)
    {
        var labels = JsonTools.GetObject(JsonTools.GetObject(_store.Read(BuiltInResources.Namespaces, null, ns), "metadata"), "labels");
        var injection = JsonTools.GetString(labels, "istio-injection");
        var revision = injection == "enabled" ? "default" : injection is null ? JsonTools.GetString(labels, "istio.io/rev") : null;
        var istiod = revision is null ? null : _store.ReadAll(BuiltInResources.Deployments, "istio-system")
            .FirstOrDefault(d => JsonTools.GetString(JsonTools.GetObject(JsonTools.GetObject(d, "metadata"), "labels"), "app") == "istiod"
                && (JsonTools.GetString(JsonTools.GetObject(JsonTools.GetObject(d, "metadata"), "labels"), "istio.io/rev") ?? "default") == revision);
        if (istiod is null)
        {
            return null;
        }

        var pilotImage = Containers(JsonTools.GetObject(JsonTools.GetObject(JsonTools.GetObject(istiod, "spec"), "template"), "spec"))
            .Select(c => JsonTools.GetString(c, "image")).FirstOrDefault() ?? string.Empty;
        var tag = pilotImage.Contains(':') ? pilotImage[(pilotImage.LastIndexOf(':') + 1)..] : "latest";
        return $"docker.io/istio/proxyv2:{tag}";
    }

    private string? FailureFor(string image) =>
        _failingImages.Where(f => image.Contains(f.ImageSubstring, StringComparison.Ordinal)).Select(f => f.Reason).FirstOrDefault();

    private static IReadOnlyList<JsonObject> Containers(JsonObject? podSpec) =>
        (podSpec?["containers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().ToList();

    private static JsonObject ContainerStatus(JsonObject container, JsonObject state, bool ready) => new()
    {
        ["name"] = JsonTools.GetString(container, "name"),
        ["image"] = JsonTools.GetString(container, "image"),
        ["imageID"] = string.Empty,
        ["ready"] = ready,
        ["restartCount"] = 0,
        ["started"] = ready,
        ["state"] = state,
    };

    private static JsonObject Condition(string type, bool status, DateTimeOffset at, string? reason = null)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status ? "True" : "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = JsonTools.Timestamp(at),
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        return condition;
    }

    private static bool IsReady(JsonObject pod) =>
        (JsonTools.GetObject(pod, "status")?["conditions"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
        .Any(c => JsonTools.GetString(c, "type") == "Ready" && JsonTools.GetString(c, "status") == "True");

    private static JsonObject OwnerReference(string kind, JsonObject owner) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = kind,
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>The uid of the owner reference with controller=true, if any.</summary>
    private static string? ControllerUid(JsonObject obj) =>
        (JsonTools.GetObject(obj, "metadata")?["ownerReferences"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
        .Where(o => o["controller"] is JsonValue v && v.TryGetValue<bool>(out var c) && c)
        .Select(o => JsonTools.GetString(o, "uid"))
        .FirstOrDefault();

    private static IEnumerable<string> OwnerUids(JsonObject obj, string kind) =>
        (JsonTools.GetObject(obj, "metadata")?["ownerReferences"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
        .Where(o => JsonTools.GetString(o, "kind") == kind)
        .Select(o => JsonTools.GetString(o, "uid"))
        .OfType<string>();

    private static string Uid(JsonObject obj) => JsonTools.GetString(JsonTools.GetObject(obj, "metadata"), "uid") ?? string.Empty;

    private static string Name(JsonObject obj) => JsonTools.GetString(JsonTools.GetObject(obj, "metadata"), "name") ?? string.Empty;

    private static string Alphabetic(string seed, int length)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return string.Concat(bytes.Take(length).Select(b => alphabet[b % alphabet.Length]));
    }

    private static string Hex(string seed, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..length];
}
