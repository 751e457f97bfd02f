using System.Text.Json.Nodes;
using MeshConsole.Domain.Onboarding;

namespace MeshConsole.Domain.Tests.Onboarding;

public sealed class SessionSummaryTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static SessionSummary Summary() => SessionSummary.Of(OnboardingJsonTests.Session().End(At.AddHours(1)),
    [
        new ParticipantProgress("Zoë", "bookinfo-zoe", At, "traffic", 6, 6, 250, 40, null, At.AddMinutes(30)),
        new ParticipantProgress("alex", "bookinfo-alex", At.AddMinutes(1), "bookinfo", 2, 6, 0, 0, "ImagePullBackOff: \"reviews-v3\", retrying", At.AddMinutes(10)),
    ]);

    [Fact]
    public void Csv_has_a_header_and_one_row_per_participant_sorted_by_name_with_rfc_4180_quoting()
    {
        var csv = Summary().ToCsv();

        Assert.Equal(
            "participant,namespace,step,deployments_ready,deployments_total,requests_sent,traces_linked,last_error,joined_at,updated_at\r\n" +
            "alex,bookinfo-alex,bookinfo,2,6,0,0,\"ImagePullBackOff: \"\"reviews-v3\"\", retrying\",2026-11-25T09:01:00Z,2026-11-25T09:10:00Z\r\n" +
            "Zoë,bookinfo-zoe,traffic,6,6,250,40,,2026-11-25T09:00:00Z,2026-11-25T09:30:00Z\r\n",
            csv);
    }

    [Fact]
    public void Json_names_the_session_and_every_participant_with_their_step_requests_and_traces()
    {
        var root = JsonNode.Parse(Summary().ToJson())!.AsObject();

        Assert.Equal(1, (int)root["version"]!);
        Assert.Equal("abcd2345", (string?)root["session"]!["id"]);
        Assert.Equal("2026-11-25T10:00:00Z", (string?)root["session"]!["endedAt"]);
        var participants = root["participants"]!.AsArray();
        Assert.Equal(["alex", "Zoë"], participants.Select(p => (string?)p!["name"]));
        Assert.Equal("traffic", (string?)participants[1]!["step"]);
        Assert.Equal(250, (long)participants[1]!["requestsSent"]!);
        Assert.Equal(40, (long)participants[1]!["tracesLinked"]!);
        Assert.Equal("bookinfo-zoe", (string?)participants[1]!["namespace"]);
        Assert.Null(participants[1]!["lastError"]);
    }

    [Fact]
    public void The_summary_never_contains_the_shared_settings()
    {
        var summary = Summary();

        Assert.DoesNotContain(OnboardingJsonTests.Token, summary.ToCsv() + summary.ToJson() + summary);
    }
}
