using k8s;

namespace WebConsole.Features.Cluster;

/// <summary>The cluster one user works against: the chosen context and a client for it.</summary>
public sealed class ClusterConnection(KubeconfigCatalog catalog) : IDisposable
{
    private Kubernetes? _client;

    public KubeconfigCatalog Catalog => catalog;
    public KubeContextInfo? Target { get; private set; }
    public bool IsConnected => Target is not null;
    public event Action? Changed;

    /// <summary>Selects a context (or the default one for null); returns false when it does not exist.</summary>
    public bool Select(string? contextName)
    {
        var target = catalog.Find(contextName ?? catalog.DefaultContext);
        if (target is null) return false;
        if (target == Target) return true;
        _client?.Dispose();
        _client = null;
        Target = target;
        Changed?.Invoke();
        return true;
    }

    public IKubernetes Client => _client ??= new Kubernetes(catalog.ConfigFor(
        Target?.Name ?? throw new InvalidOperationException("No cluster context is selected.")));

    public void Dispose() => _client?.Dispose();
}
