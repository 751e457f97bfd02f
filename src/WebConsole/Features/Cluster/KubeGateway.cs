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
public sealed class KubeGateway(IKubernetes client, IReadOnlyList<string> sensitiveValues, TimeSpan? attemptTimeout = null, int maxRetries = 3)
{
    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => Classify(e, []) is { IsRetryable: true }),
        })
        .AddTimeout(attemptTimeout ?? TimeSpan.FromSeconds(15))
        .Build();

    public IKubernetes Client => client;

    public Task<ClusterResult<string>> ServerVersionAsync(CancellationToken ct) =>
        RunAsync(async token => (await client.Version.GetCodeAsync(token)).GitVersion, ct);

    /// <summary>The object, or null when it does not exist.</summary>
    public Task<ClusterResult<JsonObject?>> GetAsync(ResourceRef target, CancellationToken ct) => RunAsync<JsonObject?>(async token =>
    {
        try
        {
            return target.Kind switch
            {
                "Secret" => ToJson(await client.CoreV1.ReadNamespacedSecretAsync(target.Name, target.Namespace, cancellationToken: token)),
                "ConfigMap" => ToJson(await client.CoreV1.ReadNamespacedConfigMapAsync(target.Name, target.Namespace, cancellationToken: token)),
                "Deployment" => ToJson(await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, target.Namespace, cancellationToken: token)),
                "Namespace" => ToJson(await client.CoreV1.ReadNamespaceAsync(target.Name, cancellationToken: token)),
                _ => ToJson(await client.CustomObjects.GetNamespacedCustomObjectAsync(
                    target.Group, target.Version, target.Namespace, target.Plural, target.Name, token)),
            };
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }, ct);

    /// <summary>Server-side apply with the console's field manager; with <paramref name="dryRun"/> nothing is stored.</summary>
    public Task<ClusterResult<JsonObject>> ApplyAsync(JsonObject desired, bool dryRun, bool force, CancellationToken ct)
    {
        var target = ResourceRef.Of(desired);
        var patch = new V1Patch(desired.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        var dryRunValue = dryRun ? "All" : null;
        return RunAsync(async token => target.Kind switch
        {
            "Secret" => ToJson(await client.CoreV1.PatchNamespacedSecretAsync(patch, target.Name, target.Namespace,
                dryRun: dryRunValue, fieldManager: PlanBuilder.FieldManager, force: force, cancellationToken: token)),
            "ConfigMap" => ToJson(await client.CoreV1.PatchNamespacedConfigMapAsync(patch, target.Name, target.Namespace,
                dryRun: dryRunValue, fieldManager: PlanBuilder.FieldManager, force: force, cancellationToken: token)),
            _ => ToJson(await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, target.Group, target.Version,
                target.Namespace, target.Plural, target.Name, dryRun: dryRunValue, fieldManager: PlanBuilder.FieldManager,
                force: force, cancellationToken: token)),
        }, ct);
    }

    /// <summary>Replaces the whole object (undo restores exactly what was there, under the current resourceVersion).</summary>
    public Task<ClusterResult<JsonObject>> ReplaceAsync(JsonObject replacement, CancellationToken ct)
    {
        var target = ResourceRef.Of(replacement);
        return RunAsync(async token => target.Kind switch
        {
            "Secret" => ToJson(await client.CoreV1.ReplaceNamespacedSecretAsync(
                KubernetesJson.Deserialize<V1Secret>(replacement.ToJsonString()), target.Name, target.Namespace,
                fieldManager: PlanBuilder.FieldManager, cancellationToken: token)),
            "ConfigMap" => ToJson(await client.CoreV1.ReplaceNamespacedConfigMapAsync(
                KubernetesJson.Deserialize<V1ConfigMap>(replacement.ToJsonString()), target.Name, target.Namespace,
                fieldManager: PlanBuilder.FieldManager, cancellationToken: token)),
            _ => ToJson(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
                JsonSerializer.Deserialize<JsonElement>(replacement.ToJsonString()), target.Group, target.Version,
                target.Namespace, target.Plural, target.Name, fieldManager: PlanBuilder.FieldManager, cancellationToken: token)),
        }, ct);
    }

    /// <summary>Deletes the object; true when it existed.</summary>
    public Task<ClusterResult<bool>> DeleteAsync(ResourceRef target, CancellationToken ct) => RunAsync(async token =>
    {
        try
        {
            switch (target.Kind)
            {
                case "Secret":
                    await client.CoreV1.DeleteNamespacedSecretAsync(target.Name, target.Namespace, cancellationToken: token);
                    break;
                case "ConfigMap":
                    await client.CoreV1.DeleteNamespacedConfigMapAsync(target.Name, target.Namespace, cancellationToken: token);
                    break;
                default:
                    await client.CustomObjects.DeleteNamespacedCustomObjectAsync(target.Group, target.Version, target.Namespace,
                        target.Plural, target.Name, cancellationToken: token);
                    break;
            }
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }, ct);

    public Task<ClusterResult<IReadOnlyList<V1Deployment>>> ListDeploymentsAsync(string? ns, string? labelSelector, CancellationToken ct) =>
        RunAsync<IReadOnlyList<V1Deployment>>(async token => ns is null
            ? (await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: token)).Items.ToList()
            : (await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: labelSelector, cancellationToken: token)).Items.ToList(), ct);

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
            fieldManager: PlanBuilder.FieldManager, cancellationToken: token), ct);

    public Task<ClusterResult<bool>> IsAllowedAsync(AccessRequirement requirement, CancellationToken ct) => RunAsync(async token =>
    {
        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectAccessReview",
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = requirement.Verb, Group = requirement.Group, Resource = requirement.Resource, NamespaceProperty = requirement.Namespace,
                },
            },
        }, cancellationToken: token);
        return review.Status?.Allowed == true;
    }, ct);

    private async Task<ClusterResult<T>> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await call(token), ct);
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
