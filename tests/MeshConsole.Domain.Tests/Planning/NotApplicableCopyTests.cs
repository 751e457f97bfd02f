using System.Text.RegularExpressions;
using MeshConsole.Domain.Planning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// The Review's copy button gives the on-screen text (token masked, certificate left out). Applied by mistake it would
/// install a masked token; so each YAML document in it must fail to parse, as kubectl's and istioctl's YAML readers fail.
/// </summary>
public sealed partial class NotApplicableCopyTests
{
    private const string Notice = "MASKED COPY, NOT APPLICABLE: use manifests.yaml from the downloaded bundle";

    public static TheoryData<string> CaseNames => PlanGoldenTests.CaseNames;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Every_document_of_the_copied_manifests_is_refused_by_a_yaml_parser(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);
        var screen = PlanRenderer.ManifestsYamlForScreen(plan);

        var copy = PlanRenderer.NotApplicableCopy(screen, Notice, startsWithYaml: true);

        var documents = copy.Split("---\n");
        Assert.Equal(plan.Objects.Count, documents.Length);
        Assert.All(documents, d => Assert.ThrowsAny<YamlException>(() => Parse(d)));
        // The same text without the marker lines parses: the marker alone is what makes it refused.
        Assert.Equal(screen, RemoveMarkers(copy));
        Assert.All(screen.Split("---\n"), d => Parse(d));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Every_heredoc_of_the_copied_script_is_refused_by_a_yaml_parser(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);
        var screen = PlanRenderer.InstallScriptForScreen(plan);

        var copy = PlanRenderer.NotApplicableCopy(screen, Notice, startsWithYaml: false);

        var heredocs = HeredocPattern().Matches(copy).Select(m => m.Groups["body"].Value).ToList();
        Assert.NotEmpty(heredocs);
        Assert.All(heredocs.SelectMany(h => h.Split("---\n")), d => Assert.ThrowsAny<YamlException>(() => Parse(d)));
        Assert.StartsWith("#!/usr/bin/env bash\n", copy);
        Assert.Equal(screen, RemoveMarkers(copy));
    }

    /// <summary>
    /// The real kubectl (as in tests/KubeEmulator.Tests: KUBECTL or kubectl on PATH) refuses the masked copy while
    /// reading it, before it would reach any cluster; the unmarked text gets past reading (and fails only for want of one).
    /// </summary>
    [Theory]
    [InlineData("istio-1.22-public-direct")]
    [InlineData("istio-1.28-onprem-ca-collector")]
    public void Kubectl_refuses_the_copied_manifests_while_reading_them(string name)
    {
        var screen = PlanRenderer.ManifestsYamlForScreen(PlanBuilder.Build(PlanGoldenTests.Cases[name]));
        var directory = Directory.CreateTempSubdirectory("meshconsole-copy-");
        try
        {
            var copied = Path.Combine(directory.FullName, "copied.yaml");
            var unmarked = Path.Combine(directory.FullName, "unmarked.yaml");
            File.WriteAllText(copied, PlanRenderer.NotApplicableCopy(screen, Notice, startsWithYaml: true));
            File.WriteAllText(unmarked, screen);

            var refused = KubectlApply(copied, directory.FullName);
            var read = KubectlApply(unmarked, directory.FullName);

            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("error parsing", refused.StandardError);
            Assert.Contains("cannot start any token", refused.StandardError);
            Assert.DoesNotContain("error parsing", read.StandardError);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Bash.Result KubectlApply(string file, string directory)
    {
        var kubectl = Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } set ? set : "kubectl";
        // A kubeconfig naming an unreachable server: nothing can be applied anywhere, whatever kubectl decides.
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: none\n  cluster:\n    server: https://127.0.0.1:1\nusers:\n- name: none\n  user:\n    token: none\ncontexts:\n- name: none\n  context:\n    cluster: none\n    user: none\ncurrent-context: none\n");
        return Bash.Run(["-c", "\"$0\" apply --dry-run=client --validate=false --request-timeout=5s -f \"$1\"", kubectl, file],
            new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig }, directory);
    }

    private static void Parse(string document) => new YamlStream().Load(new StringReader(document));

    private static string RemoveMarkers(string copy) =>
        string.Join("\n", copy.Split('\n').Where(l => !l.StartsWith(PlanRenderer.CopyMarkerPrefix + Notice, StringComparison.Ordinal)));

    [GeneratedRegex(@"<<'YAML'\n(?<body>.*?)\nYAML$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex HeredocPattern();
}
