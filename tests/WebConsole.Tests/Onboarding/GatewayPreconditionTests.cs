using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Onboarding;

/// <summary>The gateway calls the onboarding services rely on: claims by plain create, deletes of exactly the object that was read.</summary>
public sealed class GatewayPreconditionTests
{
    [Theory]
    [InlineData("ConfigMap")]
    [InlineData("Namespace")]
    public async Task A_delete_under_a_precondition_never_removes_a_newer_object_of_the_same_name(string kind)
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var gateway = cluster.Cluster.Gateway;
        var obj = kind == "Namespace"
            ? new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "bookinfo-alice" } }
            : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "claim", ["namespace"] = "default" } };
        var first = (await gateway.CreateAsync(obj, default)).Value!;
        var duplicate = await gateway.CreateAsync(obj, default);
        await gateway.DeleteAsync(ResourceRef.Of(obj), default);
        var second = (await gateway.CreateAsync(obj, default)).Value!;

        var stale = await gateway.DeleteAsync(ResourceRef.Of(obj), DeletePrecondition.Of(first), default);
        var stillThere = (await gateway.GetAsync(ResourceRef.Of(obj), default)).Value;
        var current = await gateway.DeleteAsync(ResourceRef.Of(obj), DeletePrecondition.Of(second), default);

        Assert.Equal(ClusterFailureKind.AlreadyExists, duplicate.Failure?.Kind);
        Assert.Equal(ClusterFailureKind.Conflict, stale.Failure?.Kind);
        Assert.Equal((string?)second["metadata"]!["uid"], (string?)stillThere?["metadata"]?["uid"]);
        Assert.True(current.Value);
        Assert.Null((await gateway.GetAsync(ResourceRef.Of(obj), default)).Value);
    }

    [Fact]
    public async Task Config_maps_and_secrets_are_listed_by_label_selector()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var gateway = cluster.Cluster.Gateway;
        foreach (var (kind, name, role) in new[] { ("ConfigMap", "a", "x"), ("ConfigMap", "b", "y"), ("Secret", "c", "x"), ("Secret", "d", "y") })
        {
            var created = await gateway.CreateAsync(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = kind,
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["role"] = role } },
            }, default);
            Assert.True(created.Succeeded, created.Failure?.ToString());
        }

        Assert.Equal(["a"], (await gateway.ListConfigMapsAsync("default", "role=x", default)).Value!.Select(c => c.Metadata.Name));
        Assert.Equal(["d"], (await gateway.ListSecretsAsync("default", "role=y", default)).Value!.Select(s => s.Metadata.Name));
    }
}
