using MeshConsole.Domain.Onboarding;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebConsole.Drafts;

namespace WebConsole.Features.Onboarding;

/// <summary>
/// A participant's tab remembers its session in the tab's own session storage (only the session id, which the join
/// link carried anyway). A console restart forgets every draft, so a reload would otherwise open a blank stand-alone
/// wizard: instead the tab goes back through its join link, where the name this browser joined with resumes the
/// participant's record. Other tabs of the browser, and the facilitator's, never held the id and stay where they are.
/// </summary>
public sealed class TabSession(WizardState wizard, OnboardingWorkflow onboarding, IJSRuntime js, NavigationManager navigation)
{
    public const string SessionIdKey = "lightstep-console.tab-session";

    /// <summary>
    /// Call once the tab's draft is attached: a participant's tab records its session; a tab that was a participant's
    /// but whose draft the console no longer has is sent back to its join link (true: the page is navigating away).
    /// </summary>
    public async Task<bool> ReturnToSessionAsync()
    {
        if (wizard.Draft.Participation is { } me)
        {
            await js.InvokeVoidAsync("sessionStorage.setItem", SessionIdKey, me.SessionId);
            return false;
        }
        var remembered = await js.InvokeAsync<string?>("sessionStorage.getItem", SessionIdKey);
        if (!SessionIds.IsValid(remembered)) return false;
        // A session reset since (its records deleted) has nothing to return to: the tab becomes a stand-alone wizard.
        if (await onboarding.SessionExistsAsync(remembered!) == false)
        {
            await js.InvokeVoidAsync("sessionStorage.removeItem", SessionIdKey);
            return false;
        }
        navigation.NavigateTo($"/join/{remembered}");
        return true;
    }
}
