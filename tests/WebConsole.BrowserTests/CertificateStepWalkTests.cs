using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>The certificate step on a phone-wide screen: the whole fingerprint is visible, and a refused file keeps the certificate.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CertificateStepWalkTests(ConsoleServerFixture server) : PageErrorCheckedTest(server)
{
    [Fact]
    public async Task At_390_pixels_the_fingerprint_wraps_whole_and_a_refused_file_keeps_the_certificate()
    {
        var page = await server.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.OpenConsoleAsync(server.BaseUrl);
        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", "lsCERT-token-1a2b3c4d5e6f-WXYZ");
        await page.NextAsync("Satellite");
        await page.EnterAsync("#satellite-input", "satellites.example.com:9292");
        await page.NextAsync("Certificate");

        await page.UploadAsync(new FilePayload
        {
            Name = "satellite-ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.CaPem("Narrow Screen CA")),
        });
        var fingerprint = page.Locator(".certificate-details .cert-fingerprint");
        await Expect(fingerprint).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"));

        // Whole: nothing of it is cut off inside its own box, and it ends inside the visible part of its table (whose
        // container scrolls what does not fit) and of the window.
        var overflow = await fingerprint.EvaluateAsync<string>("""
            e => {
              const box = e.getBoundingClientRect();
              const visible = e.closest('.mud-table-container').getBoundingClientRect();
              return e.scrollWidth > e.clientWidth + 1 || box.right > visible.right + 1 || box.right > window.innerWidth + 1
                ? `fingerprint ${box.left}-${box.right}, scroll ${e.scrollWidth}/${e.clientWidth}, table ${visible.left}-${visible.right}, window ${window.innerWidth}`
                : '';
            }
            """);
        Assert.True(overflow == "", "the SHA-256 fingerprint is clipped at 390 px: " + overflow);
        await Expect(page.Locator("#certificate-fingerprint-copy-1")).ToBeVisibleAsync();

        await page.UploadAsync(new FilePayload
        {
            Name = "key.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.PrivateKeyPem()),
        });
        await Expect(page.Locator("#step-certificate .issue[data-code='CaCert.PrivateKey']")).ToBeVisibleAsync();
        await Expect(page.Locator("#certificate-kept")).ToContainTextAsync("satellite-ca.pem");
        await Expect(page.Locator(".certificate-details")).ToHaveCountAsync(1);
        await Expect(page.Locator("#step-certificate .mud-file-upload .mud-chip")).ToHaveCountAsync(0);
    }
}
