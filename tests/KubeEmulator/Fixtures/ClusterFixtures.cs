using System.Text.Json.Nodes;
using KubeEmulator.Json;

namespace KubeEmulator.Fixtures;

/// <summary>
/// Seeds the store for a <see cref="ClusterFixture"/>. Base cluster objects are owned by the Kubernetes components
/// that create them (manager "kube-apiserver", "kube-controller-manager", "kubelet", operation Update); every Istio
/// object is owned by manager "istio-operator" with operation Apply, so applying a different value from the
/// console conflicts exactly as on a real cluster.
/// </summary>
internal static class ClusterFixtures
{
    public const string NodeName = "emulator-node";
    public const string NodeIp = "10.0.0.10";
    public const string IstioManager = "istio-operator";

    public static void Seed(EmulatorStore store, ClusterFixture fixture)
    {
        SeedBaseCluster(store);
        var istio = IstioProfile.For(fixture);
        if (istio is not null)
        {
            IstioFixture.Seed(store, istio);
        }
    }

    private static void SeedBaseCluster(EmulatorStore store)
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public" })
        {
            SeedNamespace(store, ns);
        }

        store.Put(JsonTools.ParseObject($$"""
            {
              "apiVersion": "v1",
              "kind": "Node",
              "metadata": {
                "name": "{{NodeName}}",
                "labels": {
                  "beta.kubernetes.io/arch": "amd64",
                  "beta.kubernetes.io/os": "linux",
                  "kubernetes.io/arch": "amd64",
                  "kubernetes.io/hostname": "{{NodeName}}",
                  "kubernetes.io/os": "linux",
                  "node-role.kubernetes.io/control-plane": ""
                },
                "annotations": { "node.alpha.kubernetes.io/ttl": "0" }
              },
              "spec": { "podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"] },
              "status": {
                "addresses": [
                  { "type": "InternalIP", "address": "{{NodeIp}}" },
                  { "type": "Hostname", "address": "{{NodeName}}" }
                ],
                "allocatable": { "cpu": "2", "ephemeral-storage": "61255492Ki", "memory": "24530844Ki", "pods": "110" },
                "capacity": { "cpu": "2", "ephemeral-storage": "61255492Ki", "memory": "24633244Ki", "pods": "110" },
                "conditions": [
                  {
                    "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                    "lastHeartbeatTime": "2024-09-01T10:00:00Z", "lastTransitionTime": "2024-09-01T10:00:00Z"
                  }
                ],
                "nodeInfo": {
                  "architecture": "amd64", "bootID": "6f1c2a4e-2f55-4a52-9d1e-0c7c0f0e3b9a", "containerRuntimeVersion": "containerd://1.7.18",
                  "kernelVersion": "6.1.0-25-amd64", "kubeProxyVersion": "v1.31.0", "kubeletVersion": "v1.31.0",
                  "machineID": "3b0e8b8c4a7f4d2c9a1e5f6d7c8b9a0e", "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)",
                  "systemUUID": "3b0e8b8c-4a7f-4d2c-9a1e-5f6d7c8b9a0e"
                }
              }
            }
            """), "kubelet", asApply: false);

        store.Put(JsonTools.ParseObject("""
            {
              "apiVersion": "v1",
              "kind": "Service",
              "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "labels": { "component": "apiserver", "provider": "kubernetes" }
              },
              "spec": {
                "type": "ClusterIP",
                "clusterIP": "10.96.0.1",
                "clusterIPs": ["10.96.0.1"],
                "ports": [ { "name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443 } ],
                "sessionAffinity": "None"
              }
            }
            """), "kube-apiserver", asApply: false);
    }

    /// <summary>A namespace with what a real cluster puts in it: ServiceAccount "default" and ConfigMap "kube-root-ca.crt".</summary>
    public static void SeedNamespace(EmulatorStore store, string name, JsonObject? labels = null, string manager = "kube-apiserver")
    {
        var ns = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject() },
        };
        store.Put(ns, manager, asApply: manager == IstioManager);
        store.Put(JsonTools.ParseObject($$"""
            { "apiVersion": "v1", "kind": "ServiceAccount", "metadata": { "name": "default", "namespace": "{{name}}" } }
            """), "kube-controller-manager", asApply: false);
        var rootCa = JsonTools.ParseObject($$"""
            {
              "apiVersion": "v1",
              "kind": "ConfigMap",
              "metadata": {
                "name": "kube-root-ca.crt",
                "namespace": "{{name}}",
                "annotations": { "kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." }
              },
              "data": {}
            }
            """);
        rootCa["data"]!["ca.crt"] = EmulatorCertificates.ClusterCaPem;
        store.Put(rootCa, "kube-controller-manager", asApply: false);
    }
}
