using k8s;
using k8s.KubeConfigModels;

namespace WebConsole.Features.Cluster;

public enum ClusterSource { None, Kubeconfig, InCluster }

public sealed record KubeContextInfo(string Name, string Cluster, string User, string? Namespace, string Server);

/// <summary>
/// The clusters this console can reach: the contexts of the kubeconfig (KUBECONFIG, then ~/.kube/config) or
/// the pod's own service account. With neither, the console runs in offline mode: plan, preview, download.
/// </summary>
public sealed class KubeconfigCatalog
{
    public const string InClusterContextName = "in-cluster";
    private readonly K8SConfiguration? _kubeconfig;

    public KubeconfigCatalog(IConfiguration configuration)
    {
        var kubeconfig = configuration["KUBECONFIG"] ?? Environment.GetEnvironmentVariable("KUBECONFIG");
        var candidates = string.IsNullOrWhiteSpace(kubeconfig)
            ? [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")]
            : kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        KubeconfigPath = candidates.FirstOrDefault(File.Exists);
        if (KubeconfigPath is not null)
        {
            try
            {
                _kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(KubeconfigPath));
                Contexts = (_kubeconfig.Contexts ?? []).Select(c => new KubeContextInfo(
                    c.Name, c.ContextDetails?.Cluster ?? "", c.ContextDetails?.User ?? "", c.ContextDetails?.Namespace,
                    _kubeconfig.Clusters?.FirstOrDefault(k => k.Name == c.ContextDetails?.Cluster)?.ClusterEndpoint?.Server ?? "")).ToList();
                DefaultContext = Contexts.Any(c => c.Name == _kubeconfig.CurrentContext) ? _kubeconfig.CurrentContext : Contexts.FirstOrDefault()?.Name;
                Source = Contexts.Count > 0 ? ClusterSource.Kubeconfig : ClusterSource.None;
                if (Contexts.Count == 0) LoadProblem = "Cluster.KubeconfigHasNoContexts";
            }
            catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or YamlDotNet.Core.YamlException or UnauthorizedAccessException)
            {
                // The message names the file, never its credentials.
                LoadProblem = "Cluster.KubeconfigUnreadable";
                Contexts = [];
            }
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            Source = ClusterSource.InCluster;
            var config = KubernetesClientConfiguration.InClusterConfig();
            Contexts = [new KubeContextInfo(InClusterContextName, "in-cluster", "serviceaccount", config.Namespace, config.Host)];
            DefaultContext = InClusterContextName;
        }
    }

    public ClusterSource Source { get; } = ClusterSource.None;
    public string? KubeconfigPath { get; }
    public IReadOnlyList<KubeContextInfo> Contexts { get; } = [];
    public string? DefaultContext { get; }
    /// <summary>A localizable code when a kubeconfig exists but cannot be used.</summary>
    public string? LoadProblem { get; }
    public bool IsOffline => Source == ClusterSource.None;

    public KubeContextInfo? Find(string? name) => Contexts.FirstOrDefault(c => c.Name == name);

    public KubernetesClientConfiguration ConfigFor(string contextName) => Source switch
    {
        ClusterSource.InCluster => KubernetesClientConfiguration.InClusterConfig(),
        ClusterSource.Kubeconfig => KubernetesClientConfiguration.BuildConfigFromConfigObject(_kubeconfig!, contextName),
        _ => throw new InvalidOperationException("No cluster is configured (offline mode)."),
    };
}
