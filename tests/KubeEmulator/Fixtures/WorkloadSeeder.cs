using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.Fixtures;

/// <summary>
/// Seeds a running Deployment the way a cluster shows it: the Deployment (owned by its installer), its ReplicaSet
/// (kube-controller-manager) and one Running Pod (kubelet), linked by ownerReferences and pod-template-hash.
/// </summary>
internal sealed class WorkloadSeeder(EmulatorStore store)
{
    private int _nextPodIp = 10;

    /// <param name="ns">Namespace.</param>
    /// <param name="name">Deployment name.</param>
    /// <param name="labels">Deployment labels.</param>
    /// <param name="selector">spec.selector.matchLabels; the pod template gets these plus <paramref name="podLabels"/>.</param>
    /// <param name="podLabels">Extra pod template labels.</param>
    /// <param name="podSpec">The pod template spec (containers etc.).</param>
    /// <param name="manager">Field manager of the Deployment.</param>
    public void Seed(string ns, string name, JsonObject labels, JsonObject selector, JsonObject podLabels, JsonObject podSpec, string manager)
    {
        var templateLabels = Merge(selector, podLabels);
        var deployment = store.Put(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = selector.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = templateLabels.DeepClone() },
                    ["spec"] = podSpec.DeepClone(),
                },
            },
            ["status"] = new JsonObject
            {
                ["availableReplicas"] = 1,
                ["conditions"] = new JsonArray(
                    Condition("Available", "MinimumReplicasAvailable", "Deployment has minimum availability."),
                    Condition("Progressing", "NewReplicaSetAvailable", $"ReplicaSet \"{name}-{TemplateHash(name)}\" has successfully progressed.")),
                ["observedGeneration"] = 1,
                ["readyReplicas"] = 1,
                ["replicas"] = 1,
                ["updatedReplicas"] = 1,
            },
        }, manager);

        var hash = TemplateHash(name);
        var replicaSetName = $"{name}-{hash}";
        var hashedLabels = Merge(templateLabels, new JsonObject { ["pod-template-hash"] = hash });
        var replicaSet = store.Put(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = replicaSetName,
                ["namespace"] = ns,
                ["labels"] = hashedLabels.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    ["deployment.kubernetes.io/desired-replicas"] = "1",
                    ["deployment.kubernetes.io/max-replicas"] = "2",
                    ["deployment.kubernetes.io/revision"] = "1",
                },
                ["ownerReferences"] = OwnerReference("apps/v1", "Deployment", deployment),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = Merge(selector, new JsonObject { ["pod-template-hash"] = hash }) },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = hashedLabels.DeepClone() },
                    ["spec"] = podSpec.DeepClone(),
                },
            },
            ["status"] = new JsonObject
            {
                ["availableReplicas"] = 1,
                ["fullyLabeledReplicas"] = 1,
                ["observedGeneration"] = 1,
                ["readyReplicas"] = 1,
                ["replicas"] = 1,
            },
        }, "kube-controller-manager", asApply: false);

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{replicaSetName}-{PodSuffix(name)}",
                ["namespace"] = ns,
                ["labels"] = hashedLabels.DeepClone(),
                ["ownerReferences"] = OwnerReference("apps/v1", "ReplicaSet", replicaSet),
            },
            ["spec"] = podSpec.DeepClone(),
            ["status"] = PodStatus(podSpec),
        };
        pod["spec"]!["nodeName"] = ClusterFixtures.NodeName;
        store.Put(pod, "kubelet", asApply: false);
    }

    private JsonObject PodStatus(JsonObject podSpec)
    {
        var podIp = $"10.244.0.{_nextPodIp++}";
        var statuses = new JsonArray();
        foreach (var container in (podSpec["containers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            var image = JsonTools.GetString(container, "image") ?? string.Empty;
            statuses.Add(new JsonObject
            {
                ["containerID"] = "containerd://" + Hex(image + podIp, 64),
                ["image"] = image,
                ["imageID"] = image.Split(':')[0] + "@sha256:" + Hex(image, 64),
                ["lastState"] = new JsonObject(),
                ["name"] = JsonTools.GetString(container, "name"),
                ["ready"] = true,
                ["restartCount"] = 0,
                ["started"] = true,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2024-09-01T10:06:00Z" } },
            });
        }

        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                PodCondition("Initialized"), PodCondition("Ready"), PodCondition("ContainersReady"), PodCondition("PodScheduled")),
            ["containerStatuses"] = statuses,
            ["hostIP"] = ClusterFixtures.NodeIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = ClusterFixtures.NodeIp }),
            ["phase"] = "Running",
            ["podIP"] = podIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
            ["qosClass"] = "Burstable",
            ["startTime"] = "2024-09-01T10:05:30Z",
        };
    }

    private static JsonArray OwnerReference(string apiVersion, string kind, JsonObject owner) => new(new JsonObject
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
        ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    });

    private static JsonObject Merge(JsonObject first, JsonObject second)
    {
        var merged = (JsonObject)first.DeepClone();
        foreach (var (key, value) in second)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static JsonObject Condition(string type, string reason, string message) => new()
    {
        ["lastTransitionTime"] = "2024-09-01T10:05:00Z",
        ["lastUpdateTime"] = "2024-09-01T10:06:00Z",
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = "True",
        ["type"] = type,
    };

    private static JsonObject PodCondition(string type) => new()
    {
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = "2024-09-01T10:06:00Z",
        ["status"] = "True",
        ["type"] = type,
    };

    /// <summary>A stable pod-template-hash-like string (10 chars of the alphabet Kubernetes uses).</summary>
    private static string TemplateHash(string seed) => Alphabetic(seed, 10);

    private static string PodSuffix(string seed) => Alphabetic(seed + "/pod", 5);

    private static string Alphabetic(string seed, int length)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return string.Concat(bytes.Take(length).Select(b => alphabet[b % alphabet.Length]));
    }

    private static string Hex(string seed, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..length];
}
