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
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(link);
        WriteRecord(writer, CsvColumns);
        var fields = new string[CsvColumns.Count];
        foreach (var row in rows)
        {
            fields[0] = Integer(row.Sequence);
            fields[1] = Time(row);
            fields[2] = row.Status is { } s ? Integer(s) : "";
            fields[3] = Integer(row.LatencyMicros);
            fields[4] = row.TraceIdHex;
            fields[5] = row.SpanIdHex;
            fields[6] = row.Error?.Code ?? "";
            fields[7] = row.Error?.Message ?? "";
            fields[8] = row.Verification.State.ToString();
            fields[9] = row.Verification.State == VerificationState.Arrived ? Integer(row.Verification.SpanCount) : "";
            fields[10] = row.Verification.Reason ?? "";
            fields[11] = link(row) ?? "";
            WriteRecord(writer, fields);
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
    public static string Time(TrafficRow row) =>
        row.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

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
