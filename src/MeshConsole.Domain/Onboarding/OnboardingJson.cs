using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// The stored form of sessions, shared settings, participants and apply records: camelCase property names that never
/// change, a "version": 1 field on every document, times in ISO 8601 round-trip form. Reading a document of another
/// version or with a missing property throws <see cref="JsonException"/> naming the property, never a value.
/// </summary>
public static class OnboardingJson
{
    public const int Version = 1;

    public static string Serialize(SessionRecord record) => Document(new JsonObject
    {
        ["session"] = ToJson(record.Session),
        ["settings"] = ToJson(record.Settings),
        ["applies"] = new JsonArray(record.Applies.Select(a => (JsonNode)ToJson(a)).ToArray()),
    });

    public static SessionRecord DeserializeSessionRecord(string json)
    {
        var root = Open(json);
        return new SessionRecord(
            SessionFrom(Object(root, "session")),
            SettingsFrom(Object(root, "settings")),
            Array(root, "applies").Select(a => ApplyRecordFrom(a as JsonObject ?? throw Missing("applies[]"))).ToList());
    }

    public static string Serialize(OnboardingSession session) => Document(ToJson(session));
    public static OnboardingSession DeserializeSession(string json) => SessionFrom(Open(json));

    public static string Serialize(SharedSettings settings) => Document(ToJson(settings));
    public static SharedSettings DeserializeSettings(string json) => SettingsFrom(Open(json));

    public static string Serialize(ParticipantProgress participant) => Document(ToJson(participant));
    public static ParticipantProgress DeserializeParticipant(string json) => ParticipantFrom(Open(json));

    public static string Serialize(SharedApplyRecord record) => Document(ToJson(record));
    public static SharedApplyRecord DeserializeApplyRecord(string json) => ApplyRecordFrom(Open(json));

    private static JsonObject ToJson(OnboardingSession s) => new()
    {
        ["id"] = s.Id,
        ["name"] = s.Name,
        ["clusterContext"] = s.ClusterContext,
        ["facilitator"] = s.Facilitator,
        ["createdAt"] = Time(s.CreatedAt),
        ["namespacePattern"] = s.NamespacePattern,
        ["endedAt"] = s.EndedAt is { } ended ? Time(ended) : null,
    };

    private static OnboardingSession SessionFrom(JsonObject o) => new(
        String(o, "id"), String(o, "name"), String(o, "clusterContext"), String(o, "facilitator"), TimeAt(o, "createdAt"),
        String(o, "namespacePattern"), OptionalString(o, "endedAt") is { } ended ? ParseTime(ended, "endedAt") : null);

    private static JsonObject ToJson(SharedSettings s)
    {
        var o = SettingsToJson(s);
        // Only for another backend: a LightStep session's document stays as it was before backends existed.
        if (s.Backend is { } backend) o["backend"] = ToJson(backend);
        return o;
    }

    private static JsonObject SettingsToJson(SharedSettings s) => new()
    {
        ["product"] = s.Product.ToString(),
        ["satelliteAddress"] = s.SatelliteAddress,
        ["caCertificatePem"] = s.CaCertificatePem,
        ["accessToken"] = s.AccessToken,
        ["project"] = s.Project,
        ["istioVersion"] = s.IstioVersion.ToString(),
        ["samplingPercent"] = s.SamplingPercent,
    };

    private static SharedSettings SettingsFrom(JsonObject o) => new(
        Enum.TryParse<LightStepProduct>(String(o, "product"), ignoreCase: false, out var product) && Enum.IsDefined(product) ? product : throw Missing("product"),
        String(o, "satelliteAddress"), OptionalString(o, "caCertificatePem"), String(o, "accessToken"), String(o, "project"),
        IstioVersion.TryParse(String(o, "istioVersion"), out var version) ? version : throw Missing("istioVersion"), Number<decimal>(o, "samplingPercent"))
    {
        // Optional: sessions stored before backends other than LightStep existed have none, and mean LightStep.
        Backend = o["backend"] is JsonObject backend ? BackendFrom(backend) : null,
    };

    private static JsonObject ToJson(SharedBackend b) => new()
    {
        ["name"] = b.Name,
        ["endpoint"] = b.Endpoint,
        ["secure"] = b.Secure,
        ["headers"] = new JsonArray(b.Headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Key, ["value"] = h.Value }).ToArray()),
        ["transport"] = b.Transport.ToString(),
        ["httpPath"] = b.HttpPath,
    };

    private static SharedBackend BackendFrom(JsonObject o) => new(
        String(o, "name"), String(o, "endpoint"),
        o["secure"] is JsonValue secure && secure.TryGetValue<bool>(out var isSecure) ? isSecure : throw Missing("backend.secure"),
        Array(o, "headers").Select(h => h is JsonObject header
            ? new KeyValuePair<string, string>(String(header, "name"), String(header, "value"))
            : throw Missing("backend.headers[]")).ToList())
    {
        // Optional: sessions stored before OTLP/HTTP was enterable in the wizard mean OTLP/gRPC.
        Transport = OptionalString(o, "transport") is { } transport
            ? Enum.TryParse<Traffic.OtlpTransport>(transport, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed : throw Missing("backend.transport")
            : Traffic.OtlpTransport.Grpc,
        HttpPath = OptionalString(o, "httpPath"),
    };

    private static JsonObject ToJson(ParticipantProgress p) => new()
    {
        ["name"] = p.Name,
        ["namespace"] = p.Namespace,
        ["joinedAt"] = Time(p.JoinedAt),
        ["step"] = p.Step,
        ["deploymentsReady"] = p.DeploymentsReady,
        ["deploymentsTotal"] = p.DeploymentsTotal,
        ["requestsSent"] = p.RequestsSent,
        ["tracesLinked"] = p.TracesLinked,
        ["lastError"] = p.LastError,
        ["updatedAt"] = Time(p.UpdatedAt),
    };

    private static ParticipantProgress ParticipantFrom(JsonObject o) => new(
        String(o, "name"), String(o, "namespace"), TimeAt(o, "joinedAt"), String(o, "step"),
        Number<int>(o, "deploymentsReady"), Number<int>(o, "deploymentsTotal"), Number<long>(o, "requestsSent"),
        Number<long>(o, "tracesLinked"), OptionalString(o, "lastError"), TimeAt(o, "updatedAt"));

    private static JsonObject ToJson(SharedApplyRecord r) => new()
    {
        ["who"] = r.Who,
        ["at"] = Time(r.At),
        ["action"] = r.Action,
        ["objects"] = new JsonArray(r.Objects.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
    };

    private static SharedApplyRecord ApplyRecordFrom(JsonObject o) => new(
        String(o, "who"), TimeAt(o, "at"), String(o, "action"),
        Array(o, "objects").Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Missing("objects[]")).ToList());

    private static string Document(JsonObject body)
    {
        var document = new JsonObject { ["version"] = Version };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            document[key] = value;
        }
        return document.ToJsonString();
    }

    private static JsonObject Open(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("An onboarding document must be a JSON object.");
        var version = root["version"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : throw Missing("version");
        if (version != Version) throw new JsonException($"Onboarding document version {version} is not supported (expected {Version}).");
        return root;
    }

    private static JsonObject Object(JsonObject o, string name) => o[name] as JsonObject ?? throw Missing(name);

    private static JsonArray Array(JsonObject o, string name) => o[name] as JsonArray ?? throw Missing(name);

    private static string String(JsonObject o, string name) => OptionalString(o, name) ?? throw Missing(name);

    private static string? OptionalString(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static T Number<T>(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<T>(out var number) ? number : throw Missing(name);

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset TimeAt(JsonObject o, string name) => ParseTime(String(o, name), name);

    private static DateTimeOffset ParseTime(string text, string name) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : throw Missing(name);

    private static JsonException Missing(string name) => new($"The onboarding document has no valid \"{name}\".");
}
