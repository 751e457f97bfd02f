using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeEmulator.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>
/// The API server's service proxy, <c>/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}</c>
/// (kubernetes pkg/registry/core/service/storage ResourceLocation), authorized as verb get on subresource
/// services/proxy. The Service must exist (else 404 NotFound for services), the port is matched against the Service's
/// port names and numbers (none given: the Service must have exactly one port), and a Service without an endpoint
/// answers 503 ServiceUnavailable "no endpoints available for service". The emulator runs no pods, so a test says what
/// stands behind a Service's port: a fixed answer per path (<see cref="Answer"/>) or a loopback server GET and HEAD
/// are forwarded to with the query string and Accept (<see cref="Expose"/>).
/// </summary>
public sealed partial class ServiceProxy(EmulatorStore store, AccessRules access)
{
    private static readonly HttpClient Upstream = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<(string Namespace, string Service, int Port, string Path), (int Status, string Body)> _answers = new();
    private readonly ConcurrentDictionary<(string Namespace, string Service, int Port), Uri> _endpoints = new();

    /// <summary>What the pods behind <paramref name="service"/> answer on <paramref name="port"/> at <paramref name="path"/>.</summary>
    public void Answer(string ns, string service, int port, string path, int status, string body) =>
        _answers[(ns, service, port, path)] = (status, body);

    /// <summary>Forwards requests for port <paramref name="port"/> of the Service to <paramref name="upstream"/>.</summary>
    public void Expose(string ns, string service, int port, Uri upstream) => _endpoints[(ns, service, port)] = upstream;

    internal static bool Matches(string requestPath) => ProxyPath().IsMatch(requestPath);

    internal async Task HandleAsync(HttpContext context)
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
        if (!access.IsAllowed("get", "", "services", "proxy", ns))
            throw ApiException.Forbidden("", "services", name, AccessRules.ForbiddenReason("get", "", "services", "proxy", ns));
        var service = store.Get("v1", "Service", ns, name) ?? throw ApiException.NotFound("", "services", name);
        var ports = service["spec"]?["ports"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var port = ports.FirstOrDefault(p => portText.Length == 0 ? ports.Count == 1
            : (string?)p["name"] == portText || p["port"]?.ToString() == portText);
        if (port is null) throw NoEndpoints(name);
        var number = (int)port["port"]!;
        var path = "/" + (match.Groups["rest"].Value.TrimStart('/'));

        if (_answers.TryGetValue((ns, name, number, path), out var answer))
        {
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
            return;
        }
        if (!_endpoints.TryGetValue((ns, name, number), out var upstream)) throw NoEndpoints(name);
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            throw ApiException.MethodNotAllowed();

        var url = new Uri(upstream, path.TrimStart('/') + context.Request.QueryString.Value);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), url);
        if (context.Request.Headers.Accept.Count > 0) request.Headers.TryAddWithoutValidation("Accept", context.Request.Headers.Accept.ToString());
        using var response = await Upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } type) context.Response.ContentType = type.ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static ApiException NoEndpoints(string service) =>
        new(503, "ServiceUnavailable", string.Create(CultureInfo.InvariantCulture, $"no endpoints available for service \"{service}\""));

    [GeneratedRegex("^/api/v1/namespaces/(?<ns>[^/]+)/services/(?<target>[^/]+)/proxy(?<rest>/.*)?$")]
    private static partial Regex ProxyPath();
}
