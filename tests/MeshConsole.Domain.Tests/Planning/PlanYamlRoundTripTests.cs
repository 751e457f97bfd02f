using k8s;
using k8s.Models;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// What the console writes must read back as the same objects: dry-run, diff and apply load manifests.yaml with
/// <see cref="IstioResource.YamlTypeMap"/>.
/// </summary>
public class PlanYamlRoundTripTests
{
    public static TheoryData<string> CaseNames => PlanGoldenTests.CaseNames;

    private static Plan PlanFor(string name) => PlanBuilder.Build(PlanGoldenTests.Cases[name]);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Every_plan_object_reads_back_as_the_same_type_and_serializes_identically(string name)
    {
        foreach (var resource in PlanFor(name).Resources())
        {
            var yaml = KubernetesYaml.Serialize(resource);

            var loaded = Assert.Single(KubernetesYaml.LoadAllFromString(yaml, IstioResource.YamlTypeMap));

            Assert.IsType(resource.GetType(), loaded);
            Assert.Equal(yaml, KubernetesYaml.Serialize(loaded));
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Manifests_yaml_parses_into_the_plan_objects_in_order(string name)
    {
        var plan = PlanFor(name);

        var loaded = KubernetesYaml.LoadAllFromString(PlanRenderer.ManifestsYaml(plan), IstioResource.YamlTypeMap);

        Assert.Equal(plan.Objects.Count, loaded.Count);
        for (var i = 0; i < loaded.Count; i++)
        {
            var expected = plan.Objects[i].Resource;
            var actual = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(loaded[i]);
            Assert.IsType(expected.GetType(), actual);
            Assert.Equal((expected.ApiVersion, expected.Kind, expected.Metadata.Name, expected.Metadata.NamespaceProperty),
                (actual.ApiVersion, actual.Kind, actual.Metadata.Name, actual.Metadata.NamespaceProperty));
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Manifests_yaml_survives_a_load_and_render_cycle_unchanged(string name)
    {
        var manifests = PlanRenderer.ManifestsYaml(PlanFor(name));

        var reloaded = KubernetesYaml.LoadAllFromString(manifests, IstioResource.YamlTypeMap).Cast<IKubernetesObject<V1ObjectMeta>>();

        Assert.Equal(manifests, PlanRenderer.Yaml(reloaded));
    }

    [Fact]
    public void Secret_data_reads_back_as_the_exact_ca_pem()
    {
        var plan = PlanBuilder.Build(PlanningFixtures.Public("1.9"));

        var secret = Assert.Single(KubernetesYaml.LoadAllFromString(PlanRenderer.ManifestsYaml(plan), IstioResource.YamlTypeMap).OfType<V1Secret>(),
            s => s.Metadata.NamespaceProperty == "default");

        Assert.Equal(PlanningFixtures.CaPem, System.Text.Encoding.UTF8.GetString(secret.Data[PlanBuilder.SecretKey]));
    }
}
