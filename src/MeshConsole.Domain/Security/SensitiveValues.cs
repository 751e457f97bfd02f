using System.Collections;
using System.Runtime.CompilerServices;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Security;

/// <summary>
/// The values that must never reach a log, an exception, a page, a diff or stdout (the access token, a LightStep API
/// key): built once from the user's input and handed to everything that logs, renders, diffs or stores.
/// Empty values are dropped; the longest comes first, so a value that contains another is masked whole.
/// </summary>
[CollectionBuilder(typeof(SensitiveValues), nameof(Create))]
public sealed class SensitiveValues : IReadOnlyList<string>
{
    public static readonly SensitiveValues None = new([]);

    private readonly IReadOnlyList<string> _values;

    private SensitiveValues(IReadOnlyList<string> values) => _values = values;

    public static SensitiveValues Of(params IEnumerable<string?> values) =>
        new(values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length).ToList());

    /// <summary>For collection expressions: <c>[input.AccessToken]</c>.</summary>
    public static SensitiveValues Create(ReadOnlySpan<string> values) => Of(values.ToArray());

    /// <summary>These values and <paramref name="more"/>.</summary>
    public SensitiveValues With(params IEnumerable<string?> more) => Of([.. _values, .. more]);

    /// <summary>The text with every value replaced by its display mask (last four characters).</summary>
    public string Mask(string text)
    {
        foreach (var value in _values)
            text = text.Replace(value, AccessTokenRules.MaskForDisplay(value), StringComparison.Ordinal);
        return text;
    }

    public bool IsEmpty => _values.Count == 0;
    public int Count => _values.Count;
    public string this[int index] => _values[index];
    public IEnumerator<string> GetEnumerator() => _values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
