using System.Globalization;
using k8s.Models;
using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// From Istio 1.8 the ingress gateway verifies the satellites with the same TLS settings as the sidecars, but the
/// injector mounts Secret lightstep.cacert only into sidecars. So when TLS is on and a CA was given, the plan also
/// puts the Secret into istio-system and mounts it into istio-ingressgateway through an IstioOperator k8s overlay.
/// The public OTLP endpoint (Istio 1.16 and later) is verified against public roots and needs no mount.
/// </summary>
public class GatewayCaMountTests
{
    private static PlanInput Input(LightStepProduct product, string version, bool secure, bool withCa) =>
        product == LightStepProduct.PublicTracing
            ? Public(version, withCa) with { Secure = secure }
            : OnPrem(version, "lightstep-satellite.lightstep:9292", secure) with { CaCertificatePem = withCa ? CaPem : null };

    /// <summary>The whole rule: secure, a CA, Istio 1.8 or later, and not the public product from 1.16.</summary>
    public static TheoryData<LightStepProduct, string, bool, bool, bool> GatewayMountRule => new()
    {
        // product, version, secure, CA given, gateway gets the CA
        { LightStepProduct.OnPremSatellites, "1.7", true, true, false },   // before 1.8 secure/cacertPath do not reach the gateway
        { LightStepProduct.OnPremSatellites, "1.8.0", true, true, true },  // first release with tracing.tlsSettings
        { LightStepProduct.OnPremSatellites, "1.9", true, true, true },
        { LightStepProduct.OnPremSatellites, "1.9", false, true, false },  // no TLS: nothing to verify
        { LightStepProduct.OnPremSatellites, "1.14", true, true, true },
        { LightStepProduct.OnPremSatellites, "1.20", true, true, true },
        { LightStepProduct.OnPremSatellites, "1.28", true, true, true },
        { LightStepProduct.OnPremSatellites, "1.28", false, true, false },
        { LightStepProduct.PublicTracing, "1.5", true, true, false },
        { LightStepProduct.PublicTracing, "1.9", true, true, true },
        { LightStepProduct.PublicTracing, "1.9", true, false, false },     // CA skipped: no Secret to mount
        { LightStepProduct.PublicTracing, "1.15.5", true, true, true },
        { LightStepProduct.PublicTracing, "1.16.0", true, true, false },   // public OTLP endpoint, public roots
        { LightStepProduct.PublicTracing, "1.20", true, true, false },
        { LightStepProduct.PublicTracing, "1.28", true, true, false },
    };

    [Theory]
    [MemberData(nameof(GatewayMountRule))]
    public void Ingress_gateway_gets_the_ca_only_when_it_must_verify_the_satellites_with_it(
        LightStepProduct product, string version, bool secure, bool withCa, bool gatewayGetsCa)
    {
        var plan = PlanBuilder.Build(Input(product, version, secure, withCa));

        var expectedSecrets = !withCa ? [] : gatewayGetsCa ? new[] { "default", "istio-system" } : ["default"];
        Assert.Equal(expectedSecrets, plan.SecretNamespaces());
        Assert.Equal(gatewayGetsCa, plan.Overlay().Has("components"));
        Assert.Equal(gatewayGetsCa, plan.Notes.Any(n => n.Code == "Note.GatewayCaMount"));
        Assert.Equal(gatewayGetsCa, PlanRenderer.ManifestsYaml(plan).Contains("istio-ingressgateway", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LightStepProduct.OnPremSatellites, "1.9")]
    [InlineData(LightStepProduct.PublicTracing, "1.14")]
    [InlineData(LightStepProduct.OnPremSatellites, "1.20")]
    [InlineData(LightStepProduct.OnPremSatellites, "1.28")]
    public void Ingress_gateway_mounts_secret_lightstep_cacert_at_the_cacert_directory(LightStepProduct product, string version)
    {
        var plan = PlanBuilder.Build(Input(product, version, secure: true, withCa: true));
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
        Assert.DoesNotContain(plan.Commands, c => c.Code == "Command.IstioctlSet");
        Assert.DoesNotContain("--set", plan.AllCommands());
        Assert.Contains($"accessToken: {Token}\n", istioctl.Script);
        Assert.Contains("secretName: lightstep.cacert\n", istioctl.Script);
    }

    public static TheoryData<LightStepProduct, string, bool, bool> SetFlagCases => new()
    {
        // product, version, secure, CA given
        { LightStepProduct.OnPremSatellites, "1.9", false, true },   // no TLS
        { LightStepProduct.OnPremSatellites, "1.14", false, true },  // no TLS
        { LightStepProduct.OnPremSatellites, "1.7", true, true },    // the gateway does not use tlsSettings yet
        { LightStepProduct.PublicTracing, "1.5", true, true },       // istioctl manifest apply
        { LightStepProduct.PublicTracing, "1.9", true, false },      // CA skipped
    };

    [Theory]
    [MemberData(nameof(SetFlagCases))]
    public void Values_and_mesh_config_forms_pass_every_setting_as_set_flags_when_the_gateway_needs_no_ca(
        LightStepProduct product, string version, bool secure, bool withCa)
    {
        var plan = PlanBuilder.Build(Input(product, version, secure, withCa));

        var istioctl = plan.IstioctlStep();
        Assert.Equal("Command.IstioctlSet", istioctl.Code);
        var lines = istioctl.Script.Split('\n');
        var verb = IstioVersion.Parse(version) < new IstioVersion(1, 6, 0) ? "istioctl manifest apply" : "istioctl install";
        Assert.Equal(verb + " ${base_overlay[@]+\"${base_overlay[@]}\"} \\", lines[0]);
        Assert.All(lines[1..^1], l => Assert.StartsWith("  --set ", l));
        Assert.All(lines[1..^1], l => Assert.EndsWith(" \\", l));
        Assert.StartsWith("  --set ", lines[^1]);
        var flags = lines[1..].Select(l => l["  --set ".Length..].TrimEnd('\\').TrimEnd()).ToList();
        Assert.Equal(Leaves(plan.Overlay()), flags);
        Assert.DoesNotContain(" -f ", istioctl.Script);
        Assert.DoesNotContain("lightstep-tracing.yaml", plan.AllCommands());
        Assert.False(plan.Overlay().Has("components"));
        Assert.DoesNotContain("istio-system", plan.SecretNamespaces());
    }

    /// <summary>The overlay's settings as path=value, the way --set writes them (plain values need no quoting).</summary>
    private static List<string> Leaves(IstioResource overlay)
    {
        var leaves = new List<string>();
        void Walk(string prefix, object? node)
        {
            if (node is IDictionary<string, object?> map)
            {
                foreach (var (key, value) in map) Walk(prefix.Length == 0 ? key : $"{prefix}.{key}", value);
                return;
            }
            var text = node switch
            {
                bool b => b ? "true" : "false",
                decimal d => d.ToString("0.##", CultureInfo.InvariantCulture),
                _ => Convert.ToString(node, CultureInfo.InvariantCulture) ?? "",
            };
            leaves.Add($"{prefix}={PlanBuilder.ShellQuote(text)}");
        }
        Walk("", overlay.Spec);
        return leaves;
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
