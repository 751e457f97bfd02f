using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Cluster;

/// <summary>
/// The collector route's OpenTelemetry Collector on the cluster: its Deployment's rollout and, where the console may use
/// the API server's service proxy, the collector's own health endpoint. Read-only.
/// </summary>
public sealed class CollectorReadinessReader(KubeGateway gateway)
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(5);

    /// <returns>Null when the plan does not use the collector route.</returns>
    public async Task<ClusterResult<CollectorReadiness>?> ReadAsync(Plan plan, CancellationToken ct)
    {
        if (CollectorNames.DeploymentIn(plan) is not { Namespace: { } ns } planned) return null;
        var deployment = await gateway.GetAsync(new ResourceRef("apps/v1", "Deployment", ns, planned.Name), ct);
        if (!deployment.Succeeded) return ClusterResult<CollectorReadiness>.Failed(deployment.Failure!);
        var rollout = CollectorReadiness.From(ns, planned.Name, deployment.Value, CollectorHealth.NotChecked);
        if (!rollout.Found || rollout.Ready == 0) return rollout;

        var (health, detail) = await HealthAsync(ns, ct);
        return CollectorReadiness.From(ns, planned.Name, deployment.Value, health, detail);
    }

    /// <summary>
    /// GET /api/v1/namespaces/{ns}/services/{service}:{port}/proxy/ (verb get on services/proxy), asked for only after a
    /// SelfSubjectAccessReview allows it, so a console without that permission makes no refused request.
    /// </summary>
    private async Task<(CollectorHealth, string)> HealthAsync(string ns, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HealthTimeout);
        try
        {
            var allowed = await gateway.IsAllowedAsync(
                new AccessRequirement("get", "", "services/proxy", ns, "Access.MeshChecks"), timeout.Token, name: CollectorNames.Service);
            if (allowed.Failure is { } failure) return (CollectorHealth.Unhealthy, $"{failure.HttpStatus} {FirstLine(failure.ServerMessage)}".Trim());
            if (!allowed.Value) return (CollectorHealth.NotPermitted, "");

            using var response = await gateway.Client.CoreV1.ConnectGetNamespacedServiceProxyWithPathWithHttpMessagesAsync(
                $"{CollectorNames.Service}:{CollectorNames.HealthPort}", ns, CollectorNames.HealthPath.TrimStart('/'), cancellationToken: timeout.Token);
            using var reader = new StreamReader(response.Body);
            return (CollectorHealth.Healthy, FirstLine(await reader.ReadToEndAsync(timeout.Token)));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.NotFound)
        {
            // 503 from the API server: no ready endpoint behind the Service (or the collector itself reports unavailable).
            return (e.Response.Content?.Contains("no endpoints available", StringComparison.Ordinal) == true || e.Response.StatusCode != HttpStatusCode.ServiceUnavailable
                ? CollectorHealth.Unreachable : CollectorHealth.Unhealthy, FirstLine(e.Response.Content));
        }
        catch (HttpOperationException e)
        {
            return (CollectorHealth.Unhealthy, $"{(int)e.Response.StatusCode} {FirstLine(e.Response.Content)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (CollectorHealth.Unreachable, $"no answer within {HealthTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return (CollectorHealth.Unreachable, e.Message);
        }
    }

    private static string FirstLine(string? text)
    {
        var line = (text ?? "").Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }
}
