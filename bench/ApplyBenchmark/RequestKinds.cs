using KubeEmulator;
using WebConsole.Features.Cluster;

namespace ApplyBenchmark;

/// <summary>What one emulator request was for, so both tools' traffic can be compared column by column.</summary>
public static class RequestKinds
{
    public const string Discovery = "discovery"; // /version[/], /api, /api/v1, /apis, /apis/{g}, /apis/{g}/{v}, /openapi/*
    public const string Get = "get";             // GET of one object
    public const string List = "list";           // GET of a collection
    public const string DryRun = "dry-run";      // PATCH/POST/PUT with dryRun=All
    public const string Apply = "apply";         // PATCH without dryRun (server-side apply of a planned object)
    public const string JournalRead = "journal-read";   // GET of the console's undo-journal Secret
    public const string JournalWrite = "journal-write"; // any other request on it (the apply that records "before")
    public const string AccessReview = "ssar";   // POST selfsubjectaccessreviews
    public const string Other = "other";

    public static readonly string[] All = [Discovery, Get, List, DryRun, Apply, JournalRead, JournalWrite, AccessReview, Other];

    public static string Of(RecordedRequest r)
    {
        var segments = r.Path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0) return Other;
        if (r.Method == "GET" && (segments is ["version"]
                                  || segments[0] == "openapi"
                                  || (segments[0] == "api" && segments.Length <= 2)
                                  || (segments[0] == "apis" && segments.Length <= 3)))
            return Discovery;
        if (segments[^1] == UndoJournal.SecretName) return r.Method == "GET" ? JournalRead : JournalWrite;
        if (r.Method == "POST" && segments[^1] == "selfsubjectaccessreviews") return AccessReview;
        if (r.Method is "PATCH" or "POST" or "PUT" && r.QueryValue("dryRun") == "All") return DryRun;
        if (r.Method == "PATCH") return Apply;
        if (r.Method == "GET" && segments[0] is "api" or "apis") return IsCollection(segments) ? List : Get;
        return Other;
    }

    /// <summary>/api/v1/namespaces/ns/secrets (collection) vs /api/v1/namespaces/ns/secrets/name (object).</summary>
    private static bool IsCollection(string[] segments)
    {
        // Strip the group/version prefix: api/v1 or apis/group/version.
        var rest = segments[0] == "api" ? segments[2..] : segments[3..];
        if (rest.Length >= 2 && rest[0] == "namespaces") rest = rest.Length == 2 ? [] : rest[2..]; // namespaces/{ns}
        // rest is now [resource] (collection) or [resource, name] (object); [] is GET namespaces/{ns}, an object.
        return rest.Length == 1;
    }

    public static Counts Count(IEnumerable<RecordedRequest> requests)
    {
        var counts = All.ToDictionary(k => k, _ => 0);
        var failed = 0;
        foreach (var r in requests)
        {
            counts[Of(r)]++;
            if (r.StatusCode is 0 or >= 500) failed++;
        }
        return new Counts(counts, failed);
    }
}

public sealed record Counts(IReadOnlyDictionary<string, int> ByKind, int ServerErrors)
{
    public int Total => ByKind.Values.Sum();
    public int this[string kind] => ByKind[kind];
}
