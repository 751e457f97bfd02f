using System.Net;
using System.Text.Json.Nodes;

namespace KubeEmulator.Tests;

/// <summary>Watches as https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes describes them.</summary>
public class WatchTests
{
    private static async Task<List<JsonObject>> WatchAsync(TestCluster cluster, string query, int expected, Func<Task>? meanwhile = null)
    {
        using var http = new HttpClient { BaseAddress = cluster.Emulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/configmaps?watch=true&" + query);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", KubeApiEmulator.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<JsonObject>();
        var started = false;
        while (events.Count < expected && await reader.ReadLineAsync() is { } line)
        {
            events.Add(JsonNode.Parse(line)!.AsObject());
            if (!started && meanwhile is not null && events.Count >= 1)
            {
                started = true;
                await meanwhile();
            }
        }

        return events;
    }

    private static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    private static string Name(JsonObject e) => e["object"]!["metadata"]!["name"]!.GetValue<string>();

    private static Task Create(TestCluster cluster, string name, string labels = "{}") =>
        cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","labels":{{{labels}}}},"data":{"k":"v"}}""");

    [Fact]
    public async Task A_watch_without_resource_version_starts_with_the_current_objects_then_streams_changes()
    {
        await using var cluster = await TestCluster.StartAsync();
        await Create(cluster, "first");

        var events = await WatchAsync(cluster, "timeoutSeconds=10", 4, async () =>
        {
            await cluster.RawAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/first", """{"data":{"k":"w"}}""", "application/merge-patch+json");
            await cluster.RawAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/first");
        });

        Assert.Equal(["ADDED", "ADDED", "MODIFIED", "DELETED"], events.Select(Type));
        Assert.Equal(["first", "kube-root-ca.crt", "first", "first"], events.Select(Name));
        Assert.Equal("ConfigMap", events[2]["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("w", events[2]["object"]!["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watch_from_a_resource_version_replays_what_changed_after_it_through_the_label_selector()
    {
        await using var cluster = await TestCluster.StartAsync();
        var since = cluster.Emulator.Store.ResourceVersion;
        await Create(cluster, "mine", """{"team":"a"}""");
        await Create(cluster, "theirs", """{"team":"b"}""");

        var events = await WatchAsync(cluster, $"resourceVersion={since}&labelSelector=team%3Da&timeoutSeconds=10", 1);

        Assert.Equal("mine", Name(Assert.Single(events)));
        Assert.Equal("ADDED", Type(events[0]));
    }

    [Fact]
    public async Task A_quiet_watch_with_bookmarks_allowed_gets_a_bookmark_with_the_current_resource_version()
    {
        await using var cluster = await TestCluster.StartAsync();
        var now = cluster.Emulator.Store.ResourceVersion;

        var events = await WatchAsync(cluster, $"resourceVersion={now}&allowWatchBookmarks=true&timeoutSeconds=10", 1);

        var bookmark = Assert.Single(events);
        Assert.Equal("BOOKMARK", Type(bookmark));
        Assert.Equal(now.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_is_410_Gone()
    {
        await using var cluster = await TestCluster.StartAsync();
        var old = cluster.Emulator.Store.ResourceVersion;
        await Create(cluster, "later");
        cluster.Emulator.Store.CompactHistory();

        var gone = await cluster.RawAsync(HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={old}");

        Assert.Equal(HttpStatusCode.Gone, gone.Code);
        Assert.Equal("Expired", gone.Json["reason"]!.GetValue<string>());
    }
}
