using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WebConsole.Drafts;

/// <summary>Server-side home of every tab's draft, found again by the id the tab keeps in session storage.</summary>
public sealed class WizardDraftStore(TimeProvider clock)
{
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, WizardDraft> _drafts = new(StringComparer.Ordinal);

    public WizardDraft Create()
    {
        RemoveIdle();
        var draft = new WizardDraft(Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant())
        {
            LastTouched = clock.GetUtcNow(),
        };
        _drafts[draft.Id] = draft;
        return draft;
    }

    public WizardDraft? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_drafts.TryGetValue(id, out var draft)) return null;
        if (clock.GetUtcNow() - draft.LastTouched > IdleLifetime)
        {
            _drafts.TryRemove(id, out _);
            return null;
        }
        draft.LastTouched = clock.GetUtcNow();
        return draft;
    }

    private void RemoveIdle()
    {
        var cutoff = clock.GetUtcNow() - IdleLifetime;
        foreach (var (id, draft) in _drafts)
            if (draft.LastTouched < cutoff)
                _drafts.TryRemove(id, out _);
    }
}
