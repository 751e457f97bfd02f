namespace KubeEmulator;

/// <summary>
/// One request the emulator received.
/// </summary>
/// <param name="Method">HTTP method, e.g. "PATCH".</param>
/// <param name="Path">Request path without the query, e.g. "/api/v1/namespaces/istio-system/configmaps/istio".</param>
/// <param name="Query">The raw (still URL-encoded) query string without the leading '?', "" when none,
/// e.g. "fieldManager=console&amp;force=true". Use <see cref="QueryValue"/> for decoded values.</param>
/// <param name="ContentType">The request Content-Type header as sent, e.g. "application/apply-patch+yaml; charset=utf-8".</param>
/// <param name="StatusCode">The response status; 0 when the connection was reset (fault injection or client abort).</param>
/// <param name="At">When the request arrived.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, int StatusCode, DateTimeOffset At)
{
    /// <summary>The decoded value of a query parameter (the first one when repeated), or null.</summary>
    public string? QueryValue(string name)
    {
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query);
        return values.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
    }

    /// <summary>The media type without parameters ("application/apply-patch+yaml"), or null.</summary>
    public string? MediaType => ContentType?.Split(';')[0].Trim();

    public override string ToString() => $"{Method} {Path}{(Query.Length > 0 ? "?" + Query : string.Empty)} -> {StatusCode}";
}
