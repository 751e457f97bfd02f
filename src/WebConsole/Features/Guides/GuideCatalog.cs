using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Markdig;
using WebConsole.Features.Localization;
using WebConsole.Drafts;

namespace WebConsole.Features.Guides;

/// <summary>Step guides: Markdown files embedded in the app, rendered once per culture with raw HTML disabled.</summary>
public sealed class GuideCatalog
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();
    private readonly ConcurrentDictionary<(string, string), string> _rendered = new();

    public string HtmlFor(WizardStep step, CultureInfo culture) => HtmlFor(StemOf(step), culture);

    /// <summary>The guide named <paramref name="stem"/> (a step's, or a topic such as <see cref="DestinationTopic"/>).</summary>
    public string HtmlFor(string stem, CultureInfo culture) =>
        _rendered.GetOrAdd((stem, CultureKey(culture)), key => Markdown.ToHtml(Source(key.Item1, key.Item2), Pipeline));

    /// <summary>The first step's guide when spans go to a backend other than LightStep.</summary>
    public const string DestinationTopic = "destination";

    public static string StemOf(WizardStep step) => step.ToString().ToLowerInvariant();

    public static string Source(WizardStep step, string culture) => Source(StemOf(step), culture);

    public static string Source(string stem, string culture)
    {
        var assembly = typeof(GuideCatalog).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Guides/{stem}.{culture}.md")
            ?? assembly.GetManifestResourceStream($"Guides/{stem}.{SupportedCultures.English}.md")
            ?? throw new InvalidOperationException($"The guide '{stem}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string CultureKey(CultureInfo culture)
    {
        for (var c = culture; c != CultureInfo.InvariantCulture; c = c.Parent)
            if (SupportedCultures.All.Contains(c.Name)) return c.Name;
        return SupportedCultures.English;
    }
}
