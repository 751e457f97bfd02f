using System.Text.Json.Nodes;
using KubeEmulator.Errors;
using KubeEmulator.Json;

namespace KubeEmulator.Storage;

/// <summary>
/// The labelSelector query parameter: comma-separated requirements, all of which must match.
/// Supports <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> (exists),
/// <c>!k</c> (does not exist), <c>k&gt;n</c> and <c>k&lt;n</c> (integer comparisons), like k8s.io/apimachinery/pkg/labels.
/// </summary>
internal sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <exception cref="ApiException">400 BadRequest when the selector does not parse.</exception>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return Everything;
        }

        return new LabelSelector(SplitRequirements(selector).Select(r => ParseRequirement(r, selector)).ToList());
    }

    public bool Matches(JsonObject obj)
    {
        var labels = JsonTools.GetObject(JsonTools.GetObject(obj, "metadata"), "labels");
        return _requirements.All(r => r.Matches(labels));
    }

    private static IEnumerable<string> SplitRequirements(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return selector[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return selector[start..];
    }

    private static Requirement ParseRequirement(string text, string whole)
    {
        var requirement = text.Trim();
        if (requirement.Length == 0)
        {
            throw Invalid(whole, "found '', expected: identifier");
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(requirement, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            return new Requirement(Key(setMatch.Groups[1].Value, whole), setMatch.Groups[2].Value, values);
        }

        foreach (var op in new[] { "==", "!=", "=", ">", "<" })
        {
            var index = requirement.IndexOf(op, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = Key(requirement[..index].Trim(), whole);
                var value = requirement[(index + op.Length)..].Trim();
                if ((op is ">" or "<") && !long.TryParse(value, out _))
                {
                    throw Invalid(whole, $"for 'Gt', 'Lt' operators, the value must be an integer");
                }

                return new Requirement(key, op == "==" ? "=" : op, new HashSet<string>(StringComparer.Ordinal) { value });
            }
        }

        if (requirement.StartsWith('!'))
        {
            return new Requirement(Key(requirement[1..].Trim(), whole), "!", new HashSet<string>());
        }

        return new Requirement(Key(requirement, whole), "exists", new HashSet<string>());
    }

    private static string Key(string key, string whole) =>
        System.Text.RegularExpressions.Regex.IsMatch(key, @"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
            ? key
            : throw Invalid(whole, $"invalid label key \"{key}\"");

    private static ApiException Invalid(string selector, string why) =>
        ApiException.BadRequest($"unable to parse requirement: {why} (in label selector \"{selector}\")");

    private sealed record Requirement(string Key, string Operator, IReadOnlySet<string> Values)
    {
        public bool Matches(JsonObject? labels)
        {
            var value = JsonTools.GetString(labels, Key);
            return Operator switch
            {
                "=" or "in" => value is not null && Values.Contains(value),
                "!=" or "notin" => value is null || !Values.Contains(value),
                "exists" => value is not null,
                "!" => value is null,
                ">" => long.TryParse(value, out var gt) && gt > long.Parse(Values.First()),
                "<" => long.TryParse(value, out var lt) && lt < long.Parse(Values.First()),
                _ => false,
            };
        }
    }
}

/// <summary>The fieldSelector query parameter; only metadata.name and metadata.namespace (=, ==, !=) are supported.</summary>
internal sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public bool IsEmpty => _terms.Count == 0;

    public static FieldSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return new FieldSelector([]);
        }

        var terms = new List<(string, bool, string)>();
        foreach (var term in selector.Split(','))
        {
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var equal = term.IndexOf('=');
            if (notEqual < 0 && equal < 0)
            {
                throw ApiException.BadRequest($"invalid selector: '{selector}'; can't understand '{term}'");
            }

            var (field, isEqual, value) = notEqual >= 0
                ? (term[..notEqual], false, term[(notEqual + 2)..])
                : (term[..equal], true, term[(equal + 1)..].TrimStart('='));
            field = field.Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, isEqual, value.Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        var metadata = JsonTools.GetObject(obj, "metadata");
        foreach (var (field, equal, value) in _terms)
        {
            var actual = JsonTools.GetString(metadata, field["metadata.".Length..]) ?? string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
