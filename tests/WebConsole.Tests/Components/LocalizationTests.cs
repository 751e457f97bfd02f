using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Bunit;
using WebConsole.Drafts;
using WebConsole.Shared.Components;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

public partial class LocalizationTests : ConsoleTestContext
{
    private static readonly ResourceManager Resources = new("WebConsole.Resources.SharedResource", typeof(WebConsole.SharedResource).Assembly);

    private static Dictionary<string, string> Strings(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    [Fact]
    public void Chinese_resources_translate_every_key_with_the_same_placeholders()
    {
        var english = Strings(CultureInfo.InvariantCulture);
        var chinese = Strings(new CultureInfo("zh-Hans"));

        Assert.NotEmpty(english);
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), chinese.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in english)
            Assert.True(Placeholders(text).SetEquals(Placeholders(chinese[key])), $"{key}: placeholders differ");
    }

    [Fact]
    public void Chinese_wizard_guide_is_rendered_without_raw_html()
    {
        UseCulture("zh-Hans");

        var cut = Render<GuidePanel>(p => p.Add(g => g.Step, WizardStep.Token));

        Assert.Equal("指南", cut.Find(".mud-typography-overline").TextContent.Trim());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", cut.Find(".guide-body").TextContent);
        Assert.Empty(cut.FindAll(".guide-body script"));
    }

    [Fact]
    public void English_guide_is_the_default()
    {
        var cut = Render<GuidePanel>(p => p.Add(g => g.Step, WizardStep.Token));

        Assert.Equal("Guide", cut.Find(".mud-typography-overline").TextContent.Trim());
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", cut.Find(".guide-body").TextContent);
    }

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
