using System.Text;
using k8s.Models;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>Span destinations other than LightStep (issue 13 item 4): the rules as entered and what the plan emits.</summary>
public class OtherBackendPlanTests
{
    private static EnteredPlanFields HoneycombFields(string version = "1.24") => new(
        Product: LightStepProduct.PublicTracing,
        AccessToken: null,
        OnPremSatelliteAddress: null,
        Certificate: null,
        SkipCertificate: false,
        Namespaces: ["default"],
        IstioVersion: version,
        SamplingText: "100",
        Secure: true,
        CacertPath: PlanInput.DefaultCacertPath,
        Otlp: new EnteredOtlpDestination("api.honeycomb.io:443", true, [new("x-honeycomb-team", HoneycombKey)]));

    [Fact]
    public void Valid_fields_need_no_token_and_no_certificate_and_become_the_collector_route()
    {
        var input = PlanInputRules.TryCreate(HoneycombFields(), out var issues);

        Assert.Empty(issues);
        Assert.NotNull(input);
        Assert.Equal("api.honeycomb.io:443", input.OtlpDestination!.Address);
        Assert.Equal(["x-honeycomb-team"], input.OtlpDestination.Endpoint.Headers.Select(h => h.Name));
        Assert.Equal(SpanRoute.Collector, SpanRoutes.Effective(input));
        Assert.Equal([HoneycombKey], input.SensitiveValues);
        Assert.DoesNotContain(HoneycombKey, input.OtlpDestination.ToString());
    }

    [Fact]
    public void Endpoint_problems_are_the_satellite_address_rules_reported_on_the_endpoint()
    {
        var fields = HoneycombFields() with { Otlp = new EnteredOtlpDestination("api.honeycomb.io", true, []) };

        var issue = Assert.Single(PlanInputRules.Validate(fields));

        Assert.Equal((WizardField.OtlpEndpoint, "Satellite.MissingPort"), (issue.Field, issue.Code));
        Assert.Equal("api.honeycomb.io:443", issue.SuggestedValue);
    }

    [Theory]
    [InlineData("X-Honeycomb-Team", "key", "Otlp.HeaderNameInvalid")]
    [InlineData("x-key-bin", "key", "Otlp.HeaderNameInvalid")]
    [InlineData("grpc-timeout", "key", "Otlp.HeaderNameInvalid")]
    [InlineData("x-honeycomb-team", "", "Otlp.HeaderValueMissing")]
    [InlineData("x-honeycomb-team", "line\nbreak", "Otlp.HeaderValueInvalid")]
    public void Header_problems_name_the_header_and_never_carry_its_value(string name, string value, string code)
    {
        var fields = HoneycombFields() with { Otlp = new EnteredOtlpDestination("api.honeycomb.io:443", true, [new(name, value)]) };

        var issue = Assert.Single(PlanInputRules.Validate(fields));

        Assert.Equal((WizardField.OtlpHeaders, code), (issue.Field, issue.Code));
        Assert.Equal([name], issue.Args);
    }

    [Fact]
    public void A_header_given_twice_is_reported()
    {
        var fields = HoneycombFields() with
        {
            Otlp = new EnteredOtlpDestination("api.honeycomb.io:443", true, [new("x-honeycomb-team", "a"), new("x-honeycomb-team", "b")]),
        };

        Assert.Equal(["Otlp.HeaderDuplicate"], PlanInputRules.Validate(fields).Select(i => i.Code));
    }

    [Fact]
    public void The_direct_route_is_refused_for_another_backend()
    {
        var issue = Assert.Single(PlanInputRules.Validate(HoneycombFields("1.28") with { Route = SpanRoute.Direct }));

        Assert.Equal((WizardField.Route, "Route.DirectOnlyForLightStep"), (issue.Field, issue.Code));
        Assert.Equal([SpanRoute.Collector], SpanRoutes.Offered(Honeycomb("1.28")));
    }

    [Fact]
    public void Before_1_16_1_another_backend_is_refused_even_without_a_chosen_route()
    {
        var issue = Assert.Single(PlanInputRules.Validate(HoneycombFields("1.14")));

        Assert.Equal((WizardField.Route, "Route.CollectorNeedsOpenTelemetryTracer"), (issue.Field, issue.Code));
        Assert.Throws<InvalidOperationException>(() => PlanBuilder.Build(Honeycomb("1.16")));
    }

    [Fact]
    public void An_otlp_http_endpoint_is_refused_with_its_own_reason()
    {
        var input = Honeycomb("1.28") with
        {
            OtlpDestination = new OtlpSpanDestination(
                new OtlpTraceDestination("tempo.example.com", 4318, OtlpTransport.HttpProtobuf, true, "/v1/traces", []), new Dictionary<string, string>()),
        };

        Assert.Equal("Route.CollectorExportsOtlpGrpcOnly", PlanBuilder.Refusal(input));
    }

    [Theory]
    [InlineData("1.24")]
    [InlineData("1.28")]
    public void The_header_value_is_only_in_the_collector_secret(string version)
    {
        var plan = PlanBuilder.Build(Honeycomb(version));
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(HoneycombKey));

        var holding = plan.Objects.Where(o => PlanRenderer.Yaml([o.Resource]).Contains(HoneycombKey, StringComparison.Ordinal)
                                              || PlanRenderer.Yaml([o.Resource]).Contains(encoded, StringComparison.Ordinal)).ToList();

        var secret = Assert.Single(holding);
        Assert.Equal(PlannedObjectRole.CollectorSecret, secret.Role);
        Assert.Equal(HoneycombKey, Encoding.UTF8.GetString(((V1Secret)secret.Resource).Data["header-0"]));
        Assert.DoesNotContain(HoneycombKey, PlanRenderer.InstallScriptForScreen(plan));
        Assert.DoesNotContain(PlanBuilder.AccessTokenHeader, PlanRenderer.ManifestsYaml(plan));
    }

    [Fact]
    public void The_collector_verifies_another_backend_with_an_uploaded_ca()
    {
        var input = Honeycomb("1.28") with { CaCertificatePem = CaPem };

        var plan = PlanBuilder.Build(input);
        var config = ((V1ConfigMap)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorConfig).Resource).Data["collector.yaml"];
        var secret = (V1Secret)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorSecret).Resource;

        Assert.Contains("ca_file: /etc/lightstep-collector/ca/cacert.pem", config);
        Assert.Equal(CaPem, Encoding.UTF8.GetString(secret.Data["cacert.pem"]));
        // No CA Secret in the workloads' namespaces: only the collector verifies the backend.
        Assert.DoesNotContain(plan.Objects, o => o.Role == PlannedObjectRole.CaCertificateSecret);
    }

    [Fact]
    public void A_plaintext_in_cluster_jaeger_gets_an_insecure_exporter_and_an_empty_secret()
    {
        var plan = PlanBuilder.Build(Jaeger("1.28"));
        var config = ((V1ConfigMap)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorConfig).Resource).Data["collector.yaml"];

        Assert.Contains("endpoint: jaeger-collector.istio-system.svc.cluster.local:4317\n    tls:\n      insecure: true\n", config);
        Assert.DoesNotContain("headers:", config);
        Assert.Null(((V1Secret)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorSecret).Resource).Data);
        Assert.Empty(plan.SensitiveValues);
    }
}
