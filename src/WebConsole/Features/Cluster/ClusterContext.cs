using WebConsole.Drafts;

namespace WebConsole.Features.Cluster;

/// <summary>
/// The tab's cluster context: selected from the draft when the tab attaches to it, remembered in the draft when the
/// user (or joining a session) switches. Every workflow sees the switch through <see cref="ClusterConnection.Changed"/>.
/// </summary>
public sealed class ClusterContext(ClusterConnection connection, WizardState wizard) : IDraftObserver
{
    public void Select(string contextName)
    {
        // MudSelect reports its value again when it re-renders; only a real switch is remembered.
        if (connection.Target?.Name == contextName || !connection.Select(contextName)) return;
        wizard.SetClusterContext(contextName);
    }

    /// <summary>Selects the draft's context (or the kubeconfig's current one).</summary>
    public void Restore()
    {
        if (!connection.Catalog.IsOffline && !connection.Select(wizard.Draft.ClusterContext))
            connection.Select(null);
    }

    void IDraftObserver.Attached() => Restore();
}
