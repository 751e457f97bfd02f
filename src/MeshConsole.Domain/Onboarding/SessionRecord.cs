namespace MeshConsole.Domain.Onboarding;

/// <summary>Everything stored for a session apart from its participants: the session, its shared settings and the mesh-wide applies so far.</summary>
public sealed record SessionRecord(OnboardingSession Session, SharedSettings Settings, IReadOnlyList<SharedApplyRecord> Applies)
{
    public SessionRecord WithApply(SharedApplyRecord record) => this with { Applies = [.. Applies, record] };

    public bool Equals(SessionRecord? other) =>
        other is not null && Session == other.Session && Settings == other.Settings && Applies.SequenceEqual(other.Applies);

    public override int GetHashCode() => HashCode.Combine(Session, Settings, Applies.Count);
}
