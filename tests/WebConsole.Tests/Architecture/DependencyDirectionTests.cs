using System.Reflection;
using MeshConsole.Domain.Planning;
using NetArchTest.Rules;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Architecture;

/// <summary>
/// The dependency direction the README's "Layout" section describes, checked on the compiled assemblies (Razor
/// components included): no loop between the feature folders and the layers under them, and a domain without UI or I/O.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly Assembly Web = typeof(ClusterOperations).Assembly;
    private static readonly Assembly Domain = typeof(PlanBuilder).Assembly;

    /// <summary>Every folder whose namespace is a unit of the layering: the draft layer, the shared widgets, each feature.</summary>
    private static IReadOnlyList<string> Units() =>
    [
        "WebConsole.Drafts",
        "WebConsole.Shared",
        .. Web.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith("WebConsole.Features.", StringComparison.Ordinal))
            .Select(ns => string.Join('.', ns.Split('.').Take(3)))
            .Distinct().Order(StringComparer.Ordinal),
    ];

    private static bool DependsOn(string from, string to) =>
        !Types.InAssembly(Web).That().ResideInNamespace(from).ShouldNot().HaveDependencyOn(to).GetResult().IsSuccessful;

    private static Dictionary<string, List<string>> Graph()
    {
        var units = Units();
        return units.ToDictionary(from => from, from => units.Where(to => to != from && DependsOn(from, to)).ToList());
    }

    [Fact]
    public void Feature_folders_the_draft_layer_and_the_shared_widgets_depend_on_each_other_without_loops()
    {
        var graph = Graph();

        var loops = FindLoops(graph);

        Assert.True(loops.Count == 0, "Dependency loops: " + string.Join("; ", loops.Select(l => string.Join(" -> ", l))));
    }

    [Fact]
    public void The_draft_layer_depends_on_no_feature()
    {
        var graph = Graph();

        Assert.Empty(graph["WebConsole.Drafts"]);
    }

    [Fact]
    public void The_check_sees_real_dependencies_so_it_can_fail()
    {
        var graph = Graph();

        // The Apply step drives the pipeline and the Bookinfo step the draft: both are edges the loop search must see.
        Assert.Contains("WebConsole.Features.Cluster", graph["WebConsole.Features.Apply"]);
        Assert.Contains("WebConsole.Drafts", graph["WebConsole.Features.Bookinfo"]);
        Assert.Contains(["WebConsole.Features.Apply", "WebConsole.Features.Cluster", "WebConsole.Features.Apply"],
            FindLoops(new() { ["WebConsole.Features.Apply"] = ["WebConsole.Features.Cluster"], ["WebConsole.Features.Cluster"] = ["WebConsole.Features.Apply"] }));
    }

    public static TheoryData<string> ForbiddenInDomain =>
    [
        "Microsoft.AspNetCore",
        "k8s.IKubernetes",
        "k8s.Kubernetes",
        "System.Net.Http.HttpClient",
        "System.Net.Http.HttpMessageHandler",
        // Sockets that do I/O; the domain may classify a SocketException a request ended with (TrafficError).
        "System.Net.Sockets.Socket",
        "System.Net.Sockets.TcpClient",
        "System.Net.Sockets.UdpClient",
        "System.Net.Sockets.NetworkStream",
        "System.IO.File",
        "System.IO.Directory",
        "System.IO.FileStream",
    ];

    [Theory]
    [MemberData(nameof(ForbiddenInDomain))]
    public void The_domain_has_no_UI_no_cluster_client_and_no_file_or_network_IO(string forbidden)
    {
        var result = Types.InAssembly(Domain).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"MeshConsole.Domain depends on {forbidden}: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_domain_check_sees_a_cluster_client_where_there_is_one()
    {
        // The web assembly's gateway holds an IKubernetes: the same rule must flag it there.
        var result = Types.InAssembly(Web).That().HaveName(nameof(KubeGateway)).ShouldNot().HaveDependencyOn("k8s.IKubernetes").GetResult();
        // ...while the domain's own Kubernetes object types (k8s.IKubernetesObject) are not mistaken for the client.
        var domain = Types.InAssembly(Domain).That().HaveName(nameof(PlannedObject)).ShouldNot().HaveDependencyOn("k8s.IKubernetes").GetResult();

        Assert.False(result.IsSuccessful);
        Assert.True(domain.IsSuccessful);
    }

    /// <summary>Each elementary loop once, as the path from its alphabetically first unit back to it.</summary>
    private static List<List<string>> FindLoops(Dictionary<string, List<string>> graph)
    {
        var loops = new List<List<string>>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            var path = new List<string> { start };
            Walk(start);

            void Walk(string node)
            {
                foreach (var next in graph.GetValueOrDefault(node) ?? [])
                {
                    if (next == start) loops.Add([.. path, start]);
                    else if (!path.Contains(next) && string.CompareOrdinal(next, start) > 0)
                    {
                        path.Add(next);
                        Walk(next);
                        path.RemoveAt(path.Count - 1);
                    }
                }
            }
        }
        return loops;
    }
}
