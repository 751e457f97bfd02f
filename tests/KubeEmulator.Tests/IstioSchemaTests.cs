using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace KubeEmulator.Tests;

/// <summary>
/// Istio custom resources checked against Istio's own CRD schemas for the fixture's minor (tests/IstioSchemas): unknown
/// fields pruned with a warning by default and refused under fieldValidation=Strict, mistyped values refused (422),
/// as kube-apiserver does for structural CRD schemas.
/// </summary>
public class IstioSchemaTests
{
    private const string TelemetryPath = "apis/telemetry.istio.io/v1alpha1/namespaces/istio-system/telemetries/mesh-default";

    private static string Telemetry(string tracingEntry) => $$"""
        { "apiVersion": "telemetry.istio.io/v1alpha1", "kind": "Telemetry",
          "metadata": { "name": "mesh-default", "namespace": "istio-system" },
          "spec": { "tracing": [ {{tracingEntry}} ] } }
        """;

    private static async Task<(HttpStatusCode Code, string Body, IReadOnlyList<string> Warnings)> ApplyAsync(TestCluster cluster, string body, string query = "")
    {
        using var http = new HttpClient { BaseAddress = cluster.Emulator.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{TelemetryPath}?fieldManager=test{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KubeApiEmulator.Token);
        request.Content = new StringContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/apply-patch+yaml");
        using var response = await http.SendAsync(request);
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), warnings);
    }

    [Theory]
    [InlineData(ClusterFixture.MidIstio)]
    [InlineData(ClusterFixture.NewIstio)]
    public async Task A_misspelt_field_is_pruned_with_a_warning_by_default(ClusterFixture fixture)
    {
        await using var cluster = await TestCluster.StartAsync(fixture);

        var (code, body, warnings) = await ApplyAsync(cluster,
            Telemetry("""{ "providers": [ { "name": "lightstep" } ], "randomSamplingPercentag": 10 }"""));

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(["299 - \"unknown field \\\"spec.tracing[0].randomSamplingPercentag\\\"\""], warnings);
        var stored = cluster.Emulator.Store.Get("telemetry.istio.io/v1alpha1", "Telemetry", "istio-system", "mesh-default")!;
        Assert.False(stored["spec"]!["tracing"]![0]!.AsObject().ContainsKey("randomSamplingPercentag"), body);
        Assert.Equal("lightstep", (string?)stored["spec"]!["tracing"]![0]!["providers"]![0]!["name"]);
    }

    [Fact]
    public async Task Strict_field_validation_refuses_unknown_fields_and_stores_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NewIstio);

        var (code, body, _) = await ApplyAsync(cluster,
            Telemetry("""{ "randomSamplingPercentag": 10, "provider": { "name": "x" } }"""), "&fieldValidation=Strict");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        var status = JsonNode.Parse(body)!;
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Contains("unknown field \"spec.tracing[0].randomSamplingPercentag\"", (string?)status["message"]);
        Assert.Contains("unknown field \"spec.tracing[0].provider\"", (string?)status["message"]);
        Assert.Null(cluster.Emulator.Store.Get("telemetry.istio.io/v1alpha1", "Telemetry", "istio-system", "mesh-default"));
    }

    [Fact]
    public async Task A_mistyped_value_is_refused_whatever_the_validation_level()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NewIstio);

        var (code, body, _) = await ApplyAsync(cluster, Telemetry("""{ "randomSamplingPercentage": "ten" }"""), "&fieldValidation=Ignore");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        var cause = JsonNode.Parse(body)!["details"]!["causes"]![0]!;
        Assert.Equal("spec.tracing[0].randomSamplingPercentage", (string?)cause["field"]);
        Assert.Contains("must be of type number: \"string\"", (string?)cause["message"]);
    }

    [Fact]
    public async Task A_field_from_a_later_istio_is_unknown_to_an_earlier_one()
    {
        // Both in 1.28's Telemetry schema; 1.14's (tests/IstioSchemas/1.14) has useRequestIdForTraceSampling but not enableIstioTags.
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.MidIstio);

        var (code, _, warnings) = await ApplyAsync(cluster,
            Telemetry("""{ "useRequestIdForTraceSampling": false, "enableIstioTags": true }"""), "");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(["299 - \"unknown field \\\"spec.tracing[0].enableIstioTags\\\"\""], warnings);
    }

    [Fact]
    public async Task An_unknown_value_for_fieldValidation_is_a_bad_request()
    {
        await using var cluster = await TestCluster.StartAsync(ClusterFixture.NewIstio);

        var (code, _, _) = await ApplyAsync(cluster, Telemetry("{}"), "&fieldValidation=Loose");

        Assert.Equal(HttpStatusCode.BadRequest, code);
    }
}
