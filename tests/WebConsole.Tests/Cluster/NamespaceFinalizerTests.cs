using System.Text.Json.Nodes;
using KubeEmulator;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>
/// A namespace the console deletes stays Terminating while an object in it keeps a finalizer; the namespace controller
/// says which in the namespace's NamespaceFinalizersRemaining condition, and the console passes that on.
/// </summary>
public sealed class NamespaceFinalizerTests
{
    [Fact]
    public async Task A_namespace_held_by_an_objects_finalizer_is_reported_with_that_finalizer()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.NoIstio);
        cluster.Emulator.Store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = "bookinfo-carol" },
        });
        cluster.Emulator.Store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "backup-state", ["namespace"] = "bookinfo-carol", ["finalizers"] = new JsonArray("backup.example.com/snapshot") },
        });
        var termination = new NamespaceTermination(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50));

        var failure = await termination.DeleteAndWaitAsync(cluster.Gateway, "bookinfo-carol", TimeProvider.System, default);

        Assert.NotNull(failure);
        Assert.Equal("Cluster.NamespaceHeldByFinalizers", failure!.Code);
        Assert.Equal(["bookinfo-carol", "1", "backup.example.com/snapshot in 1 resource instances"], failure.Arguments.Select(a => a.ToString()));
        Assert.Equal("Terminating", (string?)cluster.Emulator.Store.Get("v1", "Namespace", null, "bookinfo-carol")!["status"]!["phase"]);

        // Once the backup controller lets go, the same wait ends with the namespace gone.
        var held = cluster.Emulator.Store.Get("v1", "ConfigMap", "bookinfo-carol", "backup-state")!;
        held["metadata"]!.AsObject().Remove("finalizers");
        cluster.Emulator.Store.Put(held, "backup-controller", asApply: false);
        Assert.Null(await termination.WaitUntilGoneAsync(cluster.Gateway, "bookinfo-carol", TimeProvider.System, default));
    }
}
