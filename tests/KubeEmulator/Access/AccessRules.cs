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
    /// including cluster-scoped requests).
    /// </summary>
    public void Deny(string verb, string resource, string? group = "", string? ns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(verb);
        ArgumentException.ThrowIfNullOrEmpty(resource);
        lock (_gate)
        {
            _denied.Add(new DenyRule(verb, resource, group, ns));
        }
    }

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

    internal bool IsAllowed(string verb, string group, string resource, string? subresource, string? ns)
    {
        var fullResource = string.IsNullOrEmpty(subresource) ? resource : $"{resource}/{subresource}";
        lock (_gate)
        {
            // system:basic-user lets every authenticated user create SelfSubjectAccessReviews.
            var basic = verb == "create" && group == "authorization.k8s.io" && fullResource == "selfsubjectaccessreviews";
            if (_grantedOnly is { } granted && !basic && !granted.Contains((verb, group, fullResource, ns)) && !granted.Contains((verb, group, fullResource, null)))
                return false;
            return !_denied.Any(rule => rule.Matches(verb, group, fullResource, ns));
        }
    }

    /// <summary>The reason part of kube-apiserver's Forbidden message.</summary>
    internal static string ForbiddenReason(string verb, string group, string resource, string? subresource, string? ns)
    {
        var fullResource = string.IsNullOrEmpty(subresource) ? resource : $"{resource}/{subresource}";
        var scope = string.IsNullOrEmpty(ns) ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        return $"User \"{UserName}\" cannot {verb} resource \"{fullResource}\" in API group \"{group}\" {scope}";
    }

    private sealed record DenyRule(string Verb, string Resource, string? Group, string? Namespace)
    {
        public bool Matches(string verb, string group, string resource, string? ns) =>
            (Verb == "*" || Verb == verb)
            && (Resource == "*" || Resource == resource)
            && (Group is null || Group == "*" || Group == group)
            && (Namespace is null || Namespace == ns);
    }
}
