using System.Text.Json.Nodes;

namespace KubeEmulator.Errors;

/// <summary>Builds meta/v1 Status documents exactly as kube-apiserver serializes them.</summary>
internal static class StatusDocuments
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details.DeepClone();
        }

        status["code"] = code;
        return status;
    }

    /// <summary>The body of a successful DELETE of a resource that does not return the deleted object.</summary>
    public static JsonObject DeleteSuccess(string group, string resource, string name, string? uid)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = resource; // yes, kube-apiserver puts the resource (plural) here
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }
}
