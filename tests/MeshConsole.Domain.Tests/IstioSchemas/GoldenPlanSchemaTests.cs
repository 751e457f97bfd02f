using k8s;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Tests.Planning;
using YamlDotNet.RepresentationModel;

namespace MeshConsole.Domain.Tests.IstioSchemas;

/// <summary>
/// Every Istio custom resource in every golden plan (and the Bookinfo plan) passes the CRD schemas Istio ships for the
/// plan's minor (tests/IstioSchemas, see SOURCES.md), as a real API server with those CRDs would check it. The
/// IstioOperator overlay is not checked: its CRD has no schema for spec in any release (SOURCES.md).
/// </summary>
public class GoldenPlanSchemaTests
{
    public static TheoryData<string> CaseNames => PlanGoldenTests.CaseNames;

    private static readonly Dictionary<string, CrdSchemaValidator> Validators = [];

    private static CrdSchemaValidator ValidatorFor(IstioVersion version)
    {
        lock (Validators)
        {
            if (!Validators.TryGetValue(version.MinorString, out var validator))
                Validators[version.MinorString] = validator = CrdSchemaValidator.ForMinor(version.MinorString);
            return validator;
        }
    }

    private static YamlMappingNode Node(IKubernetesObject<k8s.Models.V1ObjectMeta> resource)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(KubernetesYaml.Serialize(resource)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Istio_resources_match_the_crd_schemas_of_their_release(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);
        var validator = ValidatorFor(plan.FormChoice.Version);

        var resources = plan.Objects.Select(o => o.Resource).OfType<IstioResource>().Where(r => r.Kind != "IstioOperator").ToList();

        foreach (var resource in resources)
        {
            Assert.True(validator.Knows(resource.ApiVersion, resource.Kind), $"{resource.ApiVersion}/{resource.Kind} is not served by Istio {plan.FormChoice.Version.MinorString}");
            Assert.Empty(validator.Validate(Node(resource)));
        }
    }

    [Fact]
    public void Bookinfo_gateway_and_virtual_service_match_the_crd_schemas_of_every_golden_release()
    {
        foreach (var version in PlanGoldenTests.Cases.Values.Select(c => c.IstioVersion).Distinct())
        {
            var plan = PlanBuilder.BuildBookinfo(new MeshConsole.Domain.Bookinfo.BookinfoInput("bookinfo", version));
            var validator = ValidatorFor(version);
            foreach (var resource in plan.Objects.Select(o => o.Resource).OfType<IstioResource>())
                Assert.True(validator.Validate(Node(resource)).Count == 0,
                    $"{version} {resource.Kind}: {string.Join("; ", validator.Validate(Node(resource)))}");
        }
    }

    [Fact]
    public void The_validator_rejects_unknown_and_mistyped_fields_like_an_api_server()
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases["istio-1.26-onprem-external-host-direct"]);
        var rule = plan.Objects.Select(o => o.Resource).OfType<IstioResource>().Single(r => r.Kind == "DestinationRule");
        var telemetry = plan.Objects.Select(o => o.Resource).OfType<IstioResource>().Single(r => r.Kind == "Telemetry");
        var validator = ValidatorFor(plan.FormChoice.Version);

        var misspelled = Node(rule);
        var tls = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)misspelled["spec"])["trafficPolicy"])["portLevelSettings"])[0])["tls"];
        tls.Add("caCertificate", "/etc/lightstep/cacert.pem");
        var mistyped = Node(telemetry);
        var tracing = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)mistyped["spec"])["tracing"])[0];
        tracing.Children[new YamlScalarNode("randomSamplingPercentage")] = new YamlScalarNode("all") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };

        Assert.Empty(validator.Validate(Node(rule)));
        Assert.Equal(["spec.trafficPolicy.portLevelSettings[0].tls.caCertificate: unknown field"], validator.Validate(misspelled));
        Assert.Equal(["spec.tracing[0].randomSamplingPercentage: expected a number"], validator.Validate(mistyped));
    }

    [Fact]
    public void Before_1_22_the_v1_apis_are_not_served()
    {
        var validator = ValidatorFor(new IstioVersion(1, 16, 0));

        Assert.True(validator.Knows("telemetry.istio.io/v1alpha1", "Telemetry"));
        Assert.False(validator.Knows("telemetry.istio.io/v1", "Telemetry"));
        Assert.True(ValidatorFor(new IstioVersion(1, 22, 0)).Knows("telemetry.istio.io/v1", "Telemetry"));
    }
}
