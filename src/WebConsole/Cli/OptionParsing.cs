using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using WebConsole.Features.Localization;

namespace WebConsole.Cli;

/// <summary>
/// Typed options whose parse errors say what a good value looks like. System.CommandLine's own message for
/// "--requests abc" names the .NET type ("as expected type 'System.Int32'"), which tells a user nothing.
/// </summary>
internal static class OptionParsing
{
    /// <summary>A whole-number option; text that is not one is refused naming the option, the text and the range.</summary>
    public static Option<int> WholeNumber(string name, string description, int min, int max, ConsoleText text, bool required = false) =>
        new(name)
        {
            Required = required,
            Description = description,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                // Integer only: no sign beyond '-', no thousands separators, no exponent (int.Parse's default style).
                if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
                result.AddError($"{name}: " + text.Format("Cli.NotAWholeNumber", token, min, max));
                return 0;
            },
        };
}
