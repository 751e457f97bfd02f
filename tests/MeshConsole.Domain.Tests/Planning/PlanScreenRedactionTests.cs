using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>What the browser shows must never carry the token or the certificate; the download must.</summary>
public class PlanScreenRedactionTests
{
    public static TheoryData<string> CaseNames => PlanGoldenTests.CaseNames;

    private static Plan PlanFor(string name) => PlanBuilder.Build(PlanGoldenTests.Cases[name]);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Screen_manifests_hide_the_token_and_the_certificate(string name)
    {
        var screen = PlanRenderer.ManifestsYamlForScreen(PlanFor(name));

        AssertNoSecrets(screen);
        AssertMasksShown(name, PlanFor(name), screen);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Screen_install_script_hides_the_token_and_the_certificate(string name)
    {
        var screen = PlanRenderer.InstallScriptForScreen(PlanFor(name));

        AssertNoSecrets(screen);
        AssertMasksShown(name, PlanFor(name), screen);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Screen_versions_describe_the_certificate_instead_of_showing_it(string name)
    {
        var plan = PlanFor(name);
        var secrets = plan.Objects.Select(o => o.Resource).OfType<k8s.Models.V1Secret>().Count(s => s.Data?.ContainsKey("cacert.pem") == true);
        var description = $"<{System.Text.Encoding.UTF8.GetByteCount(CaPem)} bytes of PEM: in the downloaded bundle>";

        foreach (var screen in new[] { PlanRenderer.ManifestsYamlForScreen(plan), PlanRenderer.InstallScriptForScreen(plan) })
        {
            var described = screen.Split('\n').Where(l => l.StartsWith("  cacert.pem: ", StringComparison.Ordinal)).ToList();
            Assert.Equal(secrets, described.Count);
            Assert.All(described, l => Assert.Contains(description, l));
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Screen_versions_differ_from_the_download_only_where_secrets_were(string name)
    {
        var plan = PlanFor(name);
        var download = PlanRenderer.ManifestsYaml(plan).Split('\n');
        var screen = PlanRenderer.ManifestsYamlForScreen(plan).Split('\n');

        var changed = download.Zip(screen).Where(pair => pair.First != pair.Second).ToList();

        Assert.All(changed, pair => Assert.True(
            pair.First.Contains(Token, StringComparison.Ordinal) || pair.First.Contains("cacert.pem:", StringComparison.Ordinal)
            || pair.First.Contains("access-token:", StringComparison.Ordinal) || pair.First == "data:"
            || pair.First.StartsWith("  header-", StringComparison.Ordinal)
            // The direct route's header values, in the provider's initialMetadata or http.headers.
            || pair.First.Contains(HoneycombKey, StringComparison.Ordinal) || pair.First.Contains(OtlpHttpKey, StringComparison.Ordinal),
            $"unexpected change on screen: '{pair.First}' -> '{pair.Second}'"));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Screen_install_script_is_still_valid_bash(string name)
    {
        var path = Bash.WriteTempScript(PlanRenderer.InstallScriptForScreen(PlanFor(name)));
        try
        {
            var check = Bash.SyntaxCheck(path);
            Assert.True(check.ExitCode == 0, check.StandardError);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Screen_manifests_are_still_valid_yaml(string name) =>
        Assert.Equal(PlanFor(name).Objects.Count, PlanGoldenTests.ParseYaml(PlanRenderer.ManifestsYamlForScreen(PlanFor(name))).Count);

    /// <summary>
    /// Tokens are only checked for whitespace, control characters and surrounding quotes, so YAML or shell quoting
    /// can rewrite the characters inside them. The screen must hide the token in whatever form it was written.
    /// </summary>
    [Theory]
    [InlineData("lsTOKEN'0123456789abcdef", "1.5")]
    [InlineData("lsTOKEN'0123456789abcdef", "1.14")]
    [InlineData("lsTOKEN'0123456789abcdef", "1.20")]
    [InlineData("lsTOKEN'0123456789abcdef", "1.28")]
    [InlineData("lsTOKEN$0123456789abcdef", "1.5")]
    [InlineData("lsTOKEN`0123456789abcdef", "1.14")]
    [InlineData("lsTOKEN\\0123456789abcdef", "1.20")]
    [InlineData("lsTOKEN\"0123456789abcdef", "1.28")]
    [InlineData("*lsTOKEN0123456789abcdef", "1.28")]
    [InlineData("lsTOKEN#0123456789abcdef", "1.9")]
    [InlineData("lsTOKEN'0123456789abcdef", "1.7")]
    [InlineData("lsTOKEN'0123456789abcdef", "1.9", false)]
    [InlineData("lsTOKEN$0123456789abcdef", "1.14", false)]
    public void Screen_hides_tokens_with_characters_that_yaml_or_the_shell_rewrite(string token, string version, bool secure = true)
    {
        var plan = PlanBuilder.Build(Public(version) with { AccessToken = token, Secure = secure });

        foreach (var screen in new[] { PlanRenderer.ManifestsYamlForScreen(plan), PlanRenderer.InstallScriptForScreen(plan) })
        {
            Assert.DoesNotContain("0123456789ab", screen);
            Assert.Contains("••••cdef", screen);
        }
    }

    /// <summary>A token with ' is written shell-quoted ('\'') in shell text: the screen shows the mask quoted the same way.</summary>
    [Fact]
    public void Screen_masks_the_shell_quoted_token()
    {
        const string token = "lsTOKEN'0123456789abcdef";
        var plan = PlanBuilder.Build(Public("1.9") with { AccessToken = token });
        var quoted = "'lsTOKEN'\\''0123456789abcdef'";
        Assert.Equal(quoted, PlanBuilder.ShellQuote(token));

        Assert.Equal($"x={PlanBuilder.ShellQuote("••••cdef")} y=••••cdef", PlanRenderer.Redact(plan, $"x={quoted} y={token}"));
    }

    /// <summary>Each secret of the plan (the token, a backend's header value) shows as its mask.</summary>
    private static void AssertMasksShown(string name, Plan plan, string screen)
    {
        var expected = plan.OtherBackendAddress is null ? [Token] : PlanGoldenTests.Cases[name].OtlpDestination!.HeaderValues.Values.ToList();
        Assert.Equal(expected.Order(), plan.SensitiveValues.Order());
        foreach (var value in expected)
            Assert.Contains(MeshConsole.Domain.Validation.AccessTokenRules.MaskForDisplay(value), screen);
    }

    private static void AssertNoSecrets(string screen)
    {
        Assert.DoesNotContain(HoneycombKey, screen);
        Assert.DoesNotContain(OtlpHttpKey, screen);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(HoneycombKey)), screen);
        Assert.DoesNotContain(Token, screen);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Token)), screen);
        Assert.DoesNotContain(CaPemBase64, screen);
        Assert.DoesNotContain(CaPemBody, screen);
        Assert.DoesNotContain("BEGIN CERTIFICATE", screen);
        Assert.DoesNotContain("LS0tLS1CRUdJTi", screen); // base64 of "-----BEGIN"
        foreach (var line in CaPem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))
            Assert.DoesNotContain(line, screen);
    }
}
