using System.Net;
using k8s;
using k8s.Models;
using static KubeEmulator.Tests.Assertions;

namespace KubeEmulator.Tests;

public class AccessTests
{
    private static V1SelfSubjectAccessReview Review(string verb, string resource, string? ns, string group = "", string? name = null) => new()
    {
        Spec = new V1SelfSubjectAccessReviewSpec
        {
            ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, Group = group, NamespaceProperty = ns, Name = name },
        },
    };

    [Fact]
    public async Task Denied_requests_get_the_real_Forbidden_message()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("get", "secrets", ns: "default");

        var (code, status) = await FailsWith(() => cluster.Client.CoreV1.ReadNamespacedSecretAsync("x", "default"));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
        Assert.Equal(
            "secrets \"x\" is forbidden: User \"emulator-user\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"",
            status["message"]!.GetValue<string>());

        // Other namespaces and verbs are unaffected.
        await cluster.Client.CoreV1.ListNamespacedSecretAsync("default");
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => cluster.Client.CoreV1.ReadNamespacedSecretAsync("x", "istio-system"));
    }

    [Fact]
    public async Task Forbidden_messages_for_lists_creates_and_grouped_resources()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("list", "deployments", group: "apps");
        cluster.Emulator.Access.Deny("patch", "istiooperators", group: "install.istio.io", ns: "istio-system");
        cluster.Emulator.Access.Deny("create", "configmaps");

        var (_, list) = await FailsWith(() => cluster.Client.AppsV1.ListDeploymentForAllNamespacesAsync());
        Assert.Equal("deployments.apps is forbidden: User \"emulator-user\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope",
            list["message"]!.GetValue<string>());

        var (_, patch) = await FailsWith(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{}", V1Patch.PatchType.MergePatch), "install.istio.io", "v1alpha1", "istio-system", "istiooperators", "installed-state"));
        Assert.Equal(
            "istiooperators.install.istio.io \"installed-state\" is forbidden: User \"emulator-user\" cannot patch resource \"istiooperators\" in API group \"install.istio.io\" in the namespace \"istio-system\"",
            patch["message"]!.GetValue<string>());

        var (_, create) = await FailsWith(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "default"));
        Assert.Equal("configmaps is forbidden: User \"emulator-user\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"",
            create["message"]!.GetValue<string>());

        cluster.Emulator.Access.AllowAll();
        await cluster.Client.AppsV1.ListDeploymentForAllNamespacesAsync();
    }

    [Fact]
    public async Task With_a_grant_list_only_granted_requests_pass_a_namespaced_grant_in_its_namespace_a_cluster_grant_everywhere()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.AllowOnly([("list", "", "secrets", "default"), ("list", "", "configmaps", null)]);

        await cluster.Client.CoreV1.ListNamespacedSecretAsync("default");
        await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("istio-system");
        await cluster.Client.CoreV1.ListConfigMapForAllNamespacesAsync();
        var (code, _) = await FailsWith(() => cluster.Client.CoreV1.ListNamespacedSecretAsync("istio-system"));
        Assert.Equal(HttpStatusCode.Forbidden, code);
        (code, _) = await FailsWith(() => cluster.Client.CoreV1.ReadNamespacedSecretAsync("x", "default"));
        Assert.Equal(HttpStatusCode.Forbidden, code);
        // Every authenticated user may ask what they may do.
        var review = await cluster.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("list", "secrets", "default"));
        Assert.True(review.Status.Allowed);

        cluster.Emulator.Access.AllowAll();
        await cluster.Client.CoreV1.ListNamespacedSecretAsync("istio-system");
    }

    [Fact]
    public async Task SelfSubjectAccessReviews_answer_from_the_access_rules()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("patch", "configmaps", ns: "istio-system");
        var authorization = cluster.Client.AuthorizationV1;

        var denied = await authorization.CreateSelfSubjectAccessReviewAsync(Review("patch", "configmaps", "istio-system", name: "istio"));
        var otherNamespace = await authorization.CreateSelfSubjectAccessReviewAsync(Review("patch", "configmaps", "default"));
        var otherVerb = await authorization.CreateSelfSubjectAccessReviewAsync(Review("get", "configmaps", "istio-system"));

        Assert.False(denied.Status.Allowed);
        Assert.Equal("denied by emulator access rules", denied.Status.Reason);
        Assert.Equal("istio", denied.Spec.ResourceAttributes.Name);
        Assert.True(otherNamespace.Status.Allowed);
        Assert.True(otherVerb.Status.Allowed);
        Assert.Equal(201, cluster.Emulator.Requests.Last().StatusCode);
    }

    [Fact]
    public async Task A_name_in_a_deny_rule_restricts_only_that_object_in_requests_and_access_reviews()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        cluster.Emulator.Access.Deny("patch", "configmaps", "", "istio-system", name: "istio");
        var authorization = cluster.Client.AuthorizationV1;

        var named = await authorization.CreateSelfSubjectAccessReviewAsync(Review("patch", "configmaps", "istio-system", name: "istio"));
        var otherName = await authorization.CreateSelfSubjectAccessReviewAsync(Review("patch", "configmaps", "istio-system", name: "istio-sidecar-injector"));
        var (code, _) = await FailsWith(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{}", V1Patch.PatchType.MergePatch), "istio", "istio-system"));
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "istio-sidecar-injector", "istio-system");

        Assert.False(named.Status.Allowed);
        Assert.True(otherName.Status.Allowed);
        Assert.Equal(HttpStatusCode.Forbidden, code);
    }

    [Fact]
    public async Task A_rules_review_lists_what_is_allowed_in_the_namespace()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);
        var authorization = cluster.Client.AuthorizationV1;
        V1SelfSubjectRulesReview Rules(string ns) => new() { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = ns } };

        var everything = await authorization.CreateSelfSubjectRulesReviewAsync(Rules("default"));
        cluster.Emulator.Access.Deny("patch", "secrets", "", "default");
        cluster.Emulator.Access.Deny("delete", "configmaps", "", "default", name: "kube-root-ca.crt");
        var restricted = await authorization.CreateSelfSubjectRulesReviewAsync(Rules("default"));
        var elsewhere = await authorization.CreateSelfSubjectRulesReviewAsync(Rules("kube-system"));
        cluster.Emulator.Access.RulesReviewIncomplete = true;
        var incomplete = await authorization.CreateSelfSubjectRulesReviewAsync(Rules("default"));

        var all = Assert.Single(everything.Status.ResourceRules);
        Assert.Equal("* * *", string.Join(' ', all.Verbs.Concat(all.ApiGroups).Concat(all.Resources)));
        Assert.False(everything.Status.Incomplete);
        Assert.Contains(everything.Status.NonResourceRules, r => r.NonResourceURLs.Contains("/version") && r.Verbs.Contains("get"));
        string[] VerbsOn(V1SelfSubjectRulesReview review, string group, string resource) =>
            review.Status.ResourceRules.Where(r => r.ApiGroups.Contains(group) && r.Resources.Contains(resource)).SelectMany(r => r.Verbs).Order().ToArray();
        Assert.DoesNotContain("patch", VerbsOn(restricted, "", "secrets"));
        Assert.Contains("get", VerbsOn(restricted, "", "secrets"));
        Assert.DoesNotContain("delete", VerbsOn(restricted, "", "configmaps"));
        Assert.Contains("patch", VerbsOn(restricted, "", "configmaps"));
        Assert.Contains("patch", VerbsOn(elsewhere, "", "secrets"));
        Assert.Contains("list", VerbsOn(restricted, "install.istio.io", "istiooperators"));
        Assert.True(incomplete.Status.Incomplete);
        Assert.False(string.IsNullOrEmpty(incomplete.Status.EvaluationError));
    }

    [Fact]
    public async Task A_rules_review_without_a_namespace_is_invalid()
    {
        await using var cluster = await TestCluster.StartAsync();

        var response = await cluster.RawAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Code);
        Assert.Contains("spec.namespace", response.Body);
    }

    [Fact]
    public async Task Deny_rules_accept_wildcards()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NoIstio);
        cluster.Emulator.Access.Deny("*", "*", group: null, ns: "kube-system");

        var review = await cluster.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("get", "deployments", "kube-system", "apps"));
        var (code, _) = await FailsWith(() => cluster.Client.CoreV1.ListNamespacedConfigMapAsync("kube-system"));

        Assert.False(review.Status.Allowed);
        Assert.Equal(HttpStatusCode.Forbidden, code);
        await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");
    }

    [Fact]
    public async Task A_wrong_token_is_401()
    {
        await using var cluster = await TestCluster.StartAsync();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath);
        config.AccessToken = "wrong-token";
        using var client = new Kubernetes(config);

        var (code, status) = await FailsWith(() => client.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, code);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            Wire(status));
        var anonymous = await cluster.RawAsync(HttpMethod.Get, "/version", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Code);
    }
}
