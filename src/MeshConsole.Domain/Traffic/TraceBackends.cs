namespace MeshConsole.Domain.Traffic;

public enum TraceBackendKind
{
    LightStep,
    Jaeger,
    GrafanaTempo,
    Honeycomb,
}

/// <summary>The trace-by-id API the console reads a backend's traces from.</summary>
public enum TraceQueryApi
{
    /// <summary>LightStep's public API, stored-traces by span id.</summary>
    LightStepPublicApi,
    /// <summary>Jaeger's query API, <c>GET /api/traces/{traceID}</c> (Jaeger's own JSON model).</summary>
    JaegerQuery,
    /// <summary>Grafana Tempo's query API, <c>GET /api/traces/{traceID}</c> (OTLP JSON).</summary>
    TempoQuery,
}

public enum OtlpTransport
{
    Grpc,
    HttpProtobuf,
}

/// <summary>A header the OTLP destination needs; its value is a secret kept like the access token, so only the name is here.</summary>
public sealed record OtlpHeaderName(string Name);

/// <summary>
/// Where the mesh (and the console's root spans) send traces for a backend other than LightStep: any OTLP endpoint with
/// headers. This is the input the plan builder needs to emit Istio's <c>opentelemetry</c> extension provider for it
/// (service, port, and from Istio 1.22 <c>http.headers</c> / from 1.24 <c>grpc.initialMetadata</c>; facts in
/// /work/shared/notes), directly or through the collector route.
/// </summary>
/// <param name="Host">A host name (in-cluster service FQDN or public host), no scheme.</param>
/// <param name="Path">The OTLP/HTTP path (e.g. /v1/traces), or null for gRPC.</param>
public sealed record OtlpTraceDestination(string Host, int Port, OtlpTransport Transport, bool Secure, string? Path, IReadOnlyList<OtlpHeaderName> Headers);

/// <summary>A Kubernetes Service the console can reach through the API server's service proxy.</summary>
public sealed record InClusterService(string Namespace, string Name, int Port);

/// <summary>
/// One tracing backend (Kiali's tracing URL providers are the model: one interface, one class per backend, links
/// from a user-set EXTERNAL URL that has nothing to do with the address spans are sent to or read from). What is
/// LightStep-specific stays behind this interface.
/// </summary>
public interface ITraceBackend
{
    TraceBackendKind Kind { get; }

    /// <summary>The product's name, not translated.</summary>
    string Name { get; }

    /// <summary>The link template the preset starts with; the user edits its host, team or project part.</summary>
    string DefaultLinkTemplate { get; }

    /// <summary>How the console reads a trace back, or null when the backend has no trace-by-id API the console can use.</summary>
    TraceQueryApi? QueryApi { get; }

    /// <summary>The query API's usual base URL outside the cluster (the user may change it), or null.</summary>
    Uri? DefaultQueryBaseUrl { get; }

    /// <summary>The usual in-cluster Service of the query API (reached through the API server's service proxy), or null.</summary>
    InClusterService? DefaultQueryService { get; }

    /// <summary>
    /// Where the mesh sends spans for this backend; null when there is no usual address (the user sets it) and for
    /// LightStep, whose destination the plan already derives.
    /// </summary>
    OtlpTraceDestination? DefaultDestination { get; }

    /// <summary>The header that carries the query API's key (sent as-is, or "bearer {key}" for Authorization), or null for none.</summary>
    string? QueryKeyHeader { get; }
}

/// <summary>
/// LightStep (ServiceNow Cloud Observability): the default. Links as LightStep's own tracers print them (see
/// <see cref="LightStepTraceLinks"/>); traces from its public API; spans to the destination the plan derives.
/// </summary>
public sealed class LightStepBackend : ITraceBackend
{
    public TraceBackendKind Kind => TraceBackendKind.LightStep;
    public string Name => "LightStep";
    public string DefaultLinkTemplate => LightStepTraceLinks.DefaultTemplate;
    public TraceQueryApi? QueryApi => TraceQueryApi.LightStepPublicApi;
    /// <summary>api-docs.lightstep.com: https://api.lightstep.com/public/v0.2/….</summary>
    public Uri? DefaultQueryBaseUrl { get; } = new("https://api.lightstep.com");
    public InClusterService? DefaultQueryService => null;
    public OtlpTraceDestination? DefaultDestination => null;
    public string? QueryKeyHeader => "Authorization";
}

/// <summary>
/// Jaeger, e.g. Istio's addon (istio/istio samples/addons/jaeger.yaml: Service <c>tracing</c> in istio-system, port 80
/// to the query UI/API on 16686; Service <c>jaeger-collector</c> with OTLP/gRPC on 4317). Links as Kiali's
/// JaegerUrlProvider builds them (<c>{url}/trace/{traceID}</c>, kiali frontend/src/utils/tracing/UrlProviders/Jaeger.ts),
/// starting from <c>istioctl dashboard jaeger</c>'s local port 16686 (istioctl/pkg/dashboard/dashboard.go).
/// </summary>
public sealed class JaegerBackend : ITraceBackend
{
    public TraceBackendKind Kind => TraceBackendKind.Jaeger;
    public string Name => "Jaeger";
    public string DefaultLinkTemplate => "http://localhost:16686/trace/{traceId}";
    public TraceQueryApi? QueryApi => TraceQueryApi.JaegerQuery;
    public Uri? DefaultQueryBaseUrl { get; } = new("http://localhost:16686");
    public InClusterService? DefaultQueryService { get; } = new("istio-system", "tracing", 80);
    public OtlpTraceDestination? DefaultDestination { get; } =
        new("jaeger-collector.istio-system.svc.cluster.local", 4317, OtlpTransport.Grpc, false, null, []);
    public string? QueryKeyHeader => null;
}

/// <summary>
/// Grafana Tempo: traces from its query API (grafana.com/docs/tempo/latest/api_docs: <c>GET /api/traces/&lt;traceID&gt;</c>
/// on the HTTP port, 3200 in Kiali's Tempo example, kiali.io content/en/docs/Configuration/p8s-jaeger-grafana/tracing/tempo.md).
/// Istio ships no Tempo addon, so there is no usual in-cluster Service or OTLP address: the user sets both. Links into Grafana's Explore with a TraceQL query of the trace id, as Kiali's
/// GrafanaUrlProvider builds them (frontend/src/utils/tracing/UrlProviders/Grafana.ts, Grafana ≥ 10.1 URL schema);
/// the user sets Grafana's URL and the Tempo data source's uid.
/// </summary>
public sealed class GrafanaTempoBackend : ITraceBackend
{
    public TraceBackendKind Kind => TraceBackendKind.GrafanaTempo;
    public string Name => "Grafana Tempo";
    // panes={"a":{"datasource":"tempo","queries":[{"refId":"A","datasource":{"uid":"tempo","type":"tempo"},"queryType":"traceql","query":"{traceId}"}]}}
    public string DefaultLinkTemplate =>
        "http://localhost:3000/explore?schemaVersion=1&orgId=1&panes=%7B%22a%22%3A%7B%22datasource%22%3A%22tempo%22%2C%22queries%22%3A%5B%7B%22refId%22%3A%22A%22%2C%22datasource%22%3A%7B%22uid%22%3A%22tempo%22%2C%22type%22%3A%22tempo%22%7D%2C%22queryType%22%3A%22traceql%22%2C%22query%22%3A%22{traceId}%22%7D%5D%7D%7D";
    public TraceQueryApi? QueryApi => TraceQueryApi.TempoQuery;
    public Uri? DefaultQueryBaseUrl { get; } = new("http://localhost:3200");
    public InClusterService? DefaultQueryService => null;
    public OtlpTraceDestination? DefaultDestination => null;
    public string? QueryKeyHeader => null;
}

/// <summary>
/// Honeycomb: spans over OTLP/gRPC to <c>api.honeycomb.io:443</c> with the key in <c>x-honeycomb-team</c>
/// (docs.honeycomb.io/send-data/opentelemetry). Direct trace links as Honeycomb documents them
/// (docs.honeycomb.io/investigate/collaborate/share-trace: <c>https://ui.honeycomb.io/{team}/environments/{environment}/datasets/{dataset}/trace?trace_id=…&amp;span=…&amp;trace_start_ts=…&amp;trace_end_ts=…</c>,
/// times in Unix seconds); the user replaces TEAM, ENVIRONMENT and DATASET. Honeycomb has no trace-by-id read API the
/// console could use with an ingest key, so the console shows the link and no waterfall.
/// </summary>
public sealed class HoneycombBackend : ITraceBackend
{
    public TraceBackendKind Kind => TraceBackendKind.Honeycomb;
    public string Name => "Honeycomb";
    public string DefaultLinkTemplate =>
        "https://ui.honeycomb.io/TEAM/environments/ENVIRONMENT/datasets/DATASET/trace?trace_id={traceId}&span={spanId}&trace_start_ts={startSeconds}&trace_end_ts={endSeconds}";
    public TraceQueryApi? QueryApi => null;
    public Uri? DefaultQueryBaseUrl => null;
    public InClusterService? DefaultQueryService => null;
    public OtlpTraceDestination? DefaultDestination { get; } =
        new("api.honeycomb.io", 443, OtlpTransport.Grpc, true, null, [new OtlpHeaderName("x-honeycomb-team")]);
    public string? QueryKeyHeader => null;
}

public static class TraceBackends
{
    public static ITraceBackend LightStep { get; } = new LightStepBackend();

    /// <summary>LightStep first (the default), then the other presets.</summary>
    public static IReadOnlyList<ITraceBackend> All { get; } = [LightStep, new JaegerBackend(), new GrafanaTempoBackend(), new HoneycombBackend()];

    public static ITraceBackend For(TraceBackendKind kind) => All.Single(b => b.Kind == kind);
}
