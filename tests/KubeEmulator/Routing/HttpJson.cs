using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeEmulator.Errors;
using KubeEmulator.Json;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>Reading request bodies and writing JSON responses the way kube-apiserver does.</summary>
internal static class HttpJson
{
    public const string JsonContentType = "application/json";

    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        var bytes = Encoding.UTF8.GetBytes(JsonTools.ToWire(body));
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        foreach (var (name, value) in error.Headers)
        {
            context.Response.Headers[name] = value;
        }

        return WriteAsync(context, error.Code, error.ToStatus());
    }

    public static async Task WriteTextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    /// <summary>The media type of the request without parameters, lower case ("application/json"); null when absent.</summary>
    public static string? MediaType(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';');
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    /// <summary>Reads the body as JSON. Null for an empty body.</summary>
    /// <exception cref="ApiException">400 when it is not JSON.</exception>
    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, Func<string, ApiException>? notJson = null)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw notJson?.Invoke(text) ?? ApiException.BadRequest($"the body of the request is not valid JSON: {e.Message}");
        }
    }
}
