using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using WebConsole.Components;
using WebConsole.Features.Cluster;
using WebConsole.Features.Guides;
using WebConsole.Features.Localization;
using WebConsole.Features.Bundle;
using WebConsole.Features.Wizard;

namespace WebConsole;

public static class MeshConsoleServices
{
    public static WebApplicationBuilder AddMeshConsoleServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GuideCatalog>();
        services.AddSingleton<WizardDraftStore>();
        services.AddSingleton<KubeconfigCatalog>();
        services.AddScoped<ClusterConnection>();
        services.AddScoped<ClusterWorkflow>();
        services.AddSingleton<ConsoleText>();
        services.AddSingleton<PlanBundle>();
        services.AddScoped<WizardState>();
        return builder;
    }

    public static WebApplication UseMeshConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization(SupportedCultures.RequestLocalizationOptions());
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapCultureEndpoint();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
