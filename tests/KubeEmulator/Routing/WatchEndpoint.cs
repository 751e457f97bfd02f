using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Errors;
using KubeEmulator.Json;
using KubeEmulator.Storage;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>
/// <c>?watch=true</c> on a collection (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes):
/// a stream of one JSON event per line, <c>{"type":"ADDED|MODIFIED|DELETED|BOOKMARK","object":{…}}</c>.
/// <list type="bullet">
/// <item>resourceVersion unset or "0": ADDED for every matching object first, then the changes after that
/// (the "Get State and Start at Most Recent" / "Start at Any" semantics).</item>
/// <item>resourceVersion N: the changes after N; N older than the kept history (<see cref="EmulatorStore.CompactHistory"/>)
/// is 410 Gone, reason Expired, and the client must list again.</item>
/// <item>allowWatchBookmarks=true: a BOOKMARK (an object of the kind with only metadata.resourceVersion) whenever the
/// watch has been quiet for <see cref="BookmarkInterval"/>.</item>
/// <item>timeoutSeconds ends the stream (default 1800 s); so does the client closing it.</item>
/// </list>
/// Selectors filter on each event's object: a change that moves an object out of the selection is not sent as
/// DELETED (kube-apiserver does), and one that moves it in is a MODIFIED, not an ADDED.
/// </summary>
internal sealed class WatchEndpoint(EmulatorStore store)
{
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(1);

    public async Task HandleAsync(HttpContext context, ResourceType type, string version, string? ns)
    {
        var request = context.Request;
        var labels = LabelSelector.Parse(request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(request.Query["fieldSelector"]);
        var bookmarks = request.Query["allowWatchBookmarks"].ToString() is "true" or "1";
        var timeout = int.TryParse(request.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(1800);
        var requested = request.Query["resourceVersion"].ToString();

        long cursor;
        var initial = new List<JsonObject>();
        lock (store.Gate)
        {
            if (requested is "" or "0")
            {
                cursor = store.ResourceVersion;
                initial.AddRange(store.ReadAll(type, ns).Where(o => labels.Matches(o) && fields.Matches(o))
                    .Select(o => Event("ADDED", EmulatorStore.View(o, type, version))));
            }
            else if (!long.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out cursor))
            {
                throw ApiException.BadRequest($"invalid resource version: {requested}");
            }
            else if (cursor < store.CompactedThrough)
            {
                throw new ApiException(410, "Expired", $"too old resource version: {cursor} ({store.CompactedThrough})", new JsonObject());
            }
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var ct = context.RequestAborted;
        var deadline = DateTimeOffset.UtcNow + timeout;
        foreach (var added in initial)
        {
            await WriteAsync(context, added, ct);
        }

        await context.Response.Body.FlushAsync(ct);
        while (DateTimeOffset.UtcNow < deadline && !ct.IsCancellationRequested)
        {
            List<EmulatorStore.WatchEvent> changes;
            Task next;
            store.RunControllers();
            lock (store.Gate)
            {
                changes = store.ChangesAfter(cursor, type, ns).ToList();
                next = store.NextChange;
                if (changes.Count > 0)
                {
                    cursor = changes[^1].ResourceVersion;
                }
                else
                {
                    cursor = Math.Max(cursor, store.ResourceVersion);
                }
            }

            foreach (var change in changes.Where(c => labels.Matches(c.Object) && fields.Matches(c.Object)))
            {
                await WriteAsync(context, Event(change.Type, EmulatorStore.View(change.Object, type, version)), ct);
            }

            if (changes.Count > 0)
            {
                await context.Response.Body.FlushAsync(ct);
                continue;
            }

            var wait = Min(BookmarkInterval, deadline - DateTimeOffset.UtcNow);
            if (wait <= TimeSpan.Zero) break;
            var woke = await Task.WhenAny(next, Task.Delay(wait, ct)) == next;
            if (!woke && bookmarks && !ct.IsCancellationRequested)
            {
                await WriteAsync(context, Event("BOOKMARK", new JsonObject
                {
                    ["kind"] = type.Kind,
                    ["apiVersion"] = type.ApiVersionFor(version),
                    ["metadata"] = new JsonObject { ["resourceVersion"] = cursor.ToString(CultureInfo.InvariantCulture) },
                }), ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static JsonObject Event(string type, JsonObject obj) => new() { ["type"] = type, ["object"] = obj };

    private static async Task WriteAsync(HttpContext context, JsonObject evt, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonTools.ToWire(evt) + "\n");
        await context.Response.Body.WriteAsync(bytes, ct);
    }
}
