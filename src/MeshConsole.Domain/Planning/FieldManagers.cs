namespace MeshConsole.Domain.Planning;

/// <summary>
/// The field manager each part of the console writes under, one per concern. Under server-side apply, the fields a
/// manager set last time and omits from its next apply are removed (unless another manager owns them too:
/// kubernetes.io/docs/reference/using-api/server-side-apply, "Field management"). Two parts applying different fields
/// of one object under one name would therefore undo each other: rejoining a team session re-applied the participant's
/// Namespace with only its session labels and took away the <c>istio-injection</c> label the Bookinfo step had set.
/// Each name here is used by exactly one part, and that part always applies the same fields of an object.
/// </summary>
public static class FieldManagers
{
    /// <summary>The mesh-wide plan (<see cref="PlanBuilder.Build"/>), as install.sh's <c>kubectl apply --server-side</c> names it too.</summary>
    public const string Mesh = "lightstep-console";

    /// <summary>The Bookinfo sample (<see cref="PlanBuilder.BuildBookinfo"/>): its objects and the injection labels of its Namespace.</summary>
    public const string Bookinfo = "lightstep-console-bookinfo";

    /// <summary>A team session participant's Namespace (the session labels) and the CA Secret in it (<see cref="PlanBuilder.BuildParticipantNamespace"/>).</summary>
    public const string Session = "lightstep-console-session";

    /// <summary>The console's own records: session Secrets, participant and namespace-claim ConfigMaps, the apply lock, their namespace.</summary>
    public const string Records = "lightstep-console-records";

    /// <summary>The undo journal Secret.</summary>
    public const string UndoJournal = "lightstep-console-undo-journal";

    /// <summary>The restart annotation on workloads' pod templates (like <c>kubectl rollout restart</c>, a merge patch).</summary>
    public const string Restart = "lightstep-console-restart";

    public static readonly IReadOnlyList<string> All = [Mesh, Bookinfo, Session, Records, UndoJournal, Restart];
}
