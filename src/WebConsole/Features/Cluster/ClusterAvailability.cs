using k8s;

namespace WebConsole.Features.Cluster;

public enum ClusterSource { None, Kubeconfig, InCluster }

/// <summary>
/// Whether there is any cluster to talk to. Without one the console runs in offline mode: plan, preview and
/// download only. Cluster actions themselves arrive with the cluster feature; until then they stay disabled.
/// </summary>
public sealed class ClusterAvailability
{
    public ClusterAvailability(IConfiguration configuration)
    {
        var kubeconfig = configuration["KUBECONFIG"] ?? Environment.GetEnvironmentVariable("KUBECONFIG");
        var candidates = string.IsNullOrWhiteSpace(kubeconfig)
            ? [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")]
            : kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        KubeconfigPath = candidates.FirstOrDefault(File.Exists);
        Source = KubeconfigPath is not null ? ClusterSource.Kubeconfig
            : KubernetesClientConfiguration.IsInCluster() ? ClusterSource.InCluster
            : ClusterSource.None;
    }

    public ClusterSource Source { get; }
    public string? KubeconfigPath { get; }
    public bool IsOffline => Source == ClusterSource.None;
    /// <summary>Applying, Bookinfo and cleanup are not part of this build; they stay disabled even with a cluster.</summary>
    public bool ClusterActionsAvailable => false;
}
