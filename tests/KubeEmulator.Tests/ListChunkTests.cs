using System.Net;
using k8s;
using k8s.Models;

namespace KubeEmulator.Tests;

/// <summary>
/// limit and continue as https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
/// describes them, through KubernetesClient.
/// </summary>
public class ListChunkTests
{
    [Fact]
    public async Task A_limited_list_comes_in_chunks_with_continue_and_the_first_chunks_resource_version()
    {
        await using var cluster = await TestCluster.StartAsync();
        var core = cluster.Client.CoreV1;
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await core.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["set"] = "chunk" } } }, "default");
        }

        var first = await core.ListNamespacedConfigMapAsync("default", limit: 2);
        Assert.Equal(["a", "b"], first.Items.Select(c => c.Metadata.Name));
        Assert.NotNull(first.Metadata.ContinueProperty);
        Assert.Equal(4, first.Metadata.RemainingItemCount); // c, d, e, kube-root-ca.crt

        await core.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "f" } }, "default");
        var second = await core.ListNamespacedConfigMapAsync("default", limit: 3, continueParameter: first.Metadata.ContinueProperty);
        Assert.Equal(["c", "d", "e"], second.Items.Select(c => c.Metadata.Name));
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);

        var last = await core.ListNamespacedConfigMapAsync("default", limit: 3, continueParameter: second.Metadata.ContinueProperty);
        Assert.Equal(["f", "kube-root-ca.crt"], last.Items.Select(c => c.Metadata.Name));
        Assert.Null(last.Metadata.ContinueProperty);
        Assert.Null(last.Metadata.RemainingItemCount);

        var selected = await core.ListNamespacedConfigMapAsync("default", labelSelector: "set=chunk", limit: 4);
        Assert.Equal(4, selected.Items.Count);
        Assert.NotNull(selected.Metadata.ContinueProperty);
        Assert.Null(selected.Metadata.RemainingItemCount); // unknown with a selector

        Assert.Equal(7, (await core.ListNamespacedConfigMapAsync("default")).Items.Count);
    }

    [Fact]
    public async Task A_continue_token_this_server_did_not_issue_is_400()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?limit=1&continue=not-a-token");

        Assert.Equal(HttpStatusCode.BadRequest, response.Code);
    }
}
