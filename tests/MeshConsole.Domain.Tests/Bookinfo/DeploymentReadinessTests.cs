using k8s.Models;
using MeshConsole.Domain.Bookinfo;

namespace MeshConsole.Domain.Tests.Bookinfo;

public class DeploymentReadinessTests
{
    private static readonly DateTime T0 = new(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Deployment Deployment(int replicas = 1, int? ready = null, int? updated = null, params V1DeploymentCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "reviews-v2", NamespaceProperty = "bookinfo", Generation = 1 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "reviews", ["version"] = "v2" } },
        },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1,
            Replicas = replicas,
            ReadyReplicas = ready,
            UpdatedReplicas = updated ?? replicas,
            Conditions = conditions.ToList(),
        },
    };

    public enum Sidecar { None, Container, NativeInit, PlainInit }

    private static V1Pod Pod(string name, bool ready, Sidecar sidecar = Sidecar.Container, string phase = "Running",
        string? waiting = null, string? waitingMessage = null, string version = "v2", string ns = "bookinfo", bool terminating = false)
    {
        var containers = new List<V1Container> { new() { Name = "reviews" } };
        var initContainers = new List<V1Container>();
        switch (sidecar)
        {
            case Sidecar.Container: containers.Add(new V1Container { Name = "istio-proxy" }); break;
            case Sidecar.NativeInit: initContainers.Add(new V1Container { Name = "istio-proxy", RestartPolicy = "Always" }); break;
            case Sidecar.PlainInit: initContainers.Add(new V1Container { Name = "istio-proxy" }); break;
        }
        var appStatus = new V1ContainerStatus
        {
            Name = "reviews",
            Ready = ready,
            RestartCount = waiting == "CrashLoopBackOff" ? 5 : 0,
            State = waiting is null
                ? new V1ContainerState { Running = new V1ContainerStateRunning() }
                : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting, Message = waitingMessage } },
        };
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Uid = $"uid-{name}",
                Labels = new Dictionary<string, string> { ["app"] = "reviews", ["version"] = version, ["pod-template-hash"] = "abc" },
                DeletionTimestamp = terminating ? T0 : null,
            },
            Spec = new V1PodSpec { Containers = containers, InitContainers = initContainers },
            Status = new V1PodStatus
            {
                Phase = phase,
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
                ContainerStatuses = [appStatus],
            },
        };
    }

    private static Corev1Event Event(string pod, string type, string reason, string message, int minute, string ns = "bookinfo", string kind = "Pod") => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{pod}.{minute}", NamespaceProperty = ns },
        InvolvedObject = new V1ObjectReference { Kind = kind, Name = pod, NamespaceProperty = ns },
        Type = type,
        Reason = reason,
        Message = message,
        LastTimestamp = T0.AddMinutes(minute),
    };

    [Fact]
    public void Ready_when_every_desired_replica_is_ready_and_has_its_sidecar()
    {
        var status = DeploymentReadiness.Evaluate(Deployment(ready: 1), [Pod("reviews-v2-abc-1", ready: true)], []);

        Assert.Equal(DeploymentState.Ready, status.State);
        Assert.Equal(("reviews-v2", 1, 1), (status.Name, status.DesiredReplicas, status.ReadyReplicas));
        var pod = Assert.Single(status.Pods);
        Assert.True(pod.HasSidecar);
        Assert.True(pod.Ready);
        Assert.Null(status.FailureReason);
    }

    [Fact]
    public void A_pods_proxy_config_annotation_is_kept_for_the_trace_diagnosis_and_its_sampling_reads_as_istio_reads_it()
    {
        var annotated = Pod("reviews-v2-abc-1", ready: true);
        annotated.Metadata.Annotations = new Dictionary<string, string> { ["proxy.istio.io/config"] = "tracing:\n  sampling: 0\n" };

        var status = DeploymentReadiness.Evaluate(Deployment(replicas: 2, ready: 2), [annotated, Pod("reviews-v2-abc-2", ready: true)], []);

        Assert.Equal(["tracing:\n  sampling: 0\n", null], status.Pods.Select(p => p.ProxyConfigAnnotation));
        Assert.Equal(0m, MeshConsole.Domain.Cluster.MeshTracingChecks.AnnotatedSampling(status.Pods[0].ProxyConfigAnnotation!));
        Assert.Equal(12.5m, MeshConsole.Domain.Cluster.MeshTracingChecks.AnnotatedSampling("{\"tracing\": {\"sampling\": 12.5}}"));
        Assert.Null(MeshConsole.Domain.Cluster.MeshTracingChecks.AnnotatedSampling("concurrency: 2"));
        Assert.Null(MeshConsole.Domain.Cluster.MeshTracingChecks.AnnotatedSampling("tracing: [unclosed"));
    }

    [Theory]
    [InlineData(Sidecar.Container, true)]
    [InlineData(Sidecar.NativeInit, true)]
    [InlineData(Sidecar.PlainInit, false)]
    [InlineData(Sidecar.None, false)]
    public void Sidecar_is_an_istio_proxy_container_or_a_native_sidecar_init_container(Sidecar sidecar, bool expected)
    {
        var status = DeploymentReadiness.Evaluate(Deployment(ready: 1), [Pod("p", ready: true, sidecar)], []);

        Assert.Equal(expected, Assert.Single(status.Pods).HasSidecar);
        Assert.Equal(expected ? DeploymentState.Ready : DeploymentState.ReadyWithoutSidecar, status.State);
    }

    public static TheoryData<string, string?, string, string> FailingPods => new()
    {
        // waiting reason, container message, newest Warning event, expected failure message
        { "ImagePullBackOff", "Back-off pulling image", "Failed to pull image \"docker.io/istio/examples-bookinfo-reviews-v2:1.20.3\": not found", "Failed to pull image \"docker.io/istio/examples-bookinfo-reviews-v2:1.20.3\": not found" },
        { "ErrImagePull", "rpc error: not found", "Error: ErrImagePull", "Error: ErrImagePull" },
        { "CrashLoopBackOff", "back-off 5m0s restarting failed container", "Back-off restarting failed container reviews", "Back-off restarting failed container reviews" },
        { "CreateContainerConfigError", "secret \"x\" not found", "Error: secret \"x\" not found", "Error: secret \"x\" not found" },
    };

    [Theory]
    [MemberData(nameof(FailingPods))]
    public void Failing_pod_names_its_waiting_reason_and_the_latest_warning_event(string reason, string? containerMessage, string warning, string expectedMessage)
    {
        var pod = Pod("reviews-v2-abc-1", ready: false, phase: "Pending", waiting: reason, waitingMessage: containerMessage);
        Corev1Event[] events =
        [
            Event("reviews-v2-abc-1", "Normal", "Scheduled", "Successfully assigned", 0),
            Event("reviews-v2-abc-1", "Warning", "Failed", "an older failure", 1),
            Event("reviews-v2-abc-1", "Warning", "Failed", warning, 2),
            Event("reviews-v2-abc-1", "Normal", "Pulling", "Pulling image", 3),
            Event("other-pod", "Warning", "Failed", "not this pod", 4),
            Event("reviews-v2-abc-1", "Warning", "Failed", "same name, other namespace", 5, ns: "default"),
            Event("reviews-v2-abc-1", "Warning", "FailedCreate", "same name, not a pod", 6, kind: "ReplicaSet"),
        ];

        var status = DeploymentReadiness.Evaluate(Deployment(ready: 0), [pod], events);

        Assert.Equal(DeploymentState.Failing, status.State);
        Assert.Equal(reason, status.FailureReason);
        Assert.Equal(expectedMessage, status.FailureMessage);
        var readiness = Assert.Single(status.Pods);
        Assert.Equal((reason, containerMessage, "reviews"), (readiness.WaitingReason, readiness.WaitingMessage, readiness.WaitingContainer));
        Assert.Equal(("Warning", warning, T0.AddMinutes(2)), (readiness.LatestEvent!.Type, readiness.LatestEvent.Message, readiness.LatestEvent.At!.Value.UtcDateTime));
    }

    [Fact]
    public void Failing_pod_without_events_uses_the_container_message()
    {
        var pod = Pod("p", ready: false, waiting: "ImagePullBackOff", waitingMessage: "Back-off pulling image \"x\"");

        var status = DeploymentReadiness.Evaluate(Deployment(ready: 0), [pod], []);

        Assert.Equal(("ImagePullBackOff", "Back-off pulling image \"x\""), (status.FailureReason, status.FailureMessage));
    }

    [Theory]
    [InlineData("ContainerCreating")]
    [InlineData("PodInitializing")]
    public void Pods_still_starting_are_progressing_not_failing(string reason)
    {
        var status = DeploymentReadiness.Evaluate(Deployment(ready: 0), [Pod("p", ready: false, phase: "Pending", waiting: reason)],
            [Event("p", "Normal", "Pulling", "Pulling image", 1)]);

        Assert.Equal(DeploymentState.Progressing, status.State);
        Assert.Equal(reason, status.Pods[0].WaitingReason);
        Assert.False(status.Pods[0].IsFailing);
        Assert.Equal("Pulling image", status.Pods[0].LatestEvent!.Message);
    }

    [Fact]
    public void Failed_phase_fails_the_deployment()
    {
        var status = DeploymentReadiness.Evaluate(Deployment(ready: 0), [Pod("p", ready: false, phase: "Failed")], []);

        Assert.Equal((DeploymentState.Failing, "PodFailed"), (status.State, status.FailureReason));
    }

    public static TheoryData<int, int?, int?, DeploymentState> Counts => new()
    {
        // desired, ready, updated, state (pods all ready with sidecars)
        { 1, null, null, DeploymentState.Progressing },
        { 1, 0, null, DeploymentState.Progressing },
        { 1, 1, null, DeploymentState.Ready },
        { 2, 1, null, DeploymentState.Progressing },
        { 2, 2, 1, DeploymentState.Progressing },
        { 2, 2, 2, DeploymentState.Ready },
        { 0, null, 0, DeploymentState.Ready },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Ready_only_when_ready_and_updated_replicas_reach_the_desired_count(int desired, int? ready, int? updated, DeploymentState state)
    {
        var deployment = Deployment(desired, ready, updated);
        var pods = Enumerable.Range(1, ready ?? 0).Select(i => Pod($"p{i}", ready: true)).ToList();

        var status = DeploymentReadiness.Evaluate(deployment, pods, []);

        Assert.Equal(state, status.State);
        Assert.Equal((desired, ready ?? 0), (status.DesiredReplicas, status.ReadyReplicas));
    }

    [Fact]
    public void Unobserved_generation_is_still_progressing()
    {
        var deployment = Deployment(ready: 1);
        deployment.Metadata.Generation = 2;

        Assert.Equal(DeploymentState.Progressing, DeploymentReadiness.Evaluate(deployment, [Pod("p", ready: true)], []).State);
    }

    [Fact]
    public void Replica_failure_condition_fails_without_any_pod()
    {
        var deployment = Deployment(ready: 0, conditions: [new V1DeploymentCondition
        {
            Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate",
            Message = "admission webhook \"namespace.sidecar-injector.istio.io\" denied the request",
        }]);

        var status = DeploymentReadiness.Evaluate(deployment, [], []);

        Assert.Equal((DeploymentState.Failing, "FailedCreate"), (status.State, status.FailureReason));
        Assert.Contains("sidecar-injector", status.FailureMessage, StringComparison.Ordinal);
        Assert.Empty(status.Pods);
    }

    [Fact]
    public void Progress_deadline_exceeded_fails()
    {
        var deployment = Deployment(ready: 0, conditions: [new V1DeploymentCondition
        {
            Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet has timed out progressing.",
        }]);

        var status = DeploymentReadiness.Evaluate(deployment, [Pod("p", ready: false, phase: "Pending")], []);

        Assert.Equal((DeploymentState.Failing, "ProgressDeadlineExceeded", "ReplicaSet has timed out progressing."),
            (status.State, status.FailureReason, status.FailureMessage));
    }

    [Fact]
    public void Only_pods_the_selector_matches_in_the_namespace_and_not_terminating_count()
    {
        V1Pod[] pods =
        [
            Pod("reviews-v2-1", ready: true),
            Pod("reviews-v1-1", ready: false, waiting: "CrashLoopBackOff", version: "v1"),
            Pod("reviews-v2-elsewhere", ready: false, waiting: "ImagePullBackOff", ns: "default"),
            Pod("reviews-v2-old", ready: false, waiting: "CrashLoopBackOff", terminating: true),
        ];

        var status = DeploymentReadiness.Evaluate(Deployment(ready: 1), pods, []);

        Assert.Equal(DeploymentState.Ready, status.State);
        Assert.Equal(["reviews-v2-1"], status.Pods.Select(p => p.Name));
    }

    [Fact]
    public void Crash_loop_counts_restarts()
    {
        var status = DeploymentReadiness.Evaluate(Deployment(ready: 0), [Pod("p", ready: false, waiting: "CrashLoopBackOff")], []);

        Assert.Equal(5, status.Pods[0].Restarts);
    }

    [Fact]
    public void Sidecar_waiting_on_an_image_is_reported_with_its_container_name()
    {
        var pod = Pod("p", ready: false, phase: "Pending");
        pod.Status.ContainerStatuses.Add(new V1ContainerStatus
        {
            Name = "istio-proxy",
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff" } },
        });
        pod.Status.ContainerStatuses[0].State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } };

        var status = DeploymentReadiness.Evaluate(Deployment(ready: 0), [pod], []);

        Assert.Equal(("istio-proxy", "ImagePullBackOff"), (status.Pods[0].WaitingContainer, status.Pods[0].WaitingReason));
        Assert.Equal(DeploymentState.Failing, status.State);
    }
}
