using System.Text.Json.Nodes;

namespace KubeEmulator;

/// <summary>
/// What the emulated user ("emulator-user") may do. Everything is allowed until <see cref="Deny"/> is called.
/// Denied requests get 403 Forbidden with kube-apiserver's RBAC message, and SelfSubjectAccessReviews answer
/// from the same rules.
/// </summary>
public sealed class AccessRules
{
    public const string UserName = "emulator-user";

    private readonly object _gate = new();
    private readonly List<DenyRule> _denied = [];
    private HashSet<(string Verb, string Group, string Resource, string? Namespace)>? _grantedOnly;

    /// <summary>
    /// Denies <paramref name="verb"/> (get, list, watch, create, update, patch, delete, deletecollection, or "*")
    /// on <paramref name="resource"/> (plural, e.g. "secrets"; "pods/log" for a subresource; "*" for all) in API group
    /// <paramref name="group"/> ("" = core; null = any group), in namespace <paramref name="ns"/> (null = everywhere,
    /// including cluster-scoped requests), for the object named <paramref name="name"/> only (null = every name; as
    /// RBAC's resourceNames, a name only restricts requests that carry one in their path or review).
    /// </summary>
    public void Deny(string verb, string resource, string? group = "", string? ns = null, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(verb);
        ArgumentException.ThrowIfNullOrEmpty(resource);
        lock (_gate)
        {
            _denied.Add(new DenyRule(verb, resource, group, ns, name));
        }
    }

    /// <summary>
    /// SelfSubjectRulesReviews answer <c>status.incomplete: true</c> with an evaluationError, as when an authorizer in the
    /// chain (e.g. a webhook) cannot list rules: clients must then ask SelfSubjectAccessReviews for what the rules omit.
    /// </summary>
    public bool RulesReviewIncomplete { get; set; }

    /// <summary>
    /// Allows only <paramref name="grants"/>, as RBAC does: a grant with a namespace holds in that namespace (a Role and
    /// its RoleBinding), one without holds in every namespace and at the cluster scope (a ClusterRole bound cluster-wide).
    /// Creating a SelfSubjectAccessReview stays allowed, as for every authenticated user. Deny rules still apply.
    /// </summary>
    public void AllowOnly(IEnumerable<(string Verb, string Group, string Resource, string? Namespace)> grants)
    {
        lock (_gate)
        {
            _grantedOnly = [.. grants];
        }
    }

    /// <summary>Removes every deny rule and grant list (the default state).</summary>
    public void AllowAll()
    {
        lock (_gate)
        {
            _denied.Clear();
            _grantedOnly = null;
        }
    }

    internal bool IsAllowed(string verb, string group, string resource, string? subresource, string? ns, string? name = null)
    {
        var fullResource = string.IsNullOrEmpty(subresource) ? resource : $"{resource}/{subresource}";
        lock (_gate)
        {
            // system:basic-user lets every authenticated user create SelfSubjectAccessReviews and SelfSubjectRulesReviews.
            var basic = verb == "create" && group == "authorization.k8s.io" && fullResource is "selfsubjectaccessreviews" or "selfsubjectrulesreviews";
            if (_grantedOnly is { } granted && !basic && !granted.Contains((verb, group, fullResource, ns)) && !granted.Contains((verb, group, fullResource, null)))
                return false;
            return !_denied.Any(rule => rule.Matches(verb, group, fullResource, ns, name));
        }
    }

    /// <summary>
    /// The status of a SelfSubjectRulesReview in <paramref name="ns"/> (authorization.k8s.io/v1 SubjectRulesReviewStatus):
    /// resourceRules with the verbs allowed on every name of each served resource (a verb denied for one name only is
    /// left out, as RBAC rules cannot say "every name but one"), system:discovery's nonResourceRules, and incomplete.
    /// </summary>
    internal JsonObject RulesReview(string ns, IEnumerable<(string Group, string Plural, bool Namespaced, IReadOnlyList<string> Verbs)> types)
    {
        var rules = new JsonArray();
        lock (_gate)
        {
            if (_denied.Count == 0 && _grantedOnly is null)
            {
                rules.Add(Rule(["*"], "*", "*"));
            }
            else
            {
                foreach (var type in types)
                {
                    var scope = type.Namespaced ? ns : null;
                    var verbs = type.Verbs.Where(v => IsAllowed(v, type.Group, type.Plural, null, scope)
                        && !_denied.Any(d => d.Name is not null && d.Matches(v, type.Group, type.Plural, scope, d.Name))).ToList();
                    if (verbs.Count > 0) rules.Add(Rule(verbs, type.Group, type.Plural));
                }
            }
        }

        var status = new JsonObject
        {
            ["resourceRules"] = rules,
            ["nonResourceRules"] = new JsonArray(new JsonObject
            {
                ["verbs"] = new JsonArray("get"),
                ["nonResourceURLs"] = new JsonArray("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"),
            }),
            ["incomplete"] = RulesReviewIncomplete,
        };
        if (RulesReviewIncomplete) status["evaluationError"] = "webhook authorizer does not support user rule resolution";
        return status;
    }

    private static JsonObject Rule(IEnumerable<string> verbs, string group, string resource) => new()
    {
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
        ["apiGroups"] = new JsonArray(group),
        ["resources"] = new JsonArray(resource),
    };

    /// <summary>The reason part of kube-apiserver's Forbidden message.</summary>
    internal static string ForbiddenReason(string verb, string group, string resource, string? subresource, string? ns)
    {
        var fullResource = string.IsNullOrEmpty(subresource) ? resource : $"{resource}/{subresource}";
        var scope = string.IsNullOrEmpty(ns) ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        return $"User \"{UserName}\" cannot {verb} resource \"{fullResource}\" in API group \"{group}\" {scope}";
    }

    private sealed record DenyRule(string Verb, string Resource, string? Group, string? Namespace, string? Name)
    {
        public bool Matches(string verb, string group, string resource, string? ns, string? name) =>
            (Verb == "*" || Verb == verb)
            && (Resource == "*" || Resource == resource)
            && (Group is null || Group == "*" || Group == group)
            && (Namespace is null || Namespace == ns)
            && (Name is null || Name == name);
    }
}
