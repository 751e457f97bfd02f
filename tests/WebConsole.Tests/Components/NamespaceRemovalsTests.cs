using Bunit;
using MeshConsole.Domain.Cluster;
using WebConsole.Features.Onboarding;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>What the facilitator reads about each participant namespace after ending a session.</summary>
public sealed class NamespaceRemovalsTests : ConsoleTestContext
{
    [Fact]
    public void A_namespace_still_terminating_reads_as_deletion_started_with_what_to_do_not_as_not_deleted()
    {
        var cut = Render<NamespaceRemovals>(p => p.Add(c => c.Removals,
        [
            new NamespaceRemoval("bookinfo-alice", true, null),
            new NamespaceRemoval("bookinfo-bob", false, ClusterFailure.StillTerminating("bookinfo-bob", TimeSpan.FromMinutes(2))),
            new NamespaceRemoval("bookinfo-carol", false, null),
        ]));

        var rows = cut.FindAll("tr.namespace-removal");
        Assert.Contains("deleted", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("deletion started, still Terminating", rows[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("not deleted", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Namespace bookinfo-bob was deleted but is still Terminating after 120 s", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("kubectl get namespace bookinfo-bob -o yaml", rows[1].TextContent, StringComparison.Ordinal);
    }
}
