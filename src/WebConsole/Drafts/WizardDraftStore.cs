using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WebConsole.Drafts;

/// <summary>
/// Server-side home of every tab's draft, found again by the id the tab keeps in session storage, and only by the
/// draft's owner (<see cref="IDraftOwner"/>): another person signing in on the same tab gets a draft of their own.
/// </summary>
public sealed class WizardDraftStore(TimeProvider clock)
{
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, WizardDraft> _drafts = new(StringComparer.Ordinal);

    public WizardDraft Create(string owner)
    {
        RemoveIdle();
        var draft = new WizardDraft(Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant())
        {
            Owner = owner,
            LastTouched = clock.GetUtcNow(),
        };
        _drafts[draft.Id] = draft;
        return draft;
    }

    /// <summary>The draft with this id when <paramref name="owner"/> owns it; another owner's draft is not found (and not touched).</summary>
    public WizardDraft? Find(string? id, string owner)
    {
        if (string.IsNullOrEmpty(id) || !_drafts.TryGetValue(id, out var draft) || !string.Equals(draft.Owner, owner, StringComparison.Ordinal))
            return null;
        if (clock.GetUtcNow() - draft.LastTouched > IdleLifetime)
        {
            _drafts.TryRemove(id, out _);
            return null;
        }
        draft.LastTouched = clock.GetUtcNow();
        return draft;
    }

    /// <summary>Forgets every draft of <paramref name="owner"/> (on sign-out: nothing they entered outlives their session); returns how many.</summary>
    public int DiscardOwnedBy(string owner)
    {
        var discarded = 0;
        foreach (var (id, draft) in _drafts)
            if (string.Equals(draft.Owner, owner, StringComparison.Ordinal) && _drafts.TryRemove(id, out _))
                discarded++;
        return discarded;
    }

    private void RemoveIdle()
    {
        var cutoff = clock.GetUtcNow() - IdleLifetime;
        foreach (var (id, draft) in _drafts)
            if (draft.LastTouched < cutoff)
                _drafts.TryRemove(id, out _);
    }
}
