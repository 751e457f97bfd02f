using System.IO.Compression;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class WizardWalkTests(ConsoleServerFixture server) : PageErrorCheckedTest(server)
{
    private const string Token = "lsWALK-token-9f8e7d6c5b4a-XYZW";

    [Fact]
    public async Task Walks_every_offline_step_refusing_bad_input_and_hands_over_the_bundle()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("#cluster-mode")).ToContainTextAsync("Offline mode");

        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");

        await page.EnterAsync("#token-input", "Bearer " + Token);
        await Expect(page.Locator("#step-token .issue[data-code='Token.BearerPrefix']")).ToBeVisibleAsync();
        await page.Locator("#wizard-next").ClickAsync();
        await page.ExpectStepAsync("Token");
        await Expect(page.Locator("#token-input")).ToHaveValueAsync("Bearer " + Token);

        await page.EnterAsync("#token-input", Token);
        await Expect(page.Locator("#token-status")).ToContainTextAsync("••••XYZW");
        await Expect(page.Locator("#token-input")).ToHaveValueAsync("");
        await page.NextAsync("Satellite");

        await page.EnterAsync("#satellite-input", "https://satellites.example.com:9292/collector");
        await Expect(page.Locator("#step-satellite .issue[data-code='Satellite.HasScheme']")).ToBeVisibleAsync();
        await page.Locator("#step-satellite .suggestion").First.ClickAsync();
        await Expect(page.Locator("#satellite-input")).ToHaveValueAsync("satellites.example.com:9292");
        await Expect(page.Locator("#step-satellite .issue")).ToHaveCountAsync(0);
        await page.NextAsync("Certificate");

        await page.UploadAsync(new FilePayload
        {
            Name = "key.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.PrivateKeyPem()),
        });
        await Expect(page.Locator("#step-certificate .issue[data-code='CaCert.PrivateKey']")).ToBeVisibleAsync();
        await Expect(page.Locator(".certificate-details")).ToHaveCountAsync(0);

        var caPem = TestCertificates.CaPem("Walk Test Satellite CA");
        await page.UploadAsync(new FilePayload
        {
            Name = "satellite-ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(caPem),
        });
        await Expect(page.Locator(".certificate-details .cert-subject")).ToContainTextAsync("CN=Walk Test Satellite CA");
        await Expect(page.Locator(".certificate-details .cert-is-ca")).ToHaveTextAsync("Yes");
        await page.NextAsync("Namespaces");

        await page.EnterAsync("#namespaces-input", "default Bookinfo");
        await Expect(page.Locator("#step-namespaces .issue[data-code='Namespaces.InvalidName']")).ToBeVisibleAsync();
        await page.EnterAsync("#namespaces-input", "default, bookinfo");
        await Expect(page.Locator("#step-namespaces .issue")).ToHaveCountAsync(0);
        await page.NextAsync("Istio");

        await page.Locator("#wizard-next").ClickAsync();
        await page.ExpectStepAsync("Istio");
        await Expect(page.Locator("#step-istio .issue[data-code='IstioVersion.Empty']")).ToBeVisibleAsync();
        await page.EnterAsync("#istio-version-input", "1.14.3");
        await Expect(page.Locator("#istio-form")).ToHaveAttributeAsync("data-form", "MeshConfigProxyTracing");
        await page.EnterAsync("#sampling-input", "50");
        await Expect(page.Locator("#step-istio .issue[data-code='Sampling.BelowRecommended']")).ToBeVisibleAsync();
        await page.NextAsync("Review");

        await Expect(page.Locator("#review-token")).ToHaveTextAsync("••••XYZW");
        await Expect(page.Locator("#review-satellite")).ToHaveTextAsync("satellites.example.com:9292");
        await Expect(page.Locator("#review-namespaces")).ToHaveTextAsync("default, bookinfo");
        await Expect(page.Locator("#review-istio")).ToHaveTextAsync("1.14.3");
        await Expect(page.Locator("#review-sampling")).ToContainTextAsync("50");
        await Expect(page.Locator("#review-yaml")).ToContainTextAsync("lightstep.cacert");
        Assert.DoesNotContain(Token, await page.ContentAsync());
        // README screenshot: `SCREENSHOT_PATH=docs/screenshot.png dotnet test tests/WebConsole.BrowserTests`.
        if (Environment.GetEnvironmentVariable("SCREENSHOT_PATH") is { Length: > 0 } screenshot)
        {
            await page.SetViewportSizeAsync(1400, 1000);
            await page.EvaluateAsync("window.scrollTo(0, 0); document.querySelectorAll('.mud-snackbar').forEach(e => e.remove())");
            await page.ScreenshotAsync(new() { Path = Path.GetFullPath(screenshot), FullPage = false });
        }

        // The Review's first view warns of istioctl's reset; its copy button copies a masked text kubectl refuses, and says so.
        await Expect(page.Locator("#istio-reset-warning")).ToContainTextAsync("ACCEPT_ISTIO_DEFAULTS=yes");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.Locator("#review-yaml-copy").ClickAsync();
        await Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync("Copied as shown: the token is masked");
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.StartsWith("@ MASKED COPY, NOT APPLICABLE", copied);
        Assert.DoesNotContain(Token, copied);

        await Expect(page.Locator("#download-bundle")).ToBeDisabledAsync();
        await page.Locator("#download-acknowledge").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-bundle").ClickAsync());
        Assert.Equal("lightstep-plan.zip", download.SuggestedFilename);
        var files = await ReadZipAsync(download);
        Assert.Equal(["lightstep-plan/PLAN.md", "lightstep-plan/install.sh", "lightstep-plan/manifests.yaml", "lightstep-plan/uninstall.sh"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("accessToken: " + Token, files["lightstep-plan/install.sh"]);
        Assert.Contains("istioctl install", files["lightstep-plan/install.sh"]);
        Assert.Contains("address: satellites.example.com:9292", files["lightstep-plan/manifests.yaml"]);
        Assert.Contains("namespace: bookinfo", files["lightstep-plan/manifests.yaml"]);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem.TrimEnd('\n') + "\n")), files["lightstep-plan/manifests.yaml"]);
        Assert.Contains("Mesh config form", files["lightstep-plan/PLAN.md"]);

        await page.NextAsync("Apply");
        await Expect(page.Locator("#apply-action")).ToBeDisabledAsync();
        await Expect(page.Locator("#apply-unavailable")).ToContainTextAsync("kubeconfig");
        server.AssertNoCspViolations();
    }

    [Fact]
    public async Task Reloading_mid_wizard_returns_to_the_same_step_with_the_inputs_kept()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", Token);
        await page.NextAsync("Satellite");
        await page.EnterAsync("#satellite-input", "lightstep-satellite.lightstep:9292");
        await Expect(page.Locator("#step-satellite .issue")).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();

        await page.ExpectStepAsync("Satellite");
        await Expect(page.Locator("#satellite-input")).ToHaveValueAsync("lightstep-satellite.lightstep:9292");
        await page.Locator("#wizard-back").ClickAsync();
        await page.ExpectStepAsync("Token");
        await Expect(page.Locator("#token-status")).ToContainTextAsync("••••XYZW");
        Assert.DoesNotContain(Token, await page.ContentAsync());
        server.AssertNoCspViolations();
    }

    [Fact]
    public async Task The_language_switch_persists_and_keeps_the_draft()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await page.Locator("#wizard-next").ClickAsync();
        await page.ExpectStepAsync("Token");

        await page.Locator("#lang-zh-Hans").ClickAsync();
        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.WaitForInteractiveAsync();
        await page.ExpectStepAsync("Token");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await Expect(page.Locator("#step-token")).ToContainTextAsync("LightStep 访问令牌");
        await Expect(page.Locator("#guide-token")).ToContainTextAsync("访问令牌");

        var second = await page.Context.NewPageAsync();
        await second.OpenConsoleAsync(server.BaseUrl);
        await Expect(second.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");

        await page.Locator("#lang-en").ClickAsync();
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("#step-token")).ToContainTextAsync("LightStep access token");
        server.AssertNoCspViolations();
    }

    [Fact]
    public async Task A_first_visit_follows_the_browser_language()
    {
        var page = await server.NewPageAsync(locale: "zh-CN");
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await Expect(page.Locator("#cluster-mode")).ToContainTextAsync("离线模式");
        server.AssertNoCspViolations();
    }

    private static async Task<Dictionary<string, string>> ReadZipAsync(IDownload download)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.Entries.ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
