using KubeEmulator;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Cluster;

/// <summary>Preflight asks one SelfSubjectRulesReview per namespace and a SelfSubjectAccessReview only where the rules do not grant.</summary>
public sealed class PermissionCheckTests
{
    private static int Count(KubeApiEmulator emulator, string reviews) => emulator.Requests.Count(r => r.Path.EndsWith("/" + reviews));

    [Fact]
    public async Task When_everything_is_allowed_one_rules_review_per_namespace_answers_every_permission()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3", "default", "kube-public"));
        var requirements = ClusterRequirements.For(plan, IstioApplyTarget.MeshConfigMaps);

        var checks = await cluster.Preflight().CheckAccessAsync(requirements, default);

        Assert.All(checks, c => Assert.True(c.Allowed));
        Assert.Equal(requirements.Select(r => r.Namespace).OfType<string>().Distinct().Count(), Count(cluster.Emulator, "selfsubjectrulesreviews"));
        Assert.Equal(requirements.Count(r => r.Namespace is null), Count(cluster.Emulator, "selfsubjectaccessreviews"));
    }

    [Fact]
    public async Task A_permission_the_rules_do_not_grant_is_asked_with_an_access_review_and_reported_denied()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("patch", "secrets", "", "default");
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));
        var requirements = ClusterRequirements.For(plan, IstioApplyTarget.MeshConfigMaps);

        var checks = await cluster.Preflight().CheckAccessAsync(requirements, default);

        var denied = Assert.Single(checks, c => !c.Allowed);
        Assert.Equal(("patch", "secrets", "default"), (denied.Requirement.Verb, denied.Requirement.Resource, denied.Requirement.Namespace));
        Assert.Equal(requirements.Count(r => r.Namespace is null || r is { Verb: "patch", Resource: "secrets", Namespace: "default" }),
            Count(cluster.Emulator, "selfsubjectaccessreviews"));
    }

    [Fact]
    public async Task An_incomplete_rules_review_still_grants_what_it_lists_and_access_reviews_decide_the_rest()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.RulesReviewIncomplete = true;
        cluster.Emulator.Access.Deny("get", "configmaps", "", "istio-system");
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));

        var report = await cluster.Preflight().RunAsync(plan, default);

        var denied = Assert.Single(report.Denied);
        Assert.Equal(("get", "configmaps", "istio-system"), (denied.Requirement.Verb, denied.Requirement.Resource, denied.Requirement.Namespace));
        Assert.False(report.CanApply);
    }

    [Fact]
    public async Task Without_rules_reviews_every_permission_is_one_access_review()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var plan = PlanBuilder.Build(EmulatedCluster.Input("1.14.3"));
        var requirements = ClusterRequirements.For(plan, IstioApplyTarget.MeshConfigMaps);

        var checks = await new Preflight(cluster.Gateway, cluster.Clock, rulesReviewFirst: false).CheckAccessAsync(requirements, default);

        Assert.All(checks, c => Assert.True(c.Allowed));
        Assert.Equal(0, Count(cluster.Emulator, "selfsubjectrulesreviews"));
        Assert.Equal(requirements.Count, Count(cluster.Emulator, "selfsubjectaccessreviews"));
    }
}
