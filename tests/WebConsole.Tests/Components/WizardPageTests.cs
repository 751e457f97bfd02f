using Bunit;
using MeshConsole.Domain.Planning;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebConsole.Components.Pages;
using WebConsole.Drafts;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>
/// The Wizard page with a real ProtectedSessionStorage: data protection runs for real (ephemeral keys) and bUnit's
/// JS interop stands in for the browser's sessionStorage.getItem/setItem.
/// </summary>
public class WizardPageTests : ConsoleTestContext
{
    private const string DraftKey = "lightstep-console.draft";
    private const string ValidToken = "WizTok-abcdef0123456789-LMNO";

    private IRenderedComponent<Wizard> RenderReadyWizard()
    {
        var cut = Render<Wizard>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#circuit-state").GetAttribute("data-interactive")));
        return cut;
    }

    private static string ActiveStep(IRenderedComponent<Wizard> cut) => cut.Find("#circuit-state").GetAttribute("data-step")!;

    [Fact]
    public void First_visit_starts_a_new_draft_and_keeps_only_its_protected_id_in_the_tab()
    {
        var cut = RenderReadyWizard();

        Assert.True(State.IsAttached);
        Assert.Equal("Product", ActiveStep(cut));
        var set = Assert.Single(JSInterop.Invocations, i => i.Identifier == "sessionStorage.setItem");
        Assert.Equal(DraftKey, set.Arguments[0]);
        var stored = Assert.IsType<string>(set.Arguments[1]);
        Assert.DoesNotContain(State.Draft.Id, stored);
        Assert.NotNull(cut.Find("#step-product"));
    }

    [Fact]
    public async Task Returning_tab_restores_its_draft_through_session_storage()
    {
        var store = Services.GetRequiredService<WizardDraftStore>();
        var draft = store.Create(DraftOwners.LocalUser);
        draft.ActiveStep = WizardStep.Token;
        draft.AccessToken = ValidToken;
        // What the page would have stored earlier: the id protected by ProtectedSessionStorage.
        await Services.GetRequiredService<ProtectedSessionStorage>().SetAsync(DraftKey, draft.Id);
        var protectedId = (string)JSInterop.Invocations.Single(i => i.Identifier == "sessionStorage.setItem").Arguments[1]!;
        JSInterop.Setup<string?>("sessionStorage.getItem", DraftKey).SetResult(protectedId);

        var cut = RenderReadyWizard();

        Assert.Same(draft, State.Draft);
        Assert.Equal("Token", ActiveStep(cut));
        // Restored, so nothing new is written.
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "sessionStorage.setItem");
        Assert.Contains("••••LMNO", cut.Find("#token-status").TextContent);
        Assert.DoesNotContain(ValidToken, cut.Markup);
    }

    [Fact]
    public void Unreadable_stored_id_starts_a_new_draft()
    {
        JSInterop.Setup<string?>("sessionStorage.getItem", DraftKey).SetResult("CfDJ8-not-a-valid-protected-payload");

        var cut = RenderReadyWizard();

        Assert.True(State.IsAttached);
        Assert.Equal("Product", ActiveStep(cut));
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "sessionStorage.setItem");
    }

    [Fact]
    public void Next_from_the_token_step_without_a_token_is_refused()
    {
        var cut = RenderReadyWizard();
        cut.Find("#wizard-next").Click();
        Assert.Equal("Token", ActiveStep(cut));

        cut.Find("#wizard-next").Click();

        Assert.Equal("Token", ActiveStep(cut));
        Assert.Equal(WizardStep.Token, State.Draft.ActiveStep);
        var snackbar = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal("Fix the problems in \"Access token\" before continuing.", snackbar.Message);
        Assert.Equal(Severity.Warning, snackbar.Severity);

        cut.Find("#token-input").Change(ValidToken);
        cut.Find("#wizard-next").Click();

        Assert.Equal("Satellite", ActiveStep(cut));
        Assert.DoesNotContain(ValidToken, cut.Markup);
    }

    private static AngleSharp.Dom.IElement StepHeader(IRenderedComponent<Wizard> cut, string title) =>
        cut.FindAll("button.mud-step").Single(b => b.TextContent.Trim().EndsWith(title, StringComparison.Ordinal));

    [Fact]
    public void Jumping_ahead_by_the_step_header_stops_at_the_first_step_with_errors()
    {
        var cut = RenderReadyWizard();

        StepHeader(cut, "Review").Click();

        Assert.Equal("Token", ActiveStep(cut));
        var snackbar = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal("Fix the problems in \"Access token\" before continuing.", snackbar.Message);
        Assert.NotNull(cut.Find("#step-token"));
    }

    [Fact]
    public void Step_headers_jump_freely_when_nothing_blocks()
    {
        var cut = RenderReadyWizard();
        State.SetAccessToken(ValidToken);
        State.SetSkipCertificate(true);
        State.SetIstioVersionText("1.26");

        StepHeader(cut, "Review").Click();
        Assert.Equal("Review", ActiveStep(cut));
        Assert.Contains("••••LMNO", cut.Find("#review-token").TextContent);
        Assert.DoesNotContain(ValidToken, cut.Markup);

        StepHeader(cut, "Product").Click();
        Assert.Equal("Product", ActiveStep(cut));
        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }

    [Fact]
    public void Back_is_disabled_on_the_first_step_and_returns_otherwise()
    {
        var cut = RenderReadyWizard();
        Assert.True(cut.Find("#wizard-back").HasAttribute("disabled"));

        cut.Find("#wizard-next").Click();
        cut.Find("#wizard-back").Click();

        Assert.Equal("Product", ActiveStep(cut));
    }

    [Fact]
    public void Going_back_is_never_blocked()
    {
        var cut = RenderReadyWizard();
        State.SetAccessToken(ValidToken);
        cut.Find("#wizard-next").Click();
        cut.Find("#wizard-next").Click();
        Assert.Equal("Satellite", ActiveStep(cut));
        cut.InvokeAsync(() => State.SetAccessToken("bad token"));

        cut.Find("#wizard-back").Click();

        Assert.Equal("Token", ActiveStep(cut));
        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }
}

/// <summary>The "no moving forward past a step with errors" rule, as WizardState exposes it to the page.</summary>
public class WizardBlockingRuleTests : ConsoleTestContext
{
    [Fact]
    public void Fresh_draft_blocks_at_the_token_step()
    {
        var state = AttachFreshDraft();

        Assert.Null(state.FirstBlockingStepBefore(WizardStep.Product));
        Assert.Null(state.FirstBlockingStepBefore(WizardStep.Token));
        Assert.Equal(WizardStep.Token, state.FirstBlockingStepBefore(WizardStep.Satellite));
        Assert.Equal(WizardStep.Token, state.FirstBlockingStepBefore(WizardStep.Review));
    }

    [Fact]
    public void Each_fixed_step_moves_the_block_further()
    {
        var state = AttachFreshDraft();

        state.SetAccessToken("Blk-token-0123456789");
        Assert.Equal(WizardStep.Certificate, state.FirstBlockingStepBefore(WizardStep.Review));

        state.SetSkipCertificate(true);
        Assert.Equal(WizardStep.Istio, state.FirstBlockingStepBefore(WizardStep.Review));

        state.SetIstioVersionText("1.26");
        Assert.Null(state.FirstBlockingStepBefore(WizardStep.Cleanup));
        Assert.NotNull(state.Plan);
    }

    [Fact]
    public void On_prem_product_blocks_at_the_satellite_step_once_the_token_is_fine()
    {
        var state = AttachFreshDraft();
        state.SetProduct(LightStepProduct.OnPremSatellites);
        state.SetAccessToken("Blk-token-0123456789");

        Assert.Equal(WizardStep.Satellite, state.FirstBlockingStepBefore(WizardStep.Certificate));
        state.SetOnPremSatelliteAddress("sat.example.com:8443");
        Assert.Equal(WizardStep.Certificate, state.FirstBlockingStepBefore(WizardStep.Namespaces));
    }

    [Fact]
    public void Warnings_do_not_block()
    {
        var state = AttachFreshDraft();
        state.SetAccessToken("Blk-token-0123456789");
        state.SetSkipCertificate(true);
        state.SetIstioVersionText("1.26");
        state.SetSamplingText("50");

        Assert.NotEmpty(state.IssuesFor(WizardStep.Istio));
        Assert.False(state.HasErrors(WizardStep.Istio));
        Assert.Null(state.FirstBlockingStepBefore(WizardStep.Review));
    }
}

public class WizardDraftStoreTests : ConsoleTestContext
{
    [Fact]
    public void Idle_drafts_expire_and_the_tab_gets_a_new_one()
    {
        var store = Services.GetRequiredService<WizardDraftStore>();
        var draft = store.Create(DraftOwners.LocalUser);
        Assert.Same(draft, store.Find(draft.Id, DraftOwners.LocalUser));

        Clock.Now += WizardDraftStore.IdleLifetime - TimeSpan.FromMinutes(1);
        Assert.Same(draft, store.Find(draft.Id, DraftOwners.LocalUser));

        Clock.Now += WizardDraftStore.IdleLifetime + TimeSpan.FromMinutes(1);
        Assert.Null(store.Find(draft.Id, DraftOwners.LocalUser));
        Assert.NotEqual(draft.Id, State.Attach(draft.Id, DraftOwners.LocalUser));
    }

    [Fact]
    public void Unknown_ids_start_a_new_draft()
    {
        var id = State.Attach("no-such-draft", DraftOwners.LocalUser);

        Assert.NotEqual("no-such-draft", id);
        Assert.Equal(48, id.Length);
        Assert.Equal(WizardStep.Product, State.Draft.ActiveStep);
    }
}

public class ClusterStepTests : ConsoleTestContext
{
    [Theory]
    [InlineData(WizardStep.Apply, "Run preflight and dry-run")]
    [InlineData(WizardStep.Bookinfo, "Deploy Bookinfo")]
    [InlineData(WizardStep.Cleanup, "Clean up")]
    public void Offline_cluster_steps_explain_and_stay_disabled(WizardStep step, string action)
    {
        var cut = Render<WebConsole.Shared.Components.ClusterStep>(p => p.Add(c => c.Step, step));

        var name = step.ToString().ToLowerInvariant();
        Assert.StartsWith("Offline mode: no cluster is configured.", cut.Find($"#{name}-unavailable").TextContent.Trim());
        var button = cut.Find($"#{name}-action");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Equal(action, button.TextContent.Trim());
    }
}
