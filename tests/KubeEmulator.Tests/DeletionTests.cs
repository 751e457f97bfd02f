using System.Net;
using System.Text.Json.Nodes;

namespace KubeEmulator.Tests;

/// <summary>
/// Finalizers and cascading deletion as the Kubernetes documentation describes them
/// (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/,
/// https://kubernetes.io/docs/concepts/architecture/garbage-collection/), seen over raw HTTP on the MidIstio fixture's
/// istiod: Deployment → ReplicaSet → Pod, linked by ownerReferences.
/// </summary>
public class DeletionTests
{
    private const string Istiod = "/apis/apps/v1/namespaces/istio-system/deployments/istiod";

    private static IReadOnlyList<JsonObject> Dependents(TestCluster cluster) =>
        cluster.Emulator.Store.List("apps/v1", "ReplicaSet", "istio-system").Where(r => Name(r).StartsWith("istiod-", StringComparison.Ordinal))
            .Concat(cluster.Emulator.Store.List("v1", "Pod", "istio-system").Where(p => Name(p).StartsWith("istiod-", StringComparison.Ordinal)))
            .ToList();

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    [Fact]
    public async Task Background_is_the_default_the_owner_goes_at_once_and_its_replica_sets_and_pods_follow()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        Assert.Equal(2, Dependents(cluster).Count);

        var deleted = await cluster.RawAsync(HttpMethod.Delete, Istiod);

        Assert.Equal(HttpStatusCode.OK, deleted.Code);
        Assert.Equal("Success", deleted.Json["status"]!.GetValue<string>());
        Assert.Null(cluster.Emulator.Store.Get("apps/v1", "Deployment", "istio-system", "istiod"));
        Assert.Empty(Dependents(cluster));
    }

    [Fact]
    public async Task Foreground_keeps_the_owner_with_the_foregroundDeletion_finalizer_until_its_dependents_are_gone()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        // A dependent held by a finalizer of its own keeps the owner visible, as the docs describe the "deletion in progress" state.
        var pod = Dependents(cluster).Single(d => d["kind"]!.GetValue<string>() == "Pod");
        pod["metadata"]!["finalizers"] = new JsonArray("example.com/drain");
        cluster.Emulator.Store.Put(pod, "drainer", asApply: false);

        var deleted = await cluster.RawAsync(HttpMethod.Delete, Istiod, """{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}""");

        Assert.Equal(HttpStatusCode.Accepted, deleted.Code);
        Assert.Equal("Deployment", deleted.Json["kind"]!.GetValue<string>());
        Assert.NotNull(deleted.Json["metadata"]!["deletionTimestamp"]);
        Assert.Equal(["foregroundDeletion"], deleted.Json["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        var owner = (await cluster.RawAsync(HttpMethod.Get, Istiod)).Json;
        Assert.NotNull(owner["metadata"]!["deletionTimestamp"]);
        // The ReplicaSet is deleted in the foreground too (it has a dependent of its own); both are "deletion in progress".
        Assert.Equal(2, Dependents(cluster).Count);
        Assert.All(Dependents(cluster), d => Assert.NotNull(d["metadata"]!["deletionTimestamp"]));

        var released = cluster.Emulator.Store.Get("v1", "Pod", "istio-system", Name(pod))!;
        released["metadata"]!.AsObject().Remove("finalizers");
        cluster.Emulator.Store.Put(released, "drainer", asApply: false);

        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, Istiod)).Code);
        Assert.Empty(Dependents(cluster));
    }

    [Fact]
    public async Task Orphan_removes_the_owner_and_leaves_its_dependents_without_the_owner_reference()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var deleted = await cluster.RawAsync(HttpMethod.Delete, Istiod + "?propagationPolicy=Orphan");

        Assert.Equal(HttpStatusCode.Accepted, deleted.Code);
        Assert.Equal(["orphan"], deleted.Json["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, Istiod)).Code);
        var replicaSet = Assert.Single(Dependents(cluster), d => d["kind"]!.GetValue<string>() == "ReplicaSet");
        Assert.Null(replicaSet["metadata"]!["ownerReferences"]);
        Assert.Equal(2, Dependents(cluster).Count);
    }

    [Fact]
    public async Task An_orphan_finalizer_already_on_the_object_decides_when_the_delete_names_no_policy_and_an_explicit_policy_overrides_it()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var istiod = cluster.Emulator.Store.Get("apps/v1", "Deployment", "istio-system", "istiod")!;
        istiod["metadata"]!["finalizers"] = new JsonArray("orphan");
        cluster.Emulator.Store.Put(istiod, "policy-agent", asApply: false);
        var dryRun = await cluster.RawAsync(HttpMethod.Delete, Istiod + "?dryRun=All");
        Assert.Equal(HttpStatusCode.Accepted, dryRun.Code);
        Assert.Null(cluster.Emulator.Store.Get("apps/v1", "Deployment", "istio-system", "istiod")!["metadata"]!["deletionTimestamp"]);

        var background = await cluster.RawAsync(HttpMethod.Delete, Istiod, """{"propagationPolicy":"Background"}""");

        Assert.Equal(HttpStatusCode.OK, background.Code);
        Assert.Empty(Dependents(cluster));
    }

    [Fact]
    public async Task A_finalizer_keeps_a_deleted_object_readable_until_it_is_removed()
    {
        await using var cluster = await TestCluster.StartAsync();
        const string path = "/api/v1/namespaces/default/configmaps/guarded";
        var created = await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"guarded","finalizers":["example.com/keep"]},"data":{"k":"v"}}""");
        Assert.Equal(HttpStatusCode.Created, created.Code);

        var deleted = await cluster.RawAsync(HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.Accepted, deleted.Code);
        var live = await cluster.RawAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, live.Code);
        Assert.NotNull(live.Json["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.Conflict, (await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"guarded"}}""")).Code);

        var released = await cluster.RawAsync(HttpMethod.Patch, path, """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, released.Code);
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, path)).Code);
    }

    [Fact]
    public async Task An_unknown_propagation_policy_is_422()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var refused = await cluster.RawAsync(HttpMethod.Delete, Istiod, """{"propagationPolicy":"Eventually"}""");

        Assert.Equal((HttpStatusCode)422, refused.Code);
        Assert.Equal("propagationPolicy", refused.Json["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.NotNull(cluster.Emulator.Store.Get("apps/v1", "Deployment", "istio-system", "istiod"));
    }

    [Fact]
    public async Task A_namespace_stays_Terminating_while_an_object_in_it_keeps_a_finalizer()
    {
        await using var cluster = await TestCluster.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces",
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-b"}}""")).Code);
        Assert.Equal(HttpStatusCode.Created, (await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/team-b/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"guarded","finalizers":["example.com/keep"]}}""")).Code);
        Assert.Equal(HttpStatusCode.Created, (await cluster.RawAsync(HttpMethod.Post, "/api/v1/namespaces/team-b/configmaps",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"plain"}}""")).Code);

        Assert.Equal(HttpStatusCode.OK, (await cluster.RawAsync(HttpMethod.Delete, "/api/v1/namespaces/team-b")).Code);

        var ns = await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces/team-b");
        Assert.Equal("Terminating", ns.Json["status"]!["phase"]!.GetValue<string>());
        var conditions = ns.Json["status"]!["conditions"]!.AsArray().OfType<JsonObject>().ToDictionary(c => c["type"]!.GetValue<string>(), c => c["message"]!.GetValue<string>());
        Assert.Equal("Some resources are remaining: configmaps has 1 resource instances", conditions["NamespaceContentRemaining"]);
        Assert.Equal("Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances", conditions["NamespaceFinalizersRemaining"]);
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces/team-b/configmaps/plain")).Code);
        var guarded = await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces/team-b/configmaps/guarded");
        Assert.NotNull(guarded.Json["metadata"]!["deletionTimestamp"]);

        Assert.Equal(HttpStatusCode.OK, (await cluster.RawAsync(HttpMethod.Patch, "/api/v1/namespaces/team-b/configmaps/guarded",
            """{"metadata":{"finalizers":null}}""", "application/merge-patch+json")).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await cluster.RawAsync(HttpMethod.Get, "/api/v1/namespaces/team-b")).Code);
    }
}
