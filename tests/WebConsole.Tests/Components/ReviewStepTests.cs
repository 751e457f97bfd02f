using System.Text;
using Bunit;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using WebConsole.Drafts;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

public class ReviewStepTests : ConsoleTestContext
{
    private const string Token = "RevTok-0123456789abcdef-QRST";
    private readonly string _pem;

    public ReviewStepTests()
    {
        var state = AttachFreshDraft();
        (_pem, _, _) = TestCertificates.CreateCa(Clock.GetUtcNow());
        state.SetAccessToken(Token);
        state.SetCertificate(CaCertificateInspector.Inspect(Encoding.ASCII.GetBytes(_pem), Clock.GetUtcNow()), "ca.pem");
        state.SetNamespacesText("default bookinfo");
        state.SetIstioVersionText("1.26");
    }

    [Fact]
    public void Complete_draft_shows_a_masked_summary_and_never_the_secrets()
    {
        Assert.NotNull(State.Plan);
        var cut = Render<ReviewStep>();

        Assert.Equal("••••QRST", cut.Find("#review-token").TextContent.Trim());
        Assert.Contains("••••QRST", cut.Markup);
        AssertNoSecrets(cut.Markup);
        Assert.Equal("collector-grpc.lightstep.com:443", cut.Find("#review-satellite").TextContent.Trim());
        Assert.Equal("default, bookinfo", cut.Find("#review-namespaces").TextContent.Trim());
        Assert.StartsWith(TestCertificates.CaSubject + " (SHA-256 ", cut.Find("#review-certificate").TextContent.Trim());
        Assert.Contains("LightStep extension provider form", cut.Find("#review-form").TextContent);
    }

    [Fact]
    public void Yaml_tab_shows_the_secret_without_its_data()
    {
        // Before 1.16 every namespace gets the CA Secret (from 1.16.1 the public endpoint is verified with public roots).
        State.SetIstioVersionText("1.14");
        var cut = Render<ReviewStep>();

        var yaml = cut.Find("#review-yaml").TextContent;
        Assert.Contains("kind: Secret", yaml);
        Assert.Contains("lightstep.cacert", yaml);
        Assert.Contains("bytes of PEM: in the downloaded bundle", yaml);
        AssertNoSecrets(yaml);
        // The Secret data as it would appear in the manifests (base64 of the PEM) is not there either.
        var secretData = Convert.ToBase64String(Encoding.UTF8.GetBytes(State.Input!.CaCertificatePem!));
        Assert.DoesNotContain(secretData, cut.Markup);
        Assert.DoesNotContain(secretData[..40], cut.Markup);
    }

    [Fact]
    public void Commands_tab_is_redacted_too()
    {
        var cut = Render<ReviewStep>();

        var commandsTab = cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Commands");
        commandsTab.Click();

        var script = cut.WaitForElement("#review-commands").TextContent;
        Assert.Contains("#!/usr/bin/env bash", script);
        Assert.Contains("••••QRST", script);
        AssertNoSecrets(script);
        AssertNoSecrets(cut.Markup);
    }

    [Fact]
    public void Download_needs_the_acknowledgement_first()
    {
        var cut = Render<ReviewStep>();
        Assert.True(cut.Find("#download-bundle").HasAttribute("disabled"));

        CertificateStepTests.CheckBoxInput(cut, "#download-acknowledge").Change(true);

        Assert.False(cut.Find("#download-bundle").HasAttribute("disabled"));
        cut.Find("#download-bundle").Click();
        cut.WaitForAssertion(() =>
        {
            var invocation = Assert.Single(JSInterop.Invocations, i => i.Identifier == "meshConsole.downloadFromStream");
            Assert.Equal("lightstep-plan.zip", invocation.Arguments[0]);
        });
        AssertNoSecrets(cut.Markup);
    }

    [Fact]
    public void Incomplete_draft_is_blocked_with_the_errors()
    {
        State.SetIstioVersionText("");

        var cut = Render<ReviewStep>();

        Assert.Equal("The plan cannot be built yet. Fix these problems first:", cut.Find("#review-blocked").TextContent.Trim());
        Assert.Contains("Enter the Istio version of the mesh, for example 1.26 (istioctl version shows it).",
            cut.FindAll(".issue").Select(e => e.TextContent.Trim()));
        Assert.Empty(cut.FindAll("#download-bundle"));
        AssertNoSecrets(cut.Markup);
    }

    /// <summary>
    /// APP DEFECT (ReviewStep.razor, CertificateSummary): with the public product, a certificate uploaded and then
    /// "skip" ticked, the plan has no CA Secret (skipping wins in PlanInputRules), yet the review's "CA certificate"
    /// row summarises the uploaded certificate instead of "none (explicitly skipped)", so the summary contradicts the
    /// plan below it. It should follow the plan input (input.CaCertificatePem is null → Review.NoCertificate).
    /// </summary>
    [Fact]
    public void Skipped_certificate_is_summarised_as_none_even_after_an_upload()
    {
        State.SetSkipCertificate(true);
        Assert.Null(State.Input!.CaCertificatePem);
        Assert.DoesNotContain(State.Plan!.Objects, o => o.Kind == "Secret");

        var cut = Render<ReviewStep>();

        Assert.DoesNotContain("kind: Secret", cut.Find("#review-yaml").TextContent);
        Assert.Equal("none (explicitly skipped)", cut.Find("#review-certificate").TextContent.Trim());
    }

    [Fact]
    public void On_prem_review_shows_the_entered_satellite()
    {
        State.SetProduct(LightStepProduct.OnPremSatellites);
        State.SetOnPremSatelliteAddress("[::1]:9292");

        var cut = Render<ReviewStep>();

        Assert.Equal("[::1]:9292", cut.Find("#review-satellite").TextContent.Trim());
        Assert.Equal("LightStep [x]PM", cut.Find("#review-product").TextContent.Trim());
        AssertNoSecrets(cut.Markup);
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
