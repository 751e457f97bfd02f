using System.Globalization;
using System.Text.Json.Nodes;
using KubeEmulator.Errors;

namespace KubeEmulator.Storage;

/// <summary>
/// A list's <c>resourceVersion</c> and <c>resourceVersionMatch</c>
/// (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions, "Semantics for get and list"):
/// unset = most recent; "0" = any (here: the most recent); N with NotOlderThan (or no match) = at least N; N with
/// Exact = exactly N. Validated as ListOptions are (422 Invalid).
/// </summary>
internal sealed record ReadVersion(long? AtLeast, long? Exactly)
{
    public static readonly ReadVersion MostRecent = new(null, null);

    public static ReadVersion Parse(string? resourceVersion, string? match, bool continuing)
    {
        resourceVersion = string.IsNullOrEmpty(resourceVersion) ? null : resourceVersion;
        match = string.IsNullOrEmpty(match) ? null : match;
        var errors = new List<FieldError>();
        if (match is not null && resourceVersion is null)
        {
            errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
        }

        if (match is not null and not ("Exact" or "NotOlderThan"))
        {
            errors.Add(FieldError.NotSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan"]));
        }

        if (match == "Exact" && resourceVersion == "0")
        {
            errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
        }

        if (continuing && resourceVersion is not null && resourceVersion != "0")
        {
            errors.Add(FieldError.Forbidden("resourceVersion", "specifying resource version is not allowed when using continue"));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid("meta.k8s.io", "ListOptions", string.Empty, errors);
        }

        if (resourceVersion is null or "0")
        {
            return MostRecent;
        }

        if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw ApiException.BadRequest($"invalid resource version: {resourceVersion}");
        }

        return match == "Exact" ? new ReadVersion(null, value) : new ReadVersion(value, null);
    }

    /// <summary>
    /// 504 Timeout when the server has not reached the asked version (kube-apiserver waits a few seconds first, then
    /// answers "Too large resource version" with retryAfterSeconds 1).
    /// </summary>
    public void RequireReached(long current)
    {
        if ((AtLeast ?? Exactly) is { } asked && asked > current)
        {
            var error = new ApiException(504, "Timeout", $"Too large resource version: {asked}, current: {current}", new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "ResourceVersionTooLarge",
                    ["message"] = "Too large resource version",
                }),
                ["retryAfterSeconds"] = 1,
            });
            error.Headers["Retry-After"] = "1";
            throw error;
        }
    }
}
