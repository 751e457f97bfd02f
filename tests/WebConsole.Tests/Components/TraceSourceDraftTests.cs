using Bunit;
using MeshConsole.Domain.Traffic;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Drafts;
using WebConsole.Features.Traffic;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>
/// The Traffic step's trace source (backend, query URL) and its query key are kept in the tab's draft: a reload, which
/// is a new circuit attaching to the same draft id, finds both, the key shown masked only.
/// </summary>
public class TraceSourceDraftTests : ConsoleTestContext
{
    private const string QueryKey = "tempo-query-key-Secret-77f1-WXYZ";
    private const string QueryUrl = "http://127.0.0.1:3200/";

    [Fact]
    public async Task A_reloaded_tab_keeps_the_trace_backend_its_url_and_the_key_masked_and_never_renders_the_key()
    {
        var draftId = AttachFreshDraft().Draft.Id;
        var cut = Render<TraceView>();
        cut.Find("#trace-backend").Change(nameof(TraceBackendKind.GrafanaTempo));
        cut.Find("#trace-query-url").Change(QueryUrl);
        cut.Find("#trace-query-key").Change(QueryKey);

        Assert.Equal("A key is stored on the server: ••••WXYZ", cut.Find("#trace-query-key-stored").TextContent.Trim());
        Assert.DoesNotContain(QueryKey, cut.Markup);
        Assert.Contains(QueryKey, State.SensitiveValues);

        // The reload: a new circuit (its own WizardState and TraceViewSession) attaching the id the tab kept.
        var reloaded = new Tab(Services.GetRequiredService<WizardDraftStore>());
        try
        {
            reloaded.TabState.Attach(draftId, DraftOwners.LocalUser);
            var after = reloaded.Render<TraceView>();

            Assert.Equal(nameof(TraceBackendKind.GrafanaTempo), after.Find("#trace-backend").GetAttribute("value"));
            Assert.Equal(QueryUrl, after.Find("#trace-query-url").GetAttribute("value"));
            Assert.Equal("A key is stored on the server: ••••WXYZ", after.Find("#trace-query-key-stored").TextContent.Trim());
            Assert.False(after.Find("#trace-query-key").HasAttribute("value"));
            Assert.DoesNotContain(QueryKey, after.Markup);
            var view = reloaded.Services.GetRequiredService<TraceViewSession>();
            Assert.Equal(TraceBackendKind.GrafanaTempo, view.Backend.Kind);
            Assert.IsType<TempoTraceSource>(view.Source().Source);
            Assert.DoesNotContain(QueryKey, view.ToString());
        }
        finally
        {
            await ((IAsyncLifetime)reloaded).DisposeAsync();
        }
    }

    [Fact]
    public void An_empty_key_entry_keeps_the_stored_key_and_a_new_one_replaces_it()
    {
        AttachFreshDraft();
        var cut = Render<TraceView>();
        cut.Find("#trace-backend").Change(nameof(TraceBackendKind.GrafanaTempo));
        cut.Find("#trace-query-key").Change(QueryKey);

        cut.Find("#trace-query-key").Change("   ");
        Assert.Equal(QueryKey, State.Draft.TraceQueryKey);

        cut.Find("#trace-query-key").Change("another-key-0000-ABCD");
        Assert.Equal("another-key-0000-ABCD", State.Draft.TraceQueryKey);
        Assert.Equal("A key is stored on the server: ••••ABCD", cut.Find("#trace-query-key-stored").TextContent.Trim());
    }

    private sealed class Tab : ConsoleTestContext
    {
        public Tab(WizardDraftStore store) => Services.AddSingleton(store);

        public WizardState TabState => State;
    }
}
