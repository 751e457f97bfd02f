using System.Globalization;
using System.Text.RegularExpressions;
using KubeEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebConsole.Cli;
using WebConsole.Features.Localization;
using WebConsole.Tests.Cluster;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cli;

/// <summary>The command line's counted sentences read as English and Chinese do: no "object(s)", one object is one object.</summary>
public sealed class CountedWordingTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-counted-").FullName;
    private EmulatedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        File.WriteAllText(Path.Combine(_dir, "token.txt"), EmulatedCluster.Token + "\n");
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string InCulture(string culture, Func<ConsoleText, string> sentence)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            return sentence(new ConsoleText(new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
                Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance))));
        }
        finally { CultureInfo.CurrentUICulture = previous; }
    }

    public static TheoryData<string, int, string> Sentences => new()
    {
        { "en", 1, "Apply 1 object to context kind-a? | Undo 1 change in context kind-a? | 1 object | 1 command" },
        { "en", 2, "Apply 2 objects to context kind-a? | Undo 2 changes in context kind-a? | 2 objects | 2 commands" },
        { "en", 0, "Apply 0 objects to context kind-a? | Undo 0 changes in context kind-a? | 0 objects | 0 commands" },
        { "zh-Hans", 1, "将 1 个对象应用到上下文 kind-a？ | 在上下文 kind-a 中撤销 1 项变更？ | 1 个对象 | 1 条命令" },
        { "zh-Hans", 2, "将 2 个对象应用到上下文 kind-a？ | 在上下文 kind-a 中撤销 2 项变更？ | 2 个对象 | 2 条命令" },
    };

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Counted_sentences_use_the_singular_for_one_and_the_plural_otherwise(string culture, int count, string expected)
    {
        var sentences = InCulture(culture, text => string.Join(" | ",
            text.Count("Cli.ConfirmApply", count, "kind-a"), text.Count("Cli.ConfirmCleanup", count, "kind-a"),
            text.Count("Cli.ObjectCount", count), text.Count("Cli.CommandCount", count)));

        Assert.Equal(expected, sentences);
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = _cluster.KubeconfigPath }).Build();
        // No --yes and nothing typed: the question is asked and answered "no".
        var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(""), configuration);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Apply_and_cleanup_ask_about_objects_and_changes_in_plain_plurals()
    {
        string[] apply =
        [
            "apply", "--token-file", Path.Combine(_dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
            "--cacert", Path.Combine(_dir, "ca.pem"), "--istio-version", "1.14.3", "--namespace", "default", "--force-conflicts",
        ];

        var (declined, declinedOut, declinedErr) = await RunAsync(apply);

        Assert.NotEqual(0, declined);
        Assert.Matches(new Regex(@"Apply \d+ objects to context \S+\? \[y/N\]"), declinedOut);
        Assert.DoesNotContain("(s)", declinedOut);
        Assert.Contains("Nothing was changed.", declinedErr);

        var (applied, appliedOut, appliedErr) = await RunAsync([.. apply, "--yes"]);
        Assert.True(applied == 0, appliedErr + appliedOut);
        var (_, cleanupOut, _) = await RunAsync("cleanup");

        Assert.Matches(new Regex(@"Undo \d+ changes in context \S+\? \[y/N\]"), cleanupOut);
        Assert.DoesNotContain("(s)", cleanupOut);
    }
}
