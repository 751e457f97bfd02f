using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace WebConsole.Features.Localization;

public static class SupportedCultures
{
    public const string English = "en";
    public const string SimplifiedChinese = "zh-Hans";
    public static readonly IReadOnlyList<string> All = [English, SimplifiedChinese];

    /// <summary>The culture cookie wins; a first visit follows Accept-Language (zh-CN falls back to its parent zh-Hans).</summary>
    public static RequestLocalizationOptions RequestLocalizationOptions()
    {
        var cultures = All.Select(c => new CultureInfo(c)).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(English),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider(),
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        return options;
    }

    public static void MapCultureEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext context) =>
        {
            if (!All.Contains(culture)) return Results.BadRequest("Unsupported culture.");
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(IsLocal(redirectUri) ? redirectUri! : "/");
        });

    private static bool IsLocal(string? uri) =>
        !string.IsNullOrEmpty(uri) && uri.StartsWith('/') && !uri.StartsWith("//") && !uri.StartsWith("/\\") && !uri.Any(char.IsControl);
}
