using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// Server-side apply removes the fields a field manager applied before and omits now (kubernetes.io, "Server-Side
/// Apply", field management). Two parts of the console applying different fields of one object under one manager
/// undo each other, as a session rejoin once removed Bookinfo's istio-injection label. Every plan source is built
/// here aimed at the same namespace, so any object two sources share shows up.
/// </summary>
public sealed class FieldManagerTests
{
    private const string Shared = "bookinfo-alice";

    private static readonly IstioVersion[] Versions = [new(1, 5, 0), new(1, 14, 3), new(1, 28, 0)];

    private static readonly IReadOnlyDictionary<string, string>?[] InjectionLabels =
    [
        null,
        new Dictionary<string, string> { [SidecarInjection.InjectionLabel] = SidecarInjection.EnabledValue },
        new Dictionary<string, string> { [SidecarInjection.RevisionLabel] = "canary" },
    ];

    /// <summary>Every plan builder, over the inputs that shape its objects, with the namespace of a session participant.</summary>
    private static IEnumerable<(string Source, Plan Plan)> Sources()
    {
        foreach (var input in CaMountInvariantTests.AllInputs().Select(i => i with { Namespaces = [Shared, "default"] }))
            if (PlanBuilder.Refusal(input) is null)
                yield return ("mesh-wide plan", PlanBuilder.Build(input));
        foreach (var version in Versions)
        {
            foreach (var labels in InjectionLabels)
                yield return ("Bookinfo", PlanBuilder.BuildBookinfo(new BookinfoInput(Shared, version) { NamespaceLabels = labels }));
            foreach (var pem in new[] { null, PlanningFixtures.CaPem })
                yield return ("participant namespace", PlanBuilder.BuildParticipantNamespace(Shared, "s1", pem, version));
        }
    }

    private static string Identity(PlannedObject o) => $"{o.Resource.ApiVersion} {o.DisplayName}";

    [Fact]
    public void No_two_plan_sources_apply_one_object_under_one_field_manager()
    {
        var sourcesByManagedObject = Sources()
            .SelectMany(s => s.Plan.Objects.Where(o => o.AppliedWith == ApplyTool.Kubectl).Select(o => (Key: (s.Plan.FieldManager, Identity(o)), s.Source)))
            .GroupBy(x => x.Key, x => x.Source)
            .ToDictionary(g => g.Key, g => g.Distinct().Order(StringComparer.Ordinal).ToList());

        var shared = sourcesByManagedObject.Where(kv => kv.Value.Count > 1).Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}").ToList();
        Assert.True(shared.Count == 0, "Applied by more than one part under one field manager:\n" + string.Join("\n", shared));
        // The namespace and its CA Secret are written by several sources: each under a manager of its own.
        Assert.Contains(("lightstep-console-bookinfo", $"v1 Namespace/{Shared}"), sourcesByManagedObject.Keys);
        Assert.Contains(("lightstep-console-session", $"v1 Namespace/{Shared}"), sourcesByManagedObject.Keys);
        Assert.Contains(("lightstep-console", $"v1 Secret/{PlanBuilder.SecretName} -n {Shared}"), sourcesByManagedObject.Keys);
        Assert.Contains(("lightstep-console-session", $"v1 Secret/{PlanBuilder.SecretName} -n {Shared}"), sourcesByManagedObject.Keys);
    }

    [Fact]
    public void Each_plan_source_has_its_own_known_field_manager_and_install_commands_name_it()
    {
        var managers = Sources().GroupBy(s => s.Source).ToDictionary(g => g.Key, g => g.Select(s => s.Plan.FieldManager).Distinct().ToList());

        Assert.All(managers.Values, m => Assert.Single(m));
        Assert.Equal(managers.Count, managers.Values.Select(m => m[0]).Distinct().Count());
        Assert.All(managers.Values, m => Assert.Contains(m[0], FieldManagers.All));
        Assert.Equal(FieldManagers.All.Count, FieldManagers.All.Distinct().Count());
        foreach (var (_, plan) in Sources().DistinctBy(s => s.Source))
            Assert.All(plan.Commands.Where(c => c.Script.Contains("kubectl apply", StringComparison.Ordinal)),
                c => Assert.Contains($"--field-manager={plan.FieldManager} ", c.Script, StringComparison.Ordinal));
    }
}
