using System.Net;
using System.Net.Http.Headers;
using k8s;
using MeshConsole.Domain.Traffic;

namespace WebConsole.Features.Traffic;

public enum TraceFetchState : byte
{
    Found,
    /// <summary>The backend does not have the trace (yet): 404 or no spans.</summary>
    NotYet,
    Failed,
}

/// <summary>One trace fetch: the trace, not there yet, or failed with a reason code (<see cref="VerificationReasons"/>).</summary>
public sealed record TraceFetchResult(TraceFetchState State, FetchedTrace? Trace, string? Reason)
{
    public static TraceFetchResult NotYet { get; } = new(TraceFetchState.NotYet, null, null);
    public static TraceFetchResult Found(FetchedTrace trace) =>
        trace.Spans.Count == 0 ? NotYet : new(TraceFetchState.Found, trace, null);
    public static TraceFetchResult Failed(string reason) => new(TraceFetchState.Failed, null, reason);
}

/// <summary>
/// Reads one trace back from a tracing backend (one class per backend's query API; which one a backend uses is
/// <see cref="ITraceBackend.QueryApi"/>). A key, if any, goes only into a request header: never into a result, an
/// exception or a log.
/// </summary>
public interface ITraceSource
{
    TraceQueryApi Api { get; }

    /// <summary>The trace whose root the console reported with <paramref name="root"/>'s ids.</summary>
    Task<TraceFetchResult> FetchAsync(TraceIdentity root, CancellationToken ct);
}

/// <summary>How a query API is reached: directly by URL, or through the Kubernetes API server's service proxy.</summary>
public interface ITraceQueryTransport
{
    /// <summary>Where requests go, for display (no credentials in it).</summary>
    Uri BaseUrl { get; }

    /// <summary>GET <paramref name="relative"/> (path and query, no leading slash) below <see cref="BaseUrl"/>.</summary>
    Task<HttpResponseMessage> GetAsync(string relative, string accept, (string Name, string Value)? secretHeader, CancellationToken ct);
}

/// <summary>A query API reached by its URL (a port-forward, an ingress, a SaaS endpoint).</summary>
public sealed class DirectTraceQueryTransport(HttpClient http, Uri baseUrl) : ITraceQueryTransport
{
    public Uri BaseUrl { get; } = new(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");

    public Task<HttpResponseMessage> GetAsync(string relative, string accept, (string Name, string Value)? secretHeader, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, relative));
        request.Headers.Accept.ParseAdd(accept);
        if (secretHeader is { } header) AddSecretHeader(request, header);
        return SendAsync(http, request, ct);
    }

    internal static void AddSecretHeader(HttpRequestMessage request, (string Name, string Value) header)
    {
        if (header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", header.Value);
        else
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        using (request) return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }
}

/// <summary>
/// A query API inside the cluster, reached through the API server's service proxy
/// (<c>{server}/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}</c>, Kubernetes API reference "Proxy
/// Operations" for Service; e.g. Istio's Jaeger addon, Service <c>tracing</c> port 80 in istio-system), with the
/// kubeconfig's credentials. Needs <c>get</c> on <c>services/proxy</c> in that namespace.
/// </summary>
public sealed class ServiceProxyTraceQueryTransport : ITraceQueryTransport
{
    private readonly Kubernetes kubernetes;

    public ServiceProxyTraceQueryTransport(Kubernetes kubernetes, InClusterService service)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(service);
        this.kubernetes = kubernetes;
        Service = service;
        BaseUrl = ProxyBase(kubernetes.BaseUri, service);
    }

    public InClusterService Service { get; }

    public Uri BaseUrl { get; }

    public static Uri ProxyBase(Uri apiServer, InClusterService service) =>
        new($"{apiServer.GetLeftPart(UriPartial.Path).TrimEnd('/')}/api/v1/namespaces/{Uri.EscapeDataString(service.Namespace)}/services/{Uri.EscapeDataString(service.Name)}:{service.Port}/proxy/");

    public async Task<HttpResponseMessage> GetAsync(string relative, string accept, (string Name, string Value)? secretHeader, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, relative));
        request.Headers.Accept.ParseAdd(accept);
        // The kubeconfig's credentials (bearer token, exec plugin, …) are added the way KubernetesClient adds them to its own calls.
        if (kubernetes.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        if (secretHeader is { } header && !header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            DirectTraceQueryTransport.AddSecretHeader(request, header);
        return await DirectTraceQueryTransport.SendAsync(kubernetes.HttpClient, request, ct).ConfigureAwait(false);
    }
}

/// <summary>The common part of every query API: status codes to results, transport failures to reason codes.</summary>
internal static class TraceQuery
{
    public static async Task<TraceFetchResult> FetchAsync(ITraceQueryTransport transport, string relative, string accept,
        (string, string)? secretHeader, Func<string, FetchedTrace> parse, CancellationToken ct)
    {
        try
        {
            using var response = await transport.GetAsync(relative, accept, secretHeader, ct).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    try { return TraceFetchResult.Found(parse(body)); }
                    catch (FormatException) { return TraceFetchResult.Failed(VerificationReasons.InvalidResponse); }
                case HttpStatusCode.NotFound when transport is ServiceProxyTraceQueryTransport
                    && IsKubernetesStatus(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)):
                    // The API server's own 404 (a Status document): the Service is not there; the backend's 404 is not a Status.
                    return TraceFetchResult.Failed(VerificationReasons.ServiceNotFound);
                case HttpStatusCode.NotFound:
                    return TraceFetchResult.NotYet;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return TraceFetchResult.Failed(VerificationReasons.ApiKeyRefused);
                case HttpStatusCode.TooManyRequests:
                    return TraceFetchResult.Failed(VerificationReasons.RateLimited);
                case HttpStatusCode.ServiceUnavailable when transport is ServiceProxyTraceQueryTransport:
                    return TraceFetchResult.Failed(VerificationReasons.NoEndpoints); // "no endpoints available for service"
                case >= HttpStatusCode.InternalServerError:
                    return TraceFetchResult.Failed(VerificationReasons.ServerError);
                default:
                    return TraceFetchResult.Failed(VerificationReasons.UnexpectedStatus);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TraceFetchResult.Failed(VerificationReasons.Timeout);
        }
        catch (HttpRequestException)
        {
            return TraceFetchResult.Failed(VerificationReasons.Unreachable);
        }
    }

    private static bool IsKubernetesStatus(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == System.Text.Json.JsonValueKind.String
                && kind.GetString() == "Status";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}

/// <summary>Jaeger's query API: <c>GET api/traces/{traceID}</c>, Jaeger's JSON model (see <see cref="TraceJson.ParseJaeger"/>).</summary>
public sealed class JaegerTraceSource(ITraceQueryTransport transport) : ITraceSource
{
    public TraceQueryApi Api => TraceQueryApi.JaegerQuery;

    public Task<TraceFetchResult> FetchAsync(TraceIdentity root, CancellationToken ct) =>
        TraceQuery.FetchAsync(transport, "api/traces/" + root.TraceIdHex, "application/json", null, TraceJson.ParseJaeger, ct);
}

/// <summary>
/// Grafana Tempo's query API: <c>GET api/traces/{traceID}</c> with <c>Accept: application/json</c> for OTLP JSON
/// (grafana.com/docs/tempo/latest/api_docs, "Query"; without it Tempo may answer protobuf). An optional key (a
/// Grafana Cloud token, a gateway's) goes in the Authorization header as a bearer token.
/// </summary>
public sealed class TempoTraceSource(ITraceQueryTransport transport, string? apiKey = null) : ITraceSource
{
    public TraceQueryApi Api => TraceQueryApi.TempoQuery;

    public Task<TraceFetchResult> FetchAsync(TraceIdentity root, CancellationToken ct) =>
        TraceQuery.FetchAsync(transport, "api/traces/" + root.TraceIdHex, "application/json",
            string.IsNullOrEmpty(apiKey) ? null : ("Authorization", apiKey), TraceJson.ParseOtlp, ct);

    public override string ToString() => $"TempoTraceSource {{ {transport.BaseUrl}, key {(string.IsNullOrEmpty(apiKey) ? "none" : "••••")} }}";
}

/// <summary>LightStep's public API, by the root span's id (see <see cref="LightStepTraceVerifier.FetchTraceAsync"/>).</summary>
public sealed class LightStepTraceSource(LightStepTraceVerifier verifier, TraceVerificationSettings settings) : ITraceSource
{
    public TraceQueryApi Api => TraceQueryApi.LightStepPublicApi;

    public Task<TraceFetchResult> FetchAsync(TraceIdentity root, CancellationToken ct) => verifier.FetchTraceAsync(settings, root.SpanId, ct);
}
