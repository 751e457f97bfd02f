using System.Text.Json.Nodes;
using k8s.Models;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Features.Bookinfo;

/// <summary>
/// A namespace as the Bookinfo step sees it; <paramref name="Labels"/> is empty when it does not exist.
/// <paramref name="AppliedByBookinfo"/>: the labels the Bookinfo step's field manager applied and still owns.
/// </summary>
public sealed record NamespaceInfo(string Name, bool Exists, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string>? AppliedByBookinfo = null);

/// <summary>
/// Where the ingress gateway answers, and which Service said so. <paramref name="Address"/> is null when it cannot be
/// found: <paramref name="ProblemCode"/> ("Gateway.ServiceNotFound", "Gateway.NoHttp2Port", "Gateway.NoExternalAddress")
/// with <paramref name="ProblemArgs"/> says why, and the user types an address instead.
/// </summary>
public sealed record GatewayDiscovery(GatewayAddress? Address, string? ServiceNamespace, string? ServiceName, string? ProblemCode, IReadOnlyList<object> ProblemArgs);

/// <param name="Deployments">The last snapshot read (empty when none could be read).</param>
/// <param name="AllReady">Every Bookinfo Deployment is Ready or ReadyWithoutSidecar.</param>
/// <param name="TimedOut">The timeout passed first.</param>
/// <param name="Failure">Reading the cluster failed on three polls in a row.</param>
public sealed record ReadinessOutcome(IReadOnlyList<DeploymentStatus> Deployments, bool AllReady, bool TimedOut, ClusterFailure? Failure);

/// <summary>Everything the Bookinfo step reads from the cluster.</summary>
public sealed class BookinfoCluster(KubeGateway gateway, TimeProvider clock)
{
    /// <summary>How many polls in a row may fail before <see cref="WaitUntilReadyAsync"/> reports the failure.</summary>
    public const int FailedPollsReported = 3;

    public const string IngressGatewayServiceName = "istio-ingressgateway";

    private static readonly string IngressGatewaySelector = $"{BookinfoSample.IngressGatewaySelectorKey}={BookinfoSample.IngressGatewaySelectorValue}";

    public async Task<ClusterResult<NamespaceInfo>> ReadNamespaceAsync(string ns, CancellationToken ct)
    {
        var read = await gateway.GetAsync(new ResourceRef("v1", "Namespace", null, ns), ct);
        if (!read.Succeeded) return ClusterResult<NamespaceInfo>.Failed(read.Failure!);
        var labels = (read.Value?["metadata"]?["labels"] as JsonObject ?? [])
            .Where(l => l.Value is JsonValue)
            .ToDictionary(l => l.Key, l => (string?)l.Value ?? "", StringComparer.Ordinal);
        var applied = LabelsAppliedBy(read.Value, FieldManagers.Bookinfo)
            .Where(labels.ContainsKey)
            .ToDictionary(key => key, key => labels[key], StringComparer.Ordinal);
        return new NamespaceInfo(ns, read.Value is not null, labels, applied);
    }

    /// <summary>
    /// The label keys <paramref name="manager"/>'s server-side apply owns on <paramref name="live"/>: its Apply entry in
    /// metadata.managedFields, whose fieldsV1 names each owned label as <c>f:metadata</c> → <c>f:labels</c> → <c>f:&lt;key&gt;</c>
    /// (kubernetes.io/docs/reference/using-api/server-side-apply, "Field management").
    /// </summary>
    internal static IEnumerable<string> LabelsAppliedBy(JsonObject? live, string manager) =>
        (live?["metadata"]?["managedFields"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(e => (string?)e["manager"] == manager && (string?)e["operation"] == "Apply")
            .SelectMany(e => e["fieldsV1"]?["f:metadata"]?["f:labels"] as JsonObject ?? [])
            .Select(f => f.Key)
            .Where(k => k.StartsWith("f:", StringComparison.Ordinal))
            .Select(k => k[2..])
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// One snapshot: every Bookinfo Deployment in <paramref name="ns"/> (label app.kubernetes.io/part-of=bookinfo),
    /// evaluated with <see cref="DeploymentReadiness"/> against the namespace's pods and events, in plan order.
    /// </summary>
    public async Task<ClusterResult<IReadOnlyList<DeploymentStatus>>> ReadinessAsync(string ns, CancellationToken ct)
    {
        var deployments = await gateway.ListDeploymentsAsync(ns, BookinfoSample.PartOfSelector, ct);
        if (!deployments.Succeeded) return ClusterResult<IReadOnlyList<DeploymentStatus>>.Failed(deployments.Failure!);
        var pods = await gateway.ListPodsAsync(ns, ct);
        if (!pods.Succeeded) return ClusterResult<IReadOnlyList<DeploymentStatus>>.Failed(pods.Failure!);
        var events = await gateway.ListEventsAsync(ns, ct);
        if (!events.Succeeded) return ClusterResult<IReadOnlyList<DeploymentStatus>>.Failed(events.Failure!);

        var statuses = deployments.Value!
            .Select(d => DeploymentReadiness.Evaluate(d, pods.Value!, events.Value!))
            .OrderBy(s => PlanOrder(s.Name))
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        return statuses;
    }

    /// <summary>
    /// Polls <see cref="ReadinessAsync"/> every <paramref name="pollInterval"/> until all six Bookinfo Deployments are
    /// Ready or ReadyWithoutSidecar, or <paramref name="timeout"/> passes (TimedOut, last snapshot kept), or reading
    /// fails on <see cref="FailedPollsReported"/> polls in a row (a failure that clears up earlier is only retried).
    /// Every snapshot goes to <paramref name="progress"/>. Cancelling ends it quietly with the last snapshot.
    /// </summary>
    public async Task<ReadinessOutcome> WaitUntilReadyAsync(
        string ns, TimeSpan timeout, TimeSpan pollInterval, IProgress<IReadOnlyList<DeploymentStatus>>? progress, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + timeout;
        IReadOnlyList<DeploymentStatus> last = [];
        var failedPolls = 0;
        try
        {
            while (true)
            {
                var snapshot = await ReadinessAsync(ns, ct);
                if (snapshot.Succeeded)
                {
                    failedPolls = 0;
                    last = snapshot.Value!;
                    progress?.Report(last);
                    if (AllReady(last)) return new(last, true, false, null);
                }
                else if (++failedPolls >= FailedPollsReported)
                {
                    return new(last, false, false, snapshot.Failure);
                }

                var remaining = deadline - clock.GetUtcNow();
                if (remaining <= TimeSpan.Zero) return new(last, false, true, null);
                await Task.Delay(remaining < pollInterval ? remaining : pollInterval, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new(last, AllReady(last), false, null);
        }
    }

    /// <summary>True when every Deployment of the Bookinfo sample is in <paramref name="statuses"/> and ready.</summary>
    public static bool AllReady(IReadOnlyList<DeploymentStatus> statuses) =>
        BookinfoSample.Deployments.All(planned => statuses.Any(s => s.Name == planned.Name
            && s.State is DeploymentState.Ready or DeploymentState.ReadyWithoutSidecar));

    /// <summary>
    /// Selects the undo journal entries of <paramref name="bookinfoPlan"/>'s objects (its Namespace included) for
    /// <see cref="ClusterApplier.UndoAsync(string, Func{ResourceRef, bool}?, IProgress{ApplyOutcome}?, CancellationToken)"/>:
    /// other entries, such as CA Secrets in the same namespace, stay for the full cleanup.
    /// </summary>
    public static Func<ResourceRef, bool> UndoFilter(Plan bookinfoPlan)
    {
        var planned = bookinfoPlan.Objects.Select(o => (o.Kind, o.Namespace, o.Name)).ToHashSet();
        return target => planned.Contains((target.Kind, target.Namespace, target.Name));
    }

    /// <summary>
    /// The ingress gateway Service the way Istio's docs find it (label istio=ingressgateway; namespace
    /// <paramref name="istioNamespace"/> first, then any; name istio-ingressgateway first), resolved with
    /// <see cref="GatewayAddressResolver"/> (nodes are read only when the Service has no load balancer address).
    /// </summary>
    public async Task<ClusterResult<GatewayDiscovery>> DiscoverGatewayAsync(string? istioNamespace, CancellationToken ct)
    {
        var services = await gateway.ListServicesAsync(null, IngressGatewaySelector, ct);
        // Without cluster-wide list access, the Istio namespace alone is still worth a look.
        if (services.Failure?.Kind == ClusterFailureKind.Forbidden && istioNamespace is not null)
            services = await gateway.ListServicesAsync(istioNamespace, IngressGatewaySelector, ct);
        if (!services.Succeeded) return ClusterResult<GatewayDiscovery>.Failed(services.Failure!);

        var service = services.Value!
            .OrderBy(s => s.Metadata?.NamespaceProperty == istioNamespace ? 0 : 1)
            .ThenBy(s => s.Metadata?.Name == IngressGatewayServiceName ? 0 : 1)
            .ThenBy(s => s.Metadata?.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(s => s.Metadata?.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (service is null)
            return new GatewayDiscovery(null, null, null, "Gateway.ServiceNotFound", [IngressGatewaySelector]);

        var (serviceNamespace, serviceName) = (service.Metadata?.NamespaceProperty, service.Metadata?.Name);
        var display = $"{serviceNamespace}/{serviceName}";
        if (service.Spec?.Ports?.Any(p => p.Name == GatewayAddressResolver.HttpPortName) != true)
            return new GatewayDiscovery(null, serviceNamespace, serviceName, "Gateway.NoHttp2Port", [display, GatewayAddressResolver.HttpPortName]);

        IReadOnlyList<V1Node> nodes = [];
        if (!HasLoadBalancerAddress(service))
        {
            var listed = await gateway.ListNodesAsync(ct);
            if (!listed.Succeeded) return ClusterResult<GatewayDiscovery>.Failed(listed.Failure!);
            nodes = listed.Value!;
        }
        var address = GatewayAddressResolver.Resolve(service, nodes);
        return address is null
            ? new GatewayDiscovery(null, serviceNamespace, serviceName, "Gateway.NoExternalAddress", [display, service.Spec?.Type ?? "ClusterIP"])
            : new GatewayDiscovery(address, serviceNamespace, serviceName, null, []);
    }

    private static bool HasLoadBalancerAddress(V1Service service) =>
        service.Status?.LoadBalancer?.Ingress?.FirstOrDefault() is { } ingress
        && (!string.IsNullOrEmpty(ingress.Ip) || !string.IsNullOrEmpty(ingress.Hostname));

    private static int PlanOrder(string deployment)
    {
        for (var i = 0; i < BookinfoSample.Deployments.Count; i++)
            if (BookinfoSample.Deployments[i].Name == deployment) return i;
        return BookinfoSample.Deployments.Count;
    }
}
