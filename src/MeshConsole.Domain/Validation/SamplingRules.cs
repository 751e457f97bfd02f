using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshConsole.Domain.Validation;

public static partial class SamplingRules
{
    public const decimal MinPercent = 0.01m;
    public const decimal MaxPercent = 100m;
    public const decimal RecommendedPercent = 100m;
    public const int MaxDecimalPlaces = 2;

    /// <summary>
    /// The percentage as typed (wizard field or --sampling), read strictly: digits with an optional '.' and fraction,
    /// nothing else. A lenient number parse (exponents, thousands separators, the current culture's decimal comma) turns
    /// "1e2" or "1,5" into a value the user never meant; such text is refused with <c>Sampling.NotANumber</c>.
    /// </summary>
    public static IReadOnlyList<ValidationIssue> Validate(string? text, out decimal? percent)
    {
        percent = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return [ValidationIssue.Error(WizardField.SamplingPercent, "Sampling.Missing")];
        if (!StrictPercent().IsMatch(trimmed) ||
            !decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return [ValidationIssue.Error(WizardField.SamplingPercent, "Sampling.NotANumber", trimmed)];
        percent = value;
        return Validate(value);
    }

    public static IReadOnlyList<ValidationIssue> Validate(decimal? percent)
    {
        if (percent is not { } value) return [ValidationIssue.Error(WizardField.SamplingPercent, "Sampling.Missing")];
        if (value is < MinPercent or > MaxPercent)
            return [ValidationIssue.Error(WizardField.SamplingPercent, "Sampling.OutOfRange", MinPercent, MaxPercent)];
        if (decimal.Round(value, MaxDecimalPlaces) != value)
            return [ValidationIssue.Error(WizardField.SamplingPercent, "Sampling.TooPrecise", MaxDecimalPlaces)];
        // LightStep recommends tracing 100% and scaling the satellite pool rather than sampling in the mesh.
        if (value < RecommendedPercent)
            return [ValidationIssue.Warning(WizardField.SamplingPercent, "Sampling.BelowRecommended", RecommendedPercent)];
        return [];
    }

    /// <summary>The percentage as the wizard shows it in its field: invariant digits, no trailing zeros beyond what was set.</summary>
    public static string Format(decimal percent) => percent.ToString(CultureInfo.InvariantCulture);

    // At most 12 digits before the point keeps decimal.TryParse far from overflow; the range rule reports anything above 100.
    [GeneratedRegex(@"^[0-9]{1,12}(\.[0-9]{1,20})?$", RegexOptions.CultureInvariant)]
    private static partial Regex StrictPercent();
}
