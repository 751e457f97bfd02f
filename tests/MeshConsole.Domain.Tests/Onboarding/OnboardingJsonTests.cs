using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Tests.Onboarding;

public sealed class OnboardingJsonTests
{
    internal const string Token = "lsSESSION-token-abcdef0123456789";
    private static readonly DateTimeOffset Created = new(2026, 11, 25, 9, 0, 0, 123, TimeSpan.Zero);

    internal static SharedSettings Settings() => new(
        LightStepProduct.OnPremSatellites, "satellite.lightstep:9292", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        Token, "onboarding", new IstioVersion(1, 14, 3), 12.5m);

    internal static OnboardingSession Session() => new("abcd2345", "Platform team, day 1", "kind-workshop", "Fran", Created);

    [Fact]
    public void A_session_record_survives_a_round_trip_with_settings_and_applies()
    {
        var record = new SessionRecord(Session().End(Created.AddHours(2)), Settings(),
        [
            new SharedApplyRecord("Fran", Created.AddMinutes(5), "mesh-tracing", ["ConfigMap/istio -n istio-system", "Secret/lightstep.cacert -n default"]),
            new SharedApplyRecord("Sam", Created.AddMinutes(9), "telemetry", []),
        ]);

        var json = OnboardingJson.Serialize(record);

        Assert.Equal(record, OnboardingJson.DeserializeSessionRecord(json));
        Assert.Equal(1, (int)JsonNode.Parse(json)!["version"]!);
    }

    [Fact]
    public void Each_document_round_trips_on_its_own_with_version_1()
    {
        var participant = new ParticipantProgress("José", "bookinfo-jose", Created, "traffic", 5, 6, 120, 37, "Gateway \"x\" timed out", Created.AddMinutes(20));
        var apply = new SharedApplyRecord("Fran", Created, "mesh-tracing", ["ConfigMap/istio -n istio-system"]);

        Assert.Equal(Session(), OnboardingJson.DeserializeSession(OnboardingJson.Serialize(Session())));
        Assert.Equal(Settings(), OnboardingJson.DeserializeSettings(OnboardingJson.Serialize(Settings())));
        Assert.Equal(participant, OnboardingJson.DeserializeParticipant(OnboardingJson.Serialize(participant)));
        Assert.Equal(apply, OnboardingJson.DeserializeApplyRecord(OnboardingJson.Serialize(apply)));
        var publicSettings = Settings() with { CaCertificatePem = null, Product = LightStepProduct.PublicTracing };
        Assert.Equal(publicSettings, OnboardingJson.DeserializeSettings(OnboardingJson.Serialize(publicSettings)));
    }

    [Fact]
    public void Property_names_are_stable()
    {
        var participant = JsonNode.Parse(OnboardingJson.Serialize(ParticipantProgress.Joined("Alice", "bookinfo-alice", Created)))!.AsObject();
        var settings = JsonNode.Parse(OnboardingJson.Serialize(Settings()))!.AsObject();

        Assert.Equal(["version", "name", "namespace", "joinedAt", "step", "deploymentsReady", "deploymentsTotal", "requestsSent", "tracesLinked", "lastError", "updatedAt"],
            participant.Select(p => p.Key));
        Assert.Equal(["version", "product", "satelliteAddress", "caCertificatePem", "accessToken", "project", "istioVersion", "samplingPercent"],
            settings.Select(p => p.Key));
        Assert.Equal("OnPremSatellites", (string?)settings["product"]);
    }

    [Theory]
    [InlineData("""{"version":2,"name":"a"}""", "version 2")]
    [InlineData("""{"name":"a"}""", "\"version\"")]
    [InlineData("""{"version":1,"name":"Alice","namespace":"bookinfo-alice"}""", "\"joinedAt\"")]
    public void Unreadable_documents_fail_naming_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<JsonException>(() => OnboardingJson.DeserializeParticipant(json));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Settings_with_an_unreadable_Istio_version_are_refused_rather_than_read_as_another_version()
    {
        var broken = JsonNode.Parse(OnboardingJson.Serialize(Settings()))!.AsObject();
        broken["istioVersion"] = "latest";

        var error = Assert.Throws<JsonException>(() => OnboardingJson.DeserializeSettings(broken.ToJsonString()));

        Assert.Contains("\"istioVersion\"", error.Message);
        Assert.Equal(new IstioVersion(1, 14, 3), OnboardingJson.DeserializeSettings(OnboardingJson.Serialize(Settings())).IstioVersion);
    }

    [Fact]
    public void A_broken_settings_document_never_quotes_the_token()
    {
        var broken = JsonNode.Parse(OnboardingJson.Serialize(Settings()))!.AsObject();
        broken["samplingPercent"] = Token;

        var error = Assert.Throws<JsonException>(() => OnboardingJson.DeserializeSettings(broken.ToJsonString()));

        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public void Printing_settings_or_a_session_record_masks_the_token()
    {
        var record = new SessionRecord(Session(), Settings(), []);

        Assert.DoesNotContain(Token, Settings().ToString());
        Assert.DoesNotContain(Token, record.ToString());
        Assert.Contains("••••6789", Settings().ToString());
        Assert.Contains("satellite.lightstep:9292", Settings().ToString());
    }
}
