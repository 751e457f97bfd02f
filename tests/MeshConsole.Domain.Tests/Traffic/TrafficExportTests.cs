using System.Globalization;
using System.Text.Json;
using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Tests.Traffic;

public class TrafficExportTests
{
    private static readonly LightStepTraceLinks Links = new(TraceLinkTemplate.Default, "dev");

    private static TrafficRow[] Rows() =>
    [
        new TrafficRow(1, TrafficRowTests.Start, 200, 12_345, TrafficRowTests.Trace, TrafficRowTests.Span)
            .WithVerification(TraceVerification.Arrived(9)),
        new TrafficRow(2, TrafficRowTests.Start.AddSeconds(1), null, 5_000_000, TraceId.Parse("0af7651916cd43dd8448eb211c80319c"), SpanId.Parse("b7ad6b7169203331"),
            new TrafficError("ConnectionRefused", "Connection refused, \"gateway\" down\nretry later")),
        new TrafficRow(3, TrafficRowTests.Start.AddSeconds(2), 503, 800, TraceId.Parse("11111111111111111111111111111111"), SpanId.Parse("2222222222222222"),
            TrafficError.ForStatus(503)).WithVerification(TraceVerification.Failed("Unauthorized")),
    ];

    private static string? Link(TrafficRow row) => row.Sequence == 2 ? null : Links.LinkFor(row.Identity)?.Url;

    [Fact]
    public void Csv_is_rfc_4180_with_a_header_utc_times_and_links()
    {
        var csv = TrafficExport.Csv(Rows(), Link);

        Assert.Equal(
            "sequence,started_at,status,latency_micros,trace_id,span_id,error_code,error_message,verification,span_count,verification_reason,link\r\n" +
            "1,2030-01-01T12:00:00.123456Z,200,12345,4bf92f3577b34da6a3ce929d0e0e4736,00f067aa0ba902b7,,,Arrived,9,," +
            "https://app.lightstep.com/dev/trace?span_guid=f067aa0ba902b7&at_micros=1893499200123456\r\n" +
            "2,2030-01-01T12:00:01.123456Z,,5000000,0af7651916cd43dd8448eb211c80319c,b7ad6b7169203331,ConnectionRefused," +
            "\"Connection refused, \"\"gateway\"\" down retry later\",NotChecked,,,\r\n" +
            "3,2030-01-01T12:00:02.123456Z,503,800,11111111111111111111111111111111,2222222222222222,ServerError,HTTP 503 ServiceUnavailable,Failed,,Unauthorized," +
            "https://app.lightstep.com/dev/trace?span_guid=2222222222222222&at_micros=1893499202123456\r\n",
            csv);
    }

    // The `traffic` command writes LightStep's links straight into the CSV; the file must be the one the link function gives.
    [Theory]
    [MemberData(nameof(TraceLinkTemplateTests.Rendered), MemberType = typeof(TraceLinkTemplateTests))]
    [InlineData("https://ui.example.com/{project}/t?ids={traceId},{spanId}", "dev", "a link with a comma is quoted")]
    public void Csv_with_links_written_in_place_is_the_csv_with_each_rows_link(string template, string project, string _)
    {
        var links = new LightStepTraceLinks(TraceLinkTemplate.Parse(template).Template!, project);
        var direct = new StringWriter();

        TrafficExport.WriteCsv(direct, Rows(), links);

        Assert.Equal(TrafficExport.Csv(Rows(), row => links.LinkFor(row.Identity)?.Url), direct.ToString());
    }

    [Fact]
    public void Csv_without_links_leaves_the_link_column_empty()
    {
        var direct = new StringWriter();

        TrafficExport.WriteCsv(direct, Rows(), links: null);

        Assert.Equal(TrafficExport.Csv(Rows(), _ => null), direct.ToString());
        Assert.All(direct.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), line => Assert.EndsWith(",", line));
    }

    [Fact]
    public void A_link_with_a_comma_is_quoted_in_place()
    {
        var links = new LightStepTraceLinks(TraceLinkTemplate.Parse("https://ui.example.com/t?ids={traceId},{spanId}").Template!, "dev");
        var direct = new StringWriter();

        TrafficExport.WriteCsv(direct, Rows().Take(1), links);

        Assert.EndsWith(",\"https://ui.example.com/t?ids=4bf92f3577b34da6a3ce929d0e0e4736,00f067aa0ba902b7\"\r\n", direct.ToString());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("lf\nonly", "\"lf\nonly\"")]
    [InlineData("", "")]
    public void Csv_fields_are_quoted_only_when_needed(string field, string expected) =>
        Assert.Equal(expected, TrafficExport.Quote(field));

    [Theory]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    [InlineData("fa-IR")]
    public void Csv_and_json_do_not_depend_on_the_current_culture(string culture)
    {
        var invariantCsv = TrafficExport.Csv(Rows(), Link);
        var invariantJson = TrafficExport.Json(Rows(), Link);
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);

            Assert.Equal(invariantCsv, TrafficExport.Csv(Rows(), Link));
            Assert.Equal(invariantJson, TrafficExport.Json(Rows(), Link));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Csv_parses_back_into_the_same_fields()
    {
        var records = ParseCsv(TrafficExport.Csv(Rows(), Link));

        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal(TrafficExport.CsvColumns.Count, r.Count));
        Assert.Equal("Connection refused, \"gateway\" down retry later", records[2][7]);
        Assert.Equal(Rows().Select(r => r.TraceIdHex), records.Skip(1).Select(r => r[4]));
    }

    [Fact]
    public void Json_is_an_array_of_rows_with_the_same_fields_and_the_link()
    {
        using var json = JsonDocument.Parse(TrafficExport.Json(Rows(), Link));

        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        var first = rows[0];
        Assert.Equal(1, first.GetProperty("sequence").GetInt32());
        Assert.Equal("2030-01-01T12:00:00.123456Z", first.GetProperty("startedAt").GetString());
        Assert.Equal(200, first.GetProperty("status").GetInt32());
        Assert.Equal(12_345, first.GetProperty("latencyMicros").GetInt64());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", first.GetProperty("traceId").GetString());
        Assert.Equal("00f067aa0ba902b7", first.GetProperty("spanId").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("error").ValueKind);
        Assert.Equal("Arrived", first.GetProperty("verification").GetProperty("state").GetString());
        Assert.Equal(9, first.GetProperty("verification").GetProperty("spanCount").GetInt32());
        Assert.Equal("https://app.lightstep.com/dev/trace?span_guid=f067aa0ba902b7&at_micros=1893499200123456", first.GetProperty("link").GetString());

        var second = rows[1];
        Assert.Equal(JsonValueKind.Null, second.GetProperty("status").ValueKind);
        Assert.Equal("ConnectionRefused", second.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Connection refused, \"gateway\" down retry later", second.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("link").ValueKind);
        Assert.Equal("NotChecked", second.GetProperty("verification").GetProperty("state").GetString());

        Assert.Equal("Unauthorized", rows[2].GetProperty("verification").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("verification").GetProperty("spanCount").ValueKind);
    }

    [Fact]
    public void Json_writes_links_readably()
    {
        var json = TrafficExport.Json(Rows()[..1], Link);

        Assert.Contains("span_guid=f067aa0ba902b7&at_micros=", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_table_exports_a_header_and_an_empty_array()
    {
        Assert.Equal(string.Join(",", TrafficExport.CsvColumns) + "\r\n", TrafficExport.Csv([], Link));
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(TrafficExport.Json([], Link)).RootElement.ValueKind);
        Assert.Empty(JsonDocument.Parse(TrafficExport.Json([], Link)).RootElement.EnumerateArray());
    }

    /// <summary>A small RFC 4180 reader written for the test, independent of the writer.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else field.Append(c);
        }
        Assert.Empty(record);
        return records;
    }
}
