using System.Text;
using k8s.Models;
using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

public class PlanBuilderTests
{
    public static TheoryData<string> OneVersionPerForm => new("1.5", "1.9", "1.14", "1.20", "1.26", "1.28");

    /// <summary>
    /// The public product with its CA before 1.16: sidecars read it from each namespace, and the ingress gateway needs it
    /// too. From 1.16.1 the public OTLP endpoint is verified against public roots, so no namespace gets the Secret.
    /// </summary>
    public static TheoryData<string, bool> OneVersionPerFormWithGatewayCa => new()
    {
        { "1.5", true },
        { "1.9", true },
        { "1.14", true },
    };

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.20")]
    [InlineData("1.26")]
    [InlineData("1.28")]
    public void Public_otlp_endpoint_needs_no_ca_secret_in_any_namespace(string version)
    {
        var plan = PlanBuilder.Build(Public(version) with { Namespaces = ["shop", "bookinfo"] });

        Assert.Empty(plan.SecretNamespaces());
        Assert.DoesNotContain(plan.Commands, c => c.Code == "Command.ApplySecrets");
    }

    [Theory]
    [MemberData(nameof(OneVersionPerFormWithGatewayCa))]
    public void One_ca_secret_per_namespace_in_the_order_entered_then_istio_system_for_the_gateway(string version, bool gatewayGetsCa)
    {
        var plan = PlanBuilder.Build(Public(version) with { Namespaces = ["shop", "bookinfo", "default"] });

        var secrets = plan.Objects.Where(o => o.Role == PlannedObjectRole.CaCertificateSecret).ToList();

        string[] expected = gatewayGetsCa ? ["shop", "bookinfo", "default", "istio-system"] : ["shop", "bookinfo", "default"];
        Assert.Equal(expected, secrets.Select(s => s.Namespace));
        Assert.All(secrets, s => Assert.Equal(ApplyTool.Kubectl, s.AppliedWith));
        Assert.All(secrets.Select(s => Assert.IsType<V1Secret>(s.Resource)), secret =>
        {
            Assert.Equal(("v1", "Secret", "lightstep.cacert", "Opaque"), (secret.ApiVersion, secret.Kind, secret.Metadata.Name, secret.Type));
            Assert.Equal("lightstep", secret.Metadata.Labels["app"]);
            var (key, value) = Assert.Single(secret.Data);
            Assert.Equal("cacert.pem", key);
            Assert.Equal(CaPem, Encoding.UTF8.GetString(value));
        });
        var apply = Assert.Single(plan.Commands, c => c.Code == "Command.ApplySecrets");
        Assert.Same(plan.Commands[0], apply);
        var positions = expected.Select(ns => apply.Script.IndexOf($"namespace: {ns}\n", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Theory]
    [MemberData(nameof(OneVersionPerFormWithGatewayCa))]
    public void Secrets_come_first_so_pods_restarted_later_find_the_ca(string version, bool gatewayGetsCa)
    {
        var plan = PlanBuilder.Build(Public(version) with { Namespaces = ["default", "bookinfo"] });

        // The chosen namespaces first (a Secret cannot go into a missing one), then the Secrets, then the rest.
        Assert.Equal([("Namespace", "default"), ("Namespace", "bookinfo")], plan.Objects.Take(2).Select(o => (o.Kind, o.Name)));
        Assert.All(plan.Objects.Take(2), o => Assert.Equal(PlannedObjectRole.WorkloadNamespace, o.Role));
        var secretCount = gatewayGetsCa ? 3 : 2;
        Assert.All(plan.Objects.Skip(2).Take(secretCount), o => Assert.Equal(PlannedObjectRole.CaCertificateSecret, o.Role));
        Assert.Equal(PlannedObjectRole.IstioInstallOverlay, plan.Objects[2 + secretCount].Role);
        Assert.DoesNotContain(plan.Objects.Skip(2 + secretCount), o => o.Role is PlannedObjectRole.CaCertificateSecret or PlannedObjectRole.WorkloadNamespace);
        // istio-system (the gateway's Secret) is Istio's namespace, never one the plan creates.
        Assert.DoesNotContain(plan.Objects, o => o is { Kind: "Namespace", Name: "istio-system" });
    }

    [Theory]
    [MemberData(nameof(OneVersionPerForm))]
    public void Skipping_the_ca_creates_no_secret_and_says_so(string version)
    {
        // Before 1.16 TLS needs the CA file (PlanInputRules refuses skipping it), so those plans skip TLS too.
        var secure = IstioVersion.Parse(version) >= IstioFormChoice.FirstWithoutEnvoyLightStepTracer;
        var plan = PlanBuilder.Build(Public(version, withCa: false) with { Namespaces = ["default", "bookinfo"], Secure = secure });

        Assert.DoesNotContain(plan.Objects, o => o.Role is PlannedObjectRole.CaCertificateSecret or PlannedObjectRole.WorkloadNamespace);
        Assert.DoesNotContain(plan.Commands, c => c.Code == "Command.ApplySecrets");
        Assert.Contains(plan.Notes, n => n.Code == "Note.NoCaCertificate");
        Assert.DoesNotContain("cacert.pem", PlanRenderer.ManifestsYaml(plan));
        Assert.DoesNotContain("cacert.pem", PlanRenderer.InstallScript(plan));
    }

    [Theory]
    [MemberData(nameof(OneVersionPerForm))]
    public void A_ca_that_was_provided_produces_no_skip_note(string version) =>
        Assert.DoesNotContain(PlanBuilder.Build(Public(version)).Notes, n => n.Code == "Note.NoCaCertificate");

    [Theory]
    [InlineData("1.5", "values.pilot.traceSampling", true)]
    [InlineData("1.9", "values.pilot.traceSampling", false)]
    [InlineData("1.9", "values.pilot.traceSampling", true)]
    [InlineData("1.10", "meshConfig.defaultConfig.tracing.sampling", false)]
    [InlineData("1.10", "meshConfig.defaultConfig.tracing.sampling", true)]
    [InlineData("1.14", "meshConfig.defaultConfig.tracing.sampling", true)]
    public void Sampling_goes_to_the_install_setting_of_the_form(string version, string path, bool secure)
    {
        var plan = PlanBuilder.Build(Public(version) with { SamplingPercent = 25.5m, Secure = secure });
        var overlay = plan.Overlay();

        Assert.Equal(25.5m, overlay.At(path));
        var istioctl = plan.IstioctlStep();
        Assert.Equal("Command.IstioctlOverlay", istioctl.Code);
        Assert.Contains($"<<'YAML'\n{PlanRenderer.Yaml([overlay])}YAML\n", istioctl.Script);
        var other = path == "values.pilot.traceSampling" ? "meshConfig.defaultConfig.tracing.sampling" : "values.pilot.traceSampling";
        Assert.False(overlay.Has(other), $"sampling must not also be set at {other}");
        Assert.DoesNotContain(other.Split('.')[^1], istioctl.Script);
        Assert.Null(plan.Istio(PlannedObjectRole.TracingTelemetry));
        Assert.Contains(plan.Notes, n => n.Code == "Note.SamplingBelow100" && n.Arguments.SequenceEqual(["25.5"]));
    }

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.20")]
    [InlineData("1.26")]
    [InlineData("1.28")]
    public void Sampling_goes_to_the_telemetry_resource_from_1_16(string version)
    {
        var plan = PlanBuilder.Build(Public(version) with { SamplingPercent = 25.5m });

        var tracing = Assert.IsAssignableFrom<IDictionary<string, object?>>(
            Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(plan.Istio(PlannedObjectRole.TracingTelemetry)!.At("tracing"))));
        Assert.Equal(25.5m, tracing["randomSamplingPercentage"]);
        Assert.Contains("    randomSamplingPercentage: 25.5\n", PlanRenderer.ManifestsYaml(plan));
        Assert.False(plan.Overlay().Has("meshConfig.defaultConfig.tracing.sampling"));
        Assert.False(plan.Overlay().Has("values.pilot.traceSampling"));
    }

    [Theory]
    [MemberData(nameof(OneVersionPerForm))]
    public void Full_sampling_produces_no_sampling_note(string version) =>
        Assert.DoesNotContain(PlanBuilder.Build(Public(version)).Notes, n => n.Code == "Note.SamplingBelow100");

    [Theory]
    [InlineData("1.4")]
    [InlineData("1.5")]
    public void Values_form_before_1_6_sets_secure_and_cacert_path(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "lightstep-satellite.lightstep:9292"));
        var overlay = plan.Overlay();

        Assert.Equal(100m, overlay.At("values.pilot.traceSampling"));
        Assert.Equal("lightstep", overlay.At("values.global.proxy.tracer"));
        Assert.Equal("lightstep-satellite.lightstep:9292", overlay.At("values.global.tracer.lightstep.address"));
        Assert.Equal(Token, overlay.At("values.global.tracer.lightstep.accessToken"));
        Assert.Equal(true, overlay.At("values.global.tracer.lightstep.secure"));
        Assert.Equal("/etc/lightstep/cacert.pem", overlay.At("values.global.tracer.lightstep.cacertPath"));
        Assert.False(overlay.Has("meshConfig.defaultConfig.tracing"));
        Assert.Contains($"<<'YAML'\n{PlanRenderer.Yaml([overlay])}YAML\n", plan.IstioctlStep().Script);
    }

    /// <summary>istio/api#1397 (first tag 1.6.0) replaced secure/cacertPath with tracing.tlsSettings.</summary>
    [Theory]
    [InlineData("1.6.0")]
    [InlineData("1.7")]
    [InlineData("1.9")]
    public void Values_form_from_1_6_uses_tls_settings_and_never_secure_or_cacert_path(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "lightstep-satellite.lightstep:9292"));
        var overlay = plan.Overlay();

        Assert.Equal("lightstep", overlay.At("values.global.proxy.tracer"));
        Assert.Equal("lightstep-satellite.lightstep:9292", overlay.At("values.global.tracer.lightstep.address"));
        Assert.Equal(Token, overlay.At("values.global.tracer.lightstep.accessToken"));
        Assert.Equal("SIMPLE", overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.mode"));
        Assert.Equal("/etc/lightstep/cacert.pem", overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates"));
        Assert.False(overlay.Has("values.global.tracer.lightstep.secure"));
        Assert.False(overlay.Has("values.global.tracer.lightstep.cacertPath"));
        Assert.DoesNotContain("secure:", PlanRenderer.InstallScript(plan));
        Assert.DoesNotContain("cacertPath", PlanRenderer.InstallScript(plan));
    }

    [Theory]
    [InlineData("1.10")]
    [InlineData("1.14")]
    [InlineData("1.15.5")]
    public void Mesh_config_form_sets_proxy_tracing_and_keeps_the_tracer_value_for_the_certificate_mount(string version)
    {
        var overlay = PlanBuilder.Build(OnPrem(version, "lightstep-satellite.lightstep:9292")).Overlay();

        Assert.Equal("lightstep", overlay.At("values.global.proxy.tracer"));
        Assert.Equal(true, overlay.At("meshConfig.enableTracing"));
        Assert.Equal("lightstep-satellite.lightstep:9292", overlay.At("meshConfig.defaultConfig.tracing.lightstep.address"));
        Assert.Equal(Token, overlay.At("meshConfig.defaultConfig.tracing.lightstep.accessToken"));
        Assert.Equal(100m, overlay.At("meshConfig.defaultConfig.tracing.sampling"));
        Assert.Equal("SIMPLE", overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.mode"));
        Assert.Equal("/etc/lightstep/cacert.pem", overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates"));
        Assert.False(overlay.Has("values.global.tracer"), "values.global.tracer.lightstep.* is deprecated in this form");
        Assert.False(overlay.Has("meshConfig.defaultConfig.tracing.lightstep.secure"));
    }

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.26")]
    public void LightStep_provider_carries_the_token_and_the_satellite_service(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443") with { Route = SpanRoute.Direct });

        Assert.DoesNotContain("tracing.lightstep", string.Join("\n", PlanRenderer.ManifestsYaml(plan)));
        Assert.False(plan.Overlay().Has("meshConfig.defaultConfig.tracing.lightstep"));

        var provider = SingleProvider(plan);
        var lightstep = Assert.IsAssignableFrom<IDictionary<string, object?>>(provider["lightstep"]);
        Assert.Equal("satellites.example.com", lightstep["service"]);
        Assert.Equal(8443, lightstep["port"]);
        Assert.Equal(Token, lightstep["accessToken"]);
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.28")]
    public void OpenTelemetry_provider_sends_the_token_in_the_lightstep_access_token_header(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443", secure: false) with { Route = SpanRoute.Direct });

        var otel = Assert.IsAssignableFrom<IDictionary<string, object?>>(SingleProvider(plan)["opentelemetry"]);
        Assert.Equal("satellites.example.com", otel["service"]);
        Assert.Equal(8443, otel["port"]);
        var grpc = Assert.IsAssignableFrom<IDictionary<string, object?>>(otel["grpc"]);
        var header = Assert.IsAssignableFrom<IDictionary<string, object?>>(Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(grpc["initialMetadata"])));
        Assert.Equal("lightstep-access-token", header["name"]);
        Assert.Equal(Token, header["value"]);
    }

    [Theory]
    [InlineData("1.20")]
    [InlineData("1.26")]
    public void External_satellite_gets_a_service_entry_and_tls_origination_on_its_port(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443") with { Route = SpanRoute.Direct });

        var entry = plan.Istio(PlannedObjectRole.TracingServiceEntry)!;
        Assert.Equal(["satellites.example.com"], Assert.IsAssignableFrom<IEnumerable<object?>>(entry.At("hosts")));
        Assert.Equal("MESH_EXTERNAL", entry.At("location"));
        Assert.Equal("DNS", entry.At("resolution"));
        var port = Assert.IsAssignableFrom<IDictionary<string, object?>>(Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(entry.At("ports"))));
        Assert.Equal(8443, port["number"]);

        var rule = plan.Istio(PlannedObjectRole.TracingDestinationRule)!;
        Assert.Equal("satellites.example.com", rule.At("host"));
        var settings = IstioFormChoiceTests.PortLevelSettings(rule);
        Assert.Equal(8443, Assert.IsAssignableFrom<IDictionary<string, object?>>(settings["port"])["number"]);
        var tls = Assert.IsAssignableFrom<IDictionary<string, object?>>(settings["tls"]);
        Assert.Equal("SIMPLE", tls["mode"]);
        Assert.Equal("satellites.example.com", tls["sni"]);
        Assert.Equal("/etc/lightstep/cacert.pem", tls["caCertificates"]);
        // istio/istio#53382: the rule changes every workload's traffic to that host, and the plan says so.
        Assert.Contains(plan.Notes, n => n.Code == "Note.DestinationRuleAffectsHost" && n.Arguments.SequenceEqual(["satellites.example.com"]));
    }

    [Theory]
    [InlineData("lightstep-satellite.lightstep:9292", "lightstep-satellite.lightstep.svc.cluster.local")]
    [InlineData("lightstep-satellite.lightstep.svc:9292", "lightstep-satellite.lightstep.svc.cluster.local")]
    [InlineData("lightstep-satellite.lightstep.svc.cluster.local:9292", "lightstep-satellite.lightstep.svc.cluster.local")]
    public void In_cluster_satellite_is_addressed_by_its_service_fqdn_without_a_service_entry(string address, string fqdn)
    {
        var plan = PlanBuilder.Build(OnPrem("1.26", address) with { Route = SpanRoute.Direct });

        Assert.Null(plan.Istio(PlannedObjectRole.TracingServiceEntry));
        Assert.Equal(fqdn, Assert.IsAssignableFrom<IDictionary<string, object?>>(SingleProvider(plan)["lightstep"])["service"]);
        Assert.Equal(fqdn, plan.Istio(PlannedObjectRole.TracingDestinationRule)!.At("host"));
        Assert.Contains(plan.Notes, n => n.Code == "Note.InClusterSatellite" && n.Arguments.SequenceEqual([fqdn]));
    }

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.28")]
    public void Public_product_exports_to_the_public_otlp_endpoint_from_1_16(string version)
    {
        var plan = PlanBuilder.Build(Public(version) with { Route = SpanRoute.Direct });

        Assert.Equal(["ingest.lightstep.com"], Assert.IsAssignableFrom<IEnumerable<object?>>(plan.Istio(PlannedObjectRole.TracingServiceEntry)!.At("hosts")));
        Assert.Contains(plan.Notes, n => n.Code == "Note.PublicOtlpEndpoint" && n.Arguments.SequenceEqual(["ingest.lightstep.com:443"]));
        Assert.DoesNotContain("collector-grpc.lightstep.com", PlanRenderer.ManifestsYaml(plan));
    }

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.20")]
    [InlineData("1.26")]
    [InlineData("1.27")]
    [InlineData("1.28")]
    public void Public_otlp_endpoint_is_verified_against_public_roots_not_the_uploaded_ca(string version)
    {
        var plan = PlanBuilder.Build(Public(version) with { Route = SpanRoute.Direct });

        var rule = plan.Istio(PlannedObjectRole.TracingDestinationRule)!;
        var tls = Assert.IsAssignableFrom<IDictionary<string, object?>>(IstioFormChoiceTests.PortLevelSettings(rule)["tls"]);
        Assert.Equal(["mode", "sni"], tls.Keys);
        Assert.Equal(("SIMPLE", "ingest.lightstep.com"), (tls["mode"], tls["sni"]));
        Assert.DoesNotContain(plan.Notes, n => n.Code == "Note.GatewayCaMount");
        Assert.False(plan.Overlay().Has("components"));
        Assert.Empty(plan.SecretNamespaces());
    }

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.20")]
    [InlineData("1.26")]
    public void On_prem_satellites_are_verified_with_the_uploaded_ca_from_1_16(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443") with { Route = SpanRoute.Direct });

        var rule = plan.Istio(PlannedObjectRole.TracingDestinationRule)!;
        var tls = Assert.IsAssignableFrom<IDictionary<string, object?>>(IstioFormChoiceTests.PortLevelSettings(rule)["tls"]);
        Assert.Equal(["mode", "sni", "caCertificates"], tls.Keys);
        Assert.Equal(("SIMPLE", "satellites.example.com", "/etc/lightstep/cacert.pem"), (tls["mode"], tls["sni"], tls["caCertificates"]));
        Assert.True(plan.Overlay().Has("components.ingressGateways"));
        Assert.Equal(["default", "istio-system"], plan.SecretNamespaces());
    }

    [Fact]
    public void Insecure_on_prem_satellites_get_no_ca_mount_note_from_1_27()
    {
        var plan = PlanBuilder.Build(OnPrem("1.28", "satellites.example.com:8443", secure: false));

        Assert.DoesNotContain(plan.Notes, n => n.Code == "Note.GatewayCaMount");
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.14")]
    public void Public_product_uses_the_public_satellites_before_1_16(string version)
    {
        var plan = PlanBuilder.Build(Public(version));

        Assert.Contains("collector-grpc.lightstep.com:443", plan.AllCommands());
        Assert.DoesNotContain(plan.Notes, n => n.Code == "Note.PublicOtlpEndpoint");
    }

    [Theory]
    [InlineData("1.9")]
    [InlineData("1.14")]
    [InlineData("1.20")]
    [InlineData("1.28")]
    public void Insecure_transport_drops_tls_everywhere_and_says_so(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443", secure: false));

        Assert.False(plan.Overlay().Has("meshConfig.defaultConfig.tracing.tlsSettings"));
        Assert.Null(plan.Istio(PlannedObjectRole.TracingDestinationRule));
        Assert.DoesNotContain("SIMPLE", PlanRenderer.ManifestsYaml(plan));
        Assert.Contains(plan.Notes, n => n.Code == "Note.InsecureTransport");
    }

    [Fact]
    public void Insecure_values_form_sets_secure_false_before_1_6()
    {
        var plan = PlanBuilder.Build(OnPrem("1.5", "satellites.example.com:8443", secure: false));

        Assert.Equal(false, plan.Overlay().At("values.global.tracer.lightstep.secure"));
        Assert.False(plan.Overlay().Has("values.global.tracer.lightstep.cacertPath"));
        Assert.Contains("      secure: false\n", plan.AllCommands());
    }

    [Theory]
    [MemberData(nameof(OneVersionPerForm))]
    public void Every_plan_ends_with_the_restart_note_listing_the_namespaces(string version)
    {
        var plan = PlanBuilder.Build(Public(version) with { Namespaces = ["default", "bookinfo"] });

        Assert.Equal(new PlanNote("Note.RestartWorkloads", "default bookinfo").Code, plan.Notes[^1].Code);
        Assert.Equal(["default bookinfo"], plan.Notes[^1].Arguments);
        Assert.Contains(plan.Notes, n => n.Code == "Note.IstioctlReplacesConfiguration");
    }

    [Theory]
    [MemberData(nameof(OneVersionPerForm))]
    public void Downloads_contain_the_token_because_istio_needs_it(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443"));

        // Direct: in the install overlay; collector route: only in the collector's Secret (base64, like every Secret).
        var token = plan.Route == SpanRoute.Collector ? Convert.ToBase64String(Encoding.UTF8.GetBytes(Token)) : Token;
        Assert.Equal([Token], plan.SensitiveValues);
        Assert.Contains(token, PlanRenderer.ManifestsYaml(plan));
        Assert.Contains(token, PlanRenderer.InstallScript(plan));
        Assert.Contains(CaPemBase64, PlanRenderer.ManifestsYaml(plan));
        Assert.Contains(CaPemBase64, PlanRenderer.InstallScript(plan));
    }

    [Theory]
    [MemberData(nameof(OneVersionPerForm))]
    public void Every_object_is_labelled_as_managed_by_the_console(string version)
    {
        var plan = PlanBuilder.Build(Public(version));

        // Except the gateway mount: a label there would claim istioctl's gateway Deployment for the console; and the
        // workload namespaces: install.sh applies them whether they exist or not, so a label would change an existing one.
        Assert.All(plan.Objects.Where(o => o.Role is not (PlannedObjectRole.IngressGatewayCaMount or PlannedObjectRole.WorkloadNamespace)),
            o => Assert.Equal("lightstep-console", o.Resource.Metadata.Labels["app.kubernetes.io/managed-by"]));
        Assert.All(plan.Objects.Where(o => o.Resource is IstioResource), o => Assert.Equal("istio-system", o.Namespace));
    }

    [Theory]
    [MemberData(nameof(OneVersionPerForm))]
    public void The_istio_overlay_is_applied_with_istioctl_and_everything_else_with_kubectl(string version)
    {
        var plan = PlanBuilder.Build(Public(version));

        Assert.All(plan.Objects, o => Assert.Equal(
            o.Role is PlannedObjectRole.IstioInstallOverlay or PlannedObjectRole.IngressGatewayCaMount ? ApplyTool.Istioctl : ApplyTool.Kubectl, o.AppliedWith));
    }

    [Fact]
    public void Building_twice_gives_identical_output()
    {
        var input = OnPrem("1.26", "satellites.example.com:8443") with { Namespaces = ["a", "b"], SamplingPercent = 12.34m };

        Assert.Equal(PlanRenderer.InstallScript(PlanBuilder.Build(input)), PlanRenderer.InstallScript(PlanBuilder.Build(input)));
        Assert.Equal(PlanRenderer.ManifestsYaml(PlanBuilder.Build(input)), PlanRenderer.ManifestsYaml(PlanBuilder.Build(input)));
    }

    private static IDictionary<string, object?> SingleProvider(Plan plan) =>
        Assert.IsAssignableFrom<IDictionary<string, object?>>(
            Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(plan.Overlay().At("meshConfig.extensionProviders"))));

    [Fact]
    public void A_workload_namespace_is_planned_as_a_bare_namespace_applied_with_its_secret()
    {
        var plan = PlanBuilder.Build(Public("1.14") with { Namespaces = ["shop"] });

        var ns = Assert.Single(plan.Objects, o => o.Role == PlannedObjectRole.WorkloadNamespace);
        Assert.Equal(("v1", "Namespace", "shop", null), (ns.Resource.ApiVersion, ns.Kind, ns.Name, ns.Namespace));
        Assert.Null(ns.Resource.Metadata.Labels);
        var apply = Assert.Single(plan.Commands, c => c.Code == "Command.ApplySecrets").Script;
        Assert.True(apply.IndexOf("kind: Namespace", StringComparison.Ordinal) < apply.IndexOf("kind: Secret", StringComparison.Ordinal), apply);
    }
}
