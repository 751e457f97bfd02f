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
    public void Direct_with_a_grpc_header_needs_1_24_and_is_offered_after_the_collector_from_there()
    {
        var issue = Assert.Single(PlanInputRules.Validate(HoneycombFields("1.22") with { Route = SpanRoute.Direct }));

        Assert.Equal((WizardField.Route, "Route.DirectHeadersNeedInitialMetadata"), (issue.Field, issue.Code));
        Assert.Equal([SpanRoute.Collector], SpanRoutes.Offered(Honeycomb("1.22")));
        Assert.Empty(PlanInputRules.Validate(HoneycombFields("1.24") with { Route = SpanRoute.Direct }));
        Assert.Equal([SpanRoute.Collector, SpanRoute.Direct], SpanRoutes.Offered(Honeycomb("1.24")));
    }

    [Fact]
    public void Before_1_16_1_another_backend_is_refused_even_without_a_chosen_route()
    {
        var issue = Assert.Single(PlanInputRules.Validate(HoneycombFields("1.14")));

        Assert.Equal((WizardField.Route, "Route.BackendNeedsOpenTelemetryProvider"), (issue.Field, issue.Code));
        Assert.Equal("Route.BackendNeedsOpenTelemetryProvider", PlanBuilder.Refusal(Jaeger("1.15")));
        Assert.Equal("Route.BackendNeedsOpenTelemetryProvider", SpanRoutes.Refusal(Jaeger("1.15"), SpanRoute.Direct));
        Assert.Throws<InvalidOperationException>(() => PlanBuilder.Build(Honeycomb("1.16")));
    }

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.18")]
    [InlineData("1.28")]
    public void An_in_cluster_plaintext_jaeger_without_headers_goes_direct_like_istios_jaeger_task(string version)
    {
        var plan = PlanBuilder.Build(Jaeger(version));
        var provider = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)plan.Overlay().Spec["meshConfig"]!)["extensionProviders"]!).Single()!;
        var telemetry = plan.Istio(PlannedObjectRole.TracingTelemetry)!;

        Assert.Equal(SpanRoute.Direct, plan.Route);
        Assert.Equal([SpanRoute.Direct, SpanRoute.Collector], SpanRoutes.Offered(Jaeger(version)));
        Assert.Equal((IstioForm.OpenTelemetry, "Form.OtherBackendDirectPlain"), (plan.Form, plan.FormChoice.ReasonCode));
        Assert.Equal("otlp-backend", provider["name"]);
        Assert.Equal(new Dictionary<string, object?> { ["service"] = "jaeger-collector.istio-system.svc.cluster.local", ["port"] = 4317 },
            (Dictionary<string, object?>)provider["opentelemetry"]!);
        Assert.Contains("otlp-backend", PlanRenderer.Yaml([telemetry]));
        Assert.DoesNotContain(plan.Objects, o => o.Role is PlannedObjectRole.TracingServiceEntry or PlannedObjectRole.TracingDestinationRule
            or PlannedObjectRole.CollectorDeployment or PlannedObjectRole.CaCertificateSecret);
        Assert.Contains(plan.Notes, n => n.Code == "Note.InClusterBackend");
        Assert.DoesNotContain(plan.Notes, n => n.Code is "Note.TokenInMeshConfig" or "Note.HeadersInMeshConfig" or "Note.InsecureTransport");
        Assert.Contains(plan.Notes, n => n.Code == "Note.InsecureBackendTransport");
        Assert.Empty(plan.SensitiveValues);
    }

    [Theory]
    [InlineData("1.18", true)]
    [InlineData("1.19", false)]
    [InlineData("1.28", false)]
    public void Istios_jaeger_addon_before_1_19_has_no_otlp_port_and_the_plan_says_so(string version, bool noted)
    {
        foreach (var route in new[] { SpanRoute.Direct, SpanRoute.Collector })
            Assert.Equal(noted, PlanBuilder.Build(Jaeger(version) with { Route = route }).Notes.Any(n => n.Code == "Note.JaegerAddonWithoutOtlp"));
    }

    [Fact]
    public void Honeycomb_direct_carries_its_key_in_initial_metadata_through_a_service_entry_and_tls_rule_with_the_warnings()
    {
        var plan = PlanBuilder.Build(Honeycomb("1.28") with { Route = SpanRoute.Direct });
        var provider = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)plan.Overlay().Spec["meshConfig"]!)["extensionProviders"]!).Single()!;
        var otel = (Dictionary<string, object?>)provider["opentelemetry"]!;
        var grpc = (Dictionary<string, object?>)otel["grpc"]!;
        var entry = plan.Istio(PlannedObjectRole.TracingServiceEntry)!;
        var rule = plan.Istio(PlannedObjectRole.TracingDestinationRule)!;

        Assert.Equal((IstioForm.OpenTelemetry, "Form.OtherBackendDirect"), (plan.Form, plan.FormChoice.ReasonCode));
        Assert.Equal(("api.honeycomb.io", 443), ((string)otel["service"]!, (int)otel["port"]!));
        var metadata = (Dictionary<string, object?>)Assert.Single((List<object?>)grpc["initialMetadata"]!)!;
        Assert.Equal(("x-honeycomb-team", HoneycombKey), ((string)metadata["name"]!, (string)metadata["value"]!));
        Assert.Contains("protocol: GRPC", PlanRenderer.Yaml([entry]));
        Assert.Contains("mode: SIMPLE", PlanRenderer.Yaml([rule]));
        Assert.Contains("sni: api.honeycomb.io", PlanRenderer.Yaml([rule]));
        Assert.DoesNotContain(PlanBuilder.AccessTokenHeader, PlanRenderer.ManifestsYaml(plan));
        Assert.DoesNotContain(plan.Objects, o => o.Role == PlannedObjectRole.CollectorSecret);
        Assert.Equal(["Note.CollectorRouteRecommendedForHeaders", "Note.DestinationRuleAffectsHost", "Note.HeadersInMeshConfig"],
            plan.Notes.Select(n => n.Code).Where(c => c is "Note.HeadersInMeshConfig" or "Note.CollectorRouteRecommendedForHeaders" or "Note.DestinationRuleAffectsHost").Order(StringComparer.Ordinal));
        Assert.Equal([HoneycombKey], plan.SensitiveValues);
        Assert.DoesNotContain(HoneycombKey, PlanRenderer.InstallScriptForScreen(plan));
    }

    [Theory]
    [InlineData("1.24")]
    [InlineData("1.28")]
    public void A_private_ca_for_another_backend_keeps_the_direct_route_refused(string version)
    {
        var input = Honeycomb(version) with { CaCertificatePem = CaPem };

        Assert.Equal("Route.DirectCannotMountCaForBackend", SpanRoutes.Refusal(input, SpanRoute.Direct));
        Assert.Equal([SpanRoute.Collector], SpanRoutes.Offered(input));
    }

    [Fact]
    public void Otlp_http_goes_direct_only_from_1_22_through_the_providers_http_service()
    {
        Assert.Equal("Route.DirectOtlpHttpNeeds122", SpanRoutes.Refusal(OtlpHttp("1.21"), SpanRoute.Direct));
        Assert.Equal([SpanRoute.Collector], SpanRoutes.Offered(OtlpHttp("1.21")));

        var plan = PlanBuilder.Build(OtlpHttp("1.22") with { Route = SpanRoute.Direct });
        var provider = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)plan.Overlay().Spec["meshConfig"]!)["extensionProviders"]!).Single()!;
        var otel = (Dictionary<string, object?>)provider["opentelemetry"]!;
        var http = (Dictionary<string, object?>)otel["http"]!;

        Assert.False(otel.ContainsKey("grpc"));
        Assert.Equal(("/api/otlp/traces", "10s"), ((string)http["path"]!, (string)http["timeout"]!));
        var header = (Dictionary<string, object?>)Assert.Single((List<object?>)http["headers"]!)!;
        Assert.Equal(("authorization", "Bearer " + OtlpHttpKey), ((string)header["name"]!, (string)header["value"]!));
        Assert.Contains("protocol: HTTPS", PlanRenderer.Yaml([plan.Istio(PlannedObjectRole.TracingServiceEntry)!]));
    }

    [Theory]
    [InlineData("/api/otlp/traces", true, "    traces_endpoint: https://otlp.example.com:443/api/otlp/traces\n")]
    [InlineData("/v1/traces", true, "    endpoint: https://otlp.example.com:443\n")]
    [InlineData("/v1/traces", false, "    endpoint: http://otlp.example.com:443\n")]
    public void Otlp_http_through_the_collector_uses_its_otlphttp_exporter(string path, bool secure, string expectedTarget)
    {
        var input = OtlpHttp("1.16.1") with
        {
            Secure = secure,
            OtlpDestination = OtlpHttp("1.16.1").OtlpDestination! with
            {
                Endpoint = OtlpHttp("1.16.1").OtlpDestination!.Endpoint with { Path = path, Secure = secure },
            },
        };

        var plan = PlanBuilder.Build(input);
        var config = ((V1ConfigMap)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorConfig).Resource).Data["collector.yaml"];

        Assert.Equal(SpanRoute.Collector, plan.Route);
        Assert.Contains("exporters:\n  otlphttp:\n" + expectedTarget + "    headers:\n      authorization: ${env:OTLP_HEADER_0}\n", config);
        Assert.Contains("      exporters: [otlphttp]\n", config);
        Assert.DoesNotContain("insecure", config);
        Assert.DoesNotContain(OtlpHttpKey, config);
    }

    [Theory]
    [InlineData(SpanRoute.Direct)]
    [InlineData(SpanRoute.Collector)]
    public void The_consoles_own_root_spans_go_to_an_otlp_http_backend_over_otlp_http_on_its_path(SpanRoute route)
    {
        var input = OtlpHttp("1.24") with { Route = route };

        var destination = SpanDestination.For(input, PlanBuilder.Build(input).Form);

        Assert.Equal(new SpanDestination("otlp.example.com:443", SpanTransport.OtlpHttp, true, "SpanDestination.OtlpLikeTheMesh", "/api/otlp/traces"), destination);
        Assert.Equal(SpanTransport.OtlpGrpc, SpanDestination.For(Honeycomb("1.24"), IstioForm.OpenTelemetryCollector).Transport);
    }

    [Fact]
    public void An_http_path_is_validated_and_defaults_to_v1_traces()
    {
        var entered = new EnteredOtlpDestination("otlp.example.com:443", true, [], OtlpTransport.HttpProtobuf);
        var fields = HoneycombFields("1.24") with { Otlp = entered };

        var input = PlanInputRules.TryCreate(fields, out _);
        var issue = Assert.Single(PlanInputRules.Validate(fields with { Otlp = entered with { HttpPath = "/v1/traces?x=1" } }));

        Assert.Equal((OtlpTransport.HttpProtobuf, "/v1/traces"), (input!.OtlpDestination!.Endpoint.Transport, input.OtlpDestination.Endpoint.Path));
        Assert.Equal((WizardField.OtlpEndpoint, "Otlp.HttpPathInvalid"), (issue.Field, issue.Code));
    }

    [Fact]
    public void Entered_jaeger_fields_take_the_direct_route_and_the_collector_when_chosen()
    {
        var jaeger = HoneycombFields("1.24") with { Otlp = new EnteredOtlpDestination("jaeger-collector.istio-system:4317", false, []) };

        Assert.Equal(SpanRoute.Direct, SpanRoutes.Effective(PlanInputRules.TryCreate(jaeger, out _)!));
        Assert.Equal(SpanRoute.Collector, SpanRoutes.Effective(PlanInputRules.TryCreate(jaeger with { Route = SpanRoute.Collector }, out _)!));
        Assert.Equal("Form.OtherBackendCollectorChosen", PlanBuilder.Build(PlanInputRules.TryCreate(jaeger with { Route = SpanRoute.Collector }, out _)!).FormChoice.ReasonCode);
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
        var plan = PlanBuilder.Build(Jaeger("1.28") with { Route = SpanRoute.Collector });
        var config = ((V1ConfigMap)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorConfig).Resource).Data["collector.yaml"];

        Assert.Contains("endpoint: jaeger-collector.istio-system.svc.cluster.local:4317\n    tls:\n      insecure: true\n", config);
        Assert.DoesNotContain("headers:", config);
        Assert.Null(((V1Secret)plan.Objects.Single(o => o.Role == PlannedObjectRole.CollectorSecret).Resource).Data);
        Assert.Empty(plan.SensitiveValues);
    }
}
