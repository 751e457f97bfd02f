using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace WebConsole.Drafts;

/// <summary>
/// Connects a page to its tab's draft: the tab keeps only the draft's random id (encrypted, in session storage), and
/// every page of the tab (the wizard, the session pages) works on the same draft and cluster context.
/// The id finds the draft only for its owner: after sign-out and another person's sign-in on the same tab, the stored id
/// leads to nothing and the tab starts a new draft.
/// Call from OnAfterRenderAsync: browser storage is unreachable before the first render.
/// </summary>
public sealed class TabDraft(ProtectedSessionStorage storage, WizardState state, IDraftOwner owner, IEnumerable<IDraftObserver> observers)
{
    private const string DraftKey = "lightstep-console.draft";

    public async Task AttachAsync()
    {
        if (state.IsAttached) return;
        string? draftId = null;
        try
        {
            var stored = await storage.GetAsync<string>(DraftKey);
            draftId = stored.Success ? stored.Value : null;
        }
        catch (CryptographicException)
        {
            // Keys rotated or the server was replaced: the old id is unreadable, start a new draft.
        }
        var id = state.Attach(draftId, owner.Key);
        foreach (var observer in observers) observer.Attached();
        if (id != draftId)
            await storage.SetAsync(DraftKey, id);
    }
}

/// <summary>
/// A feature that reads something of the draft once the tab is attached to it (the cluster context, say). The draft
/// layer knows no feature: features register as observers instead.
/// </summary>
public interface IDraftObserver
{
    void Attached();
}
