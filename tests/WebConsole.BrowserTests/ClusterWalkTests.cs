using System.Text;
using KubeEmulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>The console pointed at an emulated cluster (Istio 1.14, installed with istioctl) through a kubeconfig.</summary>
public sealed class EmulatedClusterServerFixture : ConsoleServerFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lsmc-browser-cluster-").FullName;
    public KubeApiEmulator Emulator { get; private set; } = null!;

    /// <summary>Every log event at every level, for the secret-leak check.</summary>
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };

    protected override async Task<string> KubeconfigAsync()
    {
        Emulator = await KubeApiEmulator.StartAsync(ClusterFixture.MidIstio);
        return Emulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), contextName: "emulator-mid");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class ClusterWalkTests(EmulatedClusterServerFixture server) : PageErrorCheckedTest(server), IClassFixture<EmulatedClusterServerFixture>
{
    private const string Token = "lsBROWSER-cluster-0a1b2c3d4e-QRST";

    [Fact]
    public async Task Connects_runs_preflight_shows_the_diff_applies_and_undoes()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("#cluster-mode")).ToContainTextAsync("emulator-mid");

        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", Token);
        await page.NextAsync("Satellite");
        await page.EnterAsync("#satellite-input", "lightstep-satellite.lightstep:9292");
        await page.NextAsync("Certificate");
        var caPem = TestCertificates.CaPem("Cluster Walk CA");
        await page.UploadAsync(new FilePayload
        {
            Name = "ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(caPem),
        });
        await Expect(page.Locator(".certificate-details")).ToHaveCountAsync(1);
        await page.NextAsync("Namespaces");
        await page.NextAsync("Istio");
        await page.EnterAsync("#istio-version-input", "1.14");
        await page.NextAsync("Review");
        await page.NextAsync("Apply");

        await Expect(page.Locator("#apply-target")).ToContainTextAsync("emulator-mid");
        await page.Locator("#preflight-run").ClickAsync();
        await Expect(page.Locator("[data-check='api'][data-ok='true']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-check='istio'][data-ok='true']")).ToContainTextAsync("1.14.3");
        await Expect(page.Locator("[data-check='rbac'][data-ok='true']")).ToBeVisibleAsync();

        await page.Locator("#preview-run").ClickAsync();
        var meshPreview = page.Locator(".preview[data-object='ConfigMap/istio -n istio-system']");
        await Expect(meshPreview).ToHaveAttributeAsync("data-change", "Failed");
        await meshPreview.ClickAsync();
        await Expect(meshPreview.Locator(".failure-conflicts")).ToContainTextAsync("istio-operator");
        await Expect(page.Locator("#apply-run")).ToBeDisabledAsync();

        await page.Locator("#force-conflicts").ClickAsync();
        await page.Locator("#preview-run").ClickAsync();
        await Expect(meshPreview).ToHaveAttributeAsync("data-change", "Change");
        await Expect(page.Locator(".preview[data-object='Secret/lightstep.cacert -n default']")).ToHaveAttributeAsync("data-change", "Create");
        await meshPreview.ClickAsync();
        await Expect(meshPreview.Locator(".diff-added", new() { HasText = "lightstep-satellite.lightstep:9292" })).ToHaveCountAsync(1);
        await Expect(meshPreview.Locator(".diff-added", new() { HasText = "accessToken" })).ToContainTextAsync("••••QRST");
        Assert.DoesNotContain(Token, await page.ContentAsync());

        await page.Locator("#apply-confirm").ClickAsync();
        await page.Locator("#apply-run").ClickAsync();
        await Expect(page.Locator("#apply-results .outcome[data-object='Secret/lightstep.cacert -n default']")).ToHaveAttributeAsync("data-result", "Created");
        await Expect(page.Locator("#apply-results .outcome[data-object='ConfigMap/istio -n istio-system']")).ToHaveAttributeAsync("data-result", "Changed");
        Assert.NotNull(server.Emulator.Store.Get("v1", "Secret", "default", "lightstep.cacert"));
        Assert.Contains("lightstep-satellite.lightstep:9292", (string)server.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["mesh"]!);

        await page.NextAsync("Bookinfo");
        await page.NextAsync("Traffic");
        await page.NextAsync("Cleanup");
        await page.Locator("#undo-confirm").ClickAsync();
        await page.Locator("#undo-run").ClickAsync();
        await Expect(page.Locator("#undo-results .outcome[data-object='Secret/lightstep.cacert -n default']")).ToHaveAttributeAsync("data-result", "Deleted");
        await Expect(page.Locator("#undo-results .outcome[data-object='ConfigMap/istio -n istio-system']")).ToHaveAttributeAsync("data-result", "Restored");
        Assert.Null(server.Emulator.Store.Get("v1", "Secret", "default", "lightstep.cacert"));
        Assert.DoesNotContain("lightstep-satellite", (string)server.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["mesh"]!);

        server.AssertNoCspViolations();
        // Secret leak: the whole walk (token, certificate upload, preflight, dry-run, apply, undo) logged at Trace level,
        // audit entries included; neither the token nor a line of the certificate's body appears in any of it.
        var logs = server.ServerLogs.Events;
        Assert.Contains(logs, e => e.StartsWith("LightStepMeshConsole.Audit", StringComparison.Ordinal) && e.Contains("apply Secret/lightstep.cacert", StringComparison.Ordinal));
        var pemBody = caPem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        foreach (var text in logs.Append(await page.ContentAsync()))
        {
            Assert.False(text.Contains(Token, StringComparison.Ordinal), "The token leaked: " + text);
            foreach (var line in pemBody)
                Assert.False(text.Contains(line, StringComparison.Ordinal), "The certificate leaked: " + text);
        }
    }
}
