using KubeEmulator.Errors;

namespace KubeEmulator.Storage;

/// <summary>
/// The request's <c>fieldValidation</c> level and the warnings it collects (kubernetes.io "Kubernetes API Concepts",
/// field validation: Ignore, Warn (the default), Strict; Strict fails the request with 400 Bad Request naming every
/// unknown field, Warn succeeds and returns one <c>Warning</c> header per unknown field; server-side apply included).
/// Set by the request pipeline for the duration of one write.
/// </summary>
internal sealed class FieldValidation
{
    private static readonly AsyncLocal<FieldValidation?> CurrentScope = new();

    public enum Level { Ignore, Warn, Strict }

    private FieldValidation(Level directive) => Directive = directive;

    public Level Directive { get; }

    public List<string> Warnings { get; } = [];

    public static FieldValidation? Current => CurrentScope.Value;

    /// <exception cref="ApiException">400 for a value other than Ignore, Warn or Strict.</exception>
    public static FieldValidation Begin(string? query)
    {
        var directive = string.IsNullOrEmpty(query) ? Level.Warn
            : Enum.TryParse<Level>(query, ignoreCase: false, out var parsed) ? parsed
            : throw ApiException.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\", \"Strict\"; got \"{query}\"");
        var scope = new FieldValidation(directive);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Fields the schema does not declare: an error under Strict, warnings under Warn.</summary>
    public static void ReportUnknown(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) return;
        var scope = Current ?? new FieldValidation(Level.Warn);
        switch (scope.Directive)
        {
            case Level.Strict:
                throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", paths.Select(p => $"unknown field \"{p}\"")));
            case Level.Warn:
                scope.Warnings.AddRange(paths.Select(p => $"unknown field \"{p}\""));
                break;
        }
    }
}
