namespace KubeEmulator.Routing;

/// <summary>What a request path addresses.</summary>
internal abstract record ApiPath
{
    /// <summary>/version, /healthz, /livez, /readyz, /openapi/v2, /openapi/v3[...]</summary>
    public sealed record NonResource(string Path) : ApiPath;

    /// <summary>/api</summary>
    public sealed record CoreVersions : ApiPath;

    /// <summary>/apis</summary>
    public sealed record GroupList : ApiPath;

    /// <summary>/apis/{group}</summary>
    public sealed record ApiGroup(string Name) : ApiPath;

    /// <summary>/api/v1 or /apis/{group}/{version}</summary>
    public sealed record ResourceList(string Group, string Version) : ApiPath;

    /// <summary>
    /// A resource collection or object:
    /// <c>{prefix}/{resource}[/{name}[/{subresource}]]</c> or <c>{prefix}/namespaces/{ns}/{resource}[/{name}[/{subresource}]]</c>
    /// with prefix /api/v1 or /apis/{group}/{version}.
    /// </summary>
    public sealed record Resource(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource) : ApiPath;

    /// <summary>Parses a request path; null when it is not an API path at all.</summary>
    /// <param name="isNamespacedResource">Tells whether (group, version, plural) is a served namespaced resource;
    /// used to tell /api/v1/namespaces/{ns}/{resource} from /api/v1/namespaces/{name}/{subresource}.</param>
    public static ApiPath? Parse(string path, Func<string, string, string, bool> isNamespacedResource)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length == 0)
        {
            return null;
        }

        switch (segments[0])
        {
            case "version" or "healthz" or "livez" or "readyz" or "openapi":
                return new NonResource("/" + string.Join('/', segments));
            case "api":
                return segments.Length switch
                {
                    1 => new CoreVersions(),
                    2 => new ResourceList(string.Empty, segments[1]),
                    _ => ParseResource(string.Empty, segments[1], segments[2..], isNamespacedResource),
                };
            case "apis":
                return segments.Length switch
                {
                    1 => new GroupList(),
                    2 => new ApiGroup(segments[1]),
                    3 => new ResourceList(segments[1], segments[2]),
                    _ => ParseResource(segments[1], segments[2], segments[3..], isNamespacedResource),
                };
            default:
                return null;
        }
    }

    private static Resource? ParseResource(string group, string version, string[] rest, Func<string, string, string, bool> isNamespacedResource)
    {
        // {prefix}/namespaces/{ns}/{resource}[/{name}[/{subresource}]]
        if (rest.Length >= 3 && rest[0] == "namespaces" && isNamespacedResource(group, version, rest[2]))
        {
            return rest.Length switch
            {
                3 => new Resource(group, version, rest[1], rest[2], null, null),
                4 => new Resource(group, version, rest[1], rest[2], rest[3], null),
                5 => new Resource(group, version, rest[1], rest[2], rest[3], rest[4]),
                _ => null,
            };
        }

        // {prefix}/{resource}[/{name}[/{subresource}]] (cluster-scoped, or all namespaces for a list)
        return rest.Length switch
        {
            1 => new Resource(group, version, null, rest[0], null, null),
            2 => new Resource(group, version, null, rest[0], rest[1], null),
            3 => new Resource(group, version, null, rest[0], rest[1], rest[2]),
            _ => null,
        };
    }
}
