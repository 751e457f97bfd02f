using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// Choosing Jaeger in a real browser: the stepper drops LightStep's token, satellite and (plaintext) certificate steps,
/// Next goes from the destination straight to the namespaces (after an OTLP/HTTP path's error, gone again with gRPC),
/// and LightStep comes back with the token entered before.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BackendChoiceWalkTests(ConsoleServerFixture server) : PageErrorCheckedTest(server)
{
    private const string Token = "lsJAEGER-walk-token-0a1b2c3d4e-QRST";

    [Fact]
    public async Task Jaeger_shows_its_own_steps_and_switching_back_to_lightstep_keeps_the_token()
    {
        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        var titles = page.Locator("button.mud-step .mud-step-label-content-title");
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", Token);
        await Expect(page.Locator("#token-status")).ToContainTextAsync("••••QRST");
        await page.Locator("#wizard-back").ClickAsync();
        await page.ExpectStepAsync("Product");

        await page.Locator("#backend-select").SelectOptionAsync("jaeger");

        await Expect(titles.First).ToHaveTextAsync("Destination");
        await Expect(titles.Nth(1)).ToHaveTextAsync("Namespaces");
        await Expect(page.Locator("button.mud-step", new() { HasText = "Access token" })).ToHaveCountAsync(0);
        await Expect(page.Locator("#backend-steps-note")).ToContainTextAsync("the LightStep access token and satellite steps are not used");
        await Expect(page.Locator("#otlp-endpoint input, input#otlp-endpoint").First).ToHaveValueAsync("jaeger-collector.istio-system.svc.cluster.local:4317");
        await Expect(page.Locator("#endpoint-check-in-cluster")).ToBeVisibleAsync();
        // OTLP/HTTP with a path that is not one: the error names it and the text stays; back on gRPC nothing blocks.
        await page.Locator("#otlp-protocol").SelectOptionAsync("HttpProtobuf");
        await page.EnterAsync("#otlp-http-path-input", "traces?x=1");
        await Expect(page.Locator(".issue", new() { HasText = "\"traces?x=1\" is not an OTLP/HTTP path" })).ToBeVisibleAsync();
        await Expect(page.Locator("#otlp-http-path-input")).ToHaveValueAsync("traces?x=1");
        await page.Locator("#otlp-protocol").SelectOptionAsync("Grpc");
        await Expect(page.Locator("#otlp-http-path-input")).ToHaveCountAsync(0);
        await page.NextAsync("Namespaces");
        await page.Locator("#wizard-back").ClickAsync();
        await page.ExpectStepAsync("Product");

        await page.Locator("#backend-select").SelectOptionAsync("lightstep");

        await Expect(titles.Nth(1)).ToHaveTextAsync("Access token");
        await Expect(titles.Nth(2)).ToHaveTextAsync("Satellites");
        await Expect(page.Locator("#product-public")).ToBeVisibleAsync();
        await page.NextAsync("Token");
        await Expect(page.Locator("#token-status")).ToContainTextAsync("••••QRST");
        Assert.DoesNotContain(Token, await page.ContentAsync());
    }
}
