using k8s;
using k8s.Models;
using MeshConsole.Domain.Security;

namespace MeshConsole.Domain.Planning;

/// <summary>
/// The one description of a change: preview, download, the <c>plan</c> command and (later) dry-run, diff and
/// apply all read it. Built only by <see cref="PlanBuilder"/>.
/// </summary>
public sealed record Plan(
    IstioFormChoice FormChoice,
    IReadOnlyList<PlannedObject> Objects,
    IReadOnlyList<PlanCommand> Commands,
    IReadOnlyList<PlanNote> Notes,
    SensitiveValues SensitiveValues)
{
    public IstioForm Form => FormChoice.Form;

    /// <summary>
    /// The namespaces the plan is for, in the order entered: those whose workloads send spans (the mesh plan), Bookinfo's
    /// namespace, or a participant's. Required so that nothing has to recover them from the notes or the objects.
    /// </summary>
    public required IReadOnlyList<string> Namespaces { get; init; }

    /// <summary>How the mesh's spans reach LightStep (meaningless for Bookinfo and participant plans, which configure no tracing).</summary>
    public SpanRoute Route { get; init; } = SpanRoute.Direct;

    /// <summary>The field manager every object of this plan is applied under (see <see cref="FieldManagers"/>).</summary>
    public string FieldManager { get; init; } = FieldManagers.Mesh;

    /// <summary>The OTLP endpoint spans go to when the backend is not LightStep (host:port), else null.</summary>
    public string? OtherBackendAddress { get; init; }
}

public enum PlannedObjectRole
{
    /// <summary>
    /// A chosen workload namespace the plan's objects go into: created only where it is missing (the cluster pipeline
    /// and install.sh's record leave an existing one alone), so undo and uninstall.sh remove only what they created.
    /// </summary>
    WorkloadNamespace,
    CaCertificateSecret,
    IstioInstallOverlay,
    TracingServiceEntry,
    TracingDestinationRule,
    TracingTelemetry,
    BookinfoNamespace,
    BookinfoServiceAccount,
    BookinfoService,
    BookinfoDeployment,
    BookinfoGateway,
    BookinfoVirtualService,
    ParticipantNamespace,
    /// <summary>The ingress gateway's CA volume and mount, applied by the console (istioctl gets them in the overlay).</summary>
    IngressGatewayCaMount,
    CollectorNamespace,
    CollectorSecret,
    CollectorConfig,
    CollectorDeployment,
    CollectorService,
}

/// <summary>How the object reaches the cluster: kubectl (server-side apply) or istioctl (install overlay).</summary>
public enum ApplyTool { Kubectl, Istioctl }

public sealed record PlannedObject(IKubernetesObject<V1ObjectMeta> Resource, PlannedObjectRole Role, ApplyTool AppliedWith)
{
    public string Kind => Resource.Kind;
    public string Name => Resource.Metadata.Name;
    public string? Namespace => Resource.Metadata.NamespaceProperty;
    public string DisplayName => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Name} -n {Namespace}";

    /// <summary>Istio's own kinds and the gateway's CA Secret in istio-system: meaningless on a cluster without Istio.</summary>
    public bool NeedsIstio =>
        Resource.ApiVersion.Contains("istio.io/", StringComparison.Ordinal) || Namespace == PlanBuilder.IstioNamespace;
}

/// <summary>A shell command in the order install.sh runs it; <see cref="Code"/> names its localized purpose.</summary>
public sealed record PlanCommand(string Code, string Script);

/// <summary>A human-readable remark; the text lives in the app's resources as "Note.{Code}".</summary>
public sealed record PlanNote(string Code, params IReadOnlyList<object> Arguments);
