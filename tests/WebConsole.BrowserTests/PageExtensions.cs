using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;

namespace WebConsole.BrowserTests;

internal static class PageExtensions
{
    public static async Task OpenConsoleAsync(this IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForInteractiveAsync();
    }

    /// <summary>The prerendered page is visible before the circuit connects; wait for the marker the wizard sets.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("#circuit-state[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    public static Task ExpectStepAsync(this IPage page, string step) =>
        page.Locator($"#circuit-state[data-step='{step}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Types into a field and leaves it, which is when the wizard takes the value.</summary>
    public static async Task EnterAsync(this IPage page, string selector, string value)
    {
        await page.Locator(selector).FillAsync(value);
        await page.Locator(selector).PressAsync("Tab");
    }

    /// <summary>
    /// Uploads through the certificate step's file input once Blazor's InputFile has hooked it (its init runs after the
    /// render, through JS interop): a file set before that is never seen, which a loaded machine made visible.
    /// </summary>
    public static async Task UploadAsync(this IPage page, FilePayload file)
    {
        const string input = "input[type=file]:not(.d-none)";
        await page.WaitForFunctionAsync("s => document.querySelector(s)?._blazorInputFileNextFileId !== undefined", input);
        await page.Locator(input).SetInputFilesAsync(file);
    }

    public static async Task NextAsync(this IPage page, string expectedStep)
    {
        await page.Locator("#wizard-next").ClickAsync();
        await page.ExpectStepAsync(expectedStep);
    }
}

/// <summary>Waits for a condition outside the page (server state, logs), polling until a deadline: a marker, not a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task ThatAsync(Func<bool> condition, string failure, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}

internal static class TestCertificates
{
    public static string CaPem(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=LightStep Mesh Console Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        return certificate.ExportCertificatePem() + "\n";
    }

    public static string PrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}

/// <summary>
/// Sign-out is a form POST that redirects to the sign-in page, while the server ends the session and closes the tab's
/// console connection. The old page may still try to reconnect during the navigation, and that negotiation is refused
/// with 401 (expected: the session is over), which Chromium reports as a failed resource load and Blazor's script logs. Its load event also
/// raced with the closed connection on a loaded machine (CI), so this waits for the navigation to commit and leaves
/// the rest to what the page shows, which Playwright's assertions retry.
/// </summary>
internal static class SignedOutPage
{
    public static async Task SignOutAsync(this IPage page, ConsoleServerFixture server, string button = "#sign-out")
    {
        server.AllowPageErrors(page, "401 (Unauthorized) (at " + server.BaseUrl + "/_blazor/negotiate");
        // Blazor's script logs the refused reconnection too (the hub filter's "Sign-in required."), and the closed connection.
        server.AllowPageErrors(page, "Sign-in required");
        server.AllowPageErrors(page, "Connection disconnected");
        await page.Locator(button).ClickAsync();
        await page.WaitForURLAsync(server.BaseUrl + "/signin?signedOut=true", new() { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
    }
}
