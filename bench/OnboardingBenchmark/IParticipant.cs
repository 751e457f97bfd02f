namespace OnboardingBenchmark;

/// <summary>What the benchmark's phases need of a participant, whichever client plays it: a Chromium page
/// (<see cref="Participant"/>) or a Blazor Server protocol client (<see cref="ProtocolParticipant"/>).</summary>
public interface IParticipant : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Walks on along the participant's route (from where the last walk stopped) for
    /// <paramref name="clicks"/> clicks, with a random think time before each.</summary>
    Task<List<ClickSample>> WalkAsync(int clicks, int thinkMinMs, int thinkMaxMs, Random random);
}
