using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using WebConsole.Components;
using WebConsole.Features.Access;
using WebConsole.Features.Cluster;
using WebConsole.Features.Guides;
using WebConsole.Features.Health;
using WebConsole.Features.Localization;
using WebConsole.Features.Onboarding;
using WebConsole.Features.Bundle;
using WebConsole.Features.Traffic;
using WebConsole.Drafts;
using WebConsole.Hosting;
using WebConsole.Features.Apply;

namespace WebConsole;

public static class MeshConsoleServices
{
    /// <summary>Blazor hub messages (events, JS interop results, InputFile chunks) are at most this large; uploads stream in chunks below it.</summary>
    public const long MaxHubMessageBytes = 32 * 1024;

    public static WebApplicationBuilder AddMeshConsoleServices(this WebApplicationBuilder builder)
    {
        builder.AddMeshConsoleAccess();
        builder.AddMeshConsoleTelemetry();
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = MaxHubMessageBytes);
        services.AddMudServices();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GuideCatalog>();
        services.AddSingleton<WizardDraftStore>();
        services.AddSingleton<KubeconfigCatalog>();
        services.AddClusterOperations();
        services.AddScoped<ClusterWorkflow>();
        services.AddSingleton<ConsoleText>();
        services.AddSingleton<PlanBundle>();
        services.AddScoped<WizardState>();
        services.AddScoped<TabDraft>();
        services.AddOnboardingServices();
        services.AddScoped<ParticipantReporter>();
        services.AddBookinfoAndTrafficServices(builder.Configuration);
        services.AddHealthServices();
        services.AddConsoleShutdown();
        return builder;
    }

    public static WebApplication UseMeshConsole(this WebApplication app)
    {
        app.UseDeveloperDetailsOnlyForTheOperator();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseTooLargeAnswer();
        app.UseRequestLocalization(SupportedCultures.RequestLocalizationOptions());
        app.UseMeshConsoleAccess();
        app.UseAntiforgery();
        app.MapHealthEndpoints();
        app.MapStaticAssets().AllowSignInAssets();
        app.MapCultureEndpoint();
        app.MapAccessEndpoints();
        app.MapRazorComponents<App>()
            // Our Content-Security-Policy (SecurityHeaders) already says frame-ancestors 'none'.
            .AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null)
            .RequireSignIn(app.Services);
        return app;
    }
}
