using k8s.Models;
using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// The ingress gateway verifies the satellites with the same CA file as the sidecars, but the injector mounts Secret
/// lightstep.cacert only into sidecars and no istioctl-rendered gateway Deployment has that volume. So when TLS to an
/// on-prem pool (or, before 1.16, any satellite) is verified with the uploaded CA, the plan also puts the Secret into
/// istio-system and mounts it into istio-ingressgateway: through the IstioOperator k8s overlay for istioctl, and as a
/// server-side-applied volume for the console. The public OTLP endpoint (1.16.1 and later) is verified against public
/// roots and the collector route exports plain OTLP in the cluster: neither needs a mount.
/// </summary>
public class GatewayCaMountTests
{
    private static PlanInput Input(LightStepProduct product, string version, bool secure, bool withCa) =>
        product == LightStepProduct.PublicTracing
            ? Public(version, withCa) with { Secure = secure }
            : OnPrem(version, "lightstep-satellite.lightstep:9292", secure) with { CaCertificatePem = withCa ? CaPem : null };

    /// <summary>The whole rule: the gateway's proxy is pointed at the CA file.</summary>
    public static TheoryData<LightStepProduct, string, bool, bool, bool> GatewayMountRule => new()
    {
        // product, version, secure, CA given, gateway gets the CA
        { LightStepProduct.OnPremSatellites, "1.5", true, true, true },    // cacertPath reaches the gateway through mesh config
        { LightStepProduct.OnPremSatellites, "1.7", true, true, true },    // tracing.tlsSettings from 1.6
        { LightStepProduct.OnPremSatellites, "1.9", true, true, true },
        { LightStepProduct.OnPremSatellites, "1.9", false, true, false },  // no TLS: nothing to verify
        { LightStepProduct.OnPremSatellites, "1.14", true, true, true },
        { LightStepProduct.OnPremSatellites, "1.20", true, true, false },  // default route: the collector holds the CA
        { LightStepProduct.OnPremSatellites, "1.28", true, true, false },
        { LightStepProduct.OnPremSatellites, "1.28", false, true, false },
        { LightStepProduct.PublicTracing, "1.5", true, true, true },
        { LightStepProduct.PublicTracing, "1.9", true, true, true },
        { LightStepProduct.PublicTracing, "1.15.5", true, true, true },
        { LightStepProduct.PublicTracing, "1.16.1", true, true, false },   // public OTLP endpoint, public roots
        { LightStepProduct.PublicTracing, "1.20", true, true, false },
        { LightStepProduct.PublicTracing, "1.28", true, true, false },
    };

    [Theory]
    [MemberData(nameof(GatewayMountRule))]
    public void Ingress_gateway_gets_the_ca_only_when_it_must_verify_the_satellites_with_it(
        LightStepProduct product, string version, bool secure, bool withCa, bool gatewayGetsCa)
    {
        var plan = PlanBuilder.Build(Input(product, version, secure, withCa));

        Assert.Equal(gatewayGetsCa, plan.SecretNamespaces().Contains("istio-system"));
        Assert.Equal(gatewayGetsCa, plan.Overlay().Has("components"));
        Assert.Equal(gatewayGetsCa, plan.Notes.Any(n => n.Code == "Note.GatewayCaMount"));
        Assert.Equal(gatewayGetsCa, plan.Objects.Any(o => o.Role == PlannedObjectRole.IngressGatewayCaMount));
        Assert.Equal(gatewayGetsCa, PlanRenderer.ManifestsYaml(plan).Contains("istio-ingressgateway", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LightStepProduct.OnPremSatellites, "1.9")]
    [InlineData(LightStepProduct.PublicTracing, "1.14")]
    [InlineData(LightStepProduct.OnPremSatellites, "1.20")]
    [InlineData(LightStepProduct.OnPremSatellites, "1.26")]
    public void Ingress_gateway_mounts_secret_lightstep_cacert_at_the_cacert_directory(LightStepProduct product, string version)
    {
        var plan = PlanBuilder.Build(Input(product, version, secure: true, withCa: true) with { Route = SpanRoute.Direct });
        var overlay = plan.Overlay();

        var gateway = AsMap(Assert.Single(AsList(overlay.At("components.ingressGateways"))));
        Assert.Equal(["name", "enabled", "k8s"], gateway.Keys);
        Assert.Equal("istio-ingressgateway", gateway["name"]);
        Assert.Equal(true, gateway["enabled"]);
        var k8s = AsMap(gateway["k8s"]);
        var deployment = AsMap(Assert.Single(AsList(k8s["overlays"])));
        Assert.Equal("Deployment", deployment["kind"]);
        Assert.Equal("istio-ingressgateway", deployment["name"]);
        var patches = AsList(deployment["patches"]).Select(AsMap).ToList();
        Assert.Equal(2, patches.Count);

        Assert.Equal("spec.template.spec.containers[0].volumeMounts[-1]", patches[0]["path"]);
        var mount = AsMap(patches[0]["value"]);
        Assert.Equal(["name", "mountPath", "readOnly"], mount.Keys);
        Assert.Equal(("lightstep-certs", "/etc/lightstep", true), (mount["name"], mount["mountPath"], mount["readOnly"]));

        Assert.Equal("spec.template.spec.volumes[-1]", patches[1]["path"]);
        var volume = AsMap(patches[1]["value"]);
        Assert.Equal(["name", "secret"], volume.Keys);
        Assert.Equal("lightstep-certs", volume["name"]);
        var secret = AsMap(volume["secret"]);
        Assert.Equal(["secretName", "optional"], secret.Keys);
        Assert.Equal(("lightstep.cacert", true), (secret["secretName"], secret["optional"]));

        Assert.EndsWith(GatewayComponentsYaml, PlanRenderer.Yaml([overlay]));
        var note = Assert.Single(plan.Notes, n => n.Code == "Note.GatewayCaMount");
        Assert.Equal(["istio-system", "/etc/lightstep"], note.Arguments);
    }

    [Theory]
    [InlineData("/etc/lightstep/cacert.pem", "/etc/lightstep")]
    [InlineData("/var/run/secrets/lightstep/ca.pem", "/var/run/secrets/lightstep")]
    [InlineData("/ca.pem", "/")]
    public void Gateway_mount_path_is_the_directory_that_holds_the_cacert_file(string cacertPath, string directory)
    {
        var plan = PlanBuilder.Build(OnPrem("1.9", "lightstep-satellite.lightstep:9292") with { CacertPath = cacertPath });

        var mount = AsMap(Patches(plan.Overlay())[0]["value"]);
        Assert.Equal(directory, mount["mountPath"]);
        Assert.Equal(cacertPath, plan.Overlay().At("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates"));
        Assert.Equal(["istio-system", directory], Assert.Single(plan.Notes, n => n.Code == "Note.GatewayCaMount").Arguments);
    }

    [Fact]
    public void Gateway_ca_secret_is_added_in_istio_system_after_the_namespaces_entered()
    {
        var plan = PlanBuilder.Build(OnPrem("1.9", "lightstep-satellite.lightstep:9292") with { Namespaces = ["shop", "bookinfo"] });

        Assert.Equal(["shop", "bookinfo", "istio-system"], plan.SecretNamespaces());
        var gatewaySecret = Assert.IsType<V1Secret>(plan.Objects[2].Resource);
        Assert.Equal(("lightstep.cacert", "Opaque"), (gatewaySecret.Metadata.Name, gatewaySecret.Type));
        Assert.Equal(CaPem, System.Text.Encoding.UTF8.GetString(gatewaySecret.Data["cacert.pem"]));
        var apply = Assert.Single(plan.Commands, c => c.Code == "Command.ApplySecrets");
        Assert.Same(plan.Commands[0], apply);
        Assert.True(apply.Script.IndexOf("namespace: bookinfo", StringComparison.Ordinal) < apply.Script.IndexOf("namespace: istio-system", StringComparison.Ordinal));
        // Only the namespaces entered have workloads to restart; the gateway is restarted by istioctl.
        Assert.Equal(["shop bookinfo"], Assert.Single(plan.Notes, n => n.Code == "Note.RestartWorkloads").Arguments);
    }

    [Fact]
    public void Gateway_ca_secret_is_not_planned_twice_when_istio_system_was_entered()
    {
        var plan = PlanBuilder.Build(OnPrem("1.9", "lightstep-satellite.lightstep:9292") with { Namespaces = ["bookinfo", "istio-system", "default"] });

        Assert.Equal(["bookinfo", "istio-system", "default"], plan.SecretNamespaces());
        Assert.True(plan.Overlay().Has("components.ingressGateways"));
    }

    [Theory]
    [InlineData("1.8.0")]
    [InlineData("1.9")]
    [InlineData("1.10")]
    [InlineData("1.14")]
    public void Values_and_mesh_config_forms_write_an_overlay_file_when_the_gateway_needs_the_ca(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "lightstep-satellite.lightstep:9292"));

        var istioctl = plan.IstioctlStep();
        Assert.Equal("Command.IstioctlOverlay", istioctl.Code);
        Assert.Equal(
            "cat > \"$workdir/lightstep-tracing.yaml\" <<'YAML'\n" + PlanRenderer.Yaml([plan.Overlay()]) + "YAML\n" +
            "istioctl install ${base_overlay[@]+\"${base_overlay[@]}\"} -f \"$workdir/lightstep-tracing.yaml\"",
            istioctl.Script);
        Assert.DoesNotContain("--set", plan.AllCommands());
        Assert.Contains($"accessToken: {Token}\n", istioctl.Script);
        Assert.Contains("secretName: lightstep.cacert\n", istioctl.Script);
    }

    [Fact]
    public void The_console_applies_the_gateway_mount_itself_as_a_merge_of_the_volume_and_the_proxy_mount()
    {
        var plan = PlanBuilder.Build(OnPrem("1.9", "lightstep-satellite.lightstep:9292"));

        var mount = Assert.Single(plan.Objects, o => o.Role == PlannedObjectRole.IngressGatewayCaMount);
        Assert.Equal(ApplyTool.Istioctl, mount.AppliedWith);
        var deployment = Assert.IsType<V1Deployment>(mount.Resource);
        Assert.Equal(("istio-ingressgateway", "istio-system"), (deployment.Metadata.Name, deployment.Metadata.NamespaceProperty));
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("istio-proxy", container.Name);
        Assert.Null(container.Image);
        var volumeMount = Assert.Single(container.VolumeMounts);
        Assert.Equal(("lightstep-certs", "/etc/lightstep", true), (volumeMount.Name, volumeMount.MountPath, volumeMount.ReadOnlyProperty));
        var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes);
        Assert.Equal(("lightstep-certs", "lightstep.cacert", true), (volume.Name, volume.Secret.SecretName, volume.Secret.Optional));
        // install.sh leaves it to istioctl's overlay: applied before istioctl, it would try to create a gateway.
        Assert.DoesNotContain("name: istio-proxy", plan.AllCommands());
    }

    [Theory]
    [InlineData("1.4", false)]
    [InlineData("1.5", true)]
    [InlineData("1.9", false)]
    [InlineData("1.14", true)]
    public void Istioctl_always_reads_an_overlay_file_so_the_token_is_never_a_command_line_argument(string version, bool secure)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "lightstep-satellite.lightstep:9292", secure));

        var istioctl = plan.IstioctlStep();
        Assert.Equal("Command.IstioctlOverlay", istioctl.Code);
        Assert.DoesNotContain("--set", plan.AllCommands());
        var istioctlLine = Assert.Single(istioctl.Script.Split('\n'), l => l.StartsWith("istioctl ", StringComparison.Ordinal));
        Assert.DoesNotContain(Token, istioctlLine);
        Assert.Contains($"accessToken: {Token}\n", istioctl.Script);
    }

    private const string GatewayComponentsYaml = """
          components:
            ingressGateways:
            - name: istio-ingressgateway
              enabled: true
              k8s:
                overlays:
                - kind: Deployment
                  name: istio-ingressgateway
                  patches:
                  - path: spec.template.spec.containers[0].volumeMounts[-1]
                    value:
                      name: lightstep-certs
                      mountPath: /etc/lightstep
                      readOnly: true
                  - path: spec.template.spec.volumes[-1]
                    value:
                      name: lightstep-certs
                      secret:
                        secretName: lightstep.cacert
                        optional: true

        """;

    private static List<IDictionary<string, object?>> Patches(IstioResource overlay)
    {
        var gateway = AsMap(Assert.Single(AsList(overlay.At("components.ingressGateways"))));
        var deployment = AsMap(Assert.Single(AsList(AsMap(gateway["k8s"])["overlays"])));
        return AsList(deployment["patches"]).Select(AsMap).ToList();
    }

    private static IDictionary<string, object?> AsMap(object? node) => Assert.IsAssignableFrom<IDictionary<string, object?>>(node);

    private static List<object?> AsList(object? node) => Assert.IsAssignableFrom<IEnumerable<object?>>(node).ToList();
}
