namespace KubeEmulator;

/// <summary>The cluster the emulator starts with. See Fixtures/ClusterFixtures.cs for the exact objects.</summary>
public enum ClusterFixture
{
    /// <summary>Namespaces default, kube-system, kube-public and node "emulator-node"; no Istio API groups at all.</summary>
    NoIstio,

    /// <summary>Istio 1.7.8 installed with istioctl: istiod, mesh config with Zipkin tracing, sidecar injector, ingress gateway, CRDs.</summary>
    OldIstio,

    /// <summary>Istio 1.14.3 installed with istioctl: like <see cref="OldIstio"/> plus IstioOperator istio-system/installed-state; networking.istio.io/v1 served.</summary>
    MidIstio,

    /// <summary><see cref="MidIstio"/> plus the in-cluster istio-operator (namespace, Deployment) and IstioOperator istio-system/istio-controlplane.</summary>
    MidIstioWithOperator,

    /// <summary>Istio 1.28.0: OpenTelemetry extension provider in the mesh config, telemetry.istio.io/v1 served, installed-state present.</summary>
    NewIstio,
}
