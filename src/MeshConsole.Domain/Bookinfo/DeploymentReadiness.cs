using k8s.Models;

namespace MeshConsole.Domain.Bookinfo;

public enum DeploymentState
{
    /// <summary>Pods are being created, pulled or started; nothing has failed yet.</summary>
    Progressing,
    /// <summary>Every desired replica is ready and every pod has its istio-proxy sidecar.</summary>
    Ready,
    /// <summary>Every desired replica is ready, but some pod has no sidecar: its hops will not be traced.</summary>
    ReadyWithoutSidecar,
    /// <summary>Something will not fix itself: see <see cref="DeploymentStatus.FailureReason"/>.</summary>
    Failing,
}

/// <summary>One pod of a Deployment as the progress view shows it.</summary>
/// <param name="WaitingReason">The reason a container (app, sidecar or init) is waiting, e.g. ImagePullBackOff; null when none waits.</param>
/// <param name="LatestEvent">The newest Warning event about this pod (else the newest event); null when there is none.</param>
/// <param name="ProxyConfigAnnotation">The pod's <c>proxy.istio.io/config</c> annotation (its own proxy settings); null when absent.</param>
public sealed record PodReadiness(
    string Name,
    string? Phase,
    bool Ready,
    bool HasSidecar,
    string? WaitingContainer,
    string? WaitingReason,
    string? WaitingMessage,
    int Restarts,
    PodEvent? LatestEvent,
    string? ProxyConfigAnnotation = null)
{
    /// <summary>istio/api annotation/annotations.yaml: "Overrides for the proxy configuration for this specific proxy".</summary>
    public const string ProxyConfigAnnotationName = "proxy.istio.io/config";

    public bool IsFailing => DeploymentReadiness.IsFailureReason(WaitingReason) || Phase == "Failed";
}

public sealed record PodEvent(string Type, string? Reason, string? Message, DateTimeOffset? At);

/// <param name="FailureReason">For <see cref="DeploymentState.Failing"/>: a pod's waiting reason (ImagePullBackOff…),
/// "PodFailed", or the Deployment condition's reason (ProgressDeadlineExceeded, FailedCreate…); null otherwise.</param>
/// <param name="FailureMessage">The message that goes with it (event, container status or condition message).</param>
public sealed record DeploymentStatus(
    string Name,
    int DesiredReplicas,
    int ReadyReplicas,
    DeploymentState State,
    string? FailureReason,
    string? FailureMessage,
    IReadOnlyList<PodReadiness> Pods);

/// <summary>Pure evaluation of a Deployment's rollout from what the API returned (no clock: the caller owns the timeout).</summary>
public static class DeploymentReadiness
{
    public const string SidecarContainerName = "istio-proxy";

    /// <summary>Waiting reasons that do not resolve by waiting longer (kubelet's container waiting reasons).</summary>
    public static IReadOnlySet<string> FailureReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName", "RegistryUnavailable",
        "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "PreStartHookError",
    };

    public static bool IsFailureReason(string? reason) => reason is not null && FailureReasons.Contains(reason);

    /// <param name="pods">Pods of the namespace (others are ignored: only those the Deployment's selector matches count).</param>
    /// <param name="events">Events of the namespace; only those whose involvedObject is one of the pods are used.</param>
    public static DeploymentStatus Evaluate(V1Deployment deployment, IReadOnlyList<V1Pod> pods, IReadOnlyList<Corev1Event> events)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(events);
        var name = deployment.Metadata?.Name ?? "";
        var ns = deployment.Metadata?.NamespaceProperty;
        var desired = deployment.Spec?.Replicas ?? 1;
        var ready = deployment.Status?.ReadyReplicas ?? 0;

        var own = pods
            .Where(p => p.Metadata?.DeletionTimestamp is null)
            .Where(p => ns is null || p.Metadata?.NamespaceProperty is null || p.Metadata.NamespaceProperty == ns)
            .Where(p => Matches(deployment.Spec?.Selector, p.Metadata?.Labels))
            .OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal)
            .Select(p => Pod(p, events))
            .ToList();

        var failingPod = own.FirstOrDefault(p => p.IsFailing);
        if (failingPod is not null)
        {
            var reason = failingPod.WaitingReason ?? "PodFailed";
            var message = failingPod.LatestEvent?.Type == "Warning" && failingPod.LatestEvent.Message is not null
                ? failingPod.LatestEvent.Message
                : failingPod.WaitingMessage ?? failingPod.LatestEvent?.Message;
            return new(name, desired, ready, DeploymentState.Failing, reason, message, own);
        }
        // No pod to blame: the ReplicaSet could not create pods (admission webhook, quota), or the rollout timed out.
        var conditions = deployment.Status?.Conditions ?? [];
        var replicaFailure = conditions.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True");
        if (replicaFailure is not null)
            return new(name, desired, ready, DeploymentState.Failing, replicaFailure.Reason ?? "ReplicaFailure", replicaFailure.Message, own);
        var stalled = conditions.FirstOrDefault(c => c.Type == "Progressing" && c.Status == "False");
        if (stalled is not null)
            return new(name, desired, ready, DeploymentState.Failing, stalled.Reason ?? "ProgressDeadlineExceeded", stalled.Message, own);

        var observed = deployment.Status?.ObservedGeneration is not { } g || deployment.Metadata?.Generation is not { } gen || g >= gen;
        var updated = deployment.Status?.UpdatedReplicas ?? ready;
        var complete = observed && ready >= desired && updated >= desired && (deployment.Status?.Replicas ?? ready) <= desired;
        if (!complete) return new(name, desired, ready, DeploymentState.Progressing, null, null, own);
        var state = own.Where(p => p.Ready).All(p => p.HasSidecar) ? DeploymentState.Ready : DeploymentState.ReadyWithoutSidecar;
        return new(name, desired, ready, state, null, null, own);
    }

    /// <summary>
    /// True when the pod runs Istio's sidecar: a container named istio-proxy, or (native sidecars, Kubernetes 1.28+,
    /// Istio's ENABLE_NATIVE_SIDECARS) an init container named istio-proxy with restartPolicy Always.
    /// </summary>
    public static bool HasSidecar(V1PodSpec? spec) =>
        spec?.Containers?.Any(c => c.Name == SidecarContainerName) == true
        || spec?.InitContainers?.Any(c => c.Name == SidecarContainerName && c.RestartPolicy == "Always") == true;

    private static PodReadiness Pod(V1Pod pod, IReadOnlyList<Corev1Event> events)
    {
        var status = pod.Status;
        var statuses = (status?.InitContainerStatuses ?? []).Concat(status?.ContainerStatuses ?? []).ToList();
        var waiting = statuses
            .Where(s => s.State?.Waiting is not null)
            .OrderBy(s => IsFailureReason(s.State.Waiting.Reason) ? 0 : 1)
            .FirstOrDefault();
        var podReady = status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        return new PodReadiness(
            pod.Metadata?.Name ?? "",
            status?.Phase,
            podReady,
            HasSidecar(pod.Spec),
            waiting?.Name,
            waiting?.State.Waiting.Reason,
            waiting?.State.Waiting.Message,
            statuses.Sum(s => s.RestartCount),
            LatestEvent(pod, events),
            pod.Metadata?.Annotations?.TryGetValue(PodReadiness.ProxyConfigAnnotationName, out var proxyConfig) == true ? proxyConfig : null);
    }

    private static PodEvent? LatestEvent(V1Pod pod, IReadOnlyList<Corev1Event> events)
    {
        var related = events
            .Where(e => e.InvolvedObject is { } o
                && (o.Kind is null || o.Kind == "Pod")
                && o.Name == pod.Metadata?.Name
                && (o.NamespaceProperty is null || pod.Metadata?.NamespaceProperty is null || o.NamespaceProperty == pod.Metadata.NamespaceProperty)
                && (o.Uid is null || pod.Metadata?.Uid is null || o.Uid == pod.Metadata.Uid))
            .Select(e => new PodEvent(e.Type ?? "Normal", e.Reason, e.Message, When(e)))
            .ToList();
        // Newest Warning first: a Normal "Pulling" after a failed pull says less than the failure itself.
        return related
            .OrderBy(e => e.Type == "Warning" ? 0 : 1)
            .ThenByDescending(e => e.At ?? DateTimeOffset.MinValue)
            .FirstOrDefault();
    }

    private static DateTimeOffset? When(Corev1Event e)
    {
        var at = e.Series?.LastObservedTime ?? e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp;
        return at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    /// <summary>A label selector's matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); null or empty matches nothing.</summary>
    private static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0)) return false;
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(expression.Key, out var actual);
            var values = expression.Values ?? [];
            var ok = expression.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
