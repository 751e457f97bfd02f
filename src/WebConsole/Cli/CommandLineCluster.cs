using MeshConsole.Domain.Security;
using WebConsole.Features.Access;
using WebConsole.Features.Cluster;
using WebConsole.Features.Localization;

namespace WebConsole.Cli;

/// <summary>How every command-line verb reaches a cluster: the kubeconfig context it names, through the one cluster operation pipeline.</summary>
internal static class CommandLineCluster
{
    /// <summary>
    /// The connection to <paramref name="context"/> (the kubeconfig's current one when null), or null after one line on
    /// stderr naming --context. The target line goes to <paramref name="targetOut"/>: stdout for the verbs that change the
    /// cluster, stderr where stdout is reserved for the verb's own result.
    /// </summary>
    public static ClusterConnection? Connect(IConfiguration configuration, string? context, ConsoleText text, TextWriter stderr, TextWriter targetOut)
    {
        var catalog = new KubeconfigCatalog(configuration);
        if (catalog.IsOffline)
        {
            stderr.WriteLine("--context: " + text[catalog.LoadProblem ?? "Cli.NoKubeconfig"]);
            return null;
        }
        var connection = new ClusterConnection(catalog);
        if (!connection.Select(context))
        {
            stderr.WriteLine("--context: " + text.Format("Cli.UnknownContext", context ?? "", string.Join(", ", catalog.Contexts.Select(c => c.Name))));
            connection.Dispose();
            return null;
        }
        targetOut.WriteLine(text.Format("Cluster.TargetLine", connection.Target!.Name, connection.Target.Server, connection.Target.Cluster));
        return connection;
    }

    /// <summary>The pipeline for a verb, recording as the operating-system user and saying on stderr when a request waits before its retry.</summary>
    public static ClusterOperations Operations(ClusterConnection connection, IAuditLog audit, SensitiveValues sensitive, ConsoleText text, TextWriter stderr)
    {
        var operations = new ClusterOperations(connection, TimeProvider.System, audit, new CommandLineUser(), () => sensitive);
        operations.Waiting += wait =>
            stderr.WriteLine(text.Format("Cli.ThrottledWaiting", Math.Round(wait.Delay.TotalSeconds, 1), Math.Round(wait.Asked.TotalSeconds, 1), wait.Retry));
        return operations;
    }
}
