using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.Fixtures;

/// <summary>
/// An Istio control plane as istioctl (or the in-cluster operator) leaves it: CRDs, namespace istio-system, istiod and
/// istio-ingressgateway (Deployment, ReplicaSet, Pod, Service, ServiceAccount), ConfigMaps istio and
/// istio-sidecar-injector, and the IstioOperator resources. Everything Istio writes is owned by manager
/// "istio-operator" (Apply).
/// </summary>
internal static class IstioFixture
{
    public const string Namespace = "istio-system";
    public const string IngressGatewayIp = "172.18.255.200";
    private const string Manager = ClusterFixtures.IstioManager;

    public static void Seed(EmulatorStore store, IstioProfile profile)
    {
        foreach (var crd in IstioCrds.For(profile))
        {
            store.Put(crd, Manager);
        }

        ClusterFixtures.SeedNamespace(store, Namespace, manager: Manager);
        var workloads = new WorkloadSeeder(store);
        SeedConfigMaps(store, profile);
        SeedIstiod(store, workloads, profile);
        SeedIngressGateway(store, workloads, profile);

        if (profile.InstalledState)
        {
            store.Put(InstalledState(profile), Manager);
        }

        if (profile.RunningOperator)
        {
            SeedOperator(store, workloads, profile);
        }

        SeedIstiodCertificates(store, profile.RunningOperator ? ["default", Namespace, "istio-operator"] : ["default", Namespace]);
    }

    /// <summary>What istiod writes at start: its self-signed CA (Secret istio-ca-secret) and the root cert ConfigMap per namespace.</summary>
    private static void SeedIstiodCertificates(EmulatorStore store, IEnumerable<string> namespaces)
    {
        const string istiod = "pilot-discovery";
        static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "istio-ca-secret", ["namespace"] = Namespace },
            ["type"] = "istio.io/ca-root",
            ["data"] = new JsonObject
            {
                ["ca-cert.pem"] = Base64(EmulatorCertificates.IstioCaPem),
                ["ca-key.pem"] = Base64(EmulatorCertificates.IstioCaKeyPem),
                ["cert-chain.pem"] = "",
                ["key.pem"] = "",
                ["root-cert.pem"] = "",
            },
        }, istiod, asApply: false);

        foreach (var ns in namespaces)
        {
            store.Put(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "istio-ca-root-cert",
                    ["namespace"] = ns,
                    ["labels"] = new JsonObject { ["istio.io/config"] = "true" },
                },
                ["data"] = new JsonObject { ["root-cert.pem"] = EmulatorCertificates.IstioCaPem },
            }, istiod, asApply: false);
        }
    }

    private static JsonObject ComponentLabels(IstioProfile profile, string component)
    {
        var labels = new JsonObject
        {
            ["install.operator.istio.io/owning-resource"] = profile.OwningResource,
            ["istio.io/rev"] = "default",
            ["operator.istio.io/component"] = component,
            ["operator.istio.io/managed"] = "Reconcile",
            ["operator.istio.io/version"] = profile.Version,
            ["release"] = "istio",
        };
        if (profile.RunningOperator)
        {
            labels["install.operator.istio.io/owning-resource-namespace"] = Namespace;
        }

        return labels;
    }

    private static JsonObject WithLabels(JsonObject baseLabels, params (string Key, string Value)[] extra)
    {
        var labels = (JsonObject)baseLabels.DeepClone();
        foreach (var (key, value) in extra)
        {
            labels[key] = value;
        }

        return labels;
    }

    private static void SeedConfigMaps(EmulatorStore store, IstioProfile profile)
    {
        var pilotLabels = ComponentLabels(profile, "Pilot");
        store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "istio",
                ["namespace"] = Namespace,
                ["labels"] = WithLabels(pilotLabels, ("app", "istiod"), ("istio.io/rev", "default")),
            },
            ["data"] = new JsonObject
            {
                ["mesh"] = IstioConfigFiles.Mesh(profile),
                ["meshNetworks"] = IstioConfigFiles.MeshNetworks,
            },
        }, Manager);

        store.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "istio-sidecar-injector",
                ["namespace"] = Namespace,
                ["labels"] = WithLabels(pilotLabels, ("app", "sidecar-injector")),
            },
            ["data"] = new JsonObject
            {
                ["config"] = IstioConfigFiles.InjectorConfig(profile),
                ["values"] = IstioConfigFiles.InjectorValues(profile),
            },
        }, Manager);
    }

    private static void SeedIstiod(EmulatorStore store, WorkloadSeeder workloads, IstioProfile profile)
    {
        var labels = WithLabels(ComponentLabels(profile, "Pilot"), ("app", "istiod"), ("istio", "pilot"));
        store.Put(ServiceAccount(profile.IstiodServiceAccount, labels), Manager);

        var podSpec = JsonTools.ParseObject($$"""
            {
              "serviceAccountName": "{{profile.IstiodServiceAccount}}",
              "containers": [
                {
                  "name": "discovery",
                  "image": "docker.io/istio/pilot:{{profile.Version}}",
                  "args": ["discovery", "--monitoringAddr=:15014", "--log_output_level=default:info", "--domain", "cluster.local", "--keepaliveMaxServerConnectionAge", "30m"],
                  "env": [
                    { "name": "REVISION", "value": "default" },
                    { "name": "JWT_POLICY", "value": "third-party-jwt" },
                    { "name": "PILOT_CERT_PROVIDER", "value": "istiod" },
                    { "name": "POD_NAME", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.name" } } },
                    { "name": "POD_NAMESPACE", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.namespace" } } },
                    { "name": "PILOT_TRACE_SAMPLING", "value": "1" }
                  ],
                  "ports": [
                    { "containerPort": 8080, "protocol": "TCP" },
                    { "containerPort": 15010, "protocol": "TCP" },
                    { "containerPort": 15017, "protocol": "TCP" }
                  ],
                  "readinessProbe": { "httpGet": { "path": "/ready", "port": 8080 }, "initialDelaySeconds": 1, "periodSeconds": 3, "timeoutSeconds": 5 },
                  "resources": { "requests": { "cpu": "500m", "memory": "2Gi" } },
                  "volumeMounts": [
                    { "name": "local-certs", "mountPath": "/var/run/secrets/istio-dns" },
                    { "name": "istio-token", "mountPath": "/var/run/secrets/tokens", "readOnly": true },
                    { "name": "cacerts", "mountPath": "/etc/cacerts", "readOnly": true }
                  ]
                }
              ],
              "volumes": [
                { "name": "local-certs", "emptyDir": { "medium": "Memory" } },
                { "name": "istio-token", "projected": { "sources": [ { "serviceAccountToken": { "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token" } } ] } },
                { "name": "cacerts", "secret": { "secretName": "cacerts", "optional": true } }
              ]
            }
            """);
        workloads.Seed(Namespace, "istiod", labels, new JsonObject { ["istio"] = "pilot" },
            new JsonObject { ["app"] = "istiod", ["istio.io/rev"] = "default", ["sidecar.istio.io/inject"] = "false" }, podSpec, Manager);

        var service = JsonTools.ParseObject($$"""
            {
              "apiVersion": "v1",
              "kind": "Service",
              "metadata": { "name": "istiod", "namespace": "{{Namespace}}" },
              "spec": {
                "type": "ClusterIP",
                "selector": { "app": "istiod", "istio": "pilot" },
                "ports": [
                  { "name": "grpc-xds", "port": 15010, "protocol": "TCP" },
                  { "name": "https-dns", "port": 15012, "protocol": "TCP" },
                  { "name": "https-webhook", "port": 443, "protocol": "TCP", "targetPort": 15017 },
                  { "name": "http-monitoring", "port": 15014, "protocol": "TCP" }
                ]
              }
            }
            """);
        service["metadata"]!["labels"] = labels.DeepClone();
        store.Put(service, Manager);
    }

    private static void SeedIngressGateway(EmulatorStore store, WorkloadSeeder workloads, IstioProfile profile)
    {
        var labels = WithLabels(ComponentLabels(profile, "IngressGateways"), ("app", "istio-ingressgateway"), ("istio", "ingressgateway"));
        store.Put(ServiceAccount("istio-ingressgateway-service-account", labels), Manager);

        var podSpec = JsonTools.ParseObject($$"""
            {
              "serviceAccountName": "istio-ingressgateway-service-account",
              "containers": [
                {
                  "name": "istio-proxy",
                  "image": "docker.io/istio/proxyv2:{{profile.Version}}",
                  "args": ["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info"],
                  "env": [
                    { "name": "JWT_POLICY", "value": "third-party-jwt" },
                    { "name": "PILOT_CERT_PROVIDER", "value": "istiod" },
                    { "name": "CA_ADDR", "value": "istiod.istio-system.svc:15012" },
                    { "name": "ISTIO_META_ROUTER_MODE", "value": "standard" }
                  ],
                  "ports": [
                    { "containerPort": 15021, "protocol": "TCP" },
                    { "containerPort": 8080, "protocol": "TCP" },
                    { "containerPort": 8443, "protocol": "TCP" },
                    { "containerPort": 15443, "protocol": "TCP" },
                    { "containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP" }
                  ],
                  "volumeMounts": [
                    { "name": "istio-envoy", "mountPath": "/etc/istio/proxy" },
                    { "name": "config-volume", "mountPath": "/etc/istio/config" },
                    { "name": "istiod-ca-cert", "mountPath": "/var/run/secrets/istio" },
                    { "name": "istio-token", "mountPath": "/var/run/secrets/tokens", "readOnly": true },
                    { "name": "podinfo", "mountPath": "/etc/istio/pod" }
                  ]
                }
              ],
              "volumes": [
                { "name": "istiod-ca-cert", "configMap": { "name": "istio-ca-root-cert" } },
                { "name": "podinfo", "downwardAPI": { "items": [ { "path": "labels", "fieldRef": { "fieldPath": "metadata.labels" } } ] } },
                { "name": "istio-envoy", "emptyDir": {} },
                { "name": "istio-token", "projected": { "sources": [ { "serviceAccountToken": { "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token" } } ] } },
                { "name": "config-volume", "configMap": { "name": "istio", "optional": true } }
              ]
            }
            """);
        workloads.Seed(Namespace, "istio-ingressgateway", labels,
            new JsonObject { ["app"] = "istio-ingressgateway", ["istio"] = "ingressgateway" },
            new JsonObject { ["service.istio.io/canonical-name"] = "istio-ingressgateway", ["sidecar.istio.io/inject"] = "false" },
            podSpec, Manager);

        var service = JsonTools.ParseObject($$"""
            {
              "apiVersion": "v1",
              "kind": "Service",
              "metadata": { "name": "istio-ingressgateway", "namespace": "{{Namespace}}" },
              "spec": {
                "type": "LoadBalancer",
                "selector": { "app": "istio-ingressgateway", "istio": "ingressgateway" },
                "ports": [
                  { "name": "status-port", "port": 15021, "protocol": "TCP", "targetPort": 15021, "nodePort": 31021 },
                  { "name": "http2", "port": 80, "protocol": "TCP", "targetPort": 8080, "nodePort": 31380 },
                  { "name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443, "nodePort": 31390 },
                  { "name": "tls", "port": 15443, "protocol": "TCP", "targetPort": 15443, "nodePort": 31443 }
                ]
              },
              "status": { "loadBalancer": { "ingress": [ { "ip": "{{IngressGatewayIp}}", "ipMode": "VIP" } ] } }
            }
            """);
        service["metadata"]!["labels"] = labels.DeepClone();
        store.Put(service, Manager);
    }

    private static JsonObject InstalledState(IstioProfile profile)
    {
        var iop = IstioOperator("installed-state", profile, accessLogFile: null);
        iop["metadata"]!["annotations"] = new JsonObject { ["install.istio.io/ignoreReconcile"] = "true" };
        return iop;
    }

    private static void SeedOperator(EmulatorStore store, WorkloadSeeder workloads, IstioProfile profile)
    {
        const string operatorNamespace = "istio-operator";
        ClusterFixtures.SeedNamespace(store, operatorNamespace, manager: Manager);
        store.Put(ServiceAccount("istio-operator", new JsonObject(), operatorNamespace), Manager);
        var podSpec = JsonTools.ParseObject($$"""
            {
              "serviceAccountName": "istio-operator",
              "containers": [
                {
                  "name": "istio-operator",
                  "image": "docker.io/istio/operator:{{profile.Version}}",
                  "command": ["operator", "server"],
                  "env": [
                    { "name": "WATCH_NAMESPACE", "value": "istio-system" },
                    { "name": "LEADER_ELECTION_NAMESPACE", "value": "istio-operator" },
                    { "name": "POD_NAME", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.name" } } },
                    { "name": "OPERATOR_NAME", "value": "istio-operator" },
                    { "name": "WAIT_FOR_RESOURCES_TIMEOUT", "value": "300s" },
                    { "name": "REVISION", "value": "" }
                  ],
                  "resources": { "limits": { "cpu": "200m", "memory": "256Mi" }, "requests": { "cpu": "50m", "memory": "128Mi" } }
                }
              ]
            }
            """);
        workloads.Seed(operatorNamespace, "istio-operator", new JsonObject { ["name"] = "istio-operator" },
            new JsonObject { ["name"] = "istio-operator" }, new JsonObject(), podSpec, Manager);

        var controlPlane = IstioOperator("istio-controlplane", profile, accessLogFile: "/dev/stdout");
        controlPlane["metadata"]!["finalizers"] = new JsonArray("istio-finalizer.install.istio.io");
        controlPlane["status"] = JsonTools.ParseObject("""
            {
              "componentStatus": {
                "Base": { "status": "HEALTHY" },
                "IngressGateways": { "status": "HEALTHY" },
                "Pilot": { "status": "HEALTHY" }
              },
              "status": "HEALTHY"
            }
            """);
        store.Put(controlPlane, Manager);
    }

    /// <summary>An IstioOperator for the default profile; spec.meshConfig.accessLogFile only when given.</summary>
    private static JsonObject IstioOperator(string name, IstioProfile profile, string? accessLogFile)
    {
        var iop = JsonTools.ParseObject($$"""
            {
              "apiVersion": "install.istio.io/v1alpha1",
              "kind": "IstioOperator",
              "metadata": { "name": "{{name}}", "namespace": "{{Namespace}}" },
              "spec": {
                "profile": "default",
                "hub": "docker.io/istio",
                "tag": "{{profile.Version}}",
                "components": {
                  "base": { "enabled": true },
                  "cni": { "enabled": false },
                  "egressGateways": [ { "enabled": false, "name": "istio-egressgateway" } ],
                  "ingressGateways": [ { "enabled": true, "name": "istio-ingressgateway" } ],
                  "istiodRemote": { "enabled": false },
                  "pilot": { "enabled": true }
                },
                "meshConfig": {
                  "defaultConfig": { "proxyMetadata": {} },
                  "enablePrometheusMerge": true
                },
                "values": {
                  "base": { "enableCRDTemplates": false, "validationURL": "" },
                  "gateways": {
                    "istio-ingressgateway": { "autoscaleEnabled": true, "name": "istio-ingressgateway", "type": "LoadBalancer" }
                  },
                  "global": {
                    "istioNamespace": "istio-system",
                    "jwtPolicy": "third-party-jwt",
                    "pilotCertProvider": "istiod",
                    "proxy": { "image": "proxyv2" }
                  },
                  "pilot": { "autoscaleEnabled": true, "traceSampling": 1 }
                }
              }
            }
            """);
        var spec = iop["spec"]!.AsObject();
        if (accessLogFile is not null)
        {
            spec["meshConfig"]!["accessLogFile"] = accessLogFile;
        }

        if (profile.IsNew)
        {
            spec["meshConfig"]!["extensionProviders"] = JsonNode.Parse("""
                [ { "name": "otel", "opentelemetry": { "port": 4317, "service": "otel-collector.observability.svc.cluster.local" } } ]
                """);
        }
        else
        {
            spec["values"]!["global"]!["proxy"]!["tracer"] = "zipkin";
        }

        return iop;
    }

    private static JsonObject ServiceAccount(string name, JsonObject labels, string ns = Namespace) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels.DeepClone() },
    };
}
