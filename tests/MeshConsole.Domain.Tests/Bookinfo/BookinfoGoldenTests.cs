using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Tests.Planning;
using Xunit.Sdk;
using YamlDotNet.RepresentationModel;

namespace MeshConsole.Domain.Tests.Bookinfo;

/// <summary>
/// Pins the Bookinfo manifests and their apply command for one Istio release (networking v1). Regenerate with
/// <c>UPDATE_GOLDEN=1 dotnet test tests/MeshConsole.Domain.Tests --filter FullyQualifiedName~Bookinfo</c> and review the diff.
/// </summary>
public partial class BookinfoGoldenTests
{
    private const string Case = "bookinfo-istio-1.26";
    private static Plan Plan() => BookinfoPlanTests.PlanFor("1.26", "bookinfo", new Dictionary<string, string> { ["istio-injection"] = "enabled" });

    [Fact]
    public void Manifests_match_the_golden_file() =>
        BookinfoGolden.AssertMatches($"{Case}.manifests.yaml", PlanRenderer.ManifestsYaml(Plan()));

    [Fact]
    public void Apply_command_matches_the_golden_file() =>
        BookinfoGolden.AssertMatches($"{Case}.apply.sh", Plan().Commands.Single().Script + "\n");

    [Fact]
    public void Golden_manifests_hold_one_yaml_document_per_object()
    {
        var documents = new YamlStream();
        documents.Load(new StringReader(BookinfoGolden.Read($"{Case}.manifests.yaml")));

        Assert.Equal(Plan().Objects.Count, documents.Documents.Count);
    }

    [Fact]
    public void Golden_apply_command_passes_bash_syntax_check_and_its_heredoc_is_the_manifests()
    {
        var path = Path.Combine(BookinfoGolden.OutputFolder, $"{Case}.apply.sh");
        Assert.True(File.Exists(path), $"{path} is missing; run the golden tests once to write it.");

        var check = Bash.SyntaxCheck(path);

        Assert.True(check.ExitCode == 0, $"bash -n failed:\n{check.StandardError}");
        var heredoc = HeredocPattern().Match(File.ReadAllText(path));
        Assert.True(heredoc.Success);
        Assert.Equal(BookinfoGolden.Read($"{Case}.manifests.yaml"), heredoc.Groups["body"].Value + "\n");
    }

    [Fact]
    public void Every_golden_file_in_the_source_folder_belongs_to_a_case()
    {
        var actual = Directory.EnumerateFiles(BookinfoGolden.SourceFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal([".gitattributes", $"{Case}.apply.sh", $"{Case}.manifests.yaml"], actual);
    }

    [GeneratedRegex(@"<<'YAML'\n(?<body>.*?)\nYAML$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex HeredocPattern();
}

/// <summary>What the console writes must read back as the same objects (dry-run, diff and apply load it with the type map).</summary>
public class BookinfoYamlRoundTripTests
{
    public static TheoryData<string> Versions => new() { "1.4", "1.9", "1.14", "1.21", "1.26", "1.28" };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_object_reads_back_as_the_same_type_and_serializes_identically(string version)
    {
        foreach (var resource in BookinfoPlanTests.PlanFor(version).Objects.Select(o => o.Resource))
        {
            Assert.True(IstioResource.YamlTypeMap.ContainsKey($"{resource.ApiVersion}/{resource.Kind}"), $"{resource.ApiVersion}/{resource.Kind} is not in the type map");
            var yaml = KubernetesYaml.Serialize(resource);

            var loaded = Assert.Single(KubernetesYaml.LoadAllFromString(yaml, IstioResource.YamlTypeMap));

            Assert.IsType(resource.GetType(), loaded);
            Assert.Equal(yaml, KubernetesYaml.Serialize(loaded));
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Manifests_survive_a_load_and_render_cycle_unchanged(string version)
    {
        var manifests = PlanRenderer.ManifestsYaml(BookinfoPlanTests.PlanFor(version));

        var reloaded = KubernetesYaml.LoadAllFromString(manifests, IstioResource.YamlTypeMap).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();

        Assert.Equal(17, reloaded.Count);
        Assert.Equal(manifests, PlanRenderer.Yaml(reloaded));
    }

    [Fact]
    public void Reloaded_deployment_keeps_the_empty_dirs_and_requests()
    {
        var manifests = PlanRenderer.ManifestsYaml(BookinfoPlanTests.PlanFor("1.26"));

        var reviews = KubernetesYaml.LoadAllFromString(manifests, IstioResource.YamlTypeMap).OfType<V1Deployment>().Single(d => d.Metadata.Name == "reviews-v2");

        Assert.All(reviews.Spec.Template.Spec.Volumes, v => Assert.NotNull(v.EmptyDir));
        Assert.Equal("128Mi", reviews.Spec.Template.Spec.Containers[0].Resources.Requests["memory"].ToString());
    }
}

/// <summary>Exact comparison against files in Bookinfo/Golden; missing or UPDATE_GOLDEN=1 (re)writes the source copy and fails.</summary>
internal static class BookinfoGolden
{
    private const string SolutionFile = "WebConsole.sln";
    private const string RelativeFolder = "tests/MeshConsole.Domain.Tests/Bookinfo/Golden";

    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "Bookinfo", "Golden");

    public static string SourceFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return Path.Combine(dir.FullName, RelativeFolder);
            throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
        }
    }

    public static string Read(string fileName)
    {
        var path = Path.Combine(OutputFolder, fileName);
        Assert.True(File.Exists(path), $"{path} is missing; run the golden tests once to write it.");
        return File.ReadAllText(path);
    }

    public static void AssertMatches(string fileName, string actual)
    {
        var expectedPath = Path.Combine(OutputFolder, fileName);
        var update = Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";
        if (update || !File.Exists(expectedPath))
        {
            var sourcePath = Path.Combine(SourceFolder, fileName);
            var previous = File.Exists(sourcePath) ? File.ReadAllText(sourcePath) : null;
            File.WriteAllText(sourcePath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            if (previous == actual && update) return;
            throw new XunitException($"Golden file {fileName} was {(previous is null ? "written" : "rewritten")} at {sourcePath}. Review it, then run the tests again without UPDATE_GOLDEN.");
        }
        var expected = File.ReadAllText(expectedPath);
        if (expected != actual)
            throw new XunitException($"Output differs from golden file {fileName} (rerun with UPDATE_GOLDEN=1 to accept):\n{GoldenFile.Diff(expected, actual)}");
    }
}
