using MeshConsole.Domain.Cluster;

namespace MeshConsole.Domain.Tests.Cluster;

public sealed class RulesReviewTests
{
    private static readonly AccessRequirement PatchSecrets = new("patch", "", "secrets", "default", "Access.ApplyPlannedObject");

    private static ResourceRule Rule(string verbs, string groups, string resources, string names = "") =>
        new(verbs.Split(','), groups.Split(','), resources.Split(','), names.Length == 0 ? [] : names.Split(','));

    [Theory]
    [InlineData("*", "*", "*", "", true)]
    [InlineData("get,patch", "", "secrets", "", true)]
    [InlineData("get,list", "", "secrets", "", false)]
    [InlineData("patch", "apps", "secrets", "", false)]
    [InlineData("patch", "", "configmaps", "", false)]
    [InlineData("patch", "", "secrets", "lightstep.cacert", false)] // names only some objects: not every object
    public void A_rule_grants_a_requirement_only_for_every_object_of_its_verb_group_and_resource(string verbs, string groups, string resources, string names, bool allowed) =>
        Assert.Equal(allowed, new RulesReview([Rule(verbs, groups, resources, names)], Incomplete: false).Allows(PatchSecrets));

    [Fact]
    public void An_incomplete_review_still_grants_what_it_lists_and_nothing_more()
    {
        var review = new RulesReview([Rule("patch", "", "secrets")], Incomplete: true);

        Assert.True(review.Allows(PatchSecrets));
        Assert.False(review.Allows(PatchSecrets with { Verb = "delete" }));
    }
}
