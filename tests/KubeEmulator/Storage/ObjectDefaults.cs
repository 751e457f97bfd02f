using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Json;

namespace KubeEmulator.Storage;

/// <summary>
/// Server-side conversions and defaults applied on every write, a small subset of kube-apiserver's:
/// <list type="bullet">
/// <item>Secret: <c>stringData</c> is base64-encoded into <c>data</c> (winning over data) and never stored; type defaults to Opaque.</item>
/// <item>Namespace: spec.finalizers [kubernetes], status.phase Active, label kubernetes.io/metadata.name.</item>
/// <item>Service: type ClusterIP, a clusterIP from 10.96.0.0/16 (kept across updates), sessionAffinity None,
/// ports get protocol TCP, targetPort = port and, for NodePort/LoadBalancer, a nodePort from 30000 up;
/// status.loadBalancer {}.</item>
/// <item>Deployment: replicas 1, revisionHistoryLimit 10, progressDeadlineSeconds 600, RollingUpdate 25%/25%.</item>
/// </list>
/// Nothing else is defaulted (no container defaults such as imagePullPolicy or terminationMessagePath).
/// </summary>
internal sealed class ObjectDefaults
{
    private int _nextClusterIp = 10;
    private int _nextNodePort = 30000;

    public void Apply(ResourceType type, JsonObject obj, JsonObject? existing)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "secrets"):
                ConvertStringData(obj);
                obj["type"] ??= "Opaque";
                break;
            case ("", "namespaces"):
                DefaultNamespace(obj);
                break;
            case ("", "services"):
                DefaultService(obj, existing);
                break;
            case ("apps", "deployments"):
                DefaultDeployment(obj);
                break;
        }
    }

    /// <summary>Secret stringData → data (base64 of the UTF-8 bytes); stringData is write-only.</summary>
    public static void ConvertStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        var data = JsonTools.GetOrAddObject(secret, "data");
        foreach (var (key, value) in stringData)
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? string.Empty;
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        secret.Remove("stringData");
    }

    private static void DefaultNamespace(JsonObject ns)
    {
        var name = JsonTools.GetString(JsonTools.GetObject(ns, "metadata"), "name");
        var labels = JsonTools.GetOrAddObject(JsonTools.Metadata(ns), "labels");
        if (name is not null)
        {
            labels["kubernetes.io/metadata.name"] = name;
        }

        var spec = JsonTools.GetOrAddObject(ns, "spec");
        spec["finalizers"] ??= new JsonArray("kubernetes");
        var status = JsonTools.GetOrAddObject(ns, "status");
        status["phase"] ??= "Active";
    }

    private void DefaultService(JsonObject service, JsonObject? existing)
    {
        var spec = JsonTools.GetOrAddObject(service, "spec");
        spec["type"] ??= "ClusterIP";
        var serviceType = JsonTools.GetString(spec, "type");
        if (serviceType != "ExternalName" && spec["clusterIP"] is null)
        {
            var existingIp = JsonTools.GetString(JsonTools.GetObject(existing, "spec"), "clusterIP");
            var ip = existingIp ?? $"10.96.{_nextClusterIp / 250}.{_nextClusterIp++ % 250 + 1}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }

        spec["sessionAffinity"] ??= "None";
        if (serviceType != "ExternalName")
        {
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        if (serviceType is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        foreach (var port in (spec["ports"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
            if (serviceType is "NodePort" or "LoadBalancer" && port["nodePort"] is null)
            {
                port["nodePort"] = _nextNodePort++;
            }
        }

        var status = JsonTools.GetOrAddObject(service, "status");
        status["loadBalancer"] ??= new JsonObject();
    }

    private static void DefaultDeployment(JsonObject deployment)
    {
        var spec = JsonTools.GetOrAddObject(deployment, "spec");
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        spec["strategy"] ??= new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
        };
    }
}
