namespace MeshConsole.Domain.Cluster;

/// <summary>One rule of a SelfSubjectRulesReview's status.resourceRules (authorization.k8s.io/v1 ResourceRule).</summary>
public sealed record ResourceRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> ResourceNames);

/// <summary>
/// What a SelfSubjectRulesReview answered for one namespace. Per the Kubernetes API reference, the list "may be incomplete
/// depending on the server's authorization mode" and is meant for UIs to reason about permissions, while
/// SelfSubjectAccessReview is the authoritative answer: so rules only ever say yes; a requirement no rule covers (or any
/// requirement when the review is incomplete and says no) is asked with a SelfSubjectAccessReview.
/// </summary>
public sealed record RulesReview(IReadOnlyList<ResourceRule> Rules, bool Incomplete)
{
    /// <summary>A rule grants the requirement for every object: its verb, group and resource match ("*" matches all) and it names no resourceNames.</summary>
    public bool Allows(AccessRequirement requirement) => Rules.Any(rule =>
        rule.ResourceNames.Count == 0
        && Matches(rule.Verbs, requirement.Verb)
        && Matches(rule.ApiGroups, requirement.Group)
        && Matches(rule.Resources, requirement.Resource));

    private static bool Matches(IReadOnlyList<string> values, string wanted) => values.Contains("*") || values.Contains(wanted);
}
