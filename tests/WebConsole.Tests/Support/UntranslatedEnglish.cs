using System.Text.RegularExpressions;

namespace WebConsole.Tests.Support;

/// <summary>
/// Finds English words left in Chinese text: what remains after code (placeholders, URLs, inline code, options,
/// identifiers, command lines) and the terms tools/resx/glossary.md keeps in English are taken out.
/// </summary>
public sealed partial class UntranslatedEnglish
{
    private readonly IReadOnlyList<string> _keptTerms;

    private UntranslatedEnglish(IReadOnlyList<string> keptTerms) => _keptTerms = keptTerms;

    /// <summary>The glossary's "Kept in English" terms, longest first so phrases go before their words.</summary>
    public IReadOnlyList<string> KeptTerms => _keptTerms;

    public static UntranslatedEnglish FromGlossary(string markdown)
    {
        var section = markdown[markdown.IndexOf("## Kept in English", StringComparison.Ordinal)..];
        var terms = section.Split('\n')
            .Where(line => line.StartsWith('|'))
            .Skip(2) // the header row and its separator
            .Select(line => line.Split('|')[1].Trim())
            .Where(term => term.Length > 0)
            .OrderByDescending(term => term.Length)
            .ToList();
        return new UntranslatedEnglish(terms);
    }

    public IReadOnlyList<string> Words(string chinese)
    {
        var text = FencedCode().Replace(chinese, " ");
        text = InlineCode().Replace(text, " ");
        text = LinkTarget().Replace(text, "]");
        text = Url().Replace(text, " ");
        text = Placeholder().Replace(text, " ");
        text = CommandLine().Replace(text, " ");
        text = OptionWithValue().Replace(text, " ");
        text = KeyValue().Replace(text, " ");
        text = ShortGloss().Replace(text, match => match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3 ? "（）" : match.Value);
        foreach (var term in _keptTerms)
            text = Regex.Replace(text, @"(?<![A-Za-z0-9_\-./])" + Regex.Escape(term) + @"(?![A-Za-z0-9_\-])", " ");

        var words = new List<string>();
        foreach (Match chunk in AsciiRun().Matches(text))
        {
            var word = chunk.Value.Trim(',', ';', ':', '!', '?', '(', ')', '[', ']', '"', '\'', '*', '#', '>', '|').TrimEnd('.');
            if (!word.Any(char.IsAsciiLetter) || word.Length == 1) continue;
            if (CodeCharacter().IsMatch(word) || CamelCase().IsMatch(word)) continue;
            words.Add(word);
        }
        return words;
    }

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)] private static partial Regex FencedCode();
    [GeneratedRegex(@"`[^`]*`")] private static partial Regex InlineCode();
    [GeneratedRegex(@"\]\([^)]*\)")] private static partial Regex LinkTarget();
    [GeneratedRegex(@"https?://\S+")] private static partial Regex Url();
    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")] private static partial Regex Placeholder();
    /// <summary>A command line runs from the command to the next non-ASCII character.</summary>
    [GeneratedRegex(@"\b(kubectl|istioctl|helm|docker|curl|bash)\b[\x20-\x7E]*")] private static partial Regex CommandLine();
    [GeneratedRegex(@"--[\w-]+([ =][^\s（）]+)?")] private static partial Regex OptionWithValue();
    [GeneratedRegex(@"[\w./-]+: [\w.-]+")] private static partial Regex KeyValue();
    [GeneratedRegex(@"（\s*([A-Za-z][\w.\-/ ]{0,30}?)\s*）")] private static partial Regex ShortGloss();
    [GeneratedRegex(@"[\x21-\x7E]+")] private static partial Regex AsciiRun();
    [GeneratedRegex(@"[/.:=_{}<>\[\]()@$~*#\\""0-9-]")] private static partial Regex CodeCharacter();
    [GeneratedRegex(@"^[a-z]+[A-Z]")] private static partial Regex CamelCase();
}
