using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Onboarding;
using WebConsole.Features.Cluster;

namespace WebConsole.Features.Onboarding;

/// <summary>
/// How many of each participant's Bookinfo Deployments are ready, read from their namespace rather than taken from what
/// their tab last reported: a reloaded tab, or one on a restarted console, has seen no Deployment yet, while the
/// cluster still runs them. Only the Deployments are read (one list per participant, no pods or events), so a large
/// session's dashboard stays cheap; a Deployment counts as ready as <see cref="DeploymentReadiness"/> judges it
/// from its own status.
/// </summary>
public static class ParticipantReadiness
{
    private const int ConcurrentReads = 8;

    /// <summary>
    /// <paramref name="participants"/> with DeploymentsReady/DeploymentsTotal as their namespaces hold them now. A
    /// participant keeps the stored numbers when their namespace could not be read, and when the session has ended and
    /// their namespace is gone (removed with the session: the record keeps the count recorded at the end).
    /// </summary>
    public static async Task<IReadOnlyList<ParticipantProgress>> FromClusterAsync(KubeGateway gateway, OnboardingSession session,
        IReadOnlyList<ParticipantProgress> participants, CancellationToken ct)
    {
        var read = new ParticipantProgress[participants.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, participants.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ConcurrentReads, CancellationToken = ct },
            async (i, token) => read[i] = await ReadAsync(gateway, session, participants[i], token));
        return read;
    }

    private static async Task<ParticipantProgress> ReadAsync(KubeGateway gateway, OnboardingSession session, ParticipantProgress participant,
        CancellationToken ct)
    {
        var deployments = await gateway.ListDeploymentsAsync(participant.Namespace, BookinfoSample.PartOfSelector, ct);
        if (!deployments.Succeeded) return participant;
        if (deployments.Value!.Count == 0 && session.HasEnded)
        {
            var ns = await gateway.GetAsync(new ResourceRef("v1", "Namespace", null, participant.Namespace), ct);
            if (!ns.Succeeded || ns.Value is null) return participant;
        }
        var ready = deployments.Value!.Count(d => DeploymentReadiness.Evaluate(d, [], []).State is DeploymentState.Ready or DeploymentState.ReadyWithoutSidecar);
        return participant with { DeploymentsReady = ready, DeploymentsTotal = deployments.Value!.Count };
    }
}
