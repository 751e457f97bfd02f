using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Errors;
using KubeEmulator.Patches;
using KubeEmulator.Routing;
using KubeEmulator.ServerSideApply;
using KubeEmulator.Storage;

namespace KubeEmulator.Tests;

/// <summary>Unit tests of the emulator's building blocks (no HTTP).</summary>
public class InternalsTests
{
    private static JsonObject Labels(string json) => JsonNode.Parse("{\"metadata\":{\"labels\":" + json + "}}")!.AsObject();

    [Theory]
    [InlineData("app=web", """{"app":"web"}""", true)]
    [InlineData("app=web", """{"app":"db"}""", false)]
    [InlineData("app!=web", """{}""", true)]
    [InlineData("tier in (fe,be)", """{"tier":"be"}""", true)]
    [InlineData("tier notin (fe,be)", """{"tier":"be"}""", false)]
    [InlineData("tier notin (fe,be)", """{}""", true)]
    [InlineData("app.kubernetes.io/name", """{"app.kubernetes.io/name":"x"}""", true)]
    [InlineData("!app", """{"app":"x"}""", false)]
    [InlineData("replicas>2", """{"replicas":"3"}""", true)]
    [InlineData("replicas<2", """{"replicas":"3"}""", false)]
    [InlineData("app=web, tier in (fe, be)", """{"app":"web","tier":"fe"}""", true)]
    public void Label_selectors_match_like_kubernetes(string selector, string labels, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Labels(labels)));

    [Theory]
    [InlineData("app in (a")]
    [InlineData("Bad Key=x")]
    [InlineData("app,")]
    public void Malformed_label_selectors_are_bad_requests(string selector) =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => LabelSelector.Parse(selector)).Code);

    [Fact]
    public void FieldsV1_round_trips_with_dot_entries_for_list_items()
    {
        var json = """{"f:data":{"f:a":{}},"f:spec":{"f:containers":{"k:{\"name\":\"x\"}":{".":{},"f:image":{},"f:name":{}}}}}""";

        var set = FieldSet.FromFieldsV1(JsonNode.Parse(json)!.AsObject());

        Assert.Equal(4, set.Count);
        Assert.Contains(FieldPath.Root.Field("spec").Field("containers").Item(new System.Text.Json.Nodes.JsonObject { ["name"] = "x" }), set);
        Assert.Equal(json, set.ToFieldsV1().ToJsonString(Json.JsonTools.WireOptions));
        Assert.Equal(".spec.containers[name=\"x\"].image",
            FieldPath.Root.Field("spec").Field("containers").Item(new System.Text.Json.Nodes.JsonObject { ["name"] = "x" }).Field("image").ToString());
    }

    [Fact]
    public void Object_fields_skip_system_metadata_and_key_named_lists_only_for_built_in_types()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","resourceVersion":"3","labels":{"a":"b"}},
             "spec":{"containers":[{"name":"c","image":"i"}],"tolerations":[{"key":"k"}]},"status":{"phase":"Running"}}
            """)!.AsObject();

        var builtIn = ObjectFields.Paths(obj, BuiltInResources.Pods).Select(p => p.ToString()).Order().ToArray();
        var custom = ObjectFields.Paths(obj, BuiltInResources.Pods with { IsCustom = true, HasStatusSubresource = false })
            .Select(p => p.ToString()).Order().ToArray();

        Assert.Equal(
            [".metadata.labels.a", ".spec.containers[name=\"c\"]", ".spec.containers[name=\"c\"].image", ".spec.containers[name=\"c\"].name", ".spec.tolerations"],
            builtIn);
        Assert.Equal([".metadata.labels.a", ".spec.containers", ".spec.tolerations", ".status.phase"], custom);
    }

    [Fact]
    public void Json_patch_supports_all_operations_and_pointer_escapes()
    {
        var doc = JsonNode.Parse("""{"a":{"b/c":1,"d~e":[1,2]},"x":"y"}""");
        var ops = JsonNode.Parse("""
            [
              {"op":"add","path":"/a/d~0e/-","value":3},
              {"op":"add","path":"/a/d~0e/0","value":0},
              {"op":"replace","path":"/a/b~1c","value":2},
              {"op":"copy","from":"/x","path":"/z"},
              {"op":"move","from":"/x","path":"/w"},
              {"op":"remove","path":"/a/d~0e/1"},
              {"op":"test","path":"/z","value":"y"}
            ]
            """)!.AsArray();

        var result = JsonPatch.Apply(doc, ops);

        Assert.Equal("""{"a":{"b/c":2,"d~e":[0,2,3]},"z":"y","w":"y"}""", result!.ToJsonString());
        Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!.AsArray()));
    }

    [Fact]
    public void Merge_patch_follows_rfc_7386()
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"}}"""), JsonNode.Parse("""{"a":"z","c":{"f":null}}"""));

        Assert.Equal("""{"a":"z","c":{"d":"e"}}""", result!.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_patch_merges_named_lists_and_honours_delete_directives()
    {
        var target = JsonNode.Parse("""
            {"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"}]},{"name":"b","image":"b:1"}],"args":["x","y"]}}
            """)!.AsObject();
        var patch = JsonNode.Parse("""
            {"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],
             "spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"2"}]},{"name":"b","$patch":"delete"},{"name":"c","image":"c:1"}],"args":["z"]}}
            """)!.AsObject();

        var result = StrategicMergePatch.Apply(target, patch);

        Assert.Equal(
            """{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]},{"name":"c","image":"c:1"}],"args":["z"]}}""",
            result.ToJsonString());
    }

    [Fact]
    public void Api_paths_parse_like_kube_apiserver_routes()
    {
        static bool Namespaced(string group, string version, string plural) => plural is "secrets" or "virtualservices";

        Assert.Equal(new ApiPath.Resource("", "v1", "default", "secrets", "x", null), ApiPath.Parse("/api/v1/namespaces/default/secrets/x", Namespaced));
        Assert.Equal(new ApiPath.Resource("", "v1", null, "namespaces", "default", null), ApiPath.Parse("/api/v1/namespaces/default", Namespaced));
        Assert.Equal(new ApiPath.Resource("", "v1", null, "namespaces", "default", "status"), ApiPath.Parse("/api/v1/namespaces/default/status", Namespaced));
        Assert.Equal(new ApiPath.Resource("networking.istio.io", "v1", "a", "virtualservices", null, null),
            ApiPath.Parse("/apis/networking.istio.io/v1/namespaces/a/virtualservices", Namespaced));
        Assert.Equal(new ApiPath.ResourceList("apps", "v1"), ApiPath.Parse("/apis/apps/v1", Namespaced));
        Assert.IsType<ApiPath.GroupList>(ApiPath.Parse("/apis", Namespaced));
        Assert.Null(ApiPath.Parse("/metrics", Namespaced));
    }

    [Fact]
    public void Versions_sort_by_kubernetes_priority()
    {
        string[] versions = ["v1alpha3", "v1beta1", "v1", "v2beta1", "v1alpha1", "v2"];

        Assert.Equal(["v2", "v1", "v2beta1", "v1beta1", "v1alpha3", "v1alpha1"], versions.Order(KubeVersionPriority.Instance));
    }
}
