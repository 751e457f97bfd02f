using k8s;
using k8s.Models;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Tests.Cluster;

/// <summary>Plans and cluster objects for the cluster tests; independent of the planning tests' golden files.</summary>
internal static class ClusterFixtures
{
    public const string Token = "lsTOKEN-cluster-0123456789abcdef";
    public const string MaskedToken = "••••cdef";

    // PlanBuilder copies the PEM into Secrets without parsing it.
    public const string CaPem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfakeCAforClusterTests0\n-----END CERTIFICATE-----\n";

    public static Plan PublicPlan(string version, params string[] namespaces) => PlanBuilder.Build(new PlanInput
    {
        Product = LightStepProduct.PublicTracing,
        AccessToken = Token,
        CaCertificatePem = CaPem,
        Namespaces = namespaces.Length == 0 ? ["default"] : namespaces,
        IstioVersion = IstioVersion.Parse(version),
        // The direct route on every version, so these tests see the token and providers in mesh config.
        Route = SpanRoute.Direct,
    });

    public static Plan OnPremPlan(string version, string address = "satellite.tracing.svc:8443", decimal sampling = 100m, params string[] namespaces) =>
        PlanBuilder.Build(new PlanInput
        {
            Product = LightStepProduct.OnPremSatellites,
            AccessToken = Token,
            SatelliteAddress = address,
            CaCertificatePem = CaPem,
            Namespaces = namespaces.Length == 0 ? ["default"] : namespaces,
            IstioVersion = IstioVersion.Parse(version),
            SamplingPercent = sampling,
        });

    public static V1Deployment Deployment(string yaml) => KubernetesYaml.Deserialize<V1Deployment>(yaml);

    public static IstioResource Iop(string yaml) => KubernetesYaml.Deserialize<IstioResource>(yaml);

    /// <summary>An istiod Deployment as `istioctl install` or the istiod Helm chart creates it.</summary>
    public static V1Deployment Istiod(string image, string ns = "istio-system", string name = "istiod", string? revision = null, int replicas = 1) => Deployment($"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            app: istiod
            istio: pilot
            istio.io/rev: {revision ?? "default"}
            install.operator.istio.io/owning-resource: installed-state
            operator.istio.io/component: Pilot
        spec:
          replicas: {replicas}
          selector:
            matchLabels:
              istio: pilot
          template:
            metadata:
              labels:
                app: istiod
                istio: pilot
            spec:
              serviceAccountName: istiod
              containers:
              - name: discovery
                image: "{image}"
                args: ["discovery", "--monitoringAddr=:15014", "--log_output_level=default:info", "--domain", "cluster.local"]
                ports:
                - containerPort: 8080
                  protocol: TCP
                - containerPort: 15010
                  protocol: TCP
        """);

    /// <summary>The pre-1.5 control plane: Deployment istio-pilot with a discovery and an istio-proxy container.</summary>
    public static V1Deployment IstioPilot(string tag) => Deployment($"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: istio-pilot
          namespace: istio-system
          labels:
            app: pilot
            chart: pilot
            heritage: Tiller
            istio: pilot
            release: istio
        spec:
          replicas: 1
          selector:
            matchLabels:
              istio: pilot
          template:
            metadata:
              labels:
                app: pilot
                istio: pilot
            spec:
              containers:
              - name: discovery
                image: docker.io/istio/pilot:{tag}
                args: ["discovery", "--monitoringAddr=:15014"]
              - name: istio-proxy
                image: docker.io/istio/proxyv2:{tag}
        """);

    public static V1Deployment IstioOperatorDeployment(string ns = "istio-operator", string name = "istio-operator", int replicas = 1) => Deployment($"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            name: istio-operator
        spec:
          replicas: {replicas}
          selector:
            matchLabels:
              name: istio-operator
          template:
            metadata:
              labels:
                name: istio-operator
            spec:
              serviceAccountName: istio-operator
              containers:
              - name: istio-operator
                image: docker.io/istio/operator:1.14.3
                command: ["operator", "server"]
        """);

    public static V1Deployment Workload(string ns, string name) => Deployment($"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            app: {name}
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: {name}
                image: docker.io/istio/examples-bookinfo-{name}-v1:1.17.0
        """);

    /// <summary>What `istioctl install` saves: a record it annotates so the operator ignores it.</summary>
    public static IstioResource InstalledState(string name = "installed-state", string ns = "istio-system") => Iop($"""
        apiVersion: install.istio.io/v1alpha1
        kind: IstioOperator
        metadata:
          name: {name}
          namespace: {ns}
          annotations:
            install.istio.io/ignoreReconcile: "true"
        spec:
          profile: default
          hub: docker.io/istio
          tag: 1.14.3
        """);

    public static IstioResource ReconciledIop(string name, string ns = "istio-system", string? revision = null, string? ignoreReconcile = null) => Iop($"""
        apiVersion: install.istio.io/v1alpha1
        kind: IstioOperator
        metadata:
          name: {name}
          namespace: {ns}
        {(ignoreReconcile is null ? "" : $"  annotations:\n    install.istio.io/ignoreReconcile: \"{ignoreReconcile}\"\n")}spec:
          profile: default
          revision: "{revision ?? ""}"
          meshConfig:
            accessLogFile: /dev/stdout
        """);
}

/// <summary>Plans with a hand-written IstioOperator overlay, so expectations do not follow PlanBuilder's later choices.</summary>
internal static class OverlayPlans
{
    /// <summary>A plan whose only object is the overlay with <paramref name="specJson"/> (TOKEN stands for the token).</summary>
    public static Plan With(string version, string specJson)
    {
        var overlay = new IstioResource
        {
            ApiVersion = "install.istio.io/v1alpha1",
            Kind = "IstioOperator",
            Metadata = new V1ObjectMeta { Name = PlanBuilder.OverlayName, NamespaceProperty = PlanBuilder.IstioNamespace },
            Spec = (Dictionary<string, object?>)FromJson(System.Text.Json.Nodes.JsonNode.Parse(specJson.Replace("TOKEN", ClusterFixtures.Token, StringComparison.Ordinal)))!,
        };
        return new Plan(IstioFormChoice.For(IstioVersion.Parse(version)),
            [new PlannedObject(overlay, PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl)], [], [], [ClusterFixtures.Token]) { Namespaces = ["default"] };
    }

    /// <summary>The value types PlanBuilder puts in a spec: maps, lists, strings, bools, decimals.</summary>
    public static object? FromJson(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.ToDictionary(e => e.Key, e => FromJson(e.Value)),
        System.Text.Json.Nodes.JsonArray a => a.Select(FromJson).ToList(),
        System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        System.Text.Json.Nodes.JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => v.GetValue<bool>(),
        System.Text.Json.Nodes.JsonValue v => v.GetValue<decimal>(),
        _ => null,
    };
}
