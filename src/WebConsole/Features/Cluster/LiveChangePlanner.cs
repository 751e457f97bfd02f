using System.Text.Json.Nodes;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;

namespace WebConsole.Features.Cluster;

/// <summary>One object the console will server-side apply, with what the cluster holds now (null: absent).</summary>
public sealed record LiveChange(string PurposeCode, JsonObject Desired, JsonObject? Current)
{
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
            if (!current.Succeeded) return ClusterResult<LiveChangeSet>.Failed(current.Failure!);
            changes.Add(new LiveChange("Role." + planned.Role, desired, current.Value));
        }
        return new LiveChangeSet(changes, notes);
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
            var desired = new JsonObject
            {
                ["apiVersion"] = overlay.ApiVersion,
                ["kind"] = overlay.Kind,
                ["metadata"] = new JsonObject { ["name"] = istio.ReconciledOperatorName, ["namespace"] = istio.ReconciledOperatorNamespace },
                ["spec"] = KubeGateway.ToJson(overlay)["spec"]!.DeepClone(),
            };
            var current = await gateway.GetAsync(ResourceRef.Of(desired), ct);
            if (!current.Succeeded) return ClusterResult<IReadOnlyList<LiveChange>>.Failed(current.Failure!);
            notes.Add(new PlanNote("Note.AppliedToIstioOperator", $"{istio.ReconciledOperatorNamespace}/{istio.ReconciledOperatorName}"));
            return new[] { new LiveChange("Role.IstioOperatorSettings", desired, current.Value) };
        }

        var live = LiveIstioSettings.From(plan);
        notes.AddRange(live.Notes);
        var changes = new List<LiveChange>();
        var mesh = await ConfigMapChangeAsync(gateway, istio.Namespace, LiveIstioSettings.MeshConfigMapFor(istio.Revision), LiveIstioSettings.MeshKey,
            existing => MeshConfigEditor.Merge(existing, live.MeshConfig), "Role.MeshConfig", ct);
        if (!mesh.Succeeded) return ClusterResult<IReadOnlyList<LiveChange>>.Failed(mesh.Failure!);
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

public sealed record LiveChangeSet(IReadOnlyList<LiveChange> Changes, IReadOnlyList<PlanNote> Notes);
