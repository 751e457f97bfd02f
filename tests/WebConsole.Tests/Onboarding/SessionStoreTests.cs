using System.Text;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Onboarding;

namespace WebConsole.Tests.Onboarding;

public sealed class SessionStoreTests
{
    private static readonly string[] TenNames =
        ["Ann Lee", "Ann-Lee", "ann_lee", "ANN.LEE", "José", "Zoë", "Bob", "Carol Danvers", "李雷", "r2d2"];

    [Fact]
    public async Task A_new_session_lives_in_a_labelled_secret_in_the_console_namespace_which_is_created_for_it()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        Assert.Null(cluster.Emulator.Store.Get("v1", "Namespace", null, OnboardingObjects.DefaultNamespace));

        var record = await cluster.CreateSessionAsync();

        Assert.True(SessionIds.IsValid(record.Session.Id));
        Assert.Equal("bookinfo-{name}", record.Session.NamespacePattern);
        Assert.Equal(cluster.Clock.Now, record.Session.CreatedAt);
        Assert.NotNull(cluster.Emulator.Store.Get("v1", "Namespace", null, OnboardingObjects.DefaultNamespace));
        var secret = cluster.Emulator.Store.Get("v1", "Secret", OnboardingObjects.DefaultNamespace, $"lightstep-console-session-{record.Session.Id}")!;
        Assert.Equal(PlanBuilder.ManagedByValue, (string?)secret["metadata"]!["labels"]![PlanBuilder.ManagedByLabel]);
        Assert.Equal(record.Session.Id, (string?)secret["metadata"]!["labels"]![OnboardingObjects.SessionLabel]);
        Assert.Equal(record, (await cluster.Store().GetSessionAsync(record.Session.Id)).Value);
        Assert.Equal([record.Session], (await cluster.Store().ListSessionsAsync()).Value);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public async Task Participants_joining_at_once_each_get_their_own_valid_namespace_from_the_pattern(int count)
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var session = (await cluster.CreateSessionAsync()).Session;
        var names = TenNames.Take(count).ToArray();

        // One store per participant: each browser tab may be served by another console instance.
        var joins = await Task.WhenAll(names.Select(n => cluster.Store().JoinAsync(session.Id, n)));

        Assert.All(joins, j => Assert.True(j.Succeeded && j.Value!.Joined && !j.Value.Resumed, j.Failure?.ToString()));
        var namespaces = joins.Select(j => j.Value!.Participant!.Namespace).ToList();
        Assert.Equal(count, namespaces.Distinct().Count());
        Assert.All(namespaces, ns => Assert.True(NamespaceRules.IsDns1123Label(ns) && ns.StartsWith("bookinfo-", StringComparison.Ordinal), ns));
        var expected = count == 2
            ? new[] { "bookinfo-ann-lee", "bookinfo-ann-lee-2" }
            : ["bookinfo-ann-lee", "bookinfo-ann-lee-2", "bookinfo-ann-lee-3", "bookinfo-ann-lee-4", "bookinfo-jose", "bookinfo-zoe", "bookinfo-bob",
                "bookinfo-carol-danvers", "bookinfo-participant", "bookinfo-r2d2"];
        Assert.Equal(expected.Order(), namespaces.Order());
        var listed = (await cluster.Store().ListParticipantsAsync(session.Id)).Value!;
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), listed.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase));
        Assert.All(listed, p => Assert.Equal(ParticipantProgress.JoinedStep, p.Step));
    }

    [Fact]
    public async Task Joining_again_under_the_same_name_resumes_the_same_record_even_from_several_tabs_at_once()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var session = (await cluster.CreateSessionAsync()).Session;
        var first = (await cluster.Store().JoinAsync(session.Id, "Alice")).Value!.Participant!;
        await cluster.Store().UpdateProgressAsync(session.Id, "Alice", p => p with { Step = "bookinfo", RequestsSent = 12 });

        var again = (await cluster.Store().JoinAsync(session.Id, "  alice ")).Value!;
        var tabs = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => cluster.Store().JoinAsync(session.Id, "Sam")));

        Assert.True(again.Resumed);
        Assert.Equal(first.Namespace, again.Participant!.Namespace);
        Assert.Equal("Alice", again.Participant.Name);
        Assert.Equal(("bookinfo", 12L), (again.Participant.Step, again.Participant.RequestsSent));
        Assert.All(tabs, t => Assert.Equal("bookinfo-sam", t.Value!.Participant!.Namespace));
        Assert.Single(tabs, t => !t.Value!.Resumed);
        Assert.Equal(["Alice", "Sam"], (await cluster.Store().ListParticipantsAsync(session.Id)).Value!.Select(p => p.Name));
    }

    [Fact]
    public async Task Namespaces_that_exist_or_belong_to_another_session_are_never_handed_out()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        cluster.CreateNamespace("bookinfo-alice");
        var morning = (await cluster.CreateSessionAsync()).Session;
        var afternoon = (await cluster.CreateSessionAsync()).Session;

        var alice = (await cluster.Store().JoinAsync(morning.Id, "Alice")).Value!.Participant!;
        var bobMorning = (await cluster.Store().JoinAsync(morning.Id, "Bob")).Value!.Participant!;
        var bobAfternoon = (await cluster.Store().JoinAsync(afternoon.Id, "Bob")).Value!.Participant!;

        Assert.Equal("bookinfo-alice-2", alice.Namespace);
        Assert.Equal("bookinfo-bob", bobMorning.Namespace);
        Assert.Equal("bookinfo-bob-2", bobAfternoon.Namespace);
    }

    [Fact]
    public async Task Joins_are_refused_for_bad_names_unknown_sessions_and_ended_sessions_but_a_returning_participant_resumes()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var store = cluster.Store();
        var session = (await cluster.CreateSessionAsync(store)).Session;
        await store.JoinAsync(session.Id, "Alice");
        await store.EndSessionAsync(session.Id);

        var badName = (await store.JoinAsync(session.Id, "alice@example.com")).Value!;
        var unknown = (await store.JoinAsync("zzzzzzzz", "Bob")).Value!;
        var ended = (await store.JoinAsync(session.Id, "Bob")).Value!;
        var returning = (await store.JoinAsync(session.Id, "Alice")).Value!;

        Assert.Equal(JoinRefusal.InvalidName, badName.Refusal);
        Assert.Equal("Participant.NameInvalidCharacters", Assert.Single(badName.Issues).Code);
        Assert.Equal(JoinRefusal.SessionNotFound, unknown.Refusal);
        Assert.Equal(JoinRefusal.SessionEnded, ended.Refusal);
        Assert.True(returning.Resumed);
    }

    [Fact]
    public async Task Concurrent_progress_updates_on_different_participants_and_on_the_same_one_lose_nothing()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var session = (await cluster.CreateSessionAsync()).Session;
        string[] names = ["Ann", "Ben", "Cat", "Dan", "Eve", "Fay"];
        foreach (var name in names) await cluster.Store().JoinAsync(session.Id, name);
        const int tasksPerParticipant = 5, incrementsPerTask = 4;

        var updates = names.SelectMany(name => Enumerable.Range(0, tasksPerParticipant).Select(async task =>
        {
            var store = cluster.Store();
            for (var i = 0; i < incrementsPerTask; i++)
            {
                var updated = await store.UpdateProgressAsync(session.Id, name, p => p with { RequestsSent = p.RequestsSent + 1, TracesLinked = p.TracesLinked + 2 });
                Assert.True(updated.Succeeded, updated.Failure?.ToString());
            }
        }));
        var stepChange = cluster.Store().UpdateProgressAsync(session.Id, "Ann", p => p with { Step = "traffic", LastError = "gateway timeout" });
        await Task.WhenAll(updates.Append(stepChange));

        var participants = (await cluster.Store().ListParticipantsAsync(session.Id)).Value!;
        Assert.All(participants, p => Assert.Equal((20L, 40L), (p.RequestsSent, p.TracesLinked)));
        var ann = participants.Single(p => p.Name == "Ann");
        Assert.Equal(("traffic", "gateway timeout"), (ann.Step, ann.LastError));
    }

    [Fact]
    public async Task An_update_cannot_move_a_participant_to_another_namespace_and_stamps_the_time()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var session = (await cluster.CreateSessionAsync()).Session;
        var joined = (await cluster.Store().JoinAsync(session.Id, "Alice")).Value!.Participant!;
        cluster.Clock.Now += TimeSpan.FromMinutes(3);

        var updated = (await cluster.Store().UpdateProgressAsync(session.Id, "alice",
            p => p with { Namespace = "kube-system", Name = "Mallory", DeploymentsReady = 4, DeploymentsTotal = 6 })).Value!;

        Assert.Equal((joined.Name, joined.Namespace, joined.JoinedAt), (updated.Name, updated.Namespace, updated.JoinedAt));
        Assert.Equal((4, 6), (updated.DeploymentsReady, updated.DeploymentsTotal));
        Assert.Equal(cluster.Clock.Now, updated.UpdatedAt);
        var missing = await cluster.Store().UpdateProgressAsync(session.Id, "Nobody", p => p);
        Assert.Equal(MeshConsole.Domain.Cluster.ClusterFailureKind.NotFound, missing.Failure?.Kind);
    }

    [Fact]
    public async Task After_a_console_restart_a_new_store_sees_the_same_sessions_participants_and_apply_records()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var before = cluster.Store();
        var session = (await cluster.CreateSessionAsync(before)).Session;
        foreach (var name in new[] { "Alice", "Bob", "Carol" }) await before.JoinAsync(session.Id, name);
        await before.UpdateProgressAsync(session.Id, "Bob", p => p with { Step = "traffic", RequestsSent = 50, TracesLinked = 48 });
        await before.RecordSharedApplyAsync(session.Id, "Fran", "mesh-tracing", ["ConfigMap/istio -n istio-system"]);
        var recordBefore = (await before.GetSessionAsync(session.Id)).Value!;
        var participantsBefore = (await before.ListParticipantsAsync(session.Id)).Value!;

        var after = new SessionStore(cluster.NewConsole(), cluster.Clock);

        Assert.Equal(recordBefore, (await after.GetSessionAsync(session.Id)).Value);
        Assert.Equal(participantsBefore, (await after.ListParticipantsAsync(session.Id)).Value);
        Assert.Equal([session], (await after.ListSessionsAsync()).Value);
        var apply = Assert.Single(recordBefore.Applies);
        Assert.Equal(("Fran", "mesh-tracing", cluster.Clock.Now), (apply.Who, apply.Action, apply.At));
        Assert.True((await after.JoinAsync(session.Id, "bob")).Value!.Resumed);
    }

    [Fact]
    public async Task Ending_a_session_returns_exactly_its_participants_namespaces_and_a_summary()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var store = cluster.Store();
        var session = (await cluster.CreateSessionAsync(store)).Session;
        var other = (await cluster.CreateSessionAsync(store)).Session;
        foreach (var name in new[] { "Alice", "alice_", "Bob" }) await store.JoinAsync(session.Id, name);
        await store.JoinAsync(other.Id, "Carol");
        cluster.Clock.Now += TimeSpan.FromHours(1);

        var ending = (await store.EndSessionAsync(session.Id)).Value!;
        var again = (await store.EndSessionAsync(session.Id)).Value!;

        Assert.Equal(["bookinfo-alice", "bookinfo-alice-2", "bookinfo-bob"], ending.ParticipantNamespaces);
        Assert.Equal(cluster.Clock.Now, ending.Session.EndedAt);
        Assert.Equal(ending.Session.EndedAt, again.Session.EndedAt);
        Assert.Equal(3, ending.Summary.Participants.Count);
        Assert.Contains("Bob,bookinfo-bob,joined,", ending.Summary.ToCsv());
        Assert.False((await store.GetSessionAsync(other.Id)).Value!.Session.HasEnded);
    }

    [Fact]
    public async Task Deleting_a_session_removes_its_objects_and_no_one_elses()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var store = cluster.Store();
        var session = (await cluster.CreateSessionAsync(store)).Session;
        var other = (await cluster.CreateSessionAsync(store)).Session;
        await store.JoinAsync(session.Id, "Alice");
        await store.JoinAsync(other.Id, "Bob");

        Assert.True((await store.DeleteSessionAsync(session.Id)).Value);

        Assert.Null((await store.GetSessionAsync(session.Id)).Value);
        Assert.DoesNotContain(cluster.Emulator.Store.List("v1", "ConfigMap", OnboardingObjects.DefaultNamespace),
            c => (string?)c["metadata"]!["labels"]?[OnboardingObjects.SessionLabel] == session.Id);
        Assert.Single((await store.ListParticipantsAsync(other.Id)).Value!);
        Assert.Equal("bookinfo-alice", (await store.JoinAsync(other.Id, "Alice")).Value!.Participant!.Namespace);
    }

    [Fact]
    public async Task The_session_token_never_appears_in_failures_or_printed_results()
    {
        await using var cluster = await OnboardingCluster.StartAsync();
        var store = cluster.Store();
        var record = await cluster.CreateSessionAsync(store);
        var joined = (await store.JoinAsync(record.Session.Id, "Alice")).Value!;
        var ending = (await store.EndSessionAsync(record.Session.Id)).Value!;
        var echo = $"admission webhook denied the request: accessToken {OnboardingCluster.SessionToken} is not allowed";
        cluster.Emulator.Faults.Fail(null, "/secrets", 422, "Invalid", echo);
        cluster.Emulator.Faults.Fail(null, "/configmaps", 403, "Forbidden", echo);

        var failures = new[]
        {
            (await store.CreateSessionAsync("Again", "ctx", "Fran", OnboardingCluster.Settings())).Failure,
            (await store.GetSessionAsync(record.Session.Id)).Failure,
            (await store.JoinAsync(record.Session.Id, "Bob")).Failure,
            (await store.UpdateProgressAsync(record.Session.Id, "Alice", p => p)).Failure,
            (await store.RecordSharedApplyAsync(record.Session.Id, "Fran", "mesh", [])).Failure,
            (await new SessionStore(cluster.NewConsole(), cluster.Clock).GetSessionAsync(record.Session.Id)).Failure,
        };
        cluster.Emulator.Faults.Clear();
        cluster.Emulator.Store.Put(Corrupt(cluster.Emulator.Store.Get("v1", "Secret", OnboardingObjects.DefaultNamespace,
            OnboardingObjects.SessionSecretName(record.Session.Id))!));
        var unreadable = (await store.GetSessionAsync(record.Session.Id)).Failure;

        Assert.All(failures, f => Assert.NotNull(f));
        Assert.Equal("Onboarding.UnreadableRecord", unreadable?.Code);
        var printed = string.Join("\n", failures.Select(f => $"{f} {f!.ServerMessage} {string.Join(",", f.Arguments)}")
            .Append(unreadable!.ToString()).Append(record.ToString()).Append(joined.ToString()).Append(ending.ToString())
            .Append(ending.Summary.ToCsv()).Append(ending.Summary.ToJson()));
        Assert.True(!printed.Contains(OnboardingCluster.SessionToken), printed);
        Assert.Contains("••••3210", printed);
    }

    private static System.Text.Json.Nodes.JsonObject Corrupt(System.Text.Json.Nodes.JsonObject secret)
    {
        var json = Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![OnboardingObjects.SessionDataKey]!));
        secret["data"]![OnboardingObjects.SessionDataKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(json.Replace("\"version\":1", "\"version\":7")));
        return secret;
    }
}
