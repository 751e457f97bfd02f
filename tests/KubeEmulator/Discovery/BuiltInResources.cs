namespace KubeEmulator.Discovery;

/// <summary>The built-in (non-CRD) resources the emulator serves.</summary>
internal static class BuiltInResources
{
    /// <summary>Verbs the emulator implements for ordinary resources.</summary>
    public static readonly IReadOnlyList<string> CrudVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static readonly ResourceType Namespaces = Core("namespaces", "namespace", "Namespace", namespaced: false,
        shortNames: ["ns"], status: true, nameRule: NameRule.Dns1123Label);

    public static readonly ResourceType Secrets = Core("secrets", "secret", "Secret", namespaced: true);

    public static readonly ResourceType ConfigMaps = Core("configmaps", "configmap", "ConfigMap", namespaced: true,
        shortNames: ["cm"]);

    public static readonly ResourceType Pods = Core("pods", "pod", "Pod", namespaced: true,
        shortNames: ["po"], categories: ["all"], status: true);

    public static readonly ResourceType Services = Core("services", "service", "Service", namespaced: true,
        shortNames: ["svc"], categories: ["all"], status: true, nameRule: NameRule.Dns1035Label);

    public static readonly ResourceType ServiceAccounts = Core("serviceaccounts", "serviceaccount", "ServiceAccount",
        namespaced: true, shortNames: ["sa"]);

    public static readonly ResourceType Events = Core("events", "event", "Event", namespaced: true, shortNames: ["ev"]);

    public static readonly ResourceType Nodes = Core("nodes", "node", "Node", namespaced: false,
        shortNames: ["no"], status: true);

    public static readonly ResourceType Deployments = new("apps", ["v1"], "deployments", "deployment", "Deployment",
        Namespaced: true, ShortNames: ["deploy"], Verbs: CrudVerbs, Categories: ["all"], IsCustom: false,
        HasStatusSubresource: true);

    public static readonly ResourceType ReplicaSets = new("apps", ["v1"], "replicasets", "replicaset", "ReplicaSet",
        Namespaced: true, ShortNames: ["rs"], Verbs: CrudVerbs, Categories: ["all"], IsCustom: false,
        HasStatusSubresource: true);

    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", ["v1"],
        "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition",
        Namespaced: false, ShortNames: ["crd", "crds"], Verbs: CrudVerbs, Categories: [], IsCustom: false,
        HasStatusSubresource: true);

    public static readonly ResourceType SelfSubjectAccessReviews = new("authorization.k8s.io", ["v1"],
        "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview",
        Namespaced: false, ShortNames: [], Verbs: ["create"], Categories: [], IsCustom: false,
        HasStatusSubresource: false);

    public static readonly ResourceType SelfSubjectRulesReviews = new("authorization.k8s.io", ["v1"],
        "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview",
        Namespaced: false, ShortNames: [], Verbs: ["create"], Categories: [], IsCustom: false,
        HasStatusSubresource: false);

    public static readonly IReadOnlyList<ResourceType> All =
    [
        Namespaces, Secrets, ConfigMaps, Pods, Services, ServiceAccounts, Events, Nodes,
        Deployments, ReplicaSets, CustomResourceDefinitions, SelfSubjectAccessReviews, SelfSubjectRulesReviews,
    ];

    /// <summary>Built-in API groups in the order /apis lists them ("" is the legacy core group under /api).</summary>
    public static readonly IReadOnlyList<string> GroupOrder = ["apps", "apiextensions.k8s.io", "authorization.k8s.io"];

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced,
        IReadOnlyList<string>? shortNames = null, IReadOnlyList<string>? categories = null, bool status = false,
        NameRule nameRule = NameRule.Dns1123Subdomain) =>
        new(string.Empty, ["v1"], plural, singular, kind, namespaced, shortNames ?? [], CrudVerbs, categories ?? [],
            IsCustom: false, HasStatusSubresource: status, NameRule: nameRule);
}
