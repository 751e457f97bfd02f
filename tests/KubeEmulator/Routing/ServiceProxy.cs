using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using KubeEmulator.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>
/// The API server's service proxy, <c>GET /api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/{path}</c>, authorized
/// as verb get on subresource services/proxy. No workload runs in the emulator, so a test says what the endpoint behind
/// a service answers; a service without an answer gets what kube-apiserver sends when the service has no ready
/// endpoints: 503 with "no endpoints available for service".
/// </summary>
public sealed partial class ServiceProxy
{
    private readonly ConcurrentDictionary<(string Namespace, string Service, string Port, string Path), (int Status, string Body)> _answers = new();

    /// <summary>What the pods behind <paramref name="service"/> answer on <paramref name="port"/> at <paramref name="path"/>.</summary>
    public void Answer(string ns, string service, int port, string path, int status, string body) =>
        _answers[(ns, service, port.ToString(System.Globalization.CultureInfo.InvariantCulture), path)] = (status, body);

    internal static bool Matches(string requestPath) => ProxyPath().IsMatch(requestPath);

    internal async Task HandleAsync(HttpContext context, EmulatorStore store, AccessRules access)
    {
        var match = ProxyPath().Match(context.Request.Path.Value ?? "");
        var (ns, service, port, path) = (match.Groups["ns"].Value, match.Groups["svc"].Value, match.Groups["port"].Value, "/" + match.Groups["path"].Value);
        if (!access.IsAllowed("get", "", "services", "proxy", ns))
            throw ApiException.Forbidden("", "services", service, AccessRules.ForbiddenReason("get", "", "services", "proxy", ns));
        if (store.Get("v1", "Service", ns, service) is null)
            throw ApiException.NotFound("", "services", service);
        if (_answers.TryGetValue((ns, service, port, path), out var answer))
        {
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
            return;
        }
        throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{service}\"");
    }

    [GeneratedRegex(@"^/api/v1/namespaces/(?<ns>[^/]+)/services/(?<svc>[^/:]+)(:(?<port>[^/]+))?/proxy(/(?<path>.*))?$")]
    private static partial Regex ProxyPath();
}
