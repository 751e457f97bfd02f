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
    private readonly ConcurrentDictionary<(WizardStep, string), string> _rendered = new();

    public string HtmlFor(WizardStep step, CultureInfo culture) =>
        _rendered.GetOrAdd((step, CultureKey(culture)), key => Markdown.ToHtml(Source(key.Item1, key.Item2), Pipeline));

    public static string Source(WizardStep step, string culture)
    {
        var assembly = typeof(GuideCatalog).Assembly;
        var stem = step.ToString().ToLowerInvariant();
        using var stream = assembly.GetManifestResourceStream($"Guides/{stem}.{culture}.md")
            ?? assembly.GetManifestResourceStream($"Guides/{stem}.{SupportedCultures.English}.md")
            ?? throw new InvalidOperationException($"The guide for step '{stem}' is missing from the build.");
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
