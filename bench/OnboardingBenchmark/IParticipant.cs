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

/// <summary>A participant's route (where each click goes and the step it must reach, walked round and round) and how
/// far along it the walks have got; the same for both clients.</summary>
public sealed class RouteWalk(IReadOnlyList<(string Selector, string Step)> route)
{
    private int _position;

    /// <summary>A session participant's walk from Bookinfo: Next, Next, Back, Back, and again.</summary>
    public static RouteWalk TeamParticipant() =>
        new([("#wizard-next", "Traffic"), ("#wizard-next", "Cleanup"), ("#wizard-back", "Traffic"), ("#wizard-back", "Bookinfo")]);

    public async Task<List<ClickSample>> WalkAsync(Func<string, string, Task<ClickSample>> click, int clicks, int thinkMinMs, int thinkMaxMs, Random random)
    {
        var samples = new List<ClickSample>(clicks);
        for (var i = 0; i < clicks; i++)
        {
            int think;
            lock (random) think = random.Next(thinkMinMs, thinkMaxMs + 1);
            await Task.Delay(think);
            var (selector, step) = route[_position++ % route.Count];
            samples.Add(await click(selector, step));
        }
        return samples;
    }
}
