using k8s.Models;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Cluster.ClusterFixtures;

namespace MeshConsole.Domain.Tests.Cluster;

public class IstioInstallationDetectorTests
{
    [Theory]
    [InlineData("docker.io/istio/pilot:1.14.3", "1.14.3", "1.14.3")]
    [InlineData("gcr.io/istio-release/pilot:1.9.5-distroless", "1.9.5-distroless", "1.9.5")]
    [InlineData("docker.io/istio/pilot:1.20.0-beta.1", "1.20.0-beta.1", "1.20.0")]
    [InlineData("registry.example.com:5000/mirror/istio/pilot:1.17.2", "1.17.2", "1.17.2")]
    [InlineData("docker.io/istio/pilot:1.16.1@sha256:4f6b2b8e0e8e0f3a0b7a4dc1f1a0b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d", "1.16.1", "1.16.1")]
    [InlineData("gcr.io/gke-release/asm/pilot:1.18.2-asm.4", "1.18.2-asm.4", "1.18.2")]
    [InlineData("docker.io/istio/pilot:1.11", "1.11", "1.11.0")]
    [InlineData("docker.io/istio/pilot@sha256:4f6b2b8e0e8e0f3a0b7a4dc1f1a0b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d", null, null)]
    [InlineData("docker.io/istio/pilot:latest", "latest", null)]
    [InlineData("registry.example.com:5000/istio/pilot", null, null)]
    [InlineData("registry.redhat.io/openshift-service-mesh/pilot-rhel8:2.4.5", "2.4.5", null)]
    [InlineData("docker.io/istio/pilot:release-1.20-latest", "release-1.20-latest", null)]
    public void Version_comes_from_the_discovery_image_tag(string image, string? tag, string? version)
    {
        var installation = IstioInstallationDetector.Detect([Istiod(image)], []);

        Assert.NotNull(installation);
        Assert.Equal(tag, installation.ImageTag);
        Assert.Equal(version is null ? null : IstioVersion.Parse(version), installation.Version);
        Assert.Equal(("istio-system", "istiod"), (installation.Namespace, installation.ControlPlaneDeployment));
    }

    [Fact]
    public void Before_1_5_the_control_plane_is_istio_pilot_and_the_version_comes_from_its_discovery_container()
    {
        var installation = IstioInstallationDetector.Detect([Workload("default", "productpage"), IstioPilot("1.4.6")], []);

        Assert.NotNull(installation);
        Assert.Equal(("istio-system", "istio-pilot", "1.4.6"), (installation.Namespace, installation.ControlPlaneDeployment, installation.ImageTag));
        Assert.Equal(new IstioVersion(1, 4, 6), installation.Version);
    }

    [Fact]
    public void A_pilot_labelled_only_istio_pilot_is_found_too()
    {
        var pilot = IstioPilot("1.3.8");
        pilot.Metadata.Labels.Remove("app");

        Assert.Equal("istio-pilot", IstioInstallationDetector.Detect([pilot], [])?.ControlPlaneDeployment);
    }

    [Fact]
    public void No_control_plane_means_no_installation()
    {
        Assert.Null(IstioInstallationDetector.Detect([Workload("default", "reviews"), IstioOperatorDeployment()], [ReconciledIop("control-plane")]));
        Assert.Null(IstioInstallationDetector.Detect([], []));
    }

    [Fact]
    public void A_revisioned_istiod_is_a_control_plane()
    {
        var installation = IstioInstallationDetector.Detect([Istiod("docker.io/istio/pilot:1.20.3", name: "istiod-1-20-3", revision: "1-20-3")], []);

        Assert.Equal(("istiod-1-20-3", "1.20.3", "1-20-3"), (installation?.ControlPlaneDeployment, installation?.Version.ToString(), installation?.Revision));
        Assert.Equal("istio-1-20-3", LiveIstioSettings.MeshConfigMapFor(installation?.Revision));
        Assert.Equal("istio-sidecar-injector-1-20-3", LiveIstioSettings.InjectorConfigMapFor(installation?.Revision));
    }

    [Fact]
    public void The_default_revision_has_no_revision_and_reads_the_plain_configmaps()
    {
        var installation = IstioInstallationDetector.Detect([Istiod("docker.io/istio/pilot:1.20.3")], []);

        Assert.Null(installation?.Revision);
        Assert.Equal("istio", LiveIstioSettings.MeshConfigMapFor(installation?.Revision));
        Assert.Equal("istio-sidecar-injector", LiveIstioSettings.InjectorConfigMapFor("default"));
    }

    public static TheoryData<string, V1Deployment[], string, string> ControlPlaneChoices => new()
    {
        {
            "istio-system before other namespaces",
            [Istiod("docker.io/istio/pilot:1.19.0", ns: "asm-system"), Istiod("docker.io/istio/pilot:1.18.1")],
            "istio-system", "istiod"
        },
        {
            "istiod before a leftover pilot",
            [IstioPilot("1.4.6"), Istiod("docker.io/istio/pilot:1.6.14")],
            "istio-system", "istiod"
        },
        {
            "the default revision during a canary upgrade",
            [Istiod("docker.io/istio/pilot:1.21.0", name: "istiod-1-21-0", revision: "1-21-0"), Istiod("docker.io/istio/pilot:1.20.3")],
            "istio-system", "istiod"
        },
        {
            "by name when nothing else decides",
            [Istiod("docker.io/istio/pilot:1.21.0", name: "istiod-canary", revision: "canary"), Istiod("docker.io/istio/pilot:1.20.3", name: "istiod-blue", revision: "blue")],
            "istio-system", "istiod-blue"
        },
        {
            "any namespace when istio-system has none",
            [Workload("istio-system", "kiali"), Istiod("docker.io/istio/pilot:1.19.0", ns: "mesh")],
            "mesh", "istiod"
        },
    };

    [Theory]
    [MemberData(nameof(ControlPlaneChoices))]
    public void The_control_plane_is_chosen_predictably(string why, V1Deployment[] deployments, string ns, string name)
    {
        var forward = IstioInstallationDetector.Detect(deployments, []);
        var backward = IstioInstallationDetector.Detect(deployments.Reverse().ToArray(), []);

        Assert.True((ns, name) == (forward?.Namespace, forward?.ControlPlaneDeployment), why);
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void An_istioctl_install_leaves_only_installed_state_and_nobody_reconciles_it()
    {
        var installation = IstioInstallationDetector.Detect([Istiod("docker.io/istio/pilot:1.14.3")], [InstalledState()]);

        Assert.Equal(IstioInstallMethod.IstioctlOrHelm, installation?.Method);
        Assert.Null(installation?.ReconciledOperatorName);
        Assert.Null(installation?.ReconciledOperatorNamespace);
    }

    public static TheoryData<string, V1Deployment[], IstioResource[], IstioInstallMethod, string?> Methods => new()
    {
        {
            "operator and its IstioOperator",
            [Istiod("docker.io/istio/pilot:1.14.3"), IstioOperatorDeployment()],
            [InstalledState(), ReconciledIop("control-plane")],
            IstioInstallMethod.OperatorReconciled, "istio-system/control-plane"
        },
        {
            "revisioned operator Deployment (label name=istio-operator)",
            [Istiod("docker.io/istio/pilot:1.14.3"), IstioOperatorDeployment(name: "istio-operator-1-14-3")],
            [ReconciledIop("control-plane")],
            IstioInstallMethod.OperatorReconciled, "istio-system/control-plane"
        },
        {
            "operator but only istioctl's record",
            [Istiod("docker.io/istio/pilot:1.14.3"), IstioOperatorDeployment()],
            [InstalledState()],
            IstioInstallMethod.IstioctlOrHelm, null
        },
        {
            "revisioned istioctl record installed-state-<name>-<revision>",
            [Istiod("docker.io/istio/pilot:1.14.3"), IstioOperatorDeployment()],
            [InstalledState("installed-state-control-plane-1-14-3")],
            IstioInstallMethod.IstioctlOrHelm, null
        },
        {
            "an IstioOperator annotated ignoreReconcile",
            [Istiod("docker.io/istio/pilot:1.18.2"), IstioOperatorDeployment()],
            [ReconciledIop("paused", ignoreReconcile: "true")],
            IstioInstallMethod.IstioctlOrHelm, null
        },
        {
            "an IstioOperator with ignoreReconcile false",
            [Istiod("docker.io/istio/pilot:1.18.2"), IstioOperatorDeployment()],
            [ReconciledIop("resumed", ignoreReconcile: "false")],
            IstioInstallMethod.OperatorReconciled, "istio-system/resumed"
        },
        {
            "IstioOperator without an operator",
            [Istiod("docker.io/istio/pilot:1.14.3")],
            [ReconciledIop("control-plane")],
            IstioInstallMethod.IstioctlOrHelm, null
        },
        {
            "operator scaled to zero",
            [Istiod("docker.io/istio/pilot:1.14.3"), IstioOperatorDeployment(replicas: 0)],
            [ReconciledIop("control-plane")],
            IstioInstallMethod.IstioctlOrHelm, null
        },
        {
            "the IstioOperator in the control plane's namespace",
            [Istiod("docker.io/istio/pilot:1.14.3"), IstioOperatorDeployment()],
            [ReconciledIop("a-other", ns: "istio-operator"), ReconciledIop("z-main")],
            IstioInstallMethod.OperatorReconciled, "istio-system/z-main"
        },
        {
            "the IstioOperator of the control plane's revision",
            [Istiod("docker.io/istio/pilot:1.14.3", name: "istiod-1-14-3", revision: "1-14-3"), IstioOperatorDeployment()],
            [ReconciledIop("a-canary", revision: "1-15-0"), ReconciledIop("b-current", revision: "1-14-3")],
            IstioInstallMethod.OperatorReconciled, "istio-system/b-current"
        },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_install_method_says_who_would_overwrite_live_changes(
        string why, V1Deployment[] deployments, IstioResource[] operators, IstioInstallMethod method, string? reconciled)
    {
        var installation = IstioInstallationDetector.Detect(deployments, operators);

        Assert.NotNull(installation);
        Assert.True(method == installation.Method, why);
        Assert.Equal(reconciled, installation.ReconciledOperatorName is null ? null : $"{installation.ReconciledOperatorNamespace}/{installation.ReconciledOperatorName}");
    }

    [Theory]
    [InlineData("docker.io/istio/pilot:1.14.3", "1.14.3")]
    [InlineData("localhost:5000/pilot:1.9.0", "1.9.0")]
    [InlineData("localhost:5000/pilot", null)]
    [InlineData("pilot", null)]
    [InlineData("pilot:", null)]
    [InlineData("docker.io/istio/pilot:1.9.0@sha256:abc", "1.9.0")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Image_tag(string? image, string? tag) => Assert.Equal(tag, IstioInstallationDetector.ImageTag(image));
}
