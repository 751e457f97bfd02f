using Bunit;
using KubeEmulator;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Apply;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Onboarding;
using WebConsole.Tests.Onboarding;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>The Bookinfo step of a session participant, connected to the emulated cluster: their namespace is fixed.</summary>
public class ParticipantBookinfoStepTests : ConsoleTestContext
{
    private TeamSessionCluster _cluster = null!;
    private ConsoleProcess? _facilitatorConsole;

    protected override async Task InitializeTestAsync()
    {
        _cluster = await TeamSessionCluster.StartAsync(ClusterFixture.MidIstio);
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = _cluster.Cluster.KubeconfigPath })
            .Build());
        Services.AddScoped<ProtectedLocalStorage>();
    }

    protected override async Task DisposeTestAsync()
    {
        if (_facilitatorConsole is not null) await _facilitatorConsole.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_participant_cannot_point_the_bookinfo_step_at_another_namespace_and_the_step_says_it_is_theirs()
    {
        _facilitatorConsole = _cluster.StartConsole();
        var (_, sessionId) = await _cluster.StartSessionAsync(_facilitatorConsole);
        AttachFreshDraft();
        Services.GetRequiredService<ClusterWorkflow>().RestoreContext();
        Assert.True(await Services.GetRequiredService<OnboardingWorkflow>().JoinAsync(sessionId, "Alice"));

        var cut = Render<BookinfoStep>();
        var field = cut.Find("#bookinfo-namespace");

        Assert.True(field.HasAttribute("readonly"));
        Assert.Equal("bookinfo-alice", field.GetAttribute("value"));
        Assert.Contains(Text("Bookinfo.ParticipantNamespaceHelp"), cut.Markup);
        Assert.DoesNotContain(Text("Bookinfo.NamespaceHelp"), cut.Markup);

        // Even an edit the read-only field should never send changes nothing.
        field.Change("istio-system");
        cut.Find("#bookinfo-check-namespace").Click();
        cut.WaitForAssertion(() => Assert.Contains("bookinfo-alice", cut.Find("#bookinfo-namespace-state").TextContent));
        Assert.Equal("bookinfo-alice", State.BookinfoNamespace);
        cut.Find("#bookinfo-preview").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#bookinfo-previews")));
        Assert.DoesNotContain("istio-system", cut.Find("#bookinfo-previews").TextContent);
        Assert.Contains("bookinfo-alice", cut.Find("#bookinfo-previews").TextContent);
        Assert.Contains(Text("Bookinfo.ConfirmDeploy", "bookinfo-alice"), cut.Markup);
    }

    [Fact]
    public void Outside_a_session_the_bookinfo_namespace_can_be_changed()
    {
        var state = AttachFreshDraft();
        _cluster.EnterSharedSettings(state);
        Services.GetRequiredService<ClusterWorkflow>().RestoreContext();

        var cut = Render<BookinfoStep>();
        Assert.False(cut.Find("#bookinfo-namespace").HasAttribute("readonly"));
        cut.Find("#bookinfo-namespace").Change("team-demo");

        Assert.Equal("team-demo", State.BookinfoNamespace);
        Assert.Contains(Text("Bookinfo.NamespaceHelp"), cut.Markup);
    }
}
