using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Cluster.ClusterFixtures;

namespace MeshConsole.Domain.Tests.Cluster;

public class ClusterObjectTextTests
{
    private static readonly string[] Sensitive = [Token];

    private static JsonObject Json(string json) => JsonNode.Parse(json.Replace("TOKEN", Token, StringComparison.Ordinal))!.AsObject();

    private static JsonObject Planned(IKubernetesObject<V1ObjectMeta> resource) => JsonNode.Parse(KubernetesJson.Serialize(resource))!.AsObject();

    private static string Fingerprint(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        return $"<{bytes.Length} bytes, sha256:{Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()[..12]}>";
    }

    /// <summary>ConfigMap istio as the API server returns it after `istioctl install` (server-side applied by the operator code).</summary>
    private const string LiveMeshConfigMap = """
        {
          "apiVersion": "v1",
          "kind": "ConfigMap",
          "metadata": {
            "annotations": {
              "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"data\":{\"mesh\":\"defaultConfig:\\n  tracing:\\n    lightstep:\\n      accessToken: TOKEN\\n\"},\"kind\":\"ConfigMap\"}"
            },
            "creationTimestamp": "2024-03-05T10:21:44Z",
            "labels": {
              "install.operator.istio.io/owning-resource": "installed-state",
              "istio.io/rev": "default",
              "operator.istio.io/component": "Pilot",
              "release": "istio"
            },
            "managedFields": [
              {
                "apiVersion": "v1",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:data": {".": {}, "f:mesh": {}, "f:meshNetworks": {}}},
                "manager": "istio-operator",
                "operation": "Apply",
                "time": "2024-03-05T10:21:44Z"
              }
            ],
            "name": "istio",
            "namespace": "istio-system",
            "resourceVersion": "1843",
            "uid": "6b1f9a1e-0c7d-4a53-9a59-3f3c2b8e1c11"
          },
          "data": {
            "mesh": "defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n  tracing:\n    lightstep:\n      address: collector-grpc.lightstep.com:443\n      accessToken: TOKEN\n    sampling: 100\nenableTracing: true\nrootNamespace: istio-system\ntrustDomain: cluster.local",
            "meshNetworks": "networks: {}"
          }
        }
        """;

    [Fact]
    public void A_live_configmap_reads_as_sorted_yaml_without_server_fields_and_with_the_token_masked()
    {
        var text = ClusterObjectText.ForDiff(Json(LiveMeshConfigMap), Sensitive);

        Assert.Equal($$"""
            apiVersion: v1
            data:
              mesh: |-
                defaultConfig:
                  discoveryAddress: istiod.istio-system.svc:15012
                  tracing:
                    lightstep:
                      address: collector-grpc.lightstep.com:443
                      accessToken: {{MaskedToken}}
                    sampling: 100
                enableTracing: true
                rootNamespace: istio-system
                trustDomain: cluster.local
              meshNetworks: "networks: {}"
            kind: ConfigMap
            metadata:
              labels:
                install.operator.istio.io/owning-resource: installed-state
                istio.io/rev: default
                operator.istio.io/component: Pilot
                release: istio
              name: istio
              namespace: istio-system

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
        Assert.DoesNotContain(Token, text);
    }

    [Theory]
    [InlineData("managedFields")]
    [InlineData("resourceVersion")]
    [InlineData("uid")]
    [InlineData("creationTimestamp")]
    [InlineData("generation")]
    [InlineData("selfLink")]
    public void Server_set_metadata_does_not_count_as_a_difference(string field)
    {
        var planned = Json(LiveMeshConfigMap);
        var live = Json(LiveMeshConfigMap);
        var metadata = planned["metadata"]!.AsObject();
        foreach (var f in new[] { "managedFields", "resourceVersion", "uid", "creationTimestamp", "annotations" }) metadata.Remove(f);
        live["metadata"]!.AsObject()[field] = field == "generation" ? 7 : JsonValue.Create($"server-{field}");
        live["status"] = new JsonObject { ["observedGeneration"] = 7 };

        var diff = ObjectDiff.Unified(ClusterObjectText.ForDiff(live, Sensitive), ClusterObjectText.ForDiff(planned, Sensitive));

        Assert.False(diff.HasChanges);
    }

    [Fact]
    public void Other_annotations_stay_and_count()
    {
        var live = Json(LiveMeshConfigMap);
        live["metadata"]!["annotations"]!.AsObject()["meta.helm.sh/release-name"] = "istiod";

        var text = ClusterObjectText.ForDiff(live, Sensitive);

        Assert.Contains("  annotations:\n    meta.helm.sh/release-name: istiod\n", text);
        Assert.DoesNotContain("last-applied", text);
    }

    [Fact]
    public void Key_order_does_not_matter()
    {
        var reordered = new JsonObject(Json(LiveMeshConfigMap).Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        Assert.Equal(ClusterObjectText.ForDiff(Json(LiveMeshConfigMap), Sensitive), ClusterObjectText.ForDiff(reordered, Sensitive));
    }

    [Fact]
    public void The_input_is_not_changed()
    {
        var live = Json(LiveMeshConfigMap);
        var before = live.ToJsonString();

        ClusterObjectText.ForDiff(live, Sensitive);

        Assert.Equal(before, live.ToJsonString());
    }

    [Fact]
    public void A_planned_secret_and_the_same_live_secret_do_not_differ()
    {
        var plan = PublicPlan("1.14", "bookinfo");
        var secret = (V1Secret)plan.Objects.First(o => o.Role == PlannedObjectRole.CaCertificateSecret).Resource;
        var live = Planned(secret);
        var metadata = live["metadata"]!.AsObject();
        metadata["uid"] = "0b8f3c1e-8d0f-4d2c-9a77-2b0c2f5e9f10";
        metadata["resourceVersion"] = "99121";
        metadata["creationTimestamp"] = "2024-03-05T10:30:00Z";
        metadata["managedFields"] = new JsonArray(new JsonObject { ["manager"] = PlanBuilder.FieldManager, ["operation"] = "Apply" });

        var diff = ObjectDiff.Unified(ClusterObjectText.ForDiff(live, Sensitive), ClusterObjectText.ForDiff(Planned(secret), Sensitive));

        Assert.False(diff.HasChanges);
    }

    [Fact]
    public void Secret_data_is_shown_as_size_and_hash_never_as_content()
    {
        var plan = PublicPlan("1.14", "bookinfo");
        var secret = (V1Secret)plan.Objects.First(o => o.Role == PlannedObjectRole.CaCertificateSecret).Resource;

        var text = ClusterObjectText.ForDiff(Planned(secret), Sensitive);

        Assert.Equal($"""
            apiVersion: v1
            data:
              cacert.pem: "{Fingerprint(CaPem)}"
            kind: Secret
            metadata:
              labels:
                app: lightstep
                app.kubernetes.io/managed-by: lightstep-console
              name: lightstep.cacert
              namespace: bookinfo
            type: Opaque

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
        Assert.DoesNotContain("BEGIN CERTIFICATE", text);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(CaPem)), text);
    }

    [Fact]
    public void A_changed_secret_differs_on_the_data_line_only()
    {
        const string secret = """
            {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
             "metadata": {"name": "lightstep.cacert", "namespace": "default", "labels": {"app": "lightstep"}},
             "data": {"cacert.pem": "BASE64"}}
            """;
        var before = Json(secret.Replace("BASE64", Convert.ToBase64String(Encoding.UTF8.GetBytes("old CA")), StringComparison.Ordinal));
        var after = Json(secret.Replace("BASE64", Convert.ToBase64String(Encoding.UTF8.GetBytes("new CA")), StringComparison.Ordinal));

        var diff = ObjectDiff.Unified(ClusterObjectText.ForDiff(before, Sensitive), ClusterObjectText.ForDiff(after, Sensitive), context: 0);

        Assert.Equal([DiffLineKind.Gap, DiffLineKind.Removed, DiffLineKind.Added, DiffLineKind.Gap], diff.Lines.Select(l => l.Kind));
        Assert.Equal($"  cacert.pem: \"{Fingerprint("old CA")}\"", diff.Lines[1].Text);
        Assert.Equal($"  cacert.pem: \"{Fingerprint("new CA")}\"", diff.Lines[2].Text);
    }

    [Fact]
    public void StringData_reads_as_the_data_it_becomes()
    {
        var withData = Json("""
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "lightstep-console.undo", "namespace": "istio-system"},
             "type": "Opaque", "data": {"journal": "eyJzdGVwcyI6W119"}}
            """);
        var withStringData = Json("""
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "lightstep-console.undo", "namespace": "istio-system"},
             "type": "Opaque", "stringData": {"journal": "{\"steps\":[]}"}}
            """);

        Assert.Equal(ClusterObjectText.ForDiff(withData, Sensitive), ClusterObjectText.ForDiff(withStringData, Sensitive));
        Assert.Contains(Fingerprint("{\"steps\":[]}"), ClusterObjectText.ForDiff(withStringData, Sensitive));
    }

    [Fact]
    public void A_secret_holding_the_token_does_not_leak_it()
    {
        var journal = Json("""
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "lightstep-console.undo", "namespace": "istio-system"},
             "data": {"mesh-before": "BASE64"},
             "stringData": {"note": "TOKEN"}}
            """.Replace("BASE64", Convert.ToBase64String(Encoding.UTF8.GetBytes($"accessToken: {Token}")), StringComparison.Ordinal));

        var text = ClusterObjectText.ForDiff(journal, Sensitive);

        Assert.DoesNotContain(Token, text);
        Assert.DoesNotContain(MaskedToken, text);
        Assert.Contains("mesh-before: \"<", text);
        Assert.Contains("note: \"<", text);
    }

    [Fact]
    public void The_token_is_masked_wherever_it_appears_in_strings()
    {
        var plan = PublicPlan("1.28");
        var overlay = (IstioResource)plan.Objects.Single(o => o.Role == PlannedObjectRole.IstioInstallOverlay).Resource;

        var text = ClusterObjectText.ForDiff(Planned(overlay), plan.SensitiveValues);

        Assert.DoesNotContain(Token, text);
        Assert.Contains($"value: \"{MaskedToken}\"", text);
        Assert.Contains("- name: lightstep-otlp\n", text);
    }

    [Fact]
    public void Lists_of_objects_and_scalars_of_every_type_render_stably()
    {
        var serviceEntry = Json("""
            {"apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
             "metadata": {"name": "lightstep-tracing", "namespace": "istio-system", "generation": 3},
             "spec": {"hosts": ["ingest.lightstep.com"], "location": "MESH_EXTERNAL", "resolution": "DNS",
                      "ports": [{"number": 443, "name": "grpc-otlp", "protocol": "GRPC"}],
                      "exportTo": [], "workloadSelector": {}, "addresses": null, "weight": 0.5, "enabled": true, "note": "true", "empty": ""},
             "status": {"conditions": [{"type": "Reconciled", "status": "True"}]}}
            """);

        Assert.Equal("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: lightstep-tracing
              namespace: istio-system
            spec:
              addresses: null
              empty: ""
              enabled: true
              exportTo: []
              hosts:
              - ingest.lightstep.com
              location: MESH_EXTERNAL
              note: "true"
              ports:
              - name: grpc-otlp
                number: 443
                protocol: GRPC
              resolution: DNS
              weight: 0.5
              workloadSelector: {}

            """.Replace("\r\n", "\n", StringComparison.Ordinal), ClusterObjectText.ForDiff(serviceEntry, Sensitive));
    }

    [Fact]
    public void No_object_is_empty_text_so_creation_diffs_as_all_added()
    {
        var plan = PublicPlan("1.20");
        var telemetry = Planned(plan.Objects.Single(o => o.Role == PlannedObjectRole.TracingTelemetry).Resource);

        Assert.Equal("", ClusterObjectText.ForDiff(null, Sensitive));
        var diff = ObjectDiff.Unified(ClusterObjectText.ForDiff(null, Sensitive), ClusterObjectText.ForDiff(telemetry, Sensitive));
        Assert.True(diff.HasChanges);
        Assert.All(diff.Lines, l => Assert.Equal(DiffLineKind.Added, l.Kind));
        Assert.Contains(diff.Lines, l => l.Text == "kind: Telemetry");
    }
}
