using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Cluster;

namespace WebConsole.Tests.Onboarding;

/// <summary>The steps a session test takes the way the pages take them, asserting each one worked.</summary>
internal static class SessionSteps
{
    /// <summary>The facilitator's Apply step: preview the mesh-wide settings, apply, every object written.</summary>
    public static async Task ApplyMeshWideAsync(Circuit facilitator)
    {
        await TeamSessionCluster.PreviewAsync(facilitator.Cluster);
        Assert.True(facilitator.Cluster.CanApply, facilitator.Cluster.LastFailure?.ToString());
        await facilitator.Cluster.ApplyAsync();
        Assert.NotEmpty(facilitator.Cluster.Outcomes);
        Assert.All(facilitator.Cluster.Outcomes, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
    }

    /// <summary>
    /// A participant's Bookinfo step: check the namespace, confirm a proposed injection label, preview, deploy (no
    /// rollouts in the emulator: stop waiting once applied).
    /// </summary>
    public static async Task<BookinfoWorkflow> DeployBookinfoAsync(Circuit participant)
    {
        var bookinfo = participant.Services.GetRequiredService<BookinfoWorkflow>();
        await bookinfo.CheckNamespaceAsync();
        if (bookinfo.Injection?.LabelsToSet is not null) participant.Wizard.SetConfirmInjectionLabel(true);
        await bookinfo.PreviewAsync();
        Assert.True(bookinfo.CanDeploy, bookinfo.LastFailure?.ToString());
        var deploy = bookinfo.DeployAsync();
        while (!deploy.IsCompleted && !bookinfo.Waiting) await Task.Delay(10);
        bookinfo.StopWaiting();
        await deploy;
        Assert.NotEmpty(bookinfo.Outcomes);
        Assert.All(bookinfo.Outcomes, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        return bookinfo;
    }
}
