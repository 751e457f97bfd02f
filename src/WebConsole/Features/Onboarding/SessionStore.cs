using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Cluster;

namespace WebConsole.Features.Onboarding;

public enum JoinRefusal { InvalidName, SessionNotFound, SessionEnded }

/// <summary>A join: the participant's record (new, or theirs from before when <see cref="Resumed"/>), or why not.</summary>
public sealed record JoinOutcome(ParticipantProgress? Participant, bool Resumed, JoinRefusal? Refusal, IReadOnlyList<ValidationIssue> Issues)
{
    public bool Joined => Participant is not null;
}

/// <summary>An ended session: the namespaces to list in the cleanup confirmation, and the summary to download.</summary>
public sealed record SessionEnding(OnboardingSession Session, IReadOnlyList<string> ParticipantNamespaces, SessionSummary Summary);

/// <summary>
/// Onboarding sessions kept in the cluster, so they survive a console restart and are shared by every console
/// instance: the session with its shared settings (and so the access token) and its mesh-wide apply records in a
/// Secret; each participant in a ConfigMap of their own, so participants never contend with each other. Writes to
/// an existing object carry its resourceVersion; a 409 re-reads and re-applies the change.
/// </summary>
public sealed class SessionStore(KubeGateway cluster, TimeProvider clock, string storeNamespace = OnboardingObjects.DefaultNamespace, int maxUpdateAttempts = 16)
{
    /// <summary>Every write of the store names the records' own field manager.</summary>
    private readonly KubeGateway gateway = cluster.WithFieldManager(FieldManagers.Records);

    private const int MaxJoinAttempts = 20;
    private readonly TokenMask _mask = new();

    public string Namespace => storeNamespace;

    /// <summary>Starts a session; the pattern must pass <see cref="ParticipantNamespace.ValidatePattern"/>.</summary>
    public async Task<ClusterResult<SessionRecord>> CreateSessionAsync(string name, string clusterContext, string facilitator,
        SharedSettings settings, string namespacePattern = OnboardingSession.DefaultNamespacePattern, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (ParticipantNamespace.ValidatePattern(namespacePattern).HasErrors())
            throw new ArgumentException("The namespace pattern is not valid; check it with ParticipantNamespace.ValidatePattern first.", nameof(namespacePattern));
        var ensured = await OnboardingObjects.EnsureNamespaceAsync(gateway, storeNamespace, ct);
        if (!ensured.Succeeded) return _mask.Fail<SessionRecord>(ensured.Failure!);
        while (true)
        {
            var session = new OnboardingSession(NewSessionId(), name, clusterContext, facilitator, clock.GetUtcNow(), namespacePattern);
            var record = new SessionRecord(session, settings, []);
            _mask.Add(session.Id, settings);
            var created = await gateway.CreateAsync(SessionSecret(record), ct);
            if (created.Succeeded) return record;
            // 40 random bits rarely collide; when they do, another id is as good.
            if (created.Failure!.Kind != ClusterFailureKind.AlreadyExists) return _mask.FailOnSession<SessionRecord>(created.Failure, session.Id);
        }
    }

    /// <summary>The session with its shared settings and apply records; null when there is no such session.</summary>
    public async Task<ClusterResult<SessionRecord?>> GetSessionAsync(string sessionId, CancellationToken ct = default)
    {
        if (!SessionIds.IsValid(sessionId)) return (SessionRecord?)null;
        var secret = await gateway.GetAsync(SessionRef(sessionId), ct);
        if (!secret.Succeeded) return _mask.FailOnSession<SessionRecord?>(secret.Failure!, sessionId);
        if (secret.Value is null) return (SessionRecord?)null;
        return ReadSession(secret.Value) is { } record ? record : _mask.Fail<SessionRecord?>(OnboardingObjects.Unreadable("Secret", SessionRef(sessionId).Name));
    }

    /// <summary>Every session (ended ones too), newest first; unreadable Secrets are left out.</summary>
    public async Task<ClusterResult<IReadOnlyList<OnboardingSession>>> ListSessionsAsync(CancellationToken ct = default)
    {
        var secrets = await gateway.ListSecretsAsync(storeNamespace, OnboardingObjects.Selector(OnboardingObjects.SessionRole), ct);
        if (!secrets.Succeeded) return _mask.FailOnSession<IReadOnlyList<OnboardingSession>>(secrets.Failure!, sessionId: null);
        return secrets.Value!
            .Select(s => ReadSession(KubeGateway.ToJson(s))?.Session)
            .OfType<OnboardingSession>()
            .OrderByDescending(s => s.CreatedAt)
            .ToList();
    }

    /// <summary>
    /// Joins <paramref name="displayName"/> to the session with a namespace of their own, unique in the cluster (no other
    /// participant of any session has it, and no such namespace exists yet). Someone joining again under the same name
    /// (ignoring case) gets their record back, even after the session ended; newcomers are refused once it has.
    /// </summary>
    public async Task<ClusterResult<JoinOutcome>> JoinAsync(string sessionId, string displayName, CancellationToken ct = default)
    {
        var issues = ParticipantNameRules.Validate(displayName);
        if (issues.HasErrors()) return new JoinOutcome(null, false, JoinRefusal.InvalidName, issues);
        var name = ParticipantNameRules.Normalize(displayName);

        var session = await GetSessionAsync(sessionId, ct);
        if (!session.Succeeded) return ClusterResult<JoinOutcome>.Failed(session.Failure!);
        if (session.Value is null) return new JoinOutcome(null, false, JoinRefusal.SessionNotFound, []);

        var existing = await GetParticipantAsync(sessionId, name, ct);
        if (!existing.Succeeded) return ClusterResult<JoinOutcome>.Failed(existing.Failure!);
        if (existing.Value is { } returning) return new JoinOutcome(returning, true, null, []);
        if (session.Value.Session.HasEnded) return new JoinOutcome(null, false, JoinRefusal.SessionEnded, []);

        var participants = await ListParticipantsAsync(sessionId, ct);
        if (!participants.Succeeded) return ClusterResult<JoinOutcome>.Failed(participants.Failure!);
        var taken = participants.Value!.Select(p => p.Namespace).ToHashSet(StringComparer.Ordinal);
        var key = ParticipantNameRules.Key(name);

        for (var attempt = 0; attempt < MaxJoinAttempts; attempt++)
        {
            var ns = ParticipantNamespace.For(session.Value.Session.NamespacePattern, name, taken);
            var claimed = await ClaimNamespaceAsync(sessionId, key, ns, ct);
            if (!claimed.Succeeded) return ClusterResult<JoinOutcome>.Failed(claimed.Failure!);
            if (!claimed.Value)
            {
                taken.Add(ns);
                continue;
            }

            var participant = ParticipantProgress.Joined(name, ns, clock.GetUtcNow());
            var created = await gateway.CreateAsync(ParticipantConfigMap(sessionId, participant), ct);
            if (created.Succeeded) return new JoinOutcome(participant, false, null, []);
            if (created.Failure!.Kind != ClusterFailureKind.AlreadyExists) return _mask.Fail<JoinOutcome>(created.Failure);

            // The same person joined at the same moment from another tab: theirs is the record, this claim is spare.
            await gateway.DeleteAsync(new ResourceRef("v1", "ConfigMap", storeNamespace, OnboardingObjects.NamespaceClaimName(ns)), ct);
            var winner = await GetParticipantAsync(sessionId, name, ct);
            if (!winner.Succeeded) return ClusterResult<JoinOutcome>.Failed(winner.Failure!);
            if (winner.Value is { } record) return new JoinOutcome(record, true, null, []);
        }
        return _mask.Fail<JoinOutcome>(ClusterFailure.FromStatus(409, null));
    }

    /// <summary>The participant's record under <paramref name="displayName"/> (any case), or null.</summary>
    public async Task<ClusterResult<ParticipantProgress?>> GetParticipantAsync(string sessionId, string displayName, CancellationToken ct = default)
    {
        var target = ParticipantRef(sessionId, displayName);
        var configMap = await gateway.GetAsync(target, ct);
        if (!configMap.Succeeded) return _mask.Fail<ParticipantProgress?>(configMap.Failure!);
        if (configMap.Value is null) return (ParticipantProgress?)null;
        return ReadParticipant(configMap.Value) is { } participant ? participant : _mask.Fail<ParticipantProgress?>(OnboardingObjects.Unreadable("ConfigMap", target.Name));
    }

    /// <summary>
    /// Changes one participant's progress. <paramref name="change"/> may run more than once (after a concurrent write it
    /// runs again on the newer record), so it must only derive the new record from the one it is given. Name, namespace
    /// and join time cannot change; UpdatedAt is set to now.
    /// </summary>
    public async Task<ClusterResult<ParticipantProgress>> UpdateProgressAsync(string sessionId, string displayName,
        Func<ParticipantProgress, ParticipantProgress> change, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return await UpdateAsync(ParticipantRef(sessionId, displayName), ReadParticipant,
            current => change(current) with { Name = current.Name, Namespace = current.Namespace, JoinedAt = current.JoinedAt, UpdatedAt = clock.GetUtcNow() },
            (live, updated) => live["data"] = new JsonObject { [OnboardingObjects.ParticipantDataKey] = OnboardingJson.Serialize(updated) },
            ct);
    }

    /// <summary>
    /// Records how many of the participant's Bookinfo Deployments the cluster showed ready (when their session ended),
    /// leaving the rest of their record, UpdatedAt included, as they last reported it.
    /// </summary>
    public Task<ClusterResult<ParticipantProgress>> RecordReadinessAsync(string sessionId, string displayName, int ready, int total,
        CancellationToken ct = default) =>
        UpdateAsync(ParticipantRef(sessionId, displayName), ReadParticipant,
            current => current with { DeploymentsReady = ready, DeploymentsTotal = total },
            (live, updated) => live["data"] = new JsonObject { [OnboardingObjects.ParticipantDataKey] = OnboardingJson.Serialize(updated) },
            ct);

    /// <summary>Every participant of the session, ordered by name.</summary>
    public async Task<ClusterResult<IReadOnlyList<ParticipantProgress>>> ListParticipantsAsync(string sessionId, CancellationToken ct = default)
    {
        var configMaps = await gateway.ListConfigMapsAsync(storeNamespace, OnboardingObjects.Selector(OnboardingObjects.ParticipantRole, sessionId), ct);
        if (!configMaps.Succeeded) return _mask.Fail<IReadOnlyList<ParticipantProgress>>(configMaps.Failure!);
        return configMaps.Value!
            .Select(c => ReadParticipant(KubeGateway.ToJson(c)))
            .OfType<ParticipantProgress>()
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Adds "who applied what and when" for a mesh-wide step to the session, at the current time.</summary>
    public Task<ClusterResult<SessionRecord>> RecordSharedApplyAsync(string sessionId, string who, string action, IReadOnlyList<string> objects,
        CancellationToken ct = default) =>
        UpdateAsync(SessionRef(sessionId), ReadSession, record => record.WithApply(new SharedApplyRecord(who, clock.GetUtcNow(), action, objects)),
            WriteSession, ct);

    /// <summary>
    /// Marks the session ended (joining is refused from now on; ending again keeps the first time) and returns the
    /// participants' namespaces, for the cleanup confirmation, with the summary to download.
    /// </summary>
    public async Task<ClusterResult<SessionEnding>> EndSessionAsync(string sessionId, CancellationToken ct = default)
    {
        var ended = await UpdateAsync(SessionRef(sessionId), ReadSession, record => record with { Session = record.Session.End(clock.GetUtcNow()) }, WriteSession, ct);
        if (!ended.Succeeded) return ClusterResult<SessionEnding>.Failed(ended.Failure!);
        var participants = await ListParticipantsAsync(sessionId, ct);
        if (!participants.Succeeded) return ClusterResult<SessionEnding>.Failed(participants.Failure!);
        var namespaces = participants.Value!.Select(p => p.Namespace).Distinct().Order(StringComparer.Ordinal).ToList();
        return new SessionEnding(ended.Value!.Session, namespaces, SessionSummary.Of(ended.Value.Session, participants.Value!));
    }

    /// <summary>Removes every object the session stored (not the participants' namespaces); true when the session existed.</summary>
    public async Task<ClusterResult<bool>> DeleteSessionAsync(string sessionId, CancellationToken ct = default)
    {
        foreach (var role in new[] { OnboardingObjects.ParticipantRole, OnboardingObjects.NamespaceClaimRole })
        {
            var configMaps = await gateway.ListConfigMapsAsync(storeNamespace, OnboardingObjects.Selector(role, sessionId), ct);
            if (!configMaps.Succeeded) return _mask.Fail<bool>(configMaps.Failure!);
            foreach (var configMap in configMaps.Value!)
            {
                var deleted = await gateway.DeleteAsync(new ResourceRef("v1", "ConfigMap", storeNamespace, configMap.Metadata.Name), ct);
                if (!deleted.Succeeded) return _mask.Fail<bool>(deleted.Failure!);
            }
        }
        var session = await gateway.DeleteAsync(SessionRef(sessionId), ct);
        return session.Succeeded ? session.Value : _mask.FailOnSession<bool>(session.Failure!, sessionId);
    }

    /// <summary>True when this participant now holds <paramref name="ns"/>; false when someone else does or it exists in the cluster.</summary>
    private async Task<ClusterResult<bool>> ClaimNamespaceAsync(string sessionId, string participantKey, string ns, CancellationToken ct)
    {
        var existingNamespace = await gateway.GetAsync(new ResourceRef("v1", "Namespace", null, ns), ct);
        if (!existingNamespace.Succeeded) return _mask.Fail<bool>(existingNamespace.Failure!);
        if (existingNamespace.Value is not null) return false;

        var claim = OnboardingObjects.ConfigMap(storeNamespace, OnboardingObjects.NamespaceClaimName(ns), OnboardingObjects.NamespaceClaimRole, sessionId,
            new JsonObject { ["participant"] = participantKey });
        var created = await gateway.CreateAsync(claim, ct);
        if (created.Succeeded) return true;
        if (created.Failure!.Kind != ClusterFailureKind.AlreadyExists) return _mask.Fail<bool>(created.Failure);

        // A claim left by an earlier join of the same participant that stopped halfway is still theirs.
        var holder = await gateway.GetAsync(ResourceRef.Of(claim), ct);
        if (!holder.Succeeded) return _mask.Fail<bool>(holder.Failure!);
        return (string?)holder.Value?["metadata"]?["labels"]?[OnboardingObjects.SessionLabel] == sessionId
            && (string?)holder.Value?["data"]?["participant"] == participantKey;
    }

    private async Task<ClusterResult<T>> UpdateAsync<T>(ResourceRef target, Func<JsonObject, T?> read, Func<T, T> change, Action<JsonObject, T> write,
        CancellationToken ct) where T : class
    {
        var result = await TryUpdateAsync(target, read, change, write, ct);
        if (result.Succeeded || target.Kind != "Secret") return result;
        return _mask.FailOnSession<T>(result.Failure!, SessionIdOf(target));
    }

    private async Task<ClusterResult<T>> TryUpdateAsync<T>(ResourceRef target, Func<JsonObject, T?> read, Func<T, T> change, Action<JsonObject, T> write,
        CancellationToken ct) where T : class
    {
        ClusterFailure? conflict = null;
        for (var attempt = 0; attempt < maxUpdateAttempts; attempt++)
        {
            if (attempt > 0) await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            var live = await gateway.GetAsync(target, ct);
            if (!live.Succeeded) return _mask.Fail<T>(live.Failure!);
            if (live.Value is null) return _mask.Fail<T>(OnboardingObjects.NotFound(target.Kind, target.Name));
            if (read(live.Value) is not { } current) return _mask.Fail<T>(OnboardingObjects.Unreadable(target.Kind, target.Name));

            var updated = change(current);
            var replacement = live.Value.DeepClone().AsObject();
            (replacement["metadata"] as JsonObject)?.Remove("managedFields");
            write(replacement, updated);
            var replaced = await gateway.ReplaceAsync(replacement, ct);
            if (replaced.Succeeded) return updated;
            if (replaced.Failure!.Kind != ClusterFailureKind.Conflict) return _mask.Fail<T>(replaced.Failure);
            conflict = replaced.Failure;
        }
        return _mask.Fail<T>(conflict!);
    }

    private JsonObject SessionSecret(SessionRecord record)
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = OnboardingObjects.SessionSecretName(record.Session.Id),
                ["namespace"] = storeNamespace,
                ["labels"] = OnboardingObjects.Labels(OnboardingObjects.SessionRole, record.Session.Id),
            },
            ["type"] = "Opaque",
        };
        WriteSession(secret, record);
        return secret;
    }

    private static void WriteSession(JsonObject secret, SessionRecord record) =>
        secret["data"] = new JsonObject { [OnboardingObjects.SessionDataKey] = OnboardingObjects.Base64(OnboardingJson.Serialize(record)) };

    private SessionRecord? ReadSession(JsonObject secret)
    {
        try
        {
            var json = OnboardingObjects.DecodeBase64((string?)secret["data"]?[OnboardingObjects.SessionDataKey]);
            if (json is null) return null;
            var record = OnboardingJson.DeserializeSessionRecord(json);
            _mask.Add(record.Session.Id, record.Settings);
            return record;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static ParticipantProgress? ReadParticipant(JsonObject configMap)
    {
        try
        {
            var json = (string?)configMap["data"]?[OnboardingObjects.ParticipantDataKey];
            return json is null ? null : OnboardingJson.DeserializeParticipant(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private JsonObject ParticipantConfigMap(string sessionId, ParticipantProgress participant) => OnboardingObjects.ConfigMap(
        storeNamespace, OnboardingObjects.ParticipantConfigMapName(sessionId, participant.Name), OnboardingObjects.ParticipantRole, sessionId,
        new JsonObject { [OnboardingObjects.ParticipantDataKey] = OnboardingJson.Serialize(participant) });

    private ResourceRef SessionRef(string sessionId) => new("v1", "Secret", storeNamespace, OnboardingObjects.SessionSecretName(sessionId));

    private static string SessionIdOf(ResourceRef sessionSecret) => sessionSecret.Name[(OnboardingObjects.SessionSecretName("").Length)..];

    private ResourceRef ParticipantRef(string sessionId, string displayName) =>
        new("v1", "ConfigMap", storeNamespace, OnboardingObjects.ParticipantConfigMapName(sessionId, displayName));

    private static string NewSessionId()
    {
        Span<byte> random = stackalloc byte[SessionIds.RandomByteCount];
        RandomNumberGenerator.Fill(random);
        return SessionIds.FromRandomBytes(random);
    }
}
