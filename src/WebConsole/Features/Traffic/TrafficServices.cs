using WebConsole.Features.Bookinfo;

namespace WebConsole.Features.Traffic;

public static class TrafficServices
{
    /// <summary>The Bookinfo step and the traffic panel: per-user state (scoped to the circuit) over shared engines.</summary>
    public static IServiceCollection AddBookinfoAndTrafficServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Console:Traffic").Get<TrafficRunOptions>() ?? new TrafficRunOptions());
        services.AddSingleton<TrafficRunner>();
        services.AddSingleton(new GatewayProbe());
        services.AddSingleton<SatelliteProbe>();
        services.AddSingleton(configuration.GetSection("Console:LightStepApi").Get<LightStepApiOptions>() ?? new LightStepApiOptions());
        services.AddHttpClient<LightStepTraceVerifier>();
        services.AddScoped<BookinfoWorkflow>();
        services.AddScoped<TrafficSession>();
        services.AddHttpClient(nameof(TraceViewSession), http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddScoped<TraceViewSession>();
        return services;
    }
}
