using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace WebConsole.Features.Cluster;

/// <summary>The result of one cluster call: a value, or a failure the UI can explain.</summary>
public readonly record struct ClusterResult<T>(T? Value, ClusterFailure? Failure)
{
    public bool Succeeded => Failure is null;
    public static implicit operator ClusterResult<T>(T value) => new(value, null);
    public static ClusterResult<T> Failed(ClusterFailure failure) => new(default, failure);
}

/// <summary>
/// Every request the console makes to a cluster goes through here: bounded retries with backoff for 429, 5xx,
/// timeouts and dropped connections; every failure turned into a <see cref="ClusterFailure"/> with the
/// sensitive values (the access token) masked out of server messages.
/// </summary>
/// <remarks>
/// Every write names <paramref name="fieldManager"/>: one per part of the console (<see cref="FieldManagers"/>), so that
/// no part's server-side apply removes fields another part applied to the same object.
/// </remarks>
public sealed class KubeGateway(IKubernetes client, IReadOnlyList<string> sensitiveValues, TimeSpan? attemptTimeout = null, int maxRetries = 3,
    TimeSpan? retryAfterCap = null, string fieldManager = FieldManagers.Mesh)
{
    /// <summary>The field manager this gateway's creates, applies, replaces and patches name.</summary>
    public string FieldManager => fieldManager;

    /// <summary>The same cluster, retries and masking, writing under <paramref name="manager"/>; its retry waits are raised here too.</summary>
    public KubeGateway WithFieldManager(string manager)
    {
        if (manager == fieldManager) return this;
        var other = new KubeGateway(client, sensitiveValues, attemptTimeout, maxRetries, retryAfterCap, manager);
        other.Waiting += wait => Waiting?.Invoke(wait);
        return other;
    }

    /// <summary>The longest wait a Retry-After (429, or a 5xx) can impose on one retry; a longer ask is cut to this.</summary>
    public static readonly TimeSpan DefaultRetryAfterCap = TimeSpan.FromSeconds(30);

    private ResiliencePipeline? _pipeline;

    /// <summary>Raised before each retry that waits because the server asked (Retry-After on a 429 or 5xx), with the wait.</summary>
    public event Action<RetryWait>? Waiting;

    private static readonly AsyncLocal<WaitTally?> CurrentTally = new();

    /// <summary>
    /// From here on in the calling async flow, the server-requested waits of this flow's calls are added to the
    /// returned tally (how a per-object result says how long it was throttled).
    /// </summary>
    public static WaitTally TallyWaits() => CurrentTally.Value = new WaitTally();

    /// <summary>Retries (none when <paramref name="maxRetries"/> is 0) around a timeout per attempt.</summary>
    private ResiliencePipeline Pipeline => _pipeline ??= BuildPipeline(attemptTimeout ?? TimeSpan.FromSeconds(15), maxRetries);

    private ResiliencePipeline BuildPipeline(TimeSpan timeout, int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        var builder = new ResiliencePipelineBuilder();
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => Classify(e, []) is { IsRetryable: true }),
                // A 429 says how long to stay away (Retry-After, as kube-apiserver's max-in-flight and priority-and-fairness
                // filters send it); retrying sooner only earns another 429. So may a 5xx: a ServerTimeout "should set the
                // Retry-After HTTP header and return retryAfterSeconds", and the header takes priority over the Status field
                // (kubernetes/community api-conventions.md, "Response Status Kind"). Without one, exponential backoff, as the
                // conventions suggest for 500/503/504. Capped so a broken server cannot stall a run.
                DelayGenerator = args => ValueTask.FromResult(ServerAskedDelay(args.Outcome.Exception) is { } asked
                    ? (TimeSpan?)(asked > (retryAfterCap ?? DefaultRetryAfterCap) ? retryAfterCap ?? DefaultRetryAfterCap : asked)
                    : null),
                OnRetry = args =>
                {
                    if (ServerAskedDelay(args.Outcome.Exception) is { } asked)
                    {
                        CurrentTally.Value?.Add(args.RetryDelay);
                        Waiting?.Invoke(new RetryWait(args.RetryDelay, asked, args.AttemptNumber + 1));
                    }
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.AddTimeout(timeout).Build();
    }

    /// <summary>
    /// The wait a 429 or a retryable 5xx asked for: its Retry-After header (seconds or an HTTP date), else the Status'
    /// details.retryAfterSeconds.
    /// </summary>
    private static TimeSpan? ServerAskedDelay(Exception? e)
    {
        if (e is not HttpOperationException { Response: { } response }) return null;
        var code = (int)response.StatusCode;
        if (code != 429 && (code < 500 || code > 599 || code == 501)) return null;
        if (response.Headers is { } headers && headers.TryGetValue("Retry-After", out var values) && values.FirstOrDefault() is { } value)
        {
            // "Retry-After: 0" on a 5xx is the conventions' default, no ask: exponential backoff then.
            if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                return seconds == 0 && code != 429 ? null : TimeSpan.FromSeconds(seconds);
            if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
                return at > DateTimeOffset.UtcNow ? at - DateTimeOffset.UtcNow : TimeSpan.Zero;
        }
        return RetryAfterSeconds(response.Content) is > 0 and var asked ? TimeSpan.FromSeconds(asked) : null;
    }

    private static int RetryAfterSeconds(string? statusBody)
    {
        try
        {
            return JsonNode.Parse(statusBody ?? "")?["details"]?["retryAfterSeconds"] is JsonValue value && value.TryGetValue<int>(out var seconds) ? seconds : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    public IKubernetes Client => client;

    public Task<ClusterResult<string>> ServerVersionAsync(CancellationToken ct) =>
        RunAsync(async token => (await client.Version.GetCodeAsync(token)).GitVersion, ct);

    /// <summary>The object, or null when it does not exist.</summary>
    public Task<ClusterResult<JsonObject?>> GetAsync(ResourceRef target, CancellationToken ct) => RunAsync<JsonObject?>(async token =>
    {
        try
        {
            return ToJson(await OperationsFor(target).Read(target, token));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }, ct);

    /// <summary>Server-side apply with this gateway's field manager; with <paramref name="dryRun"/> nothing is stored.</summary>
    public Task<ClusterResult<JsonObject>> ApplyAsync(JsonObject desired, bool dryRun, bool force, CancellationToken ct)
    {
        var target = ResourceRef.Of(desired);
        var patch = new V1Patch(desired.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        return RunAsync(async token => ToJson(await OperationsFor(target).Apply(target, patch, dryRun ? "All" : null, force, token)), ct);
    }

    /// <summary>A plain create (POST): fails with <see cref="ClusterFailureKind.AlreadyExists"/> when the object exists, which makes it a claim only one caller wins.</summary>
    public Task<ClusterResult<JsonObject>> CreateAsync(JsonObject obj, CancellationToken ct)
    {
        var target = ResourceRef.Of(obj);
        return RunAsync(async token => ToJson(await OperationsFor(target).Create(target, obj.ToJsonString(), token)), ct);
    }

    /// <summary>Replaces the whole object (undo restores exactly what was there, under the current resourceVersion).</summary>
    public Task<ClusterResult<JsonObject>> ReplaceAsync(JsonObject replacement, CancellationToken ct) => ReplaceAsync(replacement, dryRun: false, ct);

    /// <summary>
    /// A whole-object replace (PUT); with <paramref name="dryRun"/> the server validates, authorizes and checks the
    /// resourceVersion but stores nothing, and answers with what it would have stored
    /// (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run: "dryRun=All" on PUT as on every mutating verb).
    /// </summary>
    public Task<ClusterResult<JsonObject>> ReplaceAsync(JsonObject replacement, bool dryRun, CancellationToken ct)
    {
        var target = ResourceRef.Of(replacement);
        return RunAsync(async token => ToJson(await OperationsFor(target).Replace(target, replacement.ToJsonString(), dryRun ? "All" : null, token)), ct);
    }

    /// <summary>Deletes the object; true when it existed.</summary>
    public Task<ClusterResult<bool>> DeleteAsync(ResourceRef target, CancellationToken ct) => DeleteAsync(target, precondition: null, ct);

    /// <summary>
    /// Deletes the object only while it is still the one <paramref name="precondition"/> describes (same uid and
    /// resourceVersion): otherwise <see cref="ClusterFailureKind.Conflict"/>. True when it existed.
    /// </summary>
    public Task<ClusterResult<bool>> DeleteAsync(ResourceRef target, DeletePrecondition? precondition, CancellationToken ct) => RunAsync(async token =>
    {
        var options = new V1DeleteOptions
        {
            // Named, not left to the server: without a policy, an "orphan" finalizer already on the object (or the
            // resource's own default) decides, and a Deployment the console created would leave its ReplicaSets and Pods
            // behind. Background removes the object now and its dependents right after, so a re-apply of the same name
            // never lands on an object that is still being deleted (as Foreground's would)
            // (https://kubernetes.io/docs/concepts/architecture/garbage-collection/#cascading-deletion; DeleteOptions:
            // "The default policy is decided by the existing finalizer set in the metadata.finalizers and the
            // resource-specific default policy").
            PropagationPolicy = "Background",
            Preconditions = precondition is null ? null : new V1Preconditions { Uid = precondition.Uid, ResourceVersion = precondition.ResourceVersion },
        };
        try
        {
            await DeleteObjectAsync(target, options, token);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }, ct);

    public Task<ClusterResult<IReadOnlyList<V1Service>>> ListServicesAsync(string? ns, string? labelSelector, CancellationToken ct) =>
        RunAsync<IReadOnlyList<V1Service>>(async token => ns is null
            ? (await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: token)).Items.ToList()
            : (await client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: labelSelector, cancellationToken: token)).Items.ToList(), ct);

    public Task<ClusterResult<IReadOnlyList<V1Node>>> ListNodesAsync(CancellationToken ct) =>
        RunAsync<IReadOnlyList<V1Node>>(async token => (await client.CoreV1.ListNodeAsync(cancellationToken: token)).Items.ToList(), ct);

    public Task<ClusterResult<IReadOnlyList<Corev1Event>>> ListEventsAsync(string ns, CancellationToken ct) =>
        RunAsync<IReadOnlyList<Corev1Event>>(async token =>
            (await client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: token)).Items.ToList(), ct);

    public Task<ClusterResult<IReadOnlyList<V1Deployment>>> ListDeploymentsAsync(string? ns, string? labelSelector, CancellationToken ct) =>
        RunAsync<IReadOnlyList<V1Deployment>>(async token => ns is null
            ? (await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: token)).Items.ToList()
            : (await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: labelSelector, cancellationToken: token)).Items.ToList(), ct);

    public Task<ClusterResult<IReadOnlyList<V1ConfigMap>>> ListConfigMapsAsync(string ns, string? labelSelector, CancellationToken ct) =>
        RunAsync<IReadOnlyList<V1ConfigMap>>(async token =>
            (await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: labelSelector, cancellationToken: token)).Items.ToList(), ct);

    public Task<ClusterResult<IReadOnlyList<V1Secret>>> ListSecretsAsync(string ns, string? labelSelector, CancellationToken ct) =>
        RunAsync<IReadOnlyList<V1Secret>>(async token =>
            (await client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: labelSelector, cancellationToken: token)).Items.ToList(), ct);

    public Task<ClusterResult<IReadOnlyList<V1Pod>>> ListPodsAsync(string ns, CancellationToken ct) =>
        RunAsync<IReadOnlyList<V1Pod>>(async token =>
            (await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: token)).Items.ToList(), ct);

    /// <summary>The custom objects of a kind in one namespace; an empty list when the API group is not served (no Istio).</summary>
    public Task<ClusterResult<IReadOnlyList<JsonObject>>> ListCustomAsync(string group, string version, string ns, string plural, CancellationToken ct) =>
        RunAsync<IReadOnlyList<JsonObject>>(async token =>
        {
            try
            {
                var list = ToJson(await client.CustomObjects.ListNamespacedCustomObjectAsync(group, version, ns, plural, cancellationToken: token));
                return list["items"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return [];
            }
        }, ct);

    public Task<ClusterResult<V1Deployment>> MergePatchDeploymentAsync(string ns, string name, string patchJson, CancellationToken ct) =>
        RunAsync(token => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patchJson, V1Patch.PatchType.MergePatch), name, ns,
            fieldManager: FieldManagers.Restart, cancellationToken: token), ct);

    /// <summary>
    /// One SelfSubjectAccessReview. A resource written as RBAC and <c>kubectl auth can-i</c> write a subresource
    /// ("services/proxy") is sent as resource and subresource; <paramref name="name"/> narrows it to one object.
    /// </summary>
    public Task<ClusterResult<bool>> IsAllowedAsync(AccessRequirement requirement, CancellationToken ct, string? name = null) => RunAsync(async token =>
    {
        var slash = requirement.Resource.IndexOf('/');
        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = requirement.Verb, Group = requirement.Group, NamespaceProperty = requirement.Namespace, Name = name,
                    Resource = slash < 0 ? requirement.Resource : requirement.Resource[..slash],
                    Subresource = slash < 0 ? null : requirement.Resource[(slash + 1)..],
                },
            },
        }, cancellationToken: token);
        return review.Status?.Allowed == true;
    }, ct);

    /// <summary>What the user may do in <paramref name="ns"/>: one SelfSubjectRulesReview, as <c>kubectl auth can-i --list</c> asks.</summary>
    public Task<ClusterResult<RulesReview>> RulesReviewAsync(string ns, CancellationToken ct) => RunAsync(async token =>
    {
        var review = await client.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(new V1SelfSubjectRulesReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectRulesReview",
            Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = ns },
        }, cancellationToken: token);
        var rules = review.Status?.ResourceRules?.Select(r => new ResourceRule(
            r.Verbs?.ToList() ?? [], r.ApiGroups?.ToList() ?? [], r.Resources?.ToList() ?? [], r.ResourceNames?.ToList() ?? [])).ToList() ?? [];
        return new RulesReview(rules, review.Status?.Incomplete ?? true);
    }, ct);

    /// <summary>How each kind is read, created, applied and replaced (every kind is deleted alike: <see cref="DeleteObjectAsync"/>).</summary>
    private sealed record KindOperations(
        Func<ResourceRef, CancellationToken, Task<object>> Read,
        Func<ResourceRef, string, CancellationToken, Task<object>> Create,
        Func<ResourceRef, V1Patch, string?, bool, CancellationToken, Task<object>> Apply,
        Func<ResourceRef, string, string?, CancellationToken, Task<object>> Replace);

    private KindOperations OperationsFor(ResourceRef target) =>
        Operations.TryGetValue(target.Kind, out var typed) ? typed : CustomObjectOperations;

    private Dictionary<string, KindOperations>? _operations;

    /// <summary>The built-in kinds the console manages, each through its typed client methods.</summary>
    private Dictionary<string, KindOperations> Operations => _operations ??= new(StringComparer.Ordinal)
    {
        ["Secret"] = Namespaced<V1Secret>(
            (n, ns, t) => client.CoreV1.ReadNamespacedSecretAsync(n, ns, cancellationToken: t),
            (o, ns, t) => client.CoreV1.CreateNamespacedSecretAsync(o, ns, fieldManager: Manager, cancellationToken: t),
            (p, n, ns, d, f, t) => client.CoreV1.PatchNamespacedSecretAsync(p, n, ns, dryRun: d, fieldManager: Manager, force: f, cancellationToken: t),
            (o, n, ns, d, t) => client.CoreV1.ReplaceNamespacedSecretAsync(o, n, ns, dryRun: d, fieldManager: Manager, cancellationToken: t)),
        ["ConfigMap"] = Namespaced<V1ConfigMap>(
            (n, ns, t) => client.CoreV1.ReadNamespacedConfigMapAsync(n, ns, cancellationToken: t),
            (o, ns, t) => client.CoreV1.CreateNamespacedConfigMapAsync(o, ns, fieldManager: Manager, cancellationToken: t),
            (p, n, ns, d, f, t) => client.CoreV1.PatchNamespacedConfigMapAsync(p, n, ns, dryRun: d, fieldManager: Manager, force: f, cancellationToken: t),
            (o, n, ns, d, t) => client.CoreV1.ReplaceNamespacedConfigMapAsync(o, n, ns, dryRun: d, fieldManager: Manager, cancellationToken: t)),
        ["ServiceAccount"] = Namespaced<V1ServiceAccount>(
            (n, ns, t) => client.CoreV1.ReadNamespacedServiceAccountAsync(n, ns, cancellationToken: t),
            (o, ns, t) => client.CoreV1.CreateNamespacedServiceAccountAsync(o, ns, fieldManager: Manager, cancellationToken: t),
            (p, n, ns, d, f, t) => client.CoreV1.PatchNamespacedServiceAccountAsync(p, n, ns, dryRun: d, fieldManager: Manager, force: f, cancellationToken: t),
            (o, n, ns, d, t) => client.CoreV1.ReplaceNamespacedServiceAccountAsync(o, n, ns, dryRun: d, fieldManager: Manager, cancellationToken: t)),
        ["Service"] = Namespaced<V1Service>(
            (n, ns, t) => client.CoreV1.ReadNamespacedServiceAsync(n, ns, cancellationToken: t),
            (o, ns, t) => client.CoreV1.CreateNamespacedServiceAsync(o, ns, fieldManager: Manager, cancellationToken: t),
            (p, n, ns, d, f, t) => client.CoreV1.PatchNamespacedServiceAsync(p, n, ns, dryRun: d, fieldManager: Manager, force: f, cancellationToken: t),
            (o, n, ns, d, t) => client.CoreV1.ReplaceNamespacedServiceAsync(o, n, ns, dryRun: d, fieldManager: Manager, cancellationToken: t)),
        ["Deployment"] = Namespaced<V1Deployment>(
            (n, ns, t) => client.AppsV1.ReadNamespacedDeploymentAsync(n, ns, cancellationToken: t),
            (o, ns, t) => client.AppsV1.CreateNamespacedDeploymentAsync(o, ns, fieldManager: Manager, cancellationToken: t),
            (p, n, ns, d, f, t) => client.AppsV1.PatchNamespacedDeploymentAsync(p, n, ns, dryRun: d, fieldManager: Manager, force: f, cancellationToken: t),
            (o, n, ns, d, t) => client.AppsV1.ReplaceNamespacedDeploymentAsync(o, n, ns, dryRun: d, fieldManager: Manager, cancellationToken: t)),
        ["Namespace"] = new(
            async (r, t) => await client.CoreV1.ReadNamespaceAsync(r.Name, cancellationToken: t),
            async (r, json, t) => await client.CoreV1.CreateNamespaceAsync(KubernetesJson.Deserialize<V1Namespace>(json), fieldManager: Manager, cancellationToken: t),
            async (r, p, d, f, t) => await client.CoreV1.PatchNamespaceAsync(p, r.Name, dryRun: d, fieldManager: Manager, force: f, cancellationToken: t),
            async (r, json, d, t) => await client.CoreV1.ReplaceNamespaceAsync(KubernetesJson.Deserialize<V1Namespace>(json), r.Name, dryRun: d, fieldManager: Manager, cancellationToken: t)),
    };

    private string Manager => fieldManager;

    private static KindOperations Namespaced<T>(
        Func<string, string, CancellationToken, Task<T>> read,
        Func<T, string, CancellationToken, Task<T>> create,
        Func<V1Patch, string, string, string?, bool, CancellationToken, Task<T>> apply,
        Func<T, string, string, string?, CancellationToken, Task<T>> replace) where T : class => new(
        async (r, t) => await read(r.Name, r.Namespace!, t),
        async (r, json, t) => await create(KubernetesJson.Deserialize<T>(json), r.Namespace!, t),
        async (r, p, d, f, t) => await apply(p, r.Name, r.Namespace!, d, f, t),
        async (r, json, d, t) => await replace(KubernetesJson.Deserialize<T>(json), r.Name, r.Namespace!, d, t));

    private KindOperations? _customObjectOperations;

    /// <summary>Every other kind is an Istio custom resource, reached through the custom objects API.</summary>
    private KindOperations CustomObjectOperations => _customObjectOperations ??= new(
        (r, t) => client.CustomObjects.GetNamespacedCustomObjectAsync(r.Group, r.Version, r.Namespace, r.Plural, r.Name, t),
        (r, json, t) => client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonSerializer.Deserialize<JsonElement>(json),
            r.Group, r.Version, r.Namespace, r.Plural, fieldManager: Manager, cancellationToken: t),
        (r, p, d, f, t) => client.CustomObjects.PatchNamespacedCustomObjectAsync(p, r.Group, r.Version, r.Namespace, r.Plural, r.Name,
            dryRun: d, fieldManager: Manager, force: f, cancellationToken: t),
        (r, json, d, t) => client.CustomObjects.ReplaceNamespacedCustomObjectAsync(JsonSerializer.Deserialize<JsonElement>(json),
            r.Group, r.Version, r.Namespace, r.Plural, r.Name, dryRun: d, fieldManager: Manager, cancellationToken: t));

    // A DELETE answers with a Status, or with the object itself whenever it is not gone yet: a namespace (phase
    // Terminating), and any object that keeps finalizers, which "returns a 202 status code" with the object
    // (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/). The typed methods expect one of the
    // two (kubernetes/kubernetes#69970, kubernetes-client/csharp#1154); the custom-object route (what the generic client
    // uses, group "" meaning the core API) reads either as what it is and still sends the delete options.
    private async Task DeleteObjectAsync(ResourceRef target, V1DeleteOptions options, CancellationToken ct)
    {
        using var response = target.Namespace is null
            ? await client.CustomObjects.DeleteClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
                target.Group, target.Version, target.Plural, target.Name, body: options, cancellationToken: ct)
            : await client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(
                target.Group, target.Version, target.Namespace, target.Plural, target.Name, body: options, cancellationToken: ct);
    }

    private async Task<ClusterResult<T>> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await Pipeline.ExecuteAsync(async token => await call(token), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && Classify(e, sensitiveValues) is { } failure)
        {
            return ClusterResult<T>.Failed(failure);
        }
    }

    private static ClusterFailure? Classify(Exception e, IReadOnlyList<string> sensitive) => e switch
    {
        HttpOperationException http => ClusterFailure.FromStatus((int)http.Response.StatusCode, http.Response.Content, sensitive),
        TimeoutRejectedException or TaskCanceledException => ClusterFailure.Timeout(),
        HttpRequestException request => ClusterFailure.ConnectionLost(request.HttpRequestError.ToString()),
        IOException io => ClusterFailure.ConnectionLost(io.GetType().Name),
        _ => null,
    };

    public static JsonObject ToJson(object value) => value switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        _ => JsonNode.Parse(KubernetesJson.Serialize(value))!.AsObject(),
    };
}

/// <summary>One wait before a retry that the server asked for: how long the console waits, what the server asked, which retry follows (1 = the first).</summary>
public sealed record RetryWait(TimeSpan Delay, TimeSpan Asked, int Retry)
{
    public bool Capped => Delay < Asked;
}

/// <summary>The server-requested waits in one async flow (see <see cref="KubeGateway.TallyWaits"/>).</summary>
public sealed class WaitTally
{
    private long _ticks;

    public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public void Add(TimeSpan wait) => Interlocked.Add(ref _ticks, wait.Ticks);
}

/// <summary>What a delete insists on: the object must still have this uid and resourceVersion (null: not checked).</summary>
public sealed record DeletePrecondition(string? Uid, string? ResourceVersion)
{
    /// <summary>Exactly the object as it was read.</summary>
    public static DeletePrecondition Of(JsonObject live) =>
        new((string?)live["metadata"]?["uid"], (string?)live["metadata"]?["resourceVersion"]);
}
