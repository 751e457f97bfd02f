using System.Text.Json.Nodes;

namespace KubeEmulator.Fixtures;

/// <summary>
/// The Istio CustomResourceDefinitions the fixtures install. They decide what the emulator serves: removing one
/// (e.g. <c>Store.Delete("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "telemetries.telemetry.istio.io")</c>)
/// removes its API. Schemas are Istio's own for the fixture's minor (<see cref="IstioSchemas"/>), so custom resources
/// are pruned and type-checked as on a cluster with those CRDs.
/// </summary>
internal static class IstioCrds
{
    public static IEnumerable<JsonObject> For(IstioProfile profile)
    {
        string[] networkingVersions = profile.NetworkingV1 ? ["v1alpha3", "v1beta1", "v1"] : ["v1alpha3", "v1beta1"];
        string[] telemetryVersions = profile.TelemetryV1 ? ["v1alpha1", "v1"] : ["v1alpha1"];

        yield return Crd(profile, "install.istio.io", "IstioOperator", "istiooperators", "istiooperator", ["iop", "io"], ["v1alpha1"], "operator");
        yield return Crd(profile, "networking.istio.io", "DestinationRule", "destinationrules", "destinationrule", ["dr"], networkingVersions, "pilot");
        yield return Crd(profile, "networking.istio.io", "Gateway", "gateways", "gateway", ["gw"], networkingVersions, "pilot");
        yield return Crd(profile, "networking.istio.io", "ServiceEntry", "serviceentries", "serviceentry", ["se"], networkingVersions, "pilot");
        yield return Crd(profile, "networking.istio.io", "VirtualService", "virtualservices", "virtualservice", ["vs"], networkingVersions, "pilot");
        yield return Crd(profile, "telemetry.istio.io", "Telemetry", "telemetries", "telemetry", ["telemetry"], telemetryVersions, "istio-pilot");
    }

    private static JsonObject Crd(IstioProfile profile, string group, string kind, string plural, string singular,
        string[] shortNames, string[] versions, string appLabel)
    {
        var groupCategory = group.Replace('.', '-');
        var versionList = new JsonArray();
        foreach (var version in versions)
        {
            versionList.Add(new JsonObject
            {
                ["name"] = version,
                ["served"] = true,
                ["storage"] = version == versions[0],
                ["schema"] = new JsonObject
                {
                    // Istio's published schema for this minor where the test data has it; otherwise anything goes.
                    ["openAPIV3Schema"] = IstioSchemas.For(profile.Version, group, kind, version) ?? new JsonObject
                    {
                        ["type"] = "object",
                        ["x-kubernetes-preserve-unknown-fields"] = true,
                    },
                },
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
            });
        }

        var names = new JsonObject
        {
            ["categories"] = new JsonArray("istio-io", groupCategory),
            ["kind"] = kind,
            ["listKind"] = kind + "List",
            ["plural"] = plural,
            ["shortNames"] = new JsonArray(shortNames.Select(s => (JsonNode)s).ToArray()),
            ["singular"] = singular,
        };

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{plural}.{group}",
                ["labels"] = new JsonObject
                {
                    ["app"] = appLabel,
                    ["chart"] = "istio",
                    ["heritage"] = "Tiller",
                    ["release"] = "istio",
                    ["install.operator.istio.io/owning-resource"] = profile.OwningResource,
                    ["operator.istio.io/component"] = "Base",
                    ["operator.istio.io/version"] = profile.Version,
                },
            },
            ["spec"] = new JsonObject
            {
                ["conversion"] = new JsonObject { ["strategy"] = "None" },
                ["group"] = group,
                ["names"] = names,
                ["scope"] = "Namespaced",
                ["versions"] = versionList,
            },
            ["status"] = new JsonObject
            {
                ["acceptedNames"] = names.DeepClone(),
                ["conditions"] = new JsonArray(
                    Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                    Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
                ["storedVersions"] = new JsonArray(versions[0]),
            },
        };
    }

    private static JsonObject Condition(string type, string reason, string message) => new()
    {
        ["lastTransitionTime"] = "2024-09-01T10:05:00Z",
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = "True",
        ["type"] = type,
    };
}
