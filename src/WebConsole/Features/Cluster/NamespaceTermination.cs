using MeshConsole.Domain.Cluster;

namespace WebConsole.Features.Cluster;

/// <summary>
/// How long the console waits for a namespace it deleted to be gone. A DELETE only starts the removal: the namespace
/// is Terminating while the namespace controller deletes what is in it, and Kubernetes refuses new objects in it
/// until it is gone (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/).
/// </summary>
public sealed record NamespaceTermination(TimeSpan Timeout, TimeSpan PollInterval)
{
    /// <summary>A namespace of Bookinfo or a participant usually goes within seconds; two minutes covers slow pod shutdowns.</summary>
    public static readonly NamespaceTermination Default = new(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));

    /// <summary>Deletes namespace <paramref name="ns"/> and waits until it is gone: null when it is (or was absent), otherwise why not.</summary>
    public async Task<ClusterFailure?> DeleteAndWaitAsync(KubeGateway gateway, string ns, TimeProvider clock, CancellationToken ct) =>
        await StartDeletionAsync(gateway, ns, ct) ?? await WaitUntilGoneAsync(gateway, ns, clock, ct);

    /// <summary>
    /// Deletes namespace <paramref name="ns"/> without waiting; one already Terminating is not deleted again (the server
    /// would answer 409). Null when the deletion is under way or the namespace is absent, otherwise why not.
    /// </summary>
    public static async Task<ClusterFailure?> StartDeletionAsync(KubeGateway gateway, string ns, CancellationToken ct)
    {
        var target = new ResourceRef("v1", "Namespace", null, ns);
        var live = await gateway.GetAsync(target, ct);
        if (!live.Succeeded) return live.Failure;
        if (live.Value is null || IsTerminating(live.Value)) return null;
        var deleted = await gateway.DeleteAsync(target, ct);
        return deleted.Succeeded || deleted.Failure!.Kind == ClusterFailureKind.NamespaceTerminating ? null : deleted.Failure;
    }

    /// <summary>
    /// Waits until namespace <paramref name="ns"/> is gone: null when it is, otherwise why not. Bounded by the number of
    /// polls <see cref="Timeout"/> allows rather than by reading the clock, so a clock that stands still cannot make it endless.
    /// </summary>
    public async Task<ClusterFailure?> WaitUntilGoneAsync(KubeGateway gateway, string ns, TimeProvider clock, CancellationToken ct)
    {
        var target = new ResourceRef("v1", "Namespace", null, ns);
        var polls = Math.Max(1, (int)Math.Ceiling(Timeout / PollInterval));
        for (var poll = 0; ; poll++)
        {
            var live = await gateway.GetAsync(target, ct);
            if (!live.Succeeded) return live.Failure;
            if (live.Value is null) return null;
            if (poll == polls)
                return FinalizersRemaining(live.Value) is { } holding ? ClusterFailure.HeldByFinalizers(ns, Timeout, holding) : ClusterFailure.StillTerminating(ns, Timeout);
            await Task.Delay(PollInterval, clock, ct);
        }
    }

    /// <summary>
    /// What the namespace controller reports still holds a terminating namespace: the message of its
    /// NamespaceFinalizersRemaining condition after "remaining: " (core/v1 NamespaceConditionType; the controller writes
    /// "Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances").
    /// </summary>
    private static string? FinalizersRemaining(System.Text.Json.Nodes.JsonObject ns)
    {
        var condition = (ns["status"]?["conditions"] as System.Text.Json.Nodes.JsonArray)?.OfType<System.Text.Json.Nodes.JsonObject>()
            .FirstOrDefault(c => (string?)c["type"] == "NamespaceFinalizersRemaining" && (string?)c["status"] == "True");
        var message = (string?)condition?["message"];
        if (string.IsNullOrWhiteSpace(message)) return null;
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? message : message[(colon + 2)..];
    }

    public static bool IsTerminating(System.Text.Json.Nodes.JsonObject ns) =>
        ns["metadata"]?["deletionTimestamp"] is not null || (string?)ns["status"]?["phase"] == "Terminating";
}
