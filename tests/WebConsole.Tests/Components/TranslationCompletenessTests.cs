using System.Text.RegularExpressions;
using System.Xml.Linq;
using WebConsole.Tests.Packaging;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>
/// The Chinese console is Chinese: no resource value or guide keeps English beyond the terms tools/resx/glossary.md
/// lists (product names, Kubernetes kinds, protocols) and code, and every step the text names is a step of the stepper.
/// </summary>
public partial class TranslationCompletenessTests
{
    private static readonly UntranslatedEnglish Detector = UntranslatedEnglish.FromGlossary(Repository.Read("tools/resx/glossary.md"));

    private static Dictionary<string, string> Resx(string file) =>
        XDocument.Load(Repository.PathOf($"src/WebConsole/Resources/{file}")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static IEnumerable<(string Name, string Text)> ChineseGuides() =>
        Directory.GetFiles(Repository.PathOf("src/WebConsole/Guides"), "*.zh-Hans.md").Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)));

    [Fact]
    public void No_chinese_resource_value_keeps_english_words_outside_the_glossary()
    {
        var chinese = Resx("SharedResource.zh-Hans.resx");

        var untranslated = chinese
            .Select(entry => (entry.Key, Words: Detector.Words(entry.Value), entry.Value))
            .Where(entry => entry.Words.Count > 0)
            .Select(entry => $"{entry.Key}: {string.Join(", ", entry.Words)} in “{entry.Value}”")
            .ToList();

        Assert.True(untranslated.Count == 0, "English left in SharedResource.zh-Hans.resx (translate it, or add a product name or kind to tools/resx/glossary.md):\n" + string.Join("\n", untranslated));
    }

    [Fact]
    public void No_chinese_resource_value_is_the_english_value_unless_it_is_only_glossary_terms_and_code()
    {
        var english = Resx("SharedResource.resx");
        var chinese = Resx("SharedResource.zh-Hans.resx");

        var copied = english
            .Where(entry => chinese.TryGetValue(entry.Key, out var zh) && zh == entry.Value && Detector.Words(zh).Count > 0)
            .Select(entry => $"{entry.Key}: “{entry.Value}”")
            .ToList();

        Assert.True(copied.Count == 0, "Chinese values copied from English:\n" + string.Join("\n", copied));
    }

    [Fact]
    public void No_chinese_guide_keeps_english_words_outside_the_glossary()
    {
        var untranslated = ChineseGuides()
            .SelectMany(guide => WithoutCodeBlocks(guide.Text).Split('\n').Select((line, index) => (guide.Name, Line: index + 1, Words: Detector.Words(line))))
            .Where(line => line.Words.Count > 0)
            .Select(line => $"{line.Name}:{line.Line}: {string.Join(", ", line.Words)}")
            .ToList();

        Assert.True(untranslated.Count == 0, "English left in the Chinese guides:\n" + string.Join("\n", untranslated));
    }

    [Fact]
    public void Every_step_the_chinese_text_names_is_called_so_in_the_stepper()
    {
        var chinese = Resx("SharedResource.zh-Hans.resx");
        var stepNames = chinese.Where(e => e.Key.StartsWith("Step.", StringComparison.Ordinal)).Select(e => e.Value).ToHashSet();

        var unknown = chinese.Select(e => (Name: e.Key, Text: e.Value)).Concat(ChineseGuides())
            .SelectMany(text => NamedStep().Matches(text.Text).Select(m => (text.Name, Step: m.Groups[1].Value)))
            .Where(reference => !stepNames.Contains(reference.Step))
            .Select(reference => $"{reference.Name}: “{reference.Step}”步骤")
            .ToList();

        Assert.Equal("审阅", chinese["Step.Review"]);
        Assert.True(unknown.Count == 0, "Steps named in the text but not in the stepper:\n" + string.Join("\n", unknown));
    }

    [Theory]
    [InlineData("命名空间与 Sidecar 注入", "Sidecar")]
    [InlineData("团队会话保存在集群中：请先连接集群（pick a context above），再启动。", "pick,context,above")]
    [InlineData("提供 LightStep API 密钥（项目设置 → API keys）", "keys")]
    [InlineData("Satellite", "Satellite")]
    [InlineData("Trace ID", "Trace")]
    public void The_detector_finds_english_left_in_chinese_text(string text, string expected) =>
        Assert.Equal(expected.Split(','), Detector.Words(text));

    [Theory]
    [InlineData("请用 kubectl rollout restart deployment -n NAMESPACE 重启：{0}。")]
    [InlineData("运行 `istioctl install -f overlay.yaml`，详见 https://istio.io/latest/docs/")]
    [InlineData("仅适用于 --backend lightstep，不适用于 {0}。")]
    [InlineData("请使用 inject.istio.io/templates: gateway 重新部署。")]
    [InlineData("配置档（profile）的默认值；meshConfig.defaultConfig 与 ISTIO_BASE_OVERLAY")]
    [InlineData("Istio 的 Telemetry 资源、ConfigMap 和 Secret lightstep.cacert，span 发往 satellite")]
    public void The_detector_leaves_code_and_glossary_terms_alone(string text) =>
        Assert.Empty(Detector.Words(text));

    /// <summary>Code blocks blanked out line by line, so the reported line numbers stay those of the file.</summary>
    private static string WithoutCodeBlocks(string markdown) =>
        CodeBlock().Replace(markdown, block => new string('\n', block.Value.Count(c => c == '\n')));

    [GeneratedRegex("```.*?```", RegexOptions.Singleline)] private static partial Regex CodeBlock();
    [GeneratedRegex("“([^”]+)”步骤")] private static partial Regex NamedStep();
}
