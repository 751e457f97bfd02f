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

    /// <summary>Removes every deny rule (the default state).</summary>
    public void AllowAll()
    {
        lock (_gate)
        {
            _denied.Clear();
        }
    }

    internal bool IsAllowed(string verb, string group, string resource, string? subresource, string? ns)
    {
        var fullResource = string.IsNullOrEmpty(subresource) ? resource : $"{resource}/{subresource}";
        lock (_gate)
        {
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
