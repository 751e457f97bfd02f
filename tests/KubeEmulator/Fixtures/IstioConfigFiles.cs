using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeEmulator.Fixtures;

/// <summary>
/// The text Istio keeps in its ConfigMaps: mesh config YAML (istio/mesh), meshNetworks, sidecar injector values
/// JSON (pretty-printed with two spaces like Helm's toPrettyJson) and a short injector config.
/// </summary>
internal static class IstioConfigFiles
{
    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public const string MeshNetworks = "networks: {}\n";

    /// <summary>ConfigMap istio-system/istio, key "mesh".</summary>
    public static string Mesh(IstioProfile profile)
    {
        var accessLogFile = profile.AccessLogFile.Length == 0 ? "\"\"" : profile.AccessLogFile;
        if (profile.IsOld)
        {
            return $"""
                accessLogEncoding: TEXT
                accessLogFile: {accessLogFile}
                accessLogFormat: ""
                defaultConfig:
                  discoveryAddress: istiod.istio-system.svc:15012
                  proxyMetadata: {"{}"}
                  tracing:
                    zipkin:
                      address: zipkin.istio-system:9411
                disableMixerHttpReports: true
                enablePrometheusMerge: true
                enableTracing: true
                ingressClass: istio
                ingressControllerMode: STRICT
                ingressService: istio-ingressgateway
                protocolDetectionTimeout: 100ms
                reportBatchMaxEntries: 100
                reportBatchMaxTime: 1s
                rootNamespace: istio-system
                sdsUdsPath: unix:/etc/istio/proxy/SDS
                trustDomain: cluster.local

                """;
        }

        if (profile.IsNew)
        {
            return $"""
                accessLogFile: {accessLogFile}
                defaultConfig:
                  discoveryAddress: istiod.istio-system.svc:15012
                  proxyMetadata: {"{}"}
                defaultProviders:
                  metrics:
                  - prometheus
                enablePrometheusMerge: true
                extensionProviders:
                - name: otel
                  opentelemetry:
                    port: 4317
                    service: otel-collector.observability.svc.cluster.local
                rootNamespace: istio-system
                trustDomain: cluster.local

                """;
        }

        return $"""
            accessLogFile: {accessLogFile}
            defaultConfig:
              discoveryAddress: istiod.istio-system.svc:15012
              proxyMetadata: {"{}"}
              tracing:
                zipkin:
                  address: zipkin.istio-system:9411
            enablePrometheusMerge: true
            enableTracing: true
            rootNamespace: istio-system
            trustDomain: cluster.local

            """;
    }

    /// <summary>ConfigMap istio-system/istio-sidecar-injector, key "values".</summary>
    public static string InjectorValues(IstioProfile profile)
    {
        var values = JsonNode.Parse($$"""
            {
              "global": {
                "arch": { "amd64": 2, "ppc64le": 2, "s390x": 2 },
                "caAddress": "",
                "configValidation": true,
                "defaultNodeSelector": {},
                "defaultPodDisruptionBudget": { "enabled": true },
                "hub": "docker.io/istio",
                "imagePullPolicy": "",
                "imagePullSecrets": [],
                "istioNamespace": "istio-system",
                "jwtPolicy": "third-party-jwt",
                "logAsJson": false,
                "logging": { "level": "default:info" },
                "meshID": "",
                "meshNetworks": {},
                "mountMtlsCerts": false,
                "multiCluster": { "clusterName": "", "enabled": false },
                "network": "",
                "omitSidecarInjectorConfigMap": false,
                "oneNamespace": false,
                "operatorManageWebhooks": false,
                "pilotCertProvider": "istiod",
                "priorityClassName": "",
                "proxy": {
                  "autoInject": "enabled",
                  "clusterDomain": "cluster.local",
                  "componentLogLevel": "misc:error",
                  "enableCoreDump": false,
                  "excludeIPRanges": "",
                  "excludeInboundPorts": "",
                  "excludeOutboundPorts": "",
                  "holdApplicationUntilProxyStarts": false,
                  "image": "proxyv2",
                  "includeIPRanges": "*",
                  "logLevel": "warning",
                  "privileged": false,
                  "readinessFailureThreshold": 30,
                  "readinessInitialDelaySeconds": 1,
                  "readinessPeriodSeconds": 2,
                  "resources": {
                    "limits": { "cpu": "2000m", "memory": "1024Mi" },
                    "requests": { "cpu": "100m", "memory": "128Mi" }
                  },
                  "statusPort": 15020,
                  "tracer": "zipkin"
                },
                "proxy_init": {
                  "image": "proxyv2",
                  "resources": {
                    "limits": { "cpu": "2000m", "memory": "1024Mi" },
                    "requests": { "cpu": "10m", "memory": "10Mi" }
                  }
                },
                "remotePilotAddress": "",
                "sds": { "token": { "aud": "istio-ca" } },
                "sts": { "servicePort": 0 },
                "tag": "{{profile.Version}}",
                "tracer": {
                  "datadog": { "address": "$(HOST_IP):8126" },
                  "lightstep": { "accessToken": "", "address": "" },
                  "stackdriver": { "debug": false, "maxNumberOfAnnotations": 200, "maxNumberOfAttributes": 200, "maxNumberOfMessageEvents": 200 },
                  "zipkin": { "address": "" }
                },
                "trustDomain": "cluster.local",
                "useMCP": false
              },
              "istio_cni": { "enabled": false },
              "revision": "",
              "sidecarInjectorWebhook": {
                "alwaysInjectSelector": [],
                "enableNamespacesByDefault": false,
                "injectedAnnotations": {},
                "neverInjectSelector": [],
                "objectSelector": { "autoInject": true, "enabled": false },
                "rewriteAppHTTPProbe": true
              }
            }
            """)!.AsObject();

        var global = values["global"]!.AsObject();
        if (!profile.IsOld)
        {
            // Mixer-era and removed settings are gone after 1.7.
            global.Remove("useMCP");
            global.Remove("trustDomain");
            global.Remove("oneNamespace");
            values["sidecarInjectorWebhook"]!.AsObject().Remove("objectSelector");
            global["proxy"]!.AsObject()["holdApplicationUntilProxyStarts"] = false;
        }

        if (profile.IsNew)
        {
            // 1.2x: tracing is configured through mesh config extension providers, not install values.
            global["proxy"]!.AsObject().Remove("tracer");
            global.Remove("tracer");
            global["variant"] = "";
            global["platform"] = "";
            values["sidecarInjectorWebhook"]!.AsObject()["reinvocationPolicy"] = "Never";
        }

        return values.ToJsonString(PrettyJson);
    }

    /// <summary>ConfigMap istio-system/istio-sidecar-injector, key "config" (the template, shortened).</summary>
    public static string InjectorConfig(IstioProfile profile) => profile.IsOld
        ? """
          policy: enabled
          alwaysInjectSelector:
            []
          neverInjectSelector:
            []
          injectedAnnotations:

          template: |
            {{- $holdProxy := or .ProxyConfig.HoldApplicationUntilProxyStarts.GetValue .Values.global.proxy.holdApplicationUntilProxyStarts }}
            initContainers:
            - name: istio-init
              image: "{{ .Values.global.hub }}/{{ .Values.global.proxy_init.image }}:{{ .Values.global.tag }}"
            containers:
            - name: istio-proxy
              image: "{{ .Values.global.hub }}/{{ .Values.global.proxy.image }}:{{ .Values.global.tag }}"
              args:
              - proxy
              - sidecar
              - --domain
              - $(POD_NAMESPACE).svc.{{ .Values.global.proxy.clusterDomain }}
              - --proxyLogLevel={{ annotation .ObjectMeta `sidecar.istio.io/logLevel` .Values.global.proxy.logLevel }}
            {{- if eq .Values.global.proxy.tracer "lightstep" }}
              - mountPath: /etc/lightstep
                name: lightstep-certs
                readOnly: true
            {{- end }}

          """
        : """
          defaultTemplates: [sidecar]
          policy: enabled
          alwaysInjectSelector:
            []
          neverInjectSelector:
            []
          injectedAnnotations:
          template: "{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}"
          templates:
            sidecar: |
              {{- $containers := list }}
              {{- range $index, $container := .Spec.Containers }}{{ if not (eq $container.Name "istio-proxy") }}{{ $containers = append $containers $container.Name }}{{end}}{{- end}}
              metadata:
                labels:
                  security.istio.io/tlsMode: {{ index .ObjectMeta.Labels `security.istio.io/tlsMode` | default "istio"  | quote }}
              spec:
                containers:
                - name: istio-proxy
                  image: "{{ .Values.global.hub }}/{{ .Values.global.proxy.image }}:{{ .Values.global.tag }}"

          """;
}
