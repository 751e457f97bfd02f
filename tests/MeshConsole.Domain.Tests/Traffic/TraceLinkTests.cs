using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Traffic;

public class TraceLinkTemplateTests
{
    private static readonly TraceIdentity Id = new("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1_893_499_200_123_456);

    public static TheoryData<string, string, string> Rendered => new()
    {
        // template, project, url
        { LightStepTraceLinks.DefaultTemplate, "dev-project",
            "https://app.lightstep.com/dev-project/trace?span_guid=f067aa0ba902b7&at_micros=1893499200123456" },
        { "https://app.lightstep.com/{project}/trace?span_guid={spanId}&s={spanIdUnpadded}", "p",
            "https://app.lightstep.com/p/trace?span_guid=00f067aa0ba902b7&s=f067aa0ba902b7" },
        { "https://ui.honeycomb.io/T/environments/E/datasets/D/trace?trace_id={traceId}&trace_start_ts={startSeconds}&trace_end_ts={endSeconds}", "p",
            "https://ui.honeycomb.io/T/environments/E/datasets/D/trace?trace_id=4bf92f3577b34da6a3ce929d0e0e4736&trace_start_ts=1893499200&trace_end_ts=1893499261" },
        { "https://app.lightstep.com/{project}/trace?span_guid={spanId}&at_micros={startMicros}#span-{spanId}", "p",
            "https://app.lightstep.com/p/trace?span_guid=00f067aa0ba902b7&at_micros=1893499200123456#span-00f067aa0ba902b7" },
        { "http://jaeger.local:16686/trace/{traceId}", "ignored", "http://jaeger.local:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736" },
        { "https://ui.example.com/t/{traceId64}?from={startMillis}&to={endMicros}", "p",
            "https://ui.example.com/t/a3ce929d0e0e4736?from=1893499200123&to=1893499260123456" },
        // Values are escaped when substituted (here a non-ASCII project name).
        { "https://app.lightstep.com/{project}/trace?span_guid={spanId}", "プロジェクト",
            "https://app.lightstep.com/%E3%83%97%E3%83%AD%E3%82%B8%E3%82%A7%E3%82%AF%E3%83%88/trace?span_guid=00f067aa0ba902b7" },
        { "https://app.lightstep.com/{project}/trace?span_guid={spanId}", "a&b=c?d#e%",
            "https://app.lightstep.com/a%26b%3Dc%3Fd%23e%25/trace?span_guid=00f067aa0ba902b7" },
        { "HTTPS://{project}.example.com/{spanId}", "acme", "HTTPS://acme.example.com/00f067aa0ba902b7" },
    };

    [Theory]
    [MemberData(nameof(Rendered))]
    public void Renders_in_place_into_a_buffer_of_the_longest_length_and_refuses_a_shorter_one(string template, string project, string url)
    {
        var parsed = TraceLinkTemplate.Parse(template).Template!;
        var escaped = TraceLinkTemplate.EscapeProject(project);
        var buffer = new char[parsed.MaxRenderedLength(escaped)];

        Assert.True(parsed.TryRender(Id.TraceId, Id.SpanId, Id.StartMicros, escaped, buffer, out var written));
        Assert.Equal(url, new string(buffer, 0, written));
        Assert.False(parsed.TryRender(Id.TraceId, Id.SpanId, Id.StartMicros, escaped, new char[url.Length - 1], out written));
        Assert.Equal(0, written);
    }

    [Theory]
    [MemberData(nameof(Rendered))]
    public void Renders_placeholders_with_escaped_values(string template, string project, string url)
    {
        var (parsed, issues) = TraceLinkTemplate.Parse(template);

        Assert.Empty(issues);
        Assert.Equal(url, parsed!.Render(Id, project));
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out _));
    }

    public static TheoryData<string?, string[], object[]> Invalid => new()
    {
        // template, codes, arguments of the first issue
        { null, ["TraceLink.Empty"], [] },
        { " ", ["TraceLink.Empty"], [] },
        { "https://app.lightstep.com/{project}/trace?span_guid={spanId} ", ["TraceLink.Whitespace"], [] },
        { "https://app.lightstep.com/{project} /trace?span_guid={spanId}", ["TraceLink.Whitespace"], [] },
        { "https://x/{spanid}", ["TraceLink.UnknownPlaceholder"], ["spanid"] },
        { "https://x/{span}/{trace}/{span}?s={spanId}", ["TraceLink.UnknownPlaceholder", "TraceLink.UnknownPlaceholder"], ["span"] },
        { "https://x/{}/{spanId}", ["TraceLink.UnknownPlaceholder"], [""] },
        { "https://x/{spanId", ["TraceLink.UnbalancedBrace"], ["{", 10] },
        { "https://x/spanId}", ["TraceLink.UnbalancedBrace"], ["}", 16] },
        { "https://x/{{spanId}}", ["TraceLink.UnbalancedBrace", "TraceLink.UnbalancedBrace"], ["{", 10] },
        { "https://x/{spanId}}", ["TraceLink.UnbalancedBrace"], ["}", 18] },
        { "https://app.lightstep.com/{project}/trace?at_micros={startMicros}", ["TraceLink.NoTraceOrSpanId"], [] },
        { "ftp://x/{spanId}", ["TraceLink.UnsupportedScheme"], ["ftp"] },
        { "javascript:alert({spanId})", ["TraceLink.UnsupportedScheme"], ["javascript"] },
        { "file:///tmp/{traceId}", ["TraceLink.UnsupportedScheme"], ["file"] },
        { "/{project}/trace?span_guid={spanId}", ["TraceLink.NotAbsolute"], [] },
        { "//app.lightstep.com/{project}/trace?span_guid={spanId}", ["TraceLink.NotAbsolute"], [] },
        { "app.lightstep.com/{project}/trace?span_guid={spanId}", ["TraceLink.NotAbsolute"], [] },
        { "localhost:8080/trace/{traceId}", ["TraceLink.NotAbsolute"], [] },
        { "{project}/trace?span_guid={spanId}", ["TraceLink.NotAbsolute"], [] },
        { "https:app.lightstep.com/{spanId}", ["TraceLink.InvalidUrl"], [] },
        { "https:///{spanId}", ["TraceLink.InvalidUrl"], [] },
        { "https://user@app.lightstep.com/{spanId}", ["TraceLink.InvalidUrl"], [] },
        { "https://" + new string('a', 2040) + "/{spanId}", ["TraceLink.TooLong"], [2048] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Refuses_templates_that_could_produce_a_broken_link(string? template, string[] codes, object[] args)
    {
        var (parsed, issues) = TraceLinkTemplate.Parse(template);

        Assert.Null(parsed);
        Assert.Equal(codes, issues.Select(i => i.Code));
        Assert.Equal(args, issues[0].Args);
        Assert.All(issues, i => Assert.Equal((WizardField.TraceLinkTemplate, IssueSeverity.Error), (i.Field, i.Severity)));
    }

    [Fact]
    public void Trailing_whitespace_comes_with_the_trimmed_template_as_the_fix()
    {
        var (_, issues) = TraceLinkTemplate.Parse(" " + LightStepTraceLinks.DefaultTemplate + "\n");

        Assert.Equal(LightStepTraceLinks.DefaultTemplate, Assert.Single(issues).SuggestedValue);
    }

    [Theory]
    [InlineData("https://x/{traceId}")]
    [InlineData("https://x/{traceId64}")]
    [InlineData("https://x/{spanId}")]
    public void One_id_placeholder_is_enough(string template) => Assert.Empty(TraceLinkTemplate.Parse(template).Issues);

    [Fact]
    public void Default_template_uses_project_span_and_start()
    {
        var template = TraceLinkTemplate.Default;

        Assert.Equal(LightStepTraceLinks.DefaultTemplate, template.Text);
        Assert.True(template.Uses(TraceLinkPlaceholder.Project));
        // LightStep's tracers print the span id with Long.toHexString: no zero-padding.
        Assert.True(template.Uses(TraceLinkPlaceholder.SpanIdUnpadded));
        Assert.False(template.Uses(TraceLinkPlaceholder.SpanId));
        Assert.True(template.Uses(TraceLinkPlaceholder.StartMicros));
        Assert.False(template.Uses(TraceLinkPlaceholder.TraceId));
    }

    [Fact]
    public void Placeholder_names_are_the_documented_set()
    {
        Assert.Equal(["endMicros", "endSeconds", "project", "spanId", "spanIdUnpadded", "startMicros", "startMillis", "startSeconds", "traceId", "traceId64"],
            TraceLinkTemplate.PlaceholderNames.Order(StringComparer.Ordinal));
    }
}

public class LightStepTraceLinksTests
{
    private static readonly TraceIdentity Id = new("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1_893_499_200_123_456);

    [Fact]
    public void Default_link_opens_the_root_span_in_the_project()
    {
        var links = new LightStepTraceLinks(TraceLinkTemplate.Default, "dev-project");

        var link = links.LinkFor(Id);

        Assert.Equal("LightStep", links.Name);
        Assert.Equal(new TraceLink("LightStep", "https://app.lightstep.com/dev-project/trace?span_guid=f067aa0ba902b7&at_micros=1893499200123456"), link);
        Assert.Empty(links.Issues);
        Assert.True(links.IsUsable);
    }

    public static TheoryData<string?, string?, string[]> Unusable => new()
    {
        // template, project, issue codes
        { LightStepTraceLinks.DefaultTemplate, "", ["LightStepProject.Empty"] },
        { LightStepTraceLinks.DefaultTemplate, null, ["LightStepProject.Empty"] },
        { LightStepTraceLinks.DefaultTemplate, "team/project", ["LightStepProject.Slash"] },
        { LightStepTraceLinks.DefaultTemplate, "my project", ["LightStepProject.Whitespace"] },
        { LightStepTraceLinks.DefaultTemplate, " a/b", ["LightStepProject.Whitespace", "LightStepProject.Slash"] },
        { LightStepTraceLinks.DefaultTemplate, new string('p', 257), ["LightStepProject.TooLong"] },
        { "https://app.lightstep.com/{project}/trace?span_guid={spanid}", "dev", ["TraceLink.UnknownPlaceholder"] },
        { "", "dev", ["TraceLink.Empty"] },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void Invalid_settings_give_no_links_and_say_why(string? template, string? project, string[] codes)
    {
        var links = LightStepTraceLinks.FromSettings(template, project);

        Assert.Null(links.LinkFor(Id));
        Assert.False(links.IsUsable);
        Assert.Equal(codes, links.Issues.Select(i => i.Code));
    }

    [Fact]
    public void Project_is_not_required_when_the_template_does_not_use_it()
    {
        var links = LightStepTraceLinks.FromSettings("https://tracing.example.com/trace/{traceId}", "");

        Assert.Equal("https://tracing.example.com/trace/4bf92f3577b34da6a3ce929d0e0e4736", links.LinkFor(Id)!.Url);
    }

    [Fact]
    public void Provider_is_used_through_the_interface()
    {
        ITraceLinkProvider provider = LightStepTraceLinks.FromSettings(LightStepTraceLinks.DefaultTemplate, "p");

        Assert.StartsWith("https://app.lightstep.com/p/trace?span_guid=f067aa0ba902b7&", provider.LinkFor(Id)!.Url, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev-project", new string[0], null)]
    [InlineData("Prod_Project.2", new string[0], null)]
    [InlineData(" dev ", new[] { "LightStepProject.Whitespace" }, "dev")]
    [InlineData("dev\t", new[] { "LightStepProject.Whitespace" }, "dev")]
    [InlineData("a b", new[] { "LightStepProject.Whitespace" }, null)]
    [InlineData("a/", new[] { "LightStepProject.Slash" }, null)]
    public void Project_rules(string project, string[] codes, string? suggestion)
    {
        var issues = LightStepProjectRules.Validate(project);

        Assert.Equal(codes, issues.Select(i => i.Code));
        Assert.All(issues, i => Assert.Equal(WizardField.LightStepProject, i.Field));
        if (codes.Length > 0) Assert.Equal(suggestion, issues[0].SuggestedValue);
    }
}
