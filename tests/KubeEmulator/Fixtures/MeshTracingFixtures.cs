using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.Fixtures;

/// <summary>A team's tracing setup seeded on top of a <see cref="ClusterFixture"/> with Istio, for the mesh checks before apply.</summary>
public enum MeshTracingScenario
{
    /// <summary>On <see cref="ClusterFixture.NewIstio"/>: Telemetry default/tracing-sampling sets randomSamplingPercentage 5 for namespace default.</summary>
    NamespaceSamplingOverride,

    /// <summary>On <see cref="ClusterFixture.NewIstio"/>: Telemetry default/reviews-tracing selects app=reviews with 50%.</summary>
    WorkloadSamplingOverride,

    /// <summary>On <see cref="ClusterFixture.NewIstio"/>: mesh-wide Telemetry istio-system/otel-tracing selects the team's "otel" provider.</summary>
    OtherProviderSelected,

    /// <summary>On <see cref="ClusterFixture.MidIstio"/> (1.14): mesh-wide Telemetry istio-system/tracing-tags sets custom tags but no percentage.</summary>
    TelemetryWithoutPercentage,

    /// <summary>On <see cref="ClusterFixture.MidIstio"/>: Secret istio-system/lightstep.cacert exists and the ingress gateway mounts it.</summary>
    GatewayMountsCa,

    /// <summary>
    /// Bookinfo's Deployments in namespace default, each with one Running pod, some carrying a proxy.istio.io/config
    /// annotation: reviews-v2 sets tracing.sampling 0, ratings-v1 sets 10, details-v1 sets a zipkin tracer,
    /// productpage-v1 sets only concurrency; reviews-v1 has none.
    /// </summary>
    PodProxyConfigAnnotations,
}

/// <summary>Seeds a <see cref="MeshTracingScenario"/>; the team's objects are owned by manager "kubectl-client-side-apply" (Update).</summary>
public static class MeshTracingFixtures
{
    public const string Manager = "kubectl-client-side-apply";
    private const string IstioNamespace = IstioFixture.Namespace;

    public static void Seed(EmulatorStore store, MeshTracingScenario scenario)
    {
        switch (scenario)
        {
            case MeshTracingScenario.NamespaceSamplingOverride:
                Put(store, Telemetry("default", "tracing-sampling", """{ "tracing": [ { "randomSamplingPercentage": 5 } ] }"""));
                break;
            case MeshTracingScenario.WorkloadSamplingOverride:
                Put(store, Telemetry("default", "reviews-tracing", """
                    { "selector": { "matchLabels": { "app": "reviews" } }, "tracing": [ { "randomSamplingPercentage": 50 } ] }
                    """));
                break;
            case MeshTracingScenario.OtherProviderSelected:
                Put(store, Telemetry(IstioNamespace, "otel-tracing", """{ "tracing": [ { "providers": [ { "name": "otel" } ], "randomSamplingPercentage": 10 } ] }"""));
                break;
            case MeshTracingScenario.TelemetryWithoutPercentage:
                Put(store, Telemetry(IstioNamespace, "tracing-tags", """
                    { "tracing": [ { "customTags": { "team": { "literal": { "value": "payments" } } } } ] }
                    """));
                break;
            case MeshTracingScenario.GatewayMountsCa:
                MountCaOnGateway(store);
                break;
            case MeshTracingScenario.PodProxyConfigAnnotations:
                var workloads = new WorkloadSeeder(store);
                AnnotatedBookinfoPod(store, workloads, "productpage", "v1", "concurrency: 2");
                AnnotatedBookinfoPod(store, workloads, "details", "v1", "tracing:\n  zipkin:\n    address: zipkin.istio-system:9411\n");
                AnnotatedBookinfoPod(store, workloads, "reviews", "v1", null);
                AnnotatedBookinfoPod(store, workloads, "reviews", "v2", "tracing:\n  sampling: 0\n");
                AnnotatedBookinfoPod(store, workloads, "ratings", "v1", "{\"tracing\": {\"sampling\": 10}}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }
    }

    private static JsonObject Telemetry(string ns, string name, string specJson) => new()
    {
        ["apiVersion"] = "telemetry.istio.io/v1alpha1",
        ["kind"] = "Telemetry",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = JsonNode.Parse(specJson),
    };

    /// <summary>
    /// A Bookinfo Deployment and its pod; the annotation goes on the pod template and on the pod, where Istio's agent
    /// reads it (istio/api annotation/annotations.yaml lists proxy.istio.io/config for Pods).
    /// </summary>
    private static void AnnotatedBookinfoPod(EmulatorStore store, WorkloadSeeder workloads, string app, string version, string? annotation)
    {
        var name = $"{app}-{version}";
        var podSpec = JsonTools.ParseObject($$"""
            { "containers": [
                { "name": "{{app}}", "image": "docker.io/istio/examples-bookinfo-{{name}}:1.20.2", "ports": [ { "containerPort": 9080 } ] },
                { "name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.14.3" } ] }
            """);
        workloads.Seed("default", name, new JsonObject { ["app"] = app, ["version"] = version },
            new JsonObject { ["app"] = app, ["version"] = version }, new JsonObject(), podSpec, Manager);
        if (annotation is null) return;
        foreach (var kind in new[] { "Deployment", "Pod" })
        {
            foreach (var obj in store.List(kind == "Pod" ? "v1" : "apps/v1", kind, "default")
                         .Where(o => (string?)o["metadata"]?["labels"]?["app"] == app && (string?)o["metadata"]?["labels"]?["version"] == version))
            {
                var copy = obj.DeepClone().AsObject();
                var metadata = kind == "Pod" ? copy["metadata"]!.AsObject() : copy["spec"]!["template"]!["metadata"]!.AsObject();
                metadata["annotations"] = new JsonObject { ["proxy.istio.io/config"] = annotation };
                store.Put(copy, kind == "Pod" ? "kubelet" : Manager, asApply: false);
            }
        }
    }

    private static void Put(EmulatorStore store, JsonObject obj) => store.Put(obj, Manager, asApply: false);

    /// <summary>The gateway overlay istio.io#9125 describes: Secret lightstep.cacert mounted at /etc/lightstep into istio-proxy.</summary>
    private static void MountCaOnGateway(EmulatorStore store)
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "lightstep.cacert", ["namespace"] = IstioNamespace },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["cacert.pem"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(EmulatorCertificates.ClusterCaPem)) },
        };
        Put(store, secret);
        var gateway = store.Get("apps/v1", "Deployment", IstioNamespace, "istio-ingressgateway")
            ?? throw new InvalidOperationException("The fixture has no ingress gateway.");
        var pod = gateway["spec"]!["template"]!["spec"]!.AsObject();
        pod["volumes"]!.AsArray().Add(JsonTools.ParseObject("""{ "name": "lightstep-certs", "secret": { "secretName": "lightstep.cacert", "optional": true } }"""));
        var proxy = pod["containers"]!.AsArray().OfType<JsonObject>().First(c => (string?)c["name"] == "istio-proxy");
        proxy["volumeMounts"]!.AsArray().Add(JsonTools.ParseObject("""{ "name": "lightstep-certs", "mountPath": "/etc/lightstep", "readOnly": true }"""));
        Put(store, gateway);
    }
}
