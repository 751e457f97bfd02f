using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeshConsole.Domain.Traffic;

/// <summary>
/// The traffic table as CSV (RFC 4180: header row, CRLF, fields with a comma, quote or line break quoted, quotes
/// doubled) and as JSON (an array of objects with the same fields). Times are ISO-8601 UTC with microseconds, numbers
/// use the invariant culture. <paramref name="link"/> gives each row's trace link, or null when there is none.
/// </summary>
public static class TrafficExport
{
    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "sequence", "started_at", "status", "latency_micros", "trace_id", "span_id",
        "error_code", "error_message", "verification", "span_count", "verification_reason", "link",
    ];

    public static string Csv(IEnumerable<TrafficRow> rows, Func<TrafficRow, string?> link)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\r\n" };
        WriteCsv(text, rows, link);
        return text.ToString();
    }

    public static void WriteCsv(TextWriter writer, IEnumerable<TrafficRow> rows, Func<TrafficRow, string?> link)
    {
        ArgumentNullException.ThrowIfNull(link);
        WriteCsv(writer, rows, link, null);
    }

    /// <summary>The same CSV with LightStep's links (none when <paramref name="links"/> is null), each written straight into the output.</summary>
    public static void WriteCsv(TextWriter writer, IEnumerable<TrafficRow> rows, LightStepTraceLinks? links) => WriteCsv(writer, rows, null, links);

    private static void WriteCsv(TextWriter writer, IEnumerable<TrafficRow> rows, Func<TrafficRow, string?>? link, LightStepTraceLinks? links)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        WriteRecord(writer, CsvColumns);
        var linkBuffer = links is null ? [] : new char[links.MaxLinkLength];
        // The `traffic` command writes 10,000 rows inside its timed run: each row's numbers, ids and time are formatted
        // into one buffer and written at once, instead of a string and a write per field (they never need quoting:
        // digits, lowercase hex, '-', ':', '.', 'T', 'Z').
        Span<char> line = stackalloc char[128];
        foreach (var row in rows)
        {
            var n = 0;
            Integer(row.Sequence, line, ref n);
            line[n++] = ',';
            n += FormatTime(row.StartedAt, line[n..]);
            line[n++] = ',';
            if (row.Status is { } status) Integer(status, line, ref n);
            line[n++] = ',';
            Integer(row.LatencyMicros, line, ref n);
            line[n++] = ',';
            Hex(row.TraceId.High, line, ref n);
            Hex(row.TraceId.Low, line, ref n);
            line[n++] = ',';
            Hex(row.SpanId.Value, line, ref n);
            line[n++] = ',';
            writer.Write(line[..n]);
            if (row.Error is { } error)
            {
                writer.Write(Quote(error.Code));
                writer.Write(',');
                writer.Write(Quote(error.Message));
            }
            else
            {
                writer.Write(',');
            }
            writer.Write(',');
            writer.Write(Quote(row.Verification.State.ToString()));
            writer.Write(',');
            if (row.Verification.State == VerificationState.Arrived)
            {
                n = 0;
                Integer(row.Verification.SpanCount, line, ref n);
                writer.Write(line[..n]);
            }
            writer.Write(',');
            if (row.Verification.Reason is { } reason) writer.Write(Quote(reason));
            writer.Write(',');
            if (links is not null)
            {
                if (links.TryWriteLink(row, linkBuffer, out var length))
                {
                    var url = linkBuffer.AsSpan(0, length);
                    if (url.IndexOfAny(",\"\r\n") < 0) writer.Write(url);
                    else writer.Write(Quote(new string(url)));
                }
            }
            else if (link?.Invoke(row) is { } url)
            {
                writer.Write(Quote(url));
            }
            writer.Write("\r\n");
        }
    }

    public static string Json(IEnumerable<TrafficRow> rows, Func<TrafficRow, string?> link)
    {
        using var buffer = new MemoryStream();
        WriteJson(buffer, rows, link);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>UTF-8 JSON: [{"sequence":1,"startedAt":"…Z","status":200,"latencyMicros":…,"traceId":"…","spanId":"…",
    /// "error":null|{"code","message"},"verification":{"state","spanCount","reason"},"link":"…"|null}, …]</summary>
    public static void WriteJson(Stream utf8, IEnumerable<TrafficRow> rows, Func<TrafficRow, string?> link)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(link);
        using var json = new Utf8JsonWriter(utf8, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", row.Sequence);
            json.WriteString("startedAt", Time(row));
            if (row.Status is { } status) json.WriteNumber("status", status);
            else json.WriteNull("status");
            json.WriteNumber("latencyMicros", row.LatencyMicros);
            json.WriteString("traceId", row.TraceIdHex);
            json.WriteString("spanId", row.SpanIdHex);
            if (row.Error is { } error)
            {
                json.WriteStartObject("error");
                json.WriteString("code", error.Code);
                json.WriteString("message", error.Message);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("error");
            }
            json.WriteStartObject("verification");
            json.WriteString("state", row.Verification.State.ToString());
            if (row.Verification.State == VerificationState.Arrived) json.WriteNumber("spanCount", row.Verification.SpanCount);
            else json.WriteNull("spanCount");
            if (row.Verification.Reason is { } reason) json.WriteString("reason", reason);
            else json.WriteNull("reason");
            json.WriteEndObject();
            if (link(row) is { } url) json.WriteString("link", url);
            else json.WriteNull("link");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>ISO-8601 in UTC with microseconds, e.g. 2030-01-01T12:00:00.123456Z.</summary>
    public static string Time(TrafficRow row)
    {
        Span<char> text = stackalloc char[TimeLength];
        return new string(text[..FormatTime(row.StartedAt, text)]);
    }

    private const int TimeLength = 27; // yyyy-MM-ddTHH:mm:ss.ffffffZ

    /// <summary>
    /// Writes <paramref name="time"/> as yyyy-MM-ddTHH:mm:ss.ffffffZ (UTC, microseconds truncated, as the custom format
    /// "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" writes it) and returns the length; no format string is parsed per row.
    /// </summary>
    private static int FormatTime(DateTimeOffset time, Span<char> destination)
    {
        var utc = time.UtcDateTime;
        var (year, month, day) = utc;
        var micros = (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10);
        var written = 0;
        Append(year, "D4", destination, ref written);
        destination[written++] = '-';
        Append(month, "D2", destination, ref written);
        destination[written++] = '-';
        Append(day, "D2", destination, ref written);
        destination[written++] = 'T';
        Append(utc.Hour, "D2", destination, ref written);
        destination[written++] = ':';
        Append(utc.Minute, "D2", destination, ref written);
        destination[written++] = ':';
        Append(utc.Second, "D2", destination, ref written);
        destination[written++] = '.';
        Append(micros, "D6", destination, ref written);
        destination[written++] = 'Z';
        return written;

        static void Append(int value, string format, Span<char> destination, ref int written)
        {
            value.TryFormat(destination[written..], out var length, format, CultureInfo.InvariantCulture);
            written += length;
        }
    }

    private static void Integer(long value, Span<char> line, ref int written)
    {
        value.TryFormat(line[written..], out var length, default, CultureInfo.InvariantCulture);
        written += length;
    }

    /// <summary>16 lowercase hex digits, as <see cref="TraceId.ToString"/> and <see cref="SpanId.ToString"/> write each half.</summary>
    private static void Hex(ulong value, Span<char> line, ref int written)
    {
        value.TryFormat(line[written..], out var length, "x16", CultureInfo.InvariantCulture);
        written += length;
    }

    private static void WriteRecord(TextWriter writer, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) writer.Write(',');
            writer.Write(Quote(fields[i]));
        }
        writer.Write("\r\n");
    }

    /// <summary>RFC 4180 §2.6/2.7: quoted when it holds a comma, a quote, CR or LF; inner quotes doubled.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
