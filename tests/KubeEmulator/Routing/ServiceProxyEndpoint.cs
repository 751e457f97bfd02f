using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeEmulator.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>
/// The API server's service proxy, <c>/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}</c>
/// (kubernetes pkg/registry/core/service/storage ResourceLocation): the Service must exist (else 404 NotFound for
/// services), the port is matched against the Service's port names and numbers (none given: the Service must have
/// exactly one port), and a Service without an endpoint answers 503 ServiceUnavailable "no endpoints available for
/// service". The emulator runs no pods, so the test says where a Service's port "runs" with
/// <see cref="KubeApiEmulator.ExposeService"/>; GET and HEAD are forwarded there with the query string and Accept.
/// </summary>
internal sealed partial class ServiceProxyEndpoint(EmulatorStore store)
{
    private static readonly HttpClient Upstream = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<(string Namespace, string Name, int Port), Uri> endpoints = new();

    public void Expose(string ns, string name, int port, Uri upstream) => endpoints[(ns, name, port)] = upstream;

    public static bool Matches(string path) => ProxyPath().IsMatch(path);

    public async Task HandleAsync(HttpContext context)
    {
        var match = ProxyPath().Match(context.Request.Path.Value ?? "/");
        var ns = match.Groups["ns"].Value;
        var target = Uri.UnescapeDataString(match.Groups["target"].Value).Split(':');
        var (name, portText) = target.Length switch
        {
            1 => (target[0], ""),
            2 => (target[0], target[1]),
            _ => (target[1], target[2]), // scheme:name:port
        };
        var service = store.Get("v1", "Service", ns, name) ?? throw ApiException.NotFound("", "services", name);
        var ports = service["spec"]?["ports"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var port = ports.FirstOrDefault(p => portText.Length == 0 ? ports.Count == 1
            : (string?)p["name"] == portText || p["port"]?.ToString() == portText);
        if (port is null || !endpoints.TryGetValue((ns, name, (int)port["port"]!), out var upstream))
            throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{name}\"");
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            throw ApiException.MethodNotAllowed();

        var rest = match.Groups["rest"].Value;
        var url = new Uri(upstream, rest.TrimStart('/') + context.Request.QueryString.Value);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), url);
        if (context.Request.Headers.Accept.Count > 0) request.Headers.TryAddWithoutValidation("Accept", context.Request.Headers.Accept.ToString());
        using var response = await Upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } type) context.Response.ContentType = type.ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    [GeneratedRegex("^/api/v1/namespaces/(?<ns>[^/]+)/services/(?<target>[^/]+)/proxy(?<rest>/.*)?$")]
    private static partial Regex ProxyPath();
}
