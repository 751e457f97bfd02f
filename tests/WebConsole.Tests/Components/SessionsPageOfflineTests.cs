using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Features.Onboarding;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>
/// The sessions page of a console without a cluster: the app bar then has no context picker, so the page says how to
/// give the console a kubeconfig instead of pointing at a picker that is not there.
/// </summary>
public class SessionsPageOfflineTests : ConsoleTestContext
{
    private string? _kubeconfigDirectory;

    private IRenderedComponent<SessionsPage> RenderReady()
    {
        AttachFreshDraft();
        var cut = Render<SessionsPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#sessions-state").GetAttribute("data-ready")));
        return cut;
    }

    [Fact]
    public void Without_a_kubeconfig_the_page_says_how_to_connect_and_points_at_no_picker()
    {
        var cut = RenderReady();

        var text = cut.Find("#sessions-offline").TextContent.Trim();
        Assert.Equal(
            "Team sessions are kept in the cluster, and this console runs offline, without a usable kubeconfig. Give it one (set KUBECONFIG or create ~/.kube/config, or run the console inside the cluster), then restart the console and pick a context at the top of the page.",
            text);
        Assert.DoesNotContain("picker", text);
        Assert.Empty(cut.FindAll("#session-start"));
    }

    [Fact]
    public void Without_a_kubeconfig_the_chinese_page_says_how_to_connect()
    {
        UseCulture("zh-Hans");

        var cut = RenderReady();

        var text = cut.Find("#sessions-offline").TextContent.Trim();
        Assert.StartsWith("团队会话保存在集群中，而此控制台没有可用的 kubeconfig", text);
        Assert.Contains("然后重启控制台", text);
        Assert.DoesNotContain("选择器", text);
    }

    [Fact]
    public void An_unreadable_kubeconfig_is_named_as_the_reason()
    {
        _kubeconfigDirectory = Directory.CreateTempSubdirectory("mesh-console-sessions-").FullName;
        var kubeconfig = Path.Combine(_kubeconfigDirectory, "config");
        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [unclosed\n");
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig })
            .Build());

        var cut = RenderReady();

        Assert.StartsWith("Team sessions are kept in the cluster, and this console runs offline", cut.Find("#sessions-offline").TextContent.Trim());
        Assert.Equal(Text("Cluster.KubeconfigUnreadable"), cut.Find("#sessions-kubeconfig-problem").TextContent.Trim());
    }

    protected override Task DisposeTestAsync()
    {
        if (_kubeconfigDirectory is not null) Directory.Delete(_kubeconfigDirectory, recursive: true);
        return Task.CompletedTask;
    }
}
