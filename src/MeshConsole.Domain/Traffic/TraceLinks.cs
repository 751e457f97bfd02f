using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Traffic;

/// <summary>A link people open in their browser to see one request's trace.</summary>
public sealed record TraceLink(string Provider, string Url);

/// <summary>
/// One tracing backend's links (Kiali's model: one interface, one class per backend). The link is built from an
/// EXTERNAL URL the user sets, which is unrelated to the internal address the console and the mesh send spans to.
/// </summary>
public interface ITraceLinkProvider
{
    string Name { get; }

    /// <summary>The link for this trace; null when the provider is not usable (its issues say why).</summary>
    TraceLink? LinkFor(TraceIdentity id);
}

/// <summary>
/// Links into LightStep's web UI. The default is the deep link LightStep's own tracers print
/// (lightstep/lightstep-tracer-java-common AbstractTracer.generateTraceURL:
/// <c>"https://app.lightstep.com/" + accessToken + "/trace?span_guid=" + Long.toHexString(spanId) + "&amp;at_micros=" + nowMicros</c>;
/// lightstep-tracer-javascript span_imp.js generateTraceURL prints the same URL with the span's guid), i.e. the span id in lowercase hex WITHOUT zero-padding, with the
/// project name in place of the access token, as Sourcegraph's LightStep links do
/// (<c>https://app.lightstep.com/%s/trace?span_guid=%x&amp;at_micros=%d</c> with the LightStep project; Go's %x does not
/// pad either): the token is a secret and never goes into a link. The tracers put the time of the call in at_micros; the
/// console puts the root span's start, which lies inside the trace. {spanId} (zero-padded) stays available.
/// </summary>
public sealed class LightStepTraceLinks : ITraceLinkProvider
{
    public const string DefaultTemplate = "https://app.lightstep.com/{project}/trace?span_guid={spanIdUnpadded}&at_micros={startMicros}";

    private readonly TraceLinkTemplate? template;
    private readonly string project;
    private readonly string escapedProject = "";

    public LightStepTraceLinks(TraceLinkTemplate template, string project)
    {
        ArgumentNullException.ThrowIfNull(template);
        this.project = project ?? "";
        escapedProject = TraceLinkTemplate.EscapeProject(project);
        Issues = template.Uses(TraceLinkPlaceholder.Project) ? LightStepProjectRules.Validate(project) : [];
        this.template = Issues.HasErrors() ? null : template;
    }

    /// <summary>From the user's settings; an invalid template or project gives a provider with no links and its issues.</summary>
    public static LightStepTraceLinks FromSettings(string? template, string? project)
    {
        var (parsed, issues) = TraceLinkTemplate.Parse(template);
        return parsed is null ? new LightStepTraceLinks(issues) : new LightStepTraceLinks(parsed, project ?? "");
    }

    private LightStepTraceLinks(IReadOnlyList<ValidationIssue> issues)
    {
        project = "";
        Issues = issues;
    }

    public string Name => "LightStep";

    /// <summary>Why there are no links (template or project problems); empty when links are produced.</summary>
    public IReadOnlyList<ValidationIssue> Issues { get; }

    public bool IsUsable => template is not null;

    public TraceLink? LinkFor(TraceIdentity id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return template is null ? null : new TraceLink(Name, template.Render(id, project));
    }

    /// <summary>The longest link <see cref="TryWriteLink"/> writes; 0 when there are no links.</summary>
    public int MaxLinkLength => template?.MaxRenderedLength(escapedProject) ?? 0;

    /// <summary>
    /// The same URL as <see cref="LinkFor"/> for the row's root span, written into <paramref name="destination"/> without
    /// allocating; false when there are no links or it does not fit (<see cref="MaxLinkLength"/> always fits).
    /// </summary>
    public bool TryWriteLink(TrafficRow row, Span<char> destination, out int written)
    {
        written = 0;
        return template is not null && template.TryRender(row.TraceId, row.SpanId, row.StartMicros, escapedProject, destination, out written);
    }
}

public enum TraceLinkPlaceholder
{
    Project,
    TraceId,
    /// <summary>The trace id's right-most 64 bits (16 hex): LightStep's own tracers and Envoy's LightStep tracer use 64-bit ids.</summary>
    TraceId64,
    /// <summary>16 lowercase hex digits, zero-padded.</summary>
    SpanId,
    /// <summary>Lowercase hex without leading zeros, as LightStep's tracers print it (Java's Long.toHexString).</summary>
    SpanIdUnpadded,
    StartMicros,
    StartMillis,
    /// <summary>Start plus one minute, for UIs that want a time window.</summary>
    EndMicros,
    /// <summary>Start in whole Unix seconds (Honeycomb's trace_start_ts).</summary>
    StartSeconds,
    /// <summary>Start plus one minute in whole Unix seconds, rounded up.</summary>
    EndSeconds,
}

/// <summary>
/// A URL template with placeholders in braces: {project}, {traceId}, {traceId64}, {spanId}, {spanIdUnpadded},
/// {startMicros}, {startMillis}, {endMicros}, {startSeconds}, {endSeconds}. Substituted values are URL-escaped. Parsing refuses anything that could produce a
/// broken link, so a parsed template always renders an absolute http(s) URL.
/// </summary>
public sealed partial class TraceLinkTemplate
{
    public const long WindowMicros = 60_000_000;
    public const int MaxLength = 2048;

    private static readonly Dictionary<string, TraceLinkPlaceholder> Names = new(StringComparer.Ordinal)
    {
        ["project"] = TraceLinkPlaceholder.Project,
        ["traceId"] = TraceLinkPlaceholder.TraceId,
        ["traceId64"] = TraceLinkPlaceholder.TraceId64,
        ["spanId"] = TraceLinkPlaceholder.SpanId,
        ["spanIdUnpadded"] = TraceLinkPlaceholder.SpanIdUnpadded,
        ["startMicros"] = TraceLinkPlaceholder.StartMicros,
        ["startMillis"] = TraceLinkPlaceholder.StartMillis,
        ["endMicros"] = TraceLinkPlaceholder.EndMicros,
        ["startSeconds"] = TraceLinkPlaceholder.StartSeconds,
        ["endSeconds"] = TraceLinkPlaceholder.EndSeconds,
    };

    public static IReadOnlyCollection<string> PlaceholderNames => Names.Keys;

    // Literal text or a placeholder, in order.
    private readonly (string? Literal, TraceLinkPlaceholder Placeholder)[] parts;

    private TraceLinkTemplate(string text, IEnumerable<(string?, TraceLinkPlaceholder)> parts)
    {
        Text = text;
        this.parts = [.. parts];
    }

    public string Text { get; }

    public static TraceLinkTemplate Default { get; } = Parse(LightStepTraceLinks.DefaultTemplate).Template!;

    public bool Uses(TraceLinkPlaceholder placeholder) => parts.Any(p => p.Literal is null && p.Placeholder == placeholder);

    public static (TraceLinkTemplate? Template, IReadOnlyList<ValidationIssue> Issues) Parse(string? template)
    {
        if (string.IsNullOrWhiteSpace(template)) return Failed(Error("TraceLink.Empty"));
        if (template.Length > MaxLength) return Failed(Error("TraceLink.TooLong", MaxLength));
        if (template.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            var trimmed = template.Trim();
            var suggestion = trimmed.Length != template.Length && !trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? trimmed : null;
            return (null, [new ValidationIssue(WizardField.TraceLinkTemplate, "TraceLink.Whitespace", IssueSeverity.Error, [], suggestion)]);
        }

        var issues = new List<ValidationIssue>();
        var parts = new List<(string?, TraceLinkPlaceholder)>();
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        var literal = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '}')
            {
                issues.Add(Error("TraceLink.UnbalancedBrace", "}", i));
                continue;
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var close = template.IndexOfAny(['{', '}'], i + 1);
            if (close < 0 || template[close] == '{')
            {
                issues.Add(Error("TraceLink.UnbalancedBrace", "{", i));
                continue;
            }
            var name = template[(i + 1)..close];
            if (Names.TryGetValue(name, out var placeholder))
            {
                if (literal.Length > 0) parts.Add((literal.ToString(), default));
                literal.Clear();
                parts.Add((null, placeholder));
            }
            else if (unknown.Add(name))
            {
                issues.Add(Error("TraceLink.UnknownPlaceholder", name));
            }
            i = close;
        }
        if (literal.Length > 0) parts.Add((literal.ToString(), default));
        if (issues.Count > 0) return (null, issues);

        var parsed = new TraceLinkTemplate(template, parts);
        if (!parsed.Uses(TraceLinkPlaceholder.TraceId) && !parsed.Uses(TraceLinkPlaceholder.TraceId64) && !parsed.Uses(TraceLinkPlaceholder.SpanId)
            && !parsed.Uses(TraceLinkPlaceholder.SpanIdUnpadded))
            issues.Add(Error("TraceLink.NoTraceOrSpanId"));

        // What the template renders is checked with sample values: the placeholders stand for escaped tokens, so
        // whatever the real values are, the scheme, host and structure stay the same.
        var sample = parsed.Render(new TraceIdentity(new TraceId(1, 1), new SpanId(1), 1), "project");
        var scheme = SchemePattern().Match(sample);
        if (!scheme.Success || (scheme.Length < sample.Length && char.IsAsciiDigit(sample[scheme.Length])))
            issues.Add(Error("TraceLink.NotAbsolute")); // "/trace?…", "//host/…", "app.lightstep.com/…", "host:8080/…"
        else if (scheme.Groups["scheme"].Value.ToLowerInvariant() is not ("http" or "https"))
            issues.Add(Error("TraceLink.UnsupportedScheme", scheme.Groups["scheme"].Value));
        else if (!sample.AsSpan(scheme.Length).StartsWith("//")
            || !Uri.TryCreate(sample, UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo))
            issues.Add(Error("TraceLink.InvalidUrl"));
        return issues.Count > 0 ? (null, issues) : (parsed, []);
    }

    public string Render(TraceIdentity id, string project)
    {
        ArgumentNullException.ThrowIfNull(id);
        var escapedProject = EscapeProject(project);
        var buffer = ArrayPool<char>.Shared.Rent(MaxRenderedLength(escapedProject));
        try
        {
            TryRender(id.TraceId, id.SpanId, id.StartMicros, escapedProject, buffer, out var written);
            return new string(buffer, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The project as it goes into a link (URL-escaped); escape once, render many.</summary>
    public static string EscapeProject(string? project) => Uri.EscapeDataString(project ?? "");

    /// <summary>The longest link this template renders with <paramref name="escapedProject"/>: a placeholder is at most 32 characters (a trace id) or the project.</summary>
    public int MaxRenderedLength(string escapedProject) =>
        parts.Sum(p => p.Literal?.Length ?? (p.Placeholder == TraceLinkPlaceholder.Project ? escapedProject.Length : 32));

    /// <summary>
    /// Writes the link into <paramref name="destination"/> without allocating (the `traffic` command writes 10,000 links
    /// per run); false when it does not fit (<see cref="MaxRenderedLength"/> always does).
    /// </summary>
    /// <param name="escapedProject">The project from <see cref="EscapeProject"/>.</param>
    public bool TryRender(TraceId traceId, SpanId spanId, long startMicros, string escapedProject, Span<char> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(escapedProject);
        written = 0;
        var invariant = CultureInfo.InvariantCulture;
        foreach (var (literal, placeholder) in parts)
        {
            var rest = destination[written..];
            int length;
            // Only the project can hold characters a URL must escape; hex digits and decimal numbers (start times are
            // never negative) are unreserved (RFC 3986 §2.3), so they are formatted straight into the link.
            var fits = literal is not null ? Copy(literal, rest, out length)
                : placeholder switch
                {
                    TraceLinkPlaceholder.Project => Copy(escapedProject, rest, out length),
                    TraceLinkPlaceholder.TraceId => rest.TryWrite(invariant, $"{traceId.High:x16}{traceId.Low:x16}", out length),
                    TraceLinkPlaceholder.TraceId64 => traceId.Low.TryFormat(rest, out length, "x16", invariant),
                    TraceLinkPlaceholder.SpanId => spanId.Value.TryFormat(rest, out length, "x16", invariant),
                    TraceLinkPlaceholder.SpanIdUnpadded => spanId.Value.TryFormat(rest, out length, "x", invariant),
                    TraceLinkPlaceholder.StartMicros => startMicros.TryFormat(rest, out length, default, invariant),
                    TraceLinkPlaceholder.StartMillis => (startMicros / 1000).TryFormat(rest, out length, default, invariant),
                    TraceLinkPlaceholder.EndMicros => (startMicros + WindowMicros).TryFormat(rest, out length, default, invariant),
                    TraceLinkPlaceholder.StartSeconds => (startMicros / 1_000_000).TryFormat(rest, out length, default, invariant),
                    TraceLinkPlaceholder.EndSeconds => ((startMicros + WindowMicros + 999_999) / 1_000_000).TryFormat(rest, out length, default, invariant),
                    _ => throw new InvalidOperationException($"Unhandled placeholder {placeholder}."),
                };
            if (!fits)
            {
                written = 0;
                return false;
            }
            written += length;
        }
        return true;

        static bool Copy(string text, Span<char> destination, out int length)
        {
            length = text.Length;
            return text.TryCopyTo(destination);
        }
    }

    public override string ToString() => Text;

    private static (TraceLinkTemplate?, IReadOnlyList<ValidationIssue>) Failed(ValidationIssue issue) => (null, [issue]);

    private static ValidationIssue Error(string code, params object[] args) => ValidationIssue.Error(WizardField.TraceLinkTemplate, code, args);

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*):")]
    private static partial Regex SchemePattern();
}

/// <summary>The LightStep project name as it appears in LightStep's URLs (app.lightstep.com/{project}/…).</summary>
public static class LightStepProjectRules
{
    public const int MaxLength = 256;

    public static IReadOnlyList<ValidationIssue> Validate(string? project)
    {
        if (string.IsNullOrWhiteSpace(project)) return [Error("LightStepProject.Empty")];
        var issues = new List<ValidationIssue>();
        if (project.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            var trimmed = project.Trim();
            var fixable = trimmed.Length != project.Length && !trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) && !trimmed.Contains('/');
            issues.Add(new ValidationIssue(WizardField.LightStepProject, "LightStepProject.Whitespace", IssueSeverity.Error, [], fixable ? trimmed : null));
        }
        if (project.Contains('/')) issues.Add(Error("LightStepProject.Slash"));
        if (project.Length > MaxLength) issues.Add(Error("LightStepProject.TooLong", MaxLength));
        return issues;
    }

    private static ValidationIssue Error(string code, params object[] args) => ValidationIssue.Error(WizardField.LightStepProject, code, args);
}
