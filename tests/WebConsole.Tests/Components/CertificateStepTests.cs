using System.Text;
using System.Text.RegularExpressions;
using Bunit;
using MeshConsole.Domain.Planning;
using Microsoft.AspNetCore.Components.Forms;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

public class CertificateStepTests : ConsoleTestContext
{
    public CertificateStepTests() => AttachFreshDraft();

    /// <summary>Chips of the upload (the satellite check panel below has a chip of its own).</summary>
    private static List<AngleSharp.Dom.IElement> FileChips(IRenderedComponent<CertificateStep> cut) =>
        cut.FindAll(".mud-chip").Where(chip => chip.Closest("#satellite-check") is null).ToList();

    private List<string> Messages(IRenderedComponent<CertificateStep> cut) =>
        cut.FindAll(".issue").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public void Uploaded_ca_certificate_shows_subject_fingerprint_and_ca_flag()
    {
        var (pem, _, certificate) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "ca.pem"));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".certificate-details")));
        Assert.Equal(TestCertificates.CaSubject, cut.Find(".cert-subject").TextContent.Trim());
        Assert.Equal(TestCertificates.Sha256Fingerprint(certificate), cut.Find(".cert-fingerprint").TextContent.Trim());
        Assert.Equal("Yes", cut.Find(".cert-is-ca").TextContent.Trim());
        Assert.Contains("ca.pem", cut.Find("#certificate-file-name").TextContent);
        Assert.EndsWith("· 1 certificate", cut.Find("#certificate-file-name").TextContent.Trim());
        Assert.Empty(cut.FindAll(".issue"));
        Assert.False(State.HasErrors(WizardStep.Certificate));
        // The certificate is summarised, its encoded body is not echoed.
        foreach (var line in TestCertificates.PemBodyLines(pem))
            Assert.DoesNotContain(line, cut.Markup);
    }

    [Fact]
    public void Private_key_upload_is_refused_and_nothing_is_kept()
    {
        var (_, keyPem, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(keyPem, "key.pem"));

        cut.WaitForAssertion(() => Assert.Contains(
            "This file contains a PRIVATE KEY. Never upload private keys: the console discarded the file. Upload only the CA certificate (BEGIN CERTIFICATE).",
            Messages(cut)));
        Assert.Empty(cut.FindAll(".certificate-details"));
        Assert.Empty(cut.FindAll("#certificate-file-name"));
        Assert.Null(State.Draft.Certificate);
        Assert.True(State.HasErrors(WizardStep.Certificate));
        foreach (var line in TestCertificates.PemBodyLines(keyPem))
            Assert.DoesNotContain(line, cut.Markup);
    }

    [Fact]
    public void Private_key_after_a_good_certificate_keeps_the_certificate_and_no_key_material()
    {
        var (pem, keyPem, certificate) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "ca.pem"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".certificate-details")));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(keyPem, "key.pem"));

        cut.WaitForAssertion(() => Assert.Contains(Messages(cut), m => m.StartsWith("This file contains a PRIVATE KEY.", StringComparison.Ordinal)));
        Assert.Equal("key.pem was not accepted:", cut.Find("#certificate-refused").TextContent.Trim());
        Assert.Equal("The certificate accepted before, from ca.pem, is still in use.", cut.Find("#certificate-kept").TextContent.Trim());
        Assert.Equal(TestCertificates.Sha256Fingerprint(certificate), cut.Find(".cert-fingerprint").TextContent.Trim());
        Assert.Contains("ca.pem", cut.Find("#certificate-file-name").TextContent);
        Assert.NotNull(State.Draft.Certificate);
        Assert.Equal("ca.pem", State.Draft.CertificateFileName);
        Assert.False(State.HasErrors(WizardStep.Certificate));
        foreach (var line in TestCertificates.PemBodyLines(keyPem))
            Assert.DoesNotContain(line, cut.Markup);
    }

    [Fact]
    public void Garbage_after_a_good_certificate_keeps_the_certificate_and_says_so()
    {
        var (pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "ca.pem"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".certificate-details")));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("hello world", "notes.txt"));

        cut.WaitForAssertion(() => Assert.Contains(
            "This is not a certificate: upload a PEM file with BEGIN CERTIFICATE blocks or a DER certificate.", Messages(cut)));
        Assert.Single(cut.FindAll(".certificate-details"));
        Assert.Equal("The certificate accepted before, from ca.pem, is still in use.", cut.Find("#certificate-kept").TextContent.Trim());
        Assert.Equal("ca.pem", State.Draft.CertificateFileName);
    }

    [Fact]
    public void A_refused_file_leaves_no_chip_and_the_step_has_one_remove_control()
    {
        var (pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("hello world", "notes.txt"));
        cut.WaitForAssertion(() => Assert.NotEmpty(Messages(cut)));

        // The refusal names the file once, in its message; no chip of it remains, and nothing says a certificate is kept.
        Assert.Equal("notes.txt was not accepted:", cut.Find("#certificate-refused").TextContent.Trim());
        Assert.Empty(FileChips(cut));
        Assert.Empty(cut.FindAll("#certificate-kept"));
        Assert.Single(Regex.Matches(cut.Markup, "notes\\.txt"));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "ca.pem"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".certificate-details")));

        // The accepted file shows no chip with its own × either: the step's Remove button is the only way to remove it.
        Assert.Empty(FileChips(cut));
        Assert.Empty(cut.FindAll("#certificate-refused"));
        var removeControls = cut.FindAll("button").Where(b => b.Id == "certificate-remove" || b.ClassList.Contains("mud-chip-close-button")).ToList();
        Assert.Single(removeControls);
        Assert.Equal("certificate-remove", removeControls[0].Id);
    }

    [Fact]
    public void Two_certificates_are_counted_in_the_plural_and_one_in_the_singular_in_english_and_chinese()
    {
        var (first, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var (second, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow(), "CN=Second Test CA");
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(first + second, "bundle.pem"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".certificate-details").Count));
        Assert.EndsWith("· 2 certificates", cut.Find("#certificate-file-name").TextContent.Trim());

        UseCulture("zh-Hans");
        cut.Render();
        Assert.EndsWith("· 2 个证书", cut.Find("#certificate-file-name").TextContent.Trim());
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(first, "ca.pem"));
        cut.WaitForAssertion(() => Assert.EndsWith("· 1 个证书", cut.Find("#certificate-file-name").TextContent.Trim()));
    }

    [Fact]
    public void The_fingerprint_is_shown_whole_in_a_wrapping_row_and_its_copy_button_copies_it()
    {
        var (pem, _, certificate) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var fingerprint = TestCertificates.Sha256Fingerprint(certificate);
        var copy = JSInterop.Setup<bool>("meshConsole.copyText", fingerprint);
        copy.SetResult(true);
        var cut = Render<CertificateStep>();
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "ca.pem"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".certificate-details")));

        var shown = cut.Find(".cert-fingerprint");
        Assert.Equal(fingerprint, shown.TextContent.Trim());
        Assert.NotNull(shown.Closest(".fingerprint-row"));
        cut.Find("#certificate-fingerprint-copy-1").Click();

        Assert.Single(copy.Invocations);
        snackbars.WaitForAssertion(() => Assert.Contains("Fingerprint copied to the clipboard.", snackbars.Markup));
    }

    [Fact]
    public void Public_product_without_certificate_asks_for_one_until_skip_is_ticked()
    {
        Assert.Equal(LightStepProduct.PublicTracing, State.Draft.Product);
        var cut = Render<CertificateStep>(p => p.Add(s => s.IssuesRevealed, true));
        Assert.Contains("Upload the CA certificate, or tick the box to go without one explicitly.", Messages(cut));
        Assert.True(State.HasErrors(WizardStep.Certificate));

        CheckBoxInput(cut, "#certificate-skip").Change(true);

        Assert.True(State.Draft.SkipCertificate);
        Assert.Empty(cut.FindAll(".issue"));
        Assert.False(State.HasErrors(WizardStep.Certificate));
        // The upload is disabled while skipping.
        Assert.True(cut.Find("#certificate-upload").HasAttribute("disabled"));
    }

    [Fact]
    public void On_prem_product_has_no_skip_box_and_requires_the_certificate()
    {
        State.SetProduct(LightStepProduct.OnPremSatellites);

        var cut = Render<CertificateStep>(p => p.Add(s => s.IssuesRevealed, true));

        Assert.Empty(cut.FindAll("#certificate-skip"));
        Assert.Contains("Upload the CA certificate of your satellite pool's TLS issuer.", Messages(cut));
    }

    [Fact]
    public void Arriving_shows_no_error_until_next_was_tried()
    {
        var cut = Render<CertificateStep>();

        Assert.True(State.HasErrors(WizardStep.Certificate));
        Assert.Empty(cut.FindAll(".issue"));

        cut.Render(p => p.Add(s => s.IssuesRevealed, true));

        Assert.Single(cut.FindAll(".issue[data-code='CaCert.MissingOrSkip']"));
    }

    [Fact]
    public void Der_upload_is_read_too()
    {
        var (_, _, certificate) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(certificate.RawData, "ca.der"));

        cut.WaitForAssertion(() => Assert.Equal(TestCertificates.CaSubject, cut.Find(".cert-subject").TextContent.Trim()));
    }

    [Fact]
    public void Garbage_upload_reports_not_a_certificate()
    {
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("hello world", "notes.txt"));

        cut.WaitForAssertion(() => Assert.Contains(
            "This is not a certificate: upload a PEM file with BEGIN CERTIFICATE blocks or a DER certificate.", Messages(cut)));
        Assert.Empty(cut.FindAll(".certificate-details"));
    }

    [Fact]
    public void Oversized_upload_is_refused_with_the_size_message()
    {
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[200 * 1024], "huge.pem"));

        cut.WaitForAssertion(() => Assert.Contains(
            "The file is larger than 65536 bytes; a CA certificate file is much smaller. Check that you picked the right file.", Messages(cut)));
        Assert.Null(State.Draft.Certificate);
    }

    [Fact]
    public void Removing_the_certificate_brings_the_request_back()
    {
        var (pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "ca.pem"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".certificate-details")));

        cut.Find("#certificate-remove").Click();

        Assert.Empty(cut.FindAll(".certificate-details"));
        Assert.Contains("Upload the CA certificate, or tick the box to go without one explicitly.", Messages(cut));
    }

    [Fact]
    public void Expired_certificate_blocks_with_the_expiry_date()
    {
        var (pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow().AddYears(-3));
        var cut = Render<CertificateStep>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "old.pem"));

        var expiry = Clock.GetUtcNow().AddYears(-1).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        cut.WaitForAssertion(() => Assert.Contains($"Certificate 1 expired on {expiry}; get the current CA certificate.", Messages(cut)));
        Assert.True(State.HasErrors(WizardStep.Certificate));
    }

    /// <summary>
    /// APP DEFECT (CertificateStep.razor + WizardState): a user who ticks "skip" with the public product and then
    /// switches to the on-prem product is stuck on the certificate step: SkipCertificate stays true, the skip box is
    /// only rendered for the public product so it cannot be unticked, and the upload button is disabled because
    /// SkipCertificate is true. The step shows "An on-premises satellite pool needs its CA certificate…" with no way
    /// to act on it. The user must be able to get back to an upload.
    /// </summary>
    [Fact]
    public void Skip_then_switching_to_on_prem_still_lets_the_user_upload_a_certificate()
    {
        var (pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        var cut = Render<CertificateStep>();
        CheckBoxInput(cut, "#certificate-skip").Change(true);
        Assert.False(State.HasErrors(WizardStep.Certificate));

        // Back on the product step, the user picks the on-prem product, then returns here.
        cut.InvokeAsync(() => State.SetProduct(LightStepProduct.OnPremSatellites));
        cut.Render(_ => { });

        var skipBoxes = cut.FindAll("#certificate-skip");
        Assert.True(skipBoxes.Count > 0 || !cut.Find("#certificate-upload").HasAttribute("disabled"),
            "on-prem after skipping: neither the skip box (to untick it) nor the upload button is available");
        if (skipBoxes.Count > 0 && State.Draft.SkipCertificate)
            CheckBoxInput(cut, "#certificate-skip").Change(false);
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(pem, "ca.pem"));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".certificate-details")));
        Assert.Empty(cut.FindAll(".issue"));
        Assert.False(State.HasErrors(WizardStep.Certificate));
    }

    /// <summary>MudCheckBox may put the id on its wrapper or on the input itself; find the checkbox input either way.</summary>
    internal static AngleSharp.Dom.IElement CheckBoxInput<T>(IRenderedComponent<T> cut, string selector) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var element = cut.Find(selector);
        return element.Matches("input") ? element : element.QuerySelector("input[type=checkbox]")!;
    }
}
