using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WebConsole.Features.Access;

/// <summary>
/// The console's own traces and metrics (ASP.NET Core, HttpClient, which carries every Kubernetes API call),
/// exported over OTLP only when an endpoint is configured: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with the usual
/// OTEL_EXPORTER_OTLP_PROTOCOL/HEADERS, OTEL_SERVICE_NAME) or <c>Console:Telemetry:OtlpEndpoint</c>. Without one,
/// OpenTelemetry is not even registered.
/// </summary>
public static class Telemetry
{
    public const string DefaultServiceName = "lightstep-mesh-console";

    public static WebApplicationBuilder AddMeshConsoleTelemetry(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Console:Telemetry:OtlpEndpoint"];
        var standard = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(configured) && string.IsNullOrWhiteSpace(standard)) return builder;
        Uri? endpoint = null;
        if (!string.IsNullOrWhiteSpace(configured) && !Uri.TryCreate(configured.Trim(), UriKind.Absolute, out endpoint))
            throw new StartupRefusedException($"Refusing to start: Console:Telemetry:OtlpEndpoint is '{configured}'; use an absolute URL such as http://otel-collector:4317.");

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
                serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/readyz");
                    options.EnrichWithHttpRequest = (activity, _) => SensitiveUrlRedactor.Redact(activity);
                })
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = (activity, _) => SensitiveUrlRedactor.Redact(activity))
                .AddProcessor(new SensitiveUrlRedactor())
                .AddOtlpExporter(options =>
                {
                    if (endpoint is not null) options.Endpoint = endpoint;
                }))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(options =>
                {
                    if (endpoint is not null) options.Endpoint = endpoint;
                }));
        return builder;
    }
}

/// <summary>
/// Keeps secrets out of span attributes whatever the instrumentation's own settings: every query-string value in a
/// URL attribute becomes "Redacted" (the sign-in URL's key, an OpenID Connect code or state), and the sign-in
/// paths lose their query string entirely. The instrumentation redacts query values by default too, but that can
/// be switched off with an environment variable; this cannot.
/// </summary>
public sealed class SensitiveUrlRedactor : BaseProcessor<Activity>
{
    private static readonly string[] UrlTags = ["url.query", "url.full", "http.url", "http.target", "url.original"];

    public override void OnEnd(Activity data) => Redact(data);

    public static void Redact(Activity activity)
    {
        foreach (var tag in UrlTags)
        {
            if (activity.GetTagItem(tag) is not string value || value.Length == 0) continue;
            var redacted = tag == "url.query" ? RedactQuery(value, activity.GetTagItem("url.path") as string) : RedactUrl(value);
            if (!ReferenceEquals(redacted, value) && redacted != value) activity.SetTag(tag, redacted);
        }
    }

    private static string RedactUrl(string url)
    {
        var fragment = url.IndexOf('#');
        if (fragment >= 0) url = url[..fragment];
        var query = url.IndexOf('?');
        if (query < 0) return url;
        var path = url[..query];
        return path + RedactQuery(url[query..], path);
    }

    private static string RedactQuery(string query, string? path)
    {
        var text = query.StartsWith('?') ? query[1..] : query;
        if (path is not null && (path.Contains("/signin", StringComparison.OrdinalIgnoreCase) || path.Contains("/signout", StringComparison.OrdinalIgnoreCase)))
            return query.StartsWith('?') ? "?Redacted" : "Redacted";
        var parts = text.Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=');
            return equals < 0 ? (pair.Length == 0 ? pair : "Redacted") : pair[..equals] + "=Redacted";
        });
        return (query.StartsWith('?') ? "?" : "") + string.Join("&", parts);
    }
}
