using k8s;
using k8s.Models;
using MeshConsole.Domain.Cluster;
using WebConsole.Features.Health;

namespace WebConsole.Tests.Packaging;

/// <summary>deploy/kubernetes/console.yaml: what the README promises about the in-cluster install.</summary>
public class KubernetesManifestTests
{
    private static readonly IList<object> Objects =
        KubernetesYaml.LoadAllFromString(Repository.Read("deploy/kubernetes/console.yaml"), strict: true);

    private static V1Deployment Deployment => Objects.OfType<V1Deployment>().Single();
    private static V1Container Container => Deployment.Spec.Template.Spec.Containers.Single();

    [Fact]
    public void Everything_lives_in_the_console_namespace_which_the_file_creates_first()
    {
        Assert.Equal(InClusterRbac.ConsoleNamespace, Assert.IsType<V1Namespace>(Objects[0]).Metadata.Name);
        Assert.All(Objects.Skip(1).Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal(InClusterRbac.ConsoleNamespace, o.Metadata.NamespaceProperty));
        Assert.Equal(InClusterRbac.Name, Objects.OfType<V1ServiceAccount>().Single().Metadata.Name);
        Assert.Equal(InClusterRbac.Name, Deployment.Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void The_pod_runs_unprivileged_on_a_read_only_root_with_a_writable_tmp()
    {
        var pod = Deployment.Spec.Template.Spec;

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        Assert.True(Container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(Container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], Container.SecurityContext.Capabilities.Drop);
        var tmp = Assert.Single(Container.VolumeMounts);
        Assert.Equal("/tmp", tmp.MountPath);
        Assert.NotNull(pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir);
    }

    [Fact]
    public void Resources_are_requested_and_limited()
    {
        foreach (var key in new[] { "cpu", "memory" })
        {
            Assert.True(Container.Resources.Requests.ContainsKey(key), $"no {key} request");
            Assert.True(Container.Resources.Limits.ContainsKey(key), $"no {key} limit");
        }
    }

    [Fact]
    public void Probes_use_the_health_endpoints_on_the_port_the_image_listens_on()
    {
        Assert.Equal(8080, Container.Ports.Single().ContainerPort);
        Assert.Equal(HealthEndpoints.LivenessPath, Container.LivenessProbe.HttpGet.Path);
        Assert.Equal(HealthEndpoints.LivenessPath, Container.StartupProbe.HttpGet.Path);
        Assert.Equal(HealthEndpoints.ReadinessPath, Container.ReadinessProbe.HttpGet.Path);
        // /readyz may take the whole API server budget before it answers.
        Assert.True(Container.ReadinessProbe.TimeoutSeconds > KubeApiServerHealthCheck.Budget.TotalSeconds);
    }

    [Fact]
    public void Sign_in_is_required_and_the_service_is_cluster_internal()
    {
        Assert.Contains(Container.Env, e => e is { Name: "Console__Access__Mode", Value: "AccessKey" });
        var service = Objects.OfType<V1Service>().Single();
        Assert.Equal("ClusterIP", service.Spec.Type);
        var port = service.Spec.Ports.Single();
        Assert.Equal((80, "http"), (port.Port, port.TargetPort.Value));
        Assert.Equal(Deployment.Spec.Selector.MatchLabels, service.Spec.Selector);
    }
}
