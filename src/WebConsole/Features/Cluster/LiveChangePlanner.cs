using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Cluster;

/// <summary>One object the console will server-side apply, with what the cluster holds now (null: absent).</summary>
public sealed record LiveChange(string PurposeCode, JsonObject Desired, JsonObject? Current)
{
    /// <summary>
    /// <see cref="Desired"/> is the whole object, merged from <see cref="Current"/>, written with its resourceVersion
    /// (a PUT that fails with a conflict when someone changed it since it was read) instead of server-side applied.
    /// Its diff is shown whenever it is previewed, because it changes an object the team owns.
    /// </summary>
    public bool WritesWholeObject { get; init; }

    public ResourceRef Target => ResourceRef.Of(Desired);
}

/// <summary>
/// Turns the plan into the objects to apply on this cluster. Kubernetes objects go as planned; the Istio
/// settings go where they live for the detected installation: into the IstioOperator an operator reconciles,
/// or into the mesh config and injector values ConfigMaps that istioctl writes, merged so that every setting
/// the console does not own stays as it was.
/// </summary>
public static class LiveChangePlanner
{
    public static async Task<ClusterResult<LiveChangeSet>> PlanAsync(KubeGateway gateway, Plan plan, IstioInstallation? istio, CancellationToken ct)
    {
        var changes = new List<LiveChange>();
        var notes = new List<PlanNote>();
        foreach (var planned in plan.Objects)
        {
            if (planned.Role == PlannedObjectRole.IstioInstallOverlay)
            {
                var istioChanges = await IstioSettingsAsync(gateway, plan, (IstioResource)planned.Resource, istio, notes, ct);
                if (!istioChanges.Succeeded) return ClusterResult<LiveChangeSet>.Failed(istioChanges.Failure!);
                changes.AddRange(istioChanges.Value!);
                continue;
            }
            if (istio is null && planned.NeedsIstio)
                continue;
            var desired = KubeGateway.ToJson(planned.Resource);
            var current = await gateway.GetAsync(ResourceRef.Of(desired), ct);
            // A workload namespace is the plan's only when the console creates it: an existing one is neither written
            // nor journaled (undo would otherwise put back an old copy over later label changes). Not allowed to read
            // it: the Secret's own dry run says whether it exists.
            if (planned.Role == PlannedObjectRole.WorkloadNamespace
                && (current is { Succeeded: false, Failure.Kind: ClusterFailureKind.Forbidden } || current.Value is { } existing && !NamespaceTermination.IsTerminating(existing)))
                continue;
            if (!current.Succeeded) return ClusterResult<LiveChangeSet>.Failed(current.Failure!);
            // A namespace still being deleted accepts nothing new (403 for every object in it): one clear answer instead.
            if (planned.Kind == "Namespace" && current.Value is { } live && NamespaceTermination.IsTerminating(live))
                return ClusterResult<LiveChangeSet>.Failed(ClusterFailure.Terminating(planned.Resource.Metadata.Name));
            changes.Add(new LiveChange("Role." + planned.Role, desired, current.Value));
        }
        return new LiveChangeSet(changes, notes) { FieldManager = plan.FieldManager };
    }

    private static async Task<ClusterResult<IReadOnlyList<LiveChange>>> IstioSettingsAsync(
        KubeGateway gateway, Plan plan, IstioResource overlay, IstioInstallation? istio, List<PlanNote> notes, CancellationToken ct)
    {
        if (istio is null)
        {
            notes.Add(new PlanNote("Note.IstioNotFoundSettingsSkipped"));
            return Array.Empty<LiveChange>();
        }
        if (istio.Method == IstioInstallMethod.OperatorReconciled)
        {
            var target = new ResourceRef(overlay.ApiVersion, overlay.Kind, istio.ReconciledOperatorNamespace, istio.ReconciledOperatorName!);
            var current = await gateway.GetAsync(target, ct);
            if (!current.Succeeded) return ClusterResult<IReadOnlyList<LiveChange>>.Failed(current.Failure!);
            notes.Add(new PlanNote("Note.AppliedToIstioOperator", $"{istio.ReconciledOperatorNamespace}/{istio.ReconciledOperatorName}"));
            return new[] { IstioOperatorChange(overlay, target, current.Value, notes) };
        }

        var live = LiveIstioSettings.From(plan);
        notes.AddRange(live.Notes);
        var changes = new List<LiveChange>();
        IReadOnlyList<string> removedTracers = [];
        var mesh = await ConfigMapChangeAsync(gateway, istio.Namespace, LiveIstioSettings.MeshConfigMapFor(istio.Revision), LiveIstioSettings.MeshKey,
            existing => MeshConfigEditor.Merge(existing, live.MeshConfig, out removedTracers), "Role.MeshConfig", ct);
        if (!mesh.Succeeded) return ClusterResult<IReadOnlyList<LiveChange>>.Failed(mesh.Failure!);
        foreach (var tracer in removedTracers)
            notes.Add(new PlanNote("Note.OtherTracerRemoved", tracer, mesh.Value!.Target.Display));
        changes.Add(mesh.Value!);
        if (live.InjectorValues.Count > 0)
        {
            var values = await ConfigMapChangeAsync(gateway, istio.Namespace, LiveIstioSettings.InjectorConfigMapFor(istio.Revision), LiveIstioSettings.InjectorValuesKey,
                existing => InjectorValuesEditor.Merge(existing, live.InjectorValues), "Role.InjectorValues", ct);
            if (!values.Succeeded) return ClusterResult<IReadOnlyList<LiveChange>>.Failed(values.Failure!);
            changes.Add(values.Value!);
        }
        return changes;
    }

    /// <summary>
    /// The reconciled IstioOperator read, merged (<see cref="IstioOperatorSpecEditor"/>) and written back whole under the
    /// resourceVersion it was read at: server-side apply would replace its atomic lists and could not remove another
    /// manager's tracer. Absent (deleted since detection): server-side applied as planned.
    /// </summary>
    private static LiveChange IstioOperatorChange(IstioResource overlay, ResourceRef target, JsonObject? current, List<PlanNote> notes)
    {
        var merge = IstioOperatorSpecEditor.Merge(current?["spec"] as JsonObject, overlay.Spec);
        foreach (var tracer in merge.RemovedTracers)
            notes.Add(new PlanNote("Note.OtherTracerRemoved", tracer, target.Display));
        if (current is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = overlay.ApiVersion,
                ["kind"] = overlay.Kind,
                ["metadata"] = new JsonObject { ["name"] = target.Name, ["namespace"] = target.Namespace },
                ["spec"] = merge.Spec,
            };
            return new LiveChange("Role.IstioOperatorSettings", created, null);
        }
        var desired = current.DeepClone().AsObject();
        desired["spec"] = merge.Spec;
        desired.Remove("status");
        return new LiveChange("Role.IstioOperatorSettings", desired, current) { WritesWholeObject = true };
    }

    /// <summary>Applies only the one data key the console edits, so other keys keep their owners.</summary>
    private static async Task<ClusterResult<LiveChange>> ConfigMapChangeAsync(
        KubeGateway gateway, string ns, string name, string key, Func<string?, string> merge, string purpose, CancellationToken ct)
    {
        var target = new ResourceRef("v1", "ConfigMap", ns, name);
        var current = await gateway.GetAsync(target, ct);
        if (!current.Succeeded) return ClusterResult<LiveChange>.Failed(current.Failure!);
        var existing = (string?)current.Value?["data"]?[key];
        string merged;
        try
        {
            merged = merge(existing);
        }
        catch (UnreadableTextException e)
        {
            // Nothing is written: merging into text that cannot be read would throw away every setting in it.
            return ClusterResult<LiveChange>.Failed(ClusterFailure.UnreadableConfig(ns, name, key, e.Format, e.Position ?? "?"));
        }
        var desired = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = new JsonObject { [key] = merged },
        };
        return new LiveChange(purpose, desired, current.Value);
    }
}

public sealed record LiveChangeSet(IReadOnlyList<LiveChange> Changes, IReadOnlyList<PlanNote> Notes)
{
    /// <summary>The plan's field manager: the one every change of this set is applied under.</summary>
    public string FieldManager { get; init; } = FieldManagers.Mesh;
}
