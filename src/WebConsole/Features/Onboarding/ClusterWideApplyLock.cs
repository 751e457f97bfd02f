using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Features.Onboarding;

/// <summary>Who holds the mesh-wide apply lock, for what, since when.</summary>
public sealed record ApplyLockHolder(string Who, string Action, DateTimeOffset Since);

/// <summary>Either the lease (the lock is yours until you release it) or who holds it now.</summary>
public sealed record ApplyLockAttempt(ApplyLease? Lease, ApplyLockHolder? HeldBy)
{
    public bool Acquired => Lease is not null;
}

/// <summary>
/// Serializes mesh-wide applies across every console instance on the cluster: the lock is a ConfigMap created with a
/// plain create, so exactly one creator wins and the others read who holds it. A lock older than the expiry (its holder
/// crashed or lost the connection) is taken over: deleted under a precondition on exactly the object that was read,
/// then created again, so two consoles taking over at once still end with one holder.
/// </summary>
public sealed class ClusterWideApplyLock(KubeGateway cluster, TimeProvider clock, string storeNamespace = OnboardingObjects.DefaultNamespace, TimeSpan? expiry = null)
{
    /// <summary>Every write of the lock names the records' own field manager.</summary>
    private readonly KubeGateway gateway = cluster.WithFieldManager(FieldManagers.Records);

    public const string ConfigMapName = "lightstep-console-apply-lock";
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromMinutes(10);
    private const int MaxAttempts = 4;

    public TimeSpan Expiry { get; } = expiry ?? DefaultExpiry;

    public async Task<ClusterResult<ApplyLockAttempt>> TryAcquireAsync(string who, string action, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(action);
        var ensured = await OnboardingObjects.EnsureNamespaceAsync(gateway, storeNamespace, ct);
        if (!ensured.Succeeded) return ClusterResult<ApplyLockAttempt>.Failed(ensured.Failure!);

        var leaseId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        ApplyLockHolder? lastHolder = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var since = clock.GetUtcNow();
            var created = await gateway.CreateAsync(LockObject(who, action, since, leaseId), ct);
            if (created.Succeeded) return new ApplyLockAttempt(new ApplyLease(gateway, LockRef, DeletePrecondition.Of(created.Value!), new(who, action, since)), null);
            if (created.Failure!.Kind != ClusterFailureKind.AlreadyExists) return ClusterResult<ApplyLockAttempt>.Failed(created.Failure);

            var live = await gateway.GetAsync(LockRef, ct);
            if (!live.Succeeded) return ClusterResult<ApplyLockAttempt>.Failed(live.Failure!);
            if (live.Value is null) continue;
            // A create that reached the server but whose answer was lost is retried by the gateway and meets itself.
            if ((string?)live.Value["data"]?["lease"] == leaseId)
                return new ApplyLockAttempt(new ApplyLease(gateway, LockRef, DeletePrecondition.Of(live.Value), HolderOf(live.Value)), null);

            lastHolder = HolderOf(live.Value);
            if (clock.GetUtcNow() - lastHolder.Since < Expiry) return new ApplyLockAttempt(null, lastHolder);

            var takenOver = await gateway.DeleteAsync(LockRef, DeletePrecondition.Of(live.Value), ct);
            if (!takenOver.Succeeded && takenOver.Failure!.Kind != ClusterFailureKind.Conflict)
                return ClusterResult<ApplyLockAttempt>.Failed(takenOver.Failure);
        }
        return new ApplyLockAttempt(null, lastHolder);
    }

    /// <summary>Who holds the lock now, or null when nobody does.</summary>
    public async Task<ClusterResult<ApplyLockHolder?>> CurrentHolderAsync(CancellationToken ct = default)
    {
        var live = await gateway.GetAsync(LockRef, ct);
        if (!live.Succeeded) return ClusterResult<ApplyLockHolder?>.Failed(live.Failure!);
        return live.Value is null ? (ApplyLockHolder?)null : HolderOf(live.Value);
    }

    private ResourceRef LockRef => new("v1", "ConfigMap", storeNamespace, ConfigMapName);

    private JsonObject LockObject(string who, string action, DateTimeOffset since, string leaseId) =>
        OnboardingObjects.ConfigMap(storeNamespace, ConfigMapName, OnboardingObjects.ApplyLockRole, sessionId: null, new JsonObject
        {
            ["holder"] = who,
            ["action"] = action,
            ["since"] = since.ToString("O", CultureInfo.InvariantCulture),
            ["lease"] = leaseId,
        });

    /// <summary>A lock whose data cannot be read counts from its creation, so it still expires.</summary>
    private static ApplyLockHolder HolderOf(JsonObject live)
    {
        var since = DateTimeOffset.TryParseExact((string?)live["data"]?["since"], "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at
            : DateTimeOffset.TryParse((string?)live["metadata"]?["creationTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created
            : DateTimeOffset.MinValue;
        return new ApplyLockHolder((string?)live["data"]?["holder"] ?? "", (string?)live["data"]?["action"] ?? "", since);
    }
}

/// <summary>
/// The mesh-wide apply lock, held. Releasing deletes exactly the lock this lease created (uid and resourceVersion
/// precondition): after an expiry takeover, someone else's lock is left alone.
/// </summary>
public sealed class ApplyLease : IAsyncDisposable
{
    private readonly KubeGateway _gateway;
    private readonly ResourceRef _lock;
    private readonly DeletePrecondition _precondition;
    private int _released;

    internal ApplyLease(KubeGateway gateway, ResourceRef lockRef, DeletePrecondition precondition, ApplyLockHolder holder)
    {
        _gateway = gateway;
        _lock = lockRef;
        _precondition = precondition;
        Holder = holder;
    }

    public ApplyLockHolder Holder { get; }

    /// <summary>True when this lease's lock was deleted; false when it was already released, gone or taken over.</summary>
    public async Task<ClusterResult<bool>> ReleaseAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return false;
        var deleted = await _gateway.DeleteAsync(_lock, _precondition, ct);
        if (deleted.Succeeded) return deleted.Value;
        if (deleted.Failure!.Kind == ClusterFailureKind.Conflict) return false;
        Volatile.Write(ref _released, 0);
        return ClusterResult<bool>.Failed(deleted.Failure);
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync(CancellationToken.None);

    public override string ToString() => $"ApplyLease {{ Who = {Holder.Who}, Action = {Holder.Action}, Since = {Holder.Since:O} }}";
}
