namespace KubeEmulator.Discovery;

/// <summary>How metadata.name is validated for a resource (as in kube-apiserver's ValidateObjectMeta name functions).</summary>
internal enum NameRule
{
    /// <summary>RFC 1123 subdomain, at most 253 characters (most resources).</summary>
    Dns1123Subdomain,

    /// <summary>RFC 1123 label, at most 63 characters (namespaces).</summary>
    Dns1123Label,

    /// <summary>RFC 1035 label, at most 63 characters (services).</summary>
    Dns1035Label,
}

/// <summary>
/// One servable resource: a group, its served versions (preferred first), and the names discovery reports.
/// Built-in types come from <see cref="BuiltInResources"/>; custom types are derived from stored CRDs.
/// </summary>
internal sealed record ResourceType(
    string Group,
    IReadOnlyList<string> Versions,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> Categories,
    bool IsCustom,
    bool HasStatusSubresource,
    NameRule NameRule = NameRule.Dns1123Subdomain)
{
    /// <summary>A custom resource's openAPIV3Schema per served version (empty for built-in resources).</summary>
    public IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject> Schemas { get; init; } =
        new Dictionary<string, System.Text.Json.Nodes.JsonObject>();

    public string PreferredVersion => Versions[0];

    public string ListKind => Kind + "List";

    /// <summary>"secrets" or "deployments.apps": what error messages call the resource.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ApiVersionFor(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public bool ServesVersion(string version) => Versions.Contains(version);

    public bool Is(string group, string plural) => Group == group && Plural == plural;

    /// <summary>Splits "apps/v1" into ("apps", "v1") and "v1" into ("", "v1").</summary>
    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}

/// <summary>Orders Kubernetes API versions by priority: v2 &gt; v1 &gt; v1beta2 &gt; v1beta1 &gt; v1alpha1 (as kube-aware sort does).</summary>
internal sealed class KubeVersionPriority : IComparer<string>
{
    public static readonly KubeVersionPriority Instance = new();

    /// <summary>Negative when x has higher priority than y.</summary>
    public int Compare(string? x, string? y)
    {
        var (majorX, stageX, minorX) = Parse(x ?? string.Empty);
        var (majorY, stageY, minorY) = Parse(y ?? string.Empty);
        if (stageX != stageY)
        {
            return stageY.CompareTo(stageX);
        }

        if (majorX != majorY)
        {
            return majorY.CompareTo(majorX);
        }

        return minorY.CompareTo(minorX);
    }

    /// <summary>stage: 3 = GA, 2 = beta, 1 = alpha, 0 = not a kube-like version.</summary>
    private static (int Major, int Stage, int Minor) Parse(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!match.Success)
        {
            return (0, 0, 0);
        }

        var major = int.Parse(match.Groups[1].Value);
        if (!match.Groups[2].Success)
        {
            return (major, 3, 0);
        }

        var stage = match.Groups[2].Value == "beta" ? 2 : 1;
        return (major, stage, int.Parse(match.Groups[3].Value));
    }
}
