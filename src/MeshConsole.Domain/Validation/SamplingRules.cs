namespace MeshConsole.Domain.Validation;

public static class SamplingRules
{
    public const decimal MinPercent = 0.01m;
    public const decimal MaxPercent = 100m;
    public const decimal RecommendedPercent = 100m;
    public const int MaxDecimalPlaces = 2;

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
}
