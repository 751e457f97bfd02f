using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator.Errors;
using KubeEmulator.Json;

namespace KubeEmulator.Storage;

/// <summary>
/// A list request's <c>limit</c> and <c>continue</c> (https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks).
/// The continue token is opaque to clients; here it is base64 of the first chunk's resourceVersion and the last key
/// (namespace/name) served.
/// </summary>
internal sealed record ListChunk(int? Limit, string? After, string? ResourceVersion)
{
    public static readonly ListChunk All = new(null, null, null);

    /// <exception cref="ApiException">400 BadRequest for a limit that is not a number or a token this server did not issue.</exception>
    public static ListChunk Parse(string? limit, string? token)
    {
        int? parsedLimit = null;
        if (!string.IsNullOrEmpty(limit))
        {
            if (!long.TryParse(limit, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                throw ApiException.BadRequest($"unable to parse quantity's suffix: limit={limit}");
            }

            // 0 or less means no limit (ListOptions: "limit is a maximum number of responses to return").
            parsedLimit = value > 0 ? (int)Math.Min(value, int.MaxValue) : null;
        }

        if (string.IsNullOrEmpty(token))
        {
            return new ListChunk(parsedLimit, null, null);
        }

        try
        {
            var decoded = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token))) as JsonObject;
            var rv = JsonTools.GetString(decoded, "rv");
            var start = JsonTools.GetString(decoded, "start");
            if (rv is null || start is null || !start.Contains('/'))
            {
                throw new FormatException();
            }

            return new ListChunk(parsedLimit, start, rv);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw ApiException.BadRequest("continue key is not valid: illegal base64 data at input byte 0");
        }
    }

    public static string Token(string resourceVersion, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = resourceVersion, ["start"] = lastKey }.ToJsonString()));

    /// <summary>namespace/name ("/name" when cluster-scoped); neither part can contain a slash.</summary>
    public static string KeyOf(JsonObject obj)
    {
        var metadata = JsonTools.GetObject(obj, "metadata");
        return $"{JsonTools.GetString(metadata, "namespace")}/{JsonTools.GetString(metadata, "name")}";
    }

    /// <summary>True when <paramref name="obj"/> comes after this chunk's last key in list order (namespace, then name).</summary>
    public bool Follows(JsonObject obj)
    {
        if (After is null) return true;
        var slash = After.IndexOf('/');
        var metadata = JsonTools.GetObject(obj, "metadata");
        var byNamespace = string.CompareOrdinal(JsonTools.GetString(metadata, "namespace") ?? string.Empty, After[..slash]);
        return byNamespace > 0 || (byNamespace == 0 && string.CompareOrdinal(JsonTools.GetString(metadata, "name"), After[(slash + 1)..]) > 0);
    }
}
