using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Cluster;

/// <summary>
/// What team sessions need on top of <see cref="ClusterRequirements.For"/>: the session store (a Secret per session and
/// ConfigMaps for participants, namespace claims and the apply lock, in the console's own namespace), removing
/// participants' namespaces, and the participant plans (namespace, CA Secret, Bookinfo, their own undo journal) in
/// namespaces that only get their names when people join. RBAC cannot grant "namespaces named bookinfo-*", so those
/// last permissions hold in every namespace: the price of team sessions, and why the RBAC generator adds them only
/// when asked (<c>rbac --team-sessions</c>).
/// </summary>
public static class TeamSessionRequirements
{
    /// <summary>Where sessions are stored unless the console is told otherwise.</summary>
    public const string DefaultStoreNamespace = "lightstep-console";

    // A stand-in for "whichever namespace a participant gets"; replaced by null (every namespace) below.
    private const string AnyParticipantNamespace = "participant-namespace";

    public static IReadOnlyList<AccessRequirement> For(string storeNamespace = DefaultStoreNamespace)
    {
        var requirements = new List<AccessRequirement>();
        // SessionStore and ClusterWideApplyLock: create, re-read and replace on 409 (update), list by label, delete.
        foreach (var resource in new[] { "secrets", "configmaps" })
        foreach (var verb in new[] { "get", "list", "create", "update", "delete" })
            requirements.Add(new(verb, "", resource, storeNamespace, "Access.SessionStore"));
        // The store namespace is ensured with server-side apply; ending a session deletes participants' namespaces.
        foreach (var verb in new[] { "get", "create", "patch" })
            requirements.Add(new(verb, "", "namespaces", null, "Access.SessionStore"));
        requirements.Add(new("delete", "", "namespaces", null, "Access.RemoveParticipantNamespaces"));

        var istio = new IstioVersion(1, IstioFormChoice.FirstWithoutLightStepProvider.Minor + 5, 0);
        Plan[] participantPlans =
        [
            PlanBuilder.BuildParticipantNamespace(AnyParticipantNamespace, "session", "placeholder", istio),
            PlanBuilder.BuildBookinfo(new BookinfoInput(AnyParticipantNamespace, istio)),
        ];
        foreach (var plan in participantPlans)
        foreach (var target in Enum.GetValues<IstioApplyTarget>())
        foreach (var r in ClusterRequirements.For(plan, target))
            requirements.Add(r.Namespace == AnyParticipantNamespace ? r with { Namespace = null } : r);
        // The facilitator's mesh-wide plan covers namespaces named as people join; its mesh checks read their Telemetry resources.
        requirements.Add(new("list", "telemetry.istio.io", "telemetries", null, "Access.MeshChecks"));
        // A participant's undo journal lives in their own namespace (UndoJournal with exactNamespace).
        foreach (var verb in new[] { "get", "create", "patch", "delete" })
            requirements.Add(new(verb, "", "secrets", null, "Access.UndoJournal"));

        return requirements.DistinctBy(r => (r.Verb, r.Group, r.Resource, r.Namespace)).ToList();
    }
}
