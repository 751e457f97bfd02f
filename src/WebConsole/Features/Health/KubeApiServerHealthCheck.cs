using k8s;
using MeshConsole.Domain.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebConsole.Features.Cluster;

namespace WebConsole.Features.Health;

/// <summary>
/// Ready when no cluster is configured (offline mode is a working state) or when the default context's API server
/// answers <c>/version</c> within <see cref="Budget"/>. Descriptions name the context and the kind of failure only:
/// never a server message, a credential or a kubeconfig path.
/// </summary>
public sealed class KubeApiServerHealthCheck(KubeconfigCatalog catalog) : IHealthCheck, IDisposable
{
    public const string Name = "kube-apiserver";
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private KubeGateway? _gateway;
    private Kubernetes? _client;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (catalog.IsOffline)
            return catalog.LoadProblem switch
            {
                null => HealthCheckResult.Healthy("offline: no cluster configured"),
                "Cluster.KubeconfigHasNoContexts" => HealthCheckResult.Unhealthy("the kubeconfig has no contexts"),
                _ => HealthCheckResult.Unhealthy("the kubeconfig cannot be read"),
            };

        var contextName = catalog.DefaultContext!;
        KubeGateway gateway;
        try
        {
            gateway = Gateway(contextName);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // e.g. an exec credential plugin that is not installed, or certificate data that does not parse.
            return HealthCheckResult.Unhealthy($"context {contextName}: no client can be built ({e.GetType().Name})");
        }

        var timeout = $"context {contextName}: the API server did not answer /version within {Budget.TotalSeconds:0} s";
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        ClusterResult<string> version;
        try
        {
            version = await gateway.ServerVersionAsync(budget.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(timeout);
        }
        if (version.Succeeded)
            return HealthCheckResult.Healthy($"context {contextName}: API server {version.Value}");
        var failure = version.Failure!;
        return HealthCheckResult.Unhealthy(failure.Kind switch
        {
            ClusterFailureKind.Timeout => timeout,
            ClusterFailureKind.ConnectionLost => $"context {contextName}: the API server cannot be reached",
            _ => $"context {contextName}: the API server answered /version with HTTP {failure.HttpStatus}",
        });
    }

    // One client for the process: a probe every few seconds must not open a new connection pool each time.
    private KubeGateway Gateway(string contextName)
    {
        lock (_gate)
        {
            if (_gateway is null)
            {
                _client = new Kubernetes(catalog.ConfigFor(contextName));
                // One quick retry for a refused connection or a 5xx; the budget above bounds the whole call.
                _gateway = new KubeGateway(_client, [], attemptTimeout: Budget, maxRetries: 1);
            }
            return _gateway;
        }
    }

    public void Dispose() => _client?.Dispose();
}
