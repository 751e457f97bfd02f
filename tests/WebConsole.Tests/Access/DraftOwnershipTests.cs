using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Drafts;
using WebConsole.Features.Access;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Access;

/// <summary>A draft (access token included) belongs to the person who entered it: found again only by them, gone at their sign-out.</summary>
public sealed class DraftOwnershipTests
{
    private const string Token = "FIRST-PERSON-TOKEN-0123456789";
    private static readonly string First = DraftOwner.KeyFor(SessionClaims.AccessKeyUserName, "aaaa1111");
    private static readonly string Second = DraftOwner.KeyFor(SessionClaims.AccessKeyUserName, "bbbb2222");

    [Fact]
    public void Another_owner_does_not_find_the_draft_by_its_id_and_the_owner_still_does()
    {
        var store = new WizardDraftStore(TimeProvider.System);
        var draft = store.Create(First);
        draft.AccessToken = Token;

        Assert.Null(store.Find(draft.Id, Second));
        Assert.Null(store.Find(draft.Id, DraftOwners.LocalUser));
        Assert.Same(draft, store.Find(draft.Id, First));
    }

    [Fact]
    public void A_second_person_on_the_same_tab_gets_a_new_empty_draft()
    {
        var store = new WizardDraftStore(TimeProvider.System);
        var first = new WizardState(store);
        var tabId = first.Attach(null, First);
        first.SetAccessToken(Token);
        first.SetActiveStep(WizardStep.Istio);

        var second = new WizardState(store);
        var secondId = second.Attach(tabId, Second);

        Assert.NotEqual(tabId, secondId);
        Assert.Equal("", second.Draft.AccessToken);
        Assert.Equal(WizardStep.Product, second.Draft.ActiveStep);
    }

    [Fact]
    public void Discarding_an_owners_drafts_leaves_everyone_elses()
    {
        var store = new WizardDraftStore(TimeProvider.System);
        var mine = new[] { store.Create(First), store.Create(First) };
        var theirs = store.Create(Second);

        Assert.Equal(2, store.DiscardOwnedBy(First));

        Assert.All(mine, d => Assert.Null(store.Find(d.Id, First)));
        Assert.Same(theirs, store.Find(theirs.Id, Second));
    }

    [Fact]
    public async Task Signing_out_discards_the_sessions_drafts()
    {
        const string key = "drafts-access-key-0123456789abcdef";
        using var factory = new ConsoleAppFactory(ConsoleAppFactory.AccessKeyMode(key), listenOnAnyAddress: true);
        using var client = factory.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await AccessKeySignInTests.SignInAsync(client, key)).StatusCode);
        var sessionId = factory.Logs.Events.Single(e => e.EventId.Id == 9201).Values["SessionId"]!;
        var store = factory.Services.GetRequiredService<WizardDraftStore>();
        var owner = DraftOwner.KeyFor(SessionClaims.AccessKeyUserName, sessionId);
        var draft = store.Create(owner);
        draft.AccessToken = Token;
        var otherSession = store.Create(Second);
        var page = await (await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"))).Content.ReadAsStringAsync();

        var signOut = await client.SendAsync(Html.Navigation(HttpMethod.Post, "/signout",
            Html.Form(("__RequestVerificationToken", Html.AntiforgeryToken(page, "signout-form")))));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Null(store.Find(draft.Id, owner));
        Assert.Same(otherSession, store.Find(otherSession.Id, Second));
    }

    [Fact]
    public void Without_sign_in_every_draft_belongs_to_the_local_user()
    {
        var settings = AccessSettings.Read(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        Assert.Equal(DraftOwners.LocalUser, new DraftOwner(settings, new TestUser()).Key);
    }
}
