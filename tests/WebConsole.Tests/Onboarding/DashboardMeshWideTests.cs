using MeshConsole.Domain.Planning;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Apply;
using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;

namespace WebConsole.Tests.Onboarding;

/// <summary>The dashboard shows the mesh-wide settings the cluster holds, also when they were applied before the session started.</summary>
public sealed class DashboardMeshWideTests
{
    private static async Task<SessionDashboard> OpenDashboardAsync(Circuit facilitator, string sessionId)
    {
        var dashboard = facilitator.Services.GetRequiredService<SessionDashboard>();
        await dashboard.StartAsync(sessionId, work => work());
        return dashboard;
    }

    [Fact]
    public async Task Settings_applied_just_before_the_session_started_show_with_when_and_by_whom_also_after_a_console_restart()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        var console = cluster.StartConsole();
        var fran = console.Open("Fran");
        cluster.EnterSharedSettings(fran.Wizard);
        // Fran applies the shared settings first, then starts the session.
        await TeamSessionCluster.PreviewAsync(fran.Cluster);
        await fran.Cluster.ApplyAsync();
        Assert.All(fran.Cluster.Outcomes, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        var appliedAt = cluster.Clock.GetUtcNow();
        var started = await fran.Onboarding.StartAsync("Platform team", "bookinfo-{name}");
        Assert.NotNull(started);
        var sessionId = started.Session.Id;

        using (var dashboard = await OpenDashboardAsync(fran, sessionId))
        {
            Assert.Empty(dashboard.Record!.Applies);
            Assert.NotNull(dashboard.MeshWide);
            var istio = Assert.Single(dashboard.MeshWide.Entries, e => e.Target is { Kind: "ConfigMap", Name: "istio", Namespace: PlanBuilder.IstioNamespace });
            Assert.Equal(("Fran", appliedAt), (istio.FirstChangedBy, istio.FirstChangedAt));
            Assert.All(dashboard.MeshWide.Entries, e => Assert.Equal("Fran", e.FirstChangedBy));
        }

        // On a restarted console the dashboard knows only what the cluster holds, and still shows it.
        await console.DisposeAsync();
        await using var restarted = cluster.StartConsole();
        using var again = await OpenDashboardAsync(restarted.Open("Fran"), sessionId);
        Assert.Equal(PlanBuilder.IstioNamespace, again.MeshWide!.JournalNamespace);
        Assert.Contains(again.MeshWide.Entries, e => e.Target is { Kind: "ConfigMap", Name: "istio" } && e.FirstChangedBy == "Fran");
    }

    [Fact]
    public async Task Before_anything_is_applied_the_dashboard_says_the_cluster_holds_no_mesh_wide_change()
    {
        await using var cluster = await TeamSessionCluster.StartAsync();
        await using var console = cluster.StartConsole();
        var (fran, sessionId) = await cluster.StartSessionAsync(console);

        using var dashboard = await OpenDashboardAsync(fran, sessionId);

        Assert.NotNull(dashboard.MeshWide);
        Assert.Empty(dashboard.MeshWide.Entries);
    }
}
