using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebConsole.Features.Health;

/// <summary>
/// <c>/healthz</c>: the process is up (liveness, the image's HEALTHCHECK). <c>/readyz</c>: the console can do its
/// work: offline (no cluster configured), or the default context's API server answers <c>/version</c> within
/// <see cref="KubeApiServerHealthCheck.Budget"/> (readiness). Plain-text bodies; both answer without sign-in,
/// because probes cannot sign in, and neither says more than a short reason.
/// </summary>
public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";
    public const string ReadinessTag = "ready";

    public static IServiceCollection AddHealthServices(this IServiceCollection services)
    {
        services.AddSingleton<KubeApiServerHealthCheck>();
        services.AddHealthChecks().AddCheck<KubeApiServerHealthCheck>(KubeApiServerHealthCheck.Name, tags: [ReadinessTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WritePlainTextAsync })
            .AllowAnonymous();
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResponseWriter = WritePlainTextAsync,
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>"ok", "ok (reason)" or "not ready: reason", one line per check that has something to say.</summary>
    public static Task WritePlainTextAsync(HttpContext context, HealthReport report)
    {
        var reasons = report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d)).ToList();
        var text = report.Status == HealthStatus.Unhealthy
            ? "not ready: " + string.Join("; ", reasons)
            : reasons.Count == 0 ? "ok" : $"ok ({string.Join("; ", reasons)})";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n");
    }
}
