using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// What the facilitator downloads when a session ends: who reached which step, with how much traffic and how many
/// linked traces, in which namespace. Participants are ordered by name. Holds no shared settings (no token).
/// </summary>
public sealed record SessionSummary(OnboardingSession Session, IReadOnlyList<ParticipantProgress> Participants)
{
    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "participant", "namespace", "step", "deployments_ready", "deployments_total", "requests_sent", "traces_linked",
        "last_error", "joined_at", "updated_at",
    ];

    public static SessionSummary Of(OnboardingSession session, IEnumerable<ParticipantProgress> participants) =>
        new(session, participants.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Name, StringComparer.Ordinal).ToList());

    /// <summary>RFC 4180: a header row, CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        AppendRecord(text, CsvColumns);
        foreach (var p in Participants)
        {
            AppendRecord(text,
            [
                p.Name, p.Namespace, p.Step, Integer(p.DeploymentsReady), Integer(p.DeploymentsTotal), Integer(p.RequestsSent),
                Integer(p.TracesLinked), p.LastError ?? "", Time(p.JoinedAt), Time(p.UpdatedAt),
            ]);
        }
        return text.ToString();
    }

    /// <summary>{"version":1,"session":{id,name,clusterContext,facilitator,createdAt,endedAt},"participants":[{name,namespace,step,…}]}</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", OnboardingJson.Version);
            json.WriteStartObject("session");
            json.WriteString("id", Session.Id);
            json.WriteString("name", Session.Name);
            json.WriteString("clusterContext", Session.ClusterContext);
            json.WriteString("facilitator", Session.Facilitator);
            json.WriteString("createdAt", Time(Session.CreatedAt));
            if (Session.EndedAt is { } ended) json.WriteString("endedAt", Time(ended));
            else json.WriteNull("endedAt");
            json.WriteEndObject();
            json.WriteStartArray("participants");
            foreach (var p in Participants)
            {
                json.WriteStartObject();
                json.WriteString("name", p.Name);
                json.WriteString("namespace", p.Namespace);
                json.WriteString("step", p.Step);
                json.WriteNumber("deploymentsReady", p.DeploymentsReady);
                json.WriteNumber("deploymentsTotal", p.DeploymentsTotal);
                json.WriteNumber("requestsSent", p.RequestsSent);
                json.WriteNumber("tracesLinked", p.TracesLinked);
                if (p.LastError is { } error) json.WriteString("lastError", error);
                else json.WriteNull("lastError");
                json.WriteString("joinedAt", Time(p.JoinedAt));
                json.WriteString("updatedAt", Time(p.UpdatedAt));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void AppendRecord(StringBuilder text, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(TrafficExport.Quote(fields[i]));
        }
        text.Append("\r\n");
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
