using System.Net;

namespace KubeEmulator.Tests;

/// <summary>
/// resourceVersion and resourceVersionMatch on lists, as https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
/// describes them.
/// </summary>
public class ResourceVersionTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private static Task<RawResponse> Create(TestCluster cluster, string name) =>
        cluster.RawAsync(HttpMethod.Post, ConfigMaps, $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"}}""");

    private static string[] Names(RawResponse list) =>
        list.Json["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Where(n => n != "kube-root-ca.crt").ToArray();

    [Fact]
    public async Task Exact_serves_the_list_as_it_was_and_410_once_that_state_is_compacted()
    {
        await using var cluster = await TestCluster.StartAsync();
        await Create(cluster, "before");
        var then = cluster.Emulator.Store.ResourceVersion;
        await Create(cluster, "after");
        await cluster.RawAsync(HttpMethod.Delete, ConfigMaps + "/before");

        var exact = await cluster.RawAsync(HttpMethod.Get, $"{ConfigMaps}?resourceVersion={then}&resourceVersionMatch=Exact");
        var notOlder = await cluster.RawAsync(HttpMethod.Get, $"{ConfigMaps}?resourceVersion={then}&resourceVersionMatch=NotOlderThan");

        Assert.Equal(HttpStatusCode.OK, exact.Code);
        Assert.Equal(["before"], Names(exact));
        Assert.Equal(then.ToString(System.Globalization.CultureInfo.InvariantCulture), exact.Json["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(["after"], Names(notOlder));

        cluster.Emulator.Store.CompactHistory();
        var gone = await cluster.RawAsync(HttpMethod.Get, $"{ConfigMaps}?resourceVersion={then}&resourceVersionMatch=Exact");
        Assert.Equal(HttpStatusCode.Gone, gone.Code);
        Assert.Equal("Expired", gone.Json["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resource_version_the_server_has_not_reached_is_a_504_with_Retry_After()
    {
        await using var cluster = await TestCluster.StartAsync();
        var ahead = cluster.Emulator.Store.ResourceVersion + 100;

        var response = await cluster.RawAsync(HttpMethod.Get, $"{ConfigMaps}?resourceVersion={ahead}");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.Code);
        Assert.Equal("1", response.RetryAfter);
        Assert.Equal("ResourceVersionTooLarge", response.Json["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("resourceVersionMatch=Exact", "resourceVersionMatch")]
    [InlineData("resourceVersion=0&resourceVersionMatch=Exact", "resourceVersionMatch")]
    [InlineData("resourceVersion=5&resourceVersionMatch=Newest", "resourceVersionMatch")]
    public async Task Invalid_list_options_are_422(string query, string field)
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.RawAsync(HttpMethod.Get, $"{ConfigMaps}?{query}");

        Assert.Equal((HttpStatusCode)422, response.Code);
        Assert.Equal(field, response.Json["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }
}
