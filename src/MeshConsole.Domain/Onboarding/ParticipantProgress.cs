namespace MeshConsole.Domain.Onboarding;

/// <summary>
/// Where one participant is: what the facilitator's dashboard shows and the session summary keeps.
/// <see cref="Step"/> is the wizard step's name as the UI defines it.
/// </summary>
public sealed record ParticipantProgress(
    string Name,
    string Namespace,
    DateTimeOffset JoinedAt,
    string Step,
    int DeploymentsReady,
    int DeploymentsTotal,
    long RequestsSent,
    long TracesLinked,
    string? LastError,
    DateTimeOffset UpdatedAt)
{
    public const string JoinedStep = "joined";

    public static ParticipantProgress Joined(string name, string ns, DateTimeOffset at) =>
        new(name, ns, at, JoinedStep, 0, 0, 0, 0, null, at);
}

/// <summary>Who applied which mesh-wide step, when, and the objects it wrote (e.g. "ConfigMap/istio -n istio-system").</summary>
public sealed record SharedApplyRecord(string Who, DateTimeOffset At, string Action, IReadOnlyList<string> Objects)
{
    public bool Equals(SharedApplyRecord? other) =>
        other is not null && Who == other.Who && At == other.At && Action == other.Action && Objects.SequenceEqual(other.Objects);

    public override int GetHashCode() => HashCode.Combine(Who, At, Action, Objects.Count);
}
