using System.Text;
using Bunit;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebConsole.Drafts;
using WebConsole.Features.Apply;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WebConsole.Tests.Components;

/// <summary>
/// The Review step's copy buttons say what they copied, and the masked copy cannot be applied; the real values reach the
/// clipboard only after the download's acknowledgement and never the page. istioctl's reset risk is on the first view.
/// </summary>
public class ReviewCopyAndBundleSafetyTests : ConsoleTestContext
{
    private const string Token = "CopyTok-0123456789abcdef-WXYZ";
    private readonly string _pem;

    public ReviewCopyAndBundleSafetyTests()
    {
        var state = AttachFreshDraft();
        (_pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        state.SetAccessToken(Token);
        state.SetCertificate(CaCertificateInspector.Inspect(Encoding.ASCII.GetBytes(_pem), Clock.GetUtcNow()), "ca.pem");
        state.SetNamespacesText("default");
        // Before 1.16 every namespace gets the CA Secret, so the copy would hold a certificate placeholder.
        state.SetIstioVersionText("1.14");
        JSInterop.Setup<bool>("meshConsole.copyText", _ => true).SetResult(true);
    }

    private string CopiedText() =>
        (string)Assert.Single(JSInterop.Invocations, i => i.Identifier == "meshConsole.copyText").Arguments[0]!;

    private Snackbar ShownSnackbar() => Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);

    [Fact]
    public void Istioctl_reset_risk_is_on_the_reviews_first_view()
    {
        var cut = Render<ReviewStep>();

        var warning = cut.Find("#istio-reset-warning");
        Assert.Contains("every Istio install setting not in the files it is given returns to the profile's default", warning.TextContent);
        Assert.Contains("ISTIO_BASE_OVERLAY", warning.TextContent);
        Assert.Contains("ACCEPT_ISTIO_DEFAULTS=yes", warning.TextContent);
        // Above the summary and the tabs, not inside the Notes tab.
        Assert.True(cut.Markup.IndexOf("istio-reset-warning", StringComparison.Ordinal) < cut.Markup.IndexOf("review-summary", StringComparison.Ordinal));
    }

    [Fact]
    public void Copying_the_yaml_gives_text_kubectl_refuses_and_says_so()
    {
        var cut = Render<ReviewStep>();

        cut.Find("#review-yaml-copy").Click();

        var copied = CopiedText();
        Assert.Contains("••••WXYZ", cut.Find("#review-yaml").TextContent);
        Assert.StartsWith("@ MASKED COPY, NOT APPLICABLE", copied);
        Assert.All(copied.Split("---\n"), d => Assert.ThrowsAny<YamlException>(() => new YamlStream().Load(new StringReader(d))));
        AssertNoSecrets(copied);
        var notice = ShownSnackbar();
        Assert.Equal("Copied as shown: the token is masked and the certificate left out, and every YAML document starts with a line that makes kubectl refuse it. To apply, use the downloaded bundle or \"Copy manifests.yaml with real values\".", notice.Message);
        AssertNoSecrets(cut.Markup);
    }

    [Fact]
    public void Copying_the_commands_gives_a_script_whose_yaml_is_refused_too()
    {
        var cut = Render<ReviewStep>();
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Commands").Click();

        cut.WaitForElement("#review-commands-copy").Click();

        var copied = CopiedText();
        Assert.StartsWith("#!/usr/bin/env bash\n", copied);
        Assert.Contains("<<'YAML'\n@ MASKED COPY, NOT APPLICABLE", copied);
        Assert.DoesNotContain("<<'YAML'\napiVersion", copied);
        AssertNoSecrets(copied);
        Assert.StartsWith("Copied as shown", ShownSnackbar().Message);
    }

    [Fact]
    public void Real_values_are_copied_only_after_the_acknowledgement_and_never_reach_the_page()
    {
        var cut = Render<ReviewStep>();
        Assert.True(cut.Find("#copy-real-values").HasAttribute("disabled"));

        CertificateStepTests.CheckBoxInput(cut, "#download-acknowledge").Change(true);
        cut.Find("#copy-real-values").Click();

        var copied = CopiedText();
        Assert.Equal(PlanRenderer.ManifestsYaml(State.Plan!), copied);
        Assert.Contains($"accessToken: {Token}", copied);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(State.Input!.CaCertificatePem!)), copied);
        Assert.Equal("Copied manifests.yaml with the real access token and certificates: paste it only where the token may go.", ShownSnackbar().Message);
        AssertNoSecrets(cut.Markup);
    }

    [Fact]
    public void Offline_cleanup_explains_uninstall_sh()
    {
        var cut = Render<CleanupStep>();

        var text = cut.Find("#offline-uninstall").TextContent;
        Assert.Contains("The downloaded bundle has uninstall.sh", text);
        Assert.Contains("deletes each object install.sh created", text);
        Assert.Contains("It cannot restore Istio settings that ISTIO_BASE_OVERLAY does not hold", text);
    }

    private void AssertNoSecrets(string text)
    {
        Assert.DoesNotContain(Token, text);
        Assert.DoesNotContain(Token[..10], text);
        Assert.DoesNotContain("BEGIN CERTIFICATE", text);
        foreach (var line in TestCertificates.PemBodyLines(_pem))
            Assert.DoesNotContain(line, text);
    }
}

/// <summary>Istio releases outside what the console knows: none older than 1.4 gets a form, a newer one gets a warning.</summary>
public class IstioVersionRangeTests : ConsoleTestContext
{
    public IstioVersionRangeTests() => AttachFreshDraft();

    [Theory]
    [InlineData("1.3")]
    [InlineData("1.2.6")]
    [InlineData("0.8")]
    public void Below_1_4_shows_no_form_and_says_why(string version)
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-version-input").Change(version);

        Assert.Empty(cut.FindAll("#istio-form"));
        Assert.Null(State.FormChoice);
        var issue = Assert.Single(cut.FindAll(".issue"));
        Assert.Equal("Error", issue.GetAttribute("data-severity"));
        Assert.Contains($"Istio {version} is older than 1.4: this console supports Istio 1.4 and later", issue.TextContent);
        Assert.Contains("istioctl manifest apply", issue.TextContent);
        Assert.True(State.HasErrors(WizardStep.Istio));
    }

    [Theory]
    [InlineData("2.0")]
    [InlineData("1.29.1")]
    public void Newer_than_known_keeps_the_newest_form_with_a_warning(string version)
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-version-input").Change(version);

        Assert.Equal("OpenTelemetry", cut.Find("#istio-form").GetAttribute("data-form"));
        var issue = Assert.Single(cut.FindAll(".issue"));
        Assert.Equal("Warning", issue.GetAttribute("data-severity"));
        Assert.Equal($"Istio {version} is newer than 1.28, the newest release this console knows: the plan assumes 1.28's form still applies. Check the review's objects against Istio {version}'s release notes before applying.",
            issue.TextContent.Trim());
        Assert.False(State.HasErrors(WizardStep.Istio));
    }

    [Fact]
    public void The_newest_known_minor_gets_no_warning()
    {
        var cut = Render<IstioStep>();

        cut.Find("#istio-version-input").Change("1.28.3");

        Assert.Empty(cut.FindAll(".issue"));
    }
}
