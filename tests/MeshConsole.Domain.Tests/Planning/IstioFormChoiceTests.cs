using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>Each Istio release gets the configuration form, istioctl verb and API versions it understands.</summary>
public class IstioFormChoiceTests
{
    public static TheoryData<string, IstioForm> FormByVersion => new()
    {
        { "1.4", IstioForm.InstallValues },
        { "1.5.9", IstioForm.InstallValues },
        { "1.6.0", IstioForm.InstallValues },
        { "1.7", IstioForm.InstallValues },
        { "1.8.0", IstioForm.InstallValues },
        { "1.9.9", IstioForm.InstallValues },
        { "1.10.0", IstioForm.MeshConfigProxyTracing },
        { "1.15.5", IstioForm.MeshConfigProxyTracing },
        { "1.16.1", IstioForm.LightStepExtensionProvider },
        { "1.21.9", IstioForm.LightStepExtensionProvider },
        { "1.22.0", IstioForm.LightStepExtensionProvider },
        { "1.26.3", IstioForm.LightStepExtensionProvider },
        { "1.27.0", IstioForm.OpenTelemetry },
        { "1.30", IstioForm.OpenTelemetry },
    };

    public static TheoryData<string> Versions => new(FormByVersion.Select(row => (string)row[0]));

    [Theory]
    [MemberData(nameof(FormByVersion))]
    public void Version_selects_the_form(string version, IstioForm expected)
    {
        var plan = PlanBuilder.Build(Public(version) with { Route = SpanRoute.Direct });

        Assert.Equal(expected, IstioFormChoice.For(IstioVersion.Parse(version)).Form);
        Assert.Equal(expected, plan.Form);
        Assert.Equal($"Form.{expected}", plan.FormChoice.ReasonCode);
    }

    [Theory]
    [InlineData("1.4", "istioctl manifest apply")]
    [InlineData("1.5.9", "istioctl manifest apply")]
    [InlineData("1.6.0", "istioctl install")]
    [InlineData("1.7", "istioctl install")]
    [InlineData("1.8.0", "istioctl install")]
    [InlineData("1.9.9", "istioctl install")]
    [InlineData("1.10.0", "istioctl install")]
    [InlineData("1.15.5", "istioctl install")]
    [InlineData("1.16.1", "istioctl install")]
    [InlineData("1.21.9", "istioctl install")]
    [InlineData("1.22.0", "istioctl install")]
    [InlineData("1.26.3", "istioctl install")]
    [InlineData("1.27.0", "istioctl install")]
    [InlineData("1.30", "istioctl install")]
    public void Istioctl_verb_is_manifest_apply_only_before_1_6(string version, string verb)
    {
        var plan = PlanBuilder.Build(Public(version));

        var istioctl = Assert.Single(plan.Commands, c => c.Script.Contains("istioctl ", StringComparison.Ordinal));
        var line = Assert.Single(istioctl.Script.Split('\n'), l => l.StartsWith("istioctl ", StringComparison.Ordinal));
        Assert.StartsWith(verb + " ", line);
        Assert.Equal(verb == "istioctl manifest apply", plan.Notes.Any(n => n.Code == "Note.ManifestApplyVerb"));
        Assert.Equal(verb == "istioctl manifest apply", PlanRenderer.InstallScript(plan).Contains("manifest apply", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.4", false)]
    [InlineData("1.5.9", false)]
    [InlineData("1.6.0", true)]
    [InlineData("1.7", true)]
    [InlineData("1.8.0", true)]
    [InlineData("1.9.9", true)]
    [InlineData("1.10.0", true)]
    [InlineData("1.15.5", true)]
    [InlineData("1.16.1", true)]
    [InlineData("1.21.9", true)]
    [InlineData("1.22.0", true)]
    [InlineData("1.26.3", true)]
    public void Tls_settings_carry_the_ca_path_from_1_6(string version, bool expected)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443") with { Route = SpanRoute.Direct });
        var overlay = plan.Overlay();

        Assert.Equal(expected, overlay.Has("meshConfig.defaultConfig.tracing.tlsSettings"));
        if (expected)
        {
            Assert.Equal("SIMPLE", overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.mode"));
            Assert.Equal(PlanInput.DefaultCacertPath, overlay.At("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates"));
        }
        Assert.Equal(expected, plan.AllCommands().Contains("tlsSettings", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.4")]
    [InlineData("1.5.9")]
    public void Before_1_6_tls_is_set_with_secure_and_cacert_path(string version)
    {
        var overlay = PlanBuilder.Build(Public(version)).Overlay();

        Assert.Equal(true, overlay.At("values.global.tracer.lightstep.secure"));
        Assert.Equal(PlanInput.DefaultCacertPath, overlay.At("values.global.tracer.lightstep.cacertPath"));
    }

    [Theory]
    [InlineData("1.27.0")]
    [InlineData("1.30")]
    public void OpenTelemetry_form_refuses_a_private_ca_no_proxy_would_have(string version)
    {
        var input = OnPrem(version, "satellites.example.com:8443") with { Route = SpanRoute.Direct };

        Assert.Equal("Route.DirectCannotMountCa", SpanRoutes.Refusal(input, SpanRoute.Direct));
        Assert.Throws<InvalidOperationException>(() => PlanBuilder.Build(input));
        Assert.Equal(IstioForm.OpenTelemetryCollector, PlanBuilder.Build(input with { Route = null }).Form);
    }

    [Theory]
    [InlineData("1.16.1")]
    [InlineData("1.26.3")]
    public void LightStep_provider_form_lets_the_injector_mount_the_ca(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "satellites.example.com:8443") with { Route = SpanRoute.Direct });

        Assert.Equal("lightstep", plan.Overlay().At("values.global.proxy.tracer"));
        Assert.Equal(PlanInput.DefaultCacertPath, plan.Overlay().At("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates"));
    }

    [Theory]
    [InlineData("1.27.0")]
    [InlineData("1.30")]
    public void OpenTelemetry_form_for_the_public_product_needs_no_ca_on_the_proxies(string version)
    {
        var plan = PlanBuilder.Build(Public(version) with { Route = SpanRoute.Direct });

        var tls = Assert.IsAssignableFrom<IDictionary<string, object?>>(PortLevelSettings(plan.Istio(PlannedObjectRole.TracingDestinationRule)!)["tls"]);
        Assert.False(tls.ContainsKey("caCertificates"));
        Assert.Empty(plan.SecretNamespaces());
        Assert.False(plan.Overlay().Has("meshConfig.defaultConfig.tracing.tlsSettings"));
    }

    [Theory]
    [InlineData("1.4")]
    [InlineData("1.9.9")]
    [InlineData("1.10.0")]
    [InlineData("1.15.5")]
    public void Forms_before_1_16_create_no_tracing_resources(string version)
    {
        var plan = PlanBuilder.Build(Public(version));

        Assert.All(plan.Objects, o => Assert.Contains(o.Role,
            new[] { PlannedObjectRole.WorkloadNamespace, PlannedObjectRole.CaCertificateSecret, PlannedObjectRole.IstioInstallOverlay, PlannedObjectRole.IngressGatewayCaMount }));
    }

    [Theory]
    [InlineData("1.16.1", "telemetry.istio.io/v1alpha1", "networking.istio.io/v1beta1")]
    [InlineData("1.21.9", "telemetry.istio.io/v1alpha1", "networking.istio.io/v1beta1")]
    [InlineData("1.22.0", "telemetry.istio.io/v1", "networking.istio.io/v1")]
    [InlineData("1.26.3", "telemetry.istio.io/v1", "networking.istio.io/v1")]
    [InlineData("1.27.0", "telemetry.istio.io/v1", "networking.istio.io/v1")]
    [InlineData("1.30", "telemetry.istio.io/v1", "networking.istio.io/v1")]
    public void Tracing_resources_use_v1_apis_from_1_22(string version, string telemetryApi, string networkingApi)
    {
        var plan = PlanBuilder.Build(Public(version) with { Route = SpanRoute.Direct });

        Assert.Equal(telemetryApi, plan.Istio(PlannedObjectRole.TracingTelemetry)!.ApiVersion);
        Assert.Equal(networkingApi, plan.Istio(PlannedObjectRole.TracingServiceEntry)!.ApiVersion);
        Assert.Equal(networkingApi, plan.Istio(PlannedObjectRole.TracingDestinationRule)!.ApiVersion);
        Assert.Equal("install.istio.io/v1alpha1", plan.Overlay().ApiVersion);
        Assert.All(plan.Resources(), r => Assert.True(IstioResource.YamlTypeMap.ContainsKey($"{r.ApiVersion}/{r.Kind}"), $"{r.ApiVersion}/{r.Kind} is not in the type map"));
    }

    [Theory]
    [InlineData("1.16.1", "lightstep", "lightstep")]
    [InlineData("1.26.3", "lightstep", "lightstep")]
    [InlineData("1.27.0", "lightstep-otlp", "opentelemetry")]
    [InlineData("1.30", "lightstep-otlp", "opentelemetry")]
    public void Telemetry_selects_the_extension_provider_the_overlay_defines(string version, string providerName, string providerKind)
    {
        var plan = PlanBuilder.Build(Public(version) with { Route = SpanRoute.Direct });

        var provider = Assert.IsAssignableFrom<IDictionary<string, object?>>(
            Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(plan.Overlay().At("meshConfig.extensionProviders"))));
        Assert.Equal(providerName, provider["name"]);
        Assert.True(provider.ContainsKey(providerKind));
        var tracing = Assert.IsAssignableFrom<IDictionary<string, object?>>(
            Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(plan.Istio(PlannedObjectRole.TracingTelemetry)!.At("tracing"))));
        var selected = Assert.IsAssignableFrom<IDictionary<string, object?>>(Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(tracing["providers"])));
        Assert.Equal(providerName, selected["name"]);
    }

    [Theory]
    [InlineData("1.6")]
    [InlineData("1.10")]
    [InlineData("1.16")]
    [InlineData("1.27")]
    public void Pre_release_suffixes_do_not_change_the_form(string minor)
    {
        var release = IstioFormChoice.For(IstioVersion.Parse(minor + ".0"));
        var beta = IstioFormChoice.For(IstioVersion.Parse(minor + ".0-beta.1"));

        Assert.Equal(release.Form, beta.Form);
    }

    /// <summary>
    /// The direct OpenTelemetry form carries the token in grpc.initialMetadata, which the opentelemetry provider has only
    /// from 1.24 (istio/api#3301): the form must never be chosen for an older release.
    /// </summary>
    [Fact]
    public void The_direct_opentelemetry_form_starts_where_initial_metadata_exists()
    {
        Assert.True(IstioFormChoice.FirstWithoutLightStepProvider >= IstioFormChoice.FirstWithOtlpGrpcInitialMetadata);
        Assert.Equal(IstioForm.LightStepExtensionProvider, IstioFormChoice.For(IstioVersion.Parse("1.24.0")).Form);
        Assert.Equal(IstioForm.LightStepExtensionProvider, IstioFormChoice.For(IstioVersion.Parse("1.26.9")).Form);
        var provider = Assert.IsAssignableFrom<IDictionary<string, object?>>(Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(
            PlanBuilder.Build(Public("1.27.0") with { Route = SpanRoute.Direct }).Overlay().At("meshConfig.extensionProviders"))));
        Assert.True(Assert.IsAssignableFrom<IDictionary<string, object?>>(provider["opentelemetry"]).ContainsKey("grpc"));
    }

    internal static IDictionary<string, object?> PortLevelSettings(IstioResource rule) =>
        Assert.IsAssignableFrom<IDictionary<string, object?>>(
            Assert.Single(Assert.IsAssignableFrom<IEnumerable<object?>>(rule.At("trafficPolicy.portLevelSettings"))));
}
