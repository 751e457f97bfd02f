using k8s.Models;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Cluster;

public enum IstioInstallMethod
{
    /// <summary>An in-cluster istio-operator reconciles an IstioOperator resource: edit that resource, not the live objects.</summary>
    OperatorReconciled,
    /// <summary>Installed by istioctl or Helm: nothing rewrites the live ConfigMaps until the next install or upgrade.</summary>
    IstioctlOrHelm,
}

/// <param name="ImageTag">Tag of the discovery container's image; null for a digest-only or untagged image.</param>
/// <param name="Version">Read from <paramref name="ImageTag"/>; null when the tag is no Istio version (ask the user).</param>
public sealed record IstioInstallation(
    string Namespace,
    string ControlPlaneDeployment,
    string? ImageTag,
    IstioVersion? Version,
    IstioInstallMethod Method,
    string? ReconciledOperatorName,
    string? ReconciledOperatorNamespace)
{
    /// <summary>The control plane's istio.io/rev label; null for the default revision.</summary>
    public string? Revision { get; init; }
}

public static class IstioInstallationDetector
{
    public const string RevisionLabel = "istio.io/rev";
    public const string InstalledStatePrefix = "installed-state";
    public const string IgnoreReconcileAnnotation = "install.istio.io/ignoreReconcile";

    /// <summary>The control plane among <paramref name="deployments"/> (all namespaces), or null when there is none.</summary>
    public static IstioInstallation? Detect(IReadOnlyList<V1Deployment> deployments, IReadOnlyList<IstioResource> istioOperators)
    {
        var controlPlane = deployments
            .Select(d => (Deployment: d, Generation: ControlPlaneGeneration(d)))
            .Where(c => c.Generation is not null)
            .OrderBy(c => c.Deployment.Metadata.NamespaceProperty == PlanBuilder.IstioNamespace ? 0 : 1)
            .ThenBy(c => c.Generation)
            .ThenBy(c => IsDefaultRevision(c.Deployment) ? 0 : 1)
            .ThenBy(c => c.Deployment.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(c => c.Deployment.Metadata.Name, StringComparer.Ordinal)
            .Select(c => c.Deployment)
            .FirstOrDefault();
        if (controlPlane is null) return null;

        var ns = controlPlane.Metadata.NamespaceProperty ?? PlanBuilder.IstioNamespace;
        var tag = ImageTag(DiscoveryContainer(controlPlane)?.Image);
        IstioVersion? version = TryParseIstioVersion(tag, out var parsed) ? parsed : null;

        var reconciled = deployments.Any(IsRunningOperator)
            ? istioOperators
                .Where(IsReconciled)
                .OrderBy(o => o.Metadata.NamespaceProperty == ns ? 0 : 1)
                .ThenBy(o => SameRevision(o, controlPlane) ? 0 : 1)
                .ThenBy(o => o.Metadata.NamespaceProperty, StringComparer.Ordinal)
                .ThenBy(o => o.Metadata.Name, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

        return new IstioInstallation(
            ns,
            controlPlane.Metadata.Name,
            tag,
            version,
            reconciled is null ? IstioInstallMethod.IstioctlOrHelm : IstioInstallMethod.OperatorReconciled,
            reconciled?.Metadata.Name,
            reconciled?.Metadata.NamespaceProperty)
        {
            Revision = IsDefaultRevision(controlPlane) ? null : controlPlane.Metadata.Labels![RevisionLabel],
        };
    }

    /// <summary>
    /// The tag of an image reference ("registry:5000/istio/pilot:1.9.5@sha256:…" → "1.9.5"), or null when it has none.
    /// A colon before the last slash belongs to the registry's port, not to a tag.
    /// </summary>
    public static string? ImageTag(string? image)
    {
        if (string.IsNullOrWhiteSpace(image)) return null;
        var reference = image.Trim();
        var at = reference.IndexOf('@');
        if (at >= 0) reference = reference[..at];
        var lastSegment = reference[(reference.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon < 0 || colon == lastSegment.Length - 1 ? null : lastSegment[(colon + 1)..];
    }

    // Only 1.x exists. Distributions that rebuild pilot (OpenShift Service Mesh 2.x, for one) tag images with their
    // own product version, which must not be mistaken for an Istio release.
    private static bool TryParseIstioVersion(string? tag, out IstioVersion version) =>
        IstioVersion.TryParse(tag, out version) && version.Major == 1;

    // 0 = istiod (Istio 1.5 and later merged pilot, citadel, galley and the injector into it), 1 = pilot (before 1.5).
    private static int? ControlPlaneGeneration(V1Deployment deployment)
    {
        var labels = deployment.Metadata.Labels;
        if (labels is null) return null;
        if (labels.TryGetValue("app", out var app) && app == "istiod") return 0;
        if ((labels.TryGetValue("app", out app) && app == "pilot") || (labels.TryGetValue("istio", out var istio) && istio == "pilot")) return 1;
        return null;
    }

    private static bool IsDefaultRevision(V1Deployment deployment) =>
        deployment.Metadata.Labels?.TryGetValue(RevisionLabel, out var rev) != true || string.IsNullOrEmpty(rev) || rev == "default";

    private static V1Container? DiscoveryContainer(V1Deployment deployment)
    {
        var containers = deployment.Spec?.Template?.Spec?.Containers ?? [];
        return containers.FirstOrDefault(c => c.Name == "discovery")
            ?? containers.FirstOrDefault(c => c.Image?.Contains("pilot", StringComparison.Ordinal) == true)
            ?? containers.FirstOrDefault();
    }

    // The operator chart names its Deployment istio-operator[-<revision>] and labels it name=istio-operator.
    // One scaled to zero reconciles nothing.
    private static bool IsRunningOperator(V1Deployment deployment) =>
        (deployment.Metadata.Name == "istio-operator" || deployment.Metadata.Labels?.TryGetValue("name", out var name) == true && name == "istio-operator")
        && deployment.Spec?.Replicas != 0;

    // istioctl install saves what it installed as IstioOperator "installed-state[-<name>][-<revision>]" with annotation
    // install.istio.io/ignoreReconcile: "true"; the operator skipped such names until 1.18 and has honoured only the
    // annotation since (istio/istio operator savedIOPName; Istio 1.18.0 change notes, istio/istio#29394).
    private static bool IsReconciled(IstioResource iop) =>
        !iop.Metadata.Name.StartsWith(InstalledStatePrefix, StringComparison.Ordinal)
        && !(iop.Metadata.Annotations?.TryGetValue(IgnoreReconcileAnnotation, out var ignore) == true
             && string.Equals(ignore, "true", StringComparison.OrdinalIgnoreCase))
        && iop.Metadata.DeletionTimestamp is null;

    private static bool SameRevision(IstioResource iop, V1Deployment controlPlane)
    {
        var iopRevision = iop.Spec.TryGetValue("revision", out var r) ? r?.ToString() ?? "" : "";
        var deploymentRevision = IsDefaultRevision(controlPlane) ? "" : controlPlane.Metadata.Labels![RevisionLabel];
        return iopRevision == deploymentRevision || (iopRevision == "default" && deploymentRevision == "");
    }
}
