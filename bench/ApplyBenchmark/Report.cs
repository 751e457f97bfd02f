using System.Globalization;
using K = ApplyBenchmark.RequestKinds;

namespace ApplyBenchmark;

public static class Report
{
    public static void Print(IReadOnlyList<SizeResult> results, int reps)
    {
        Table("CREATE on a fresh cluster (both tools create every Secret)", results, p => p.Create, reps);
        Table("RE-APPLY, no change (same command again on the cluster the create left)", results, p => p.Reapply, reps);
        Budget(results);
        WhereTimeGoes(results);
        OutsideRatio(results);
        Sequences(results[0]);
    }

    /// <summary>Every request of the first measured run of the smallest size, so the counts above can be checked by eye.</summary>
    private static void Sequences(SizeResult r)
    {
        Console.WriteLine($"== Request sequence, N={r.Workload.N}, first measured run (kind, method, path?query -> status) ==");
        var c = r.Console[0];
        var k = r.Kubectl[0];
        foreach (var (title, sample) in new[]
                 {
                     ("console preflight", c.Preflight!), ("console create", c.Create), ("console re-apply", c.Reapply),
                     ("kubectl create", k.Create), ("kubectl re-apply", k.Reapply),
                 })
        {
            Console.WriteLine($"  {title} ({sample.Requests.Count} requests)");
            var ssar = sample.Requests.Count(q => K.Of(q) == K.AccessReview);
            foreach (var q in sample.Requests.Where(q => K.Of(q) != K.AccessReview))
                Console.WriteLine($"    {K.Of(q),-13} {q.Method,-5} {q.Path}{(q.Query.Length > 0 ? "?" + q.Query : "")} -> {q.StatusCode}");
            if (ssar > 0) Console.WriteLine($"    {K.AccessReview,-13} POST  /apis/authorization.k8s.io/v1/selfsubjectaccessreviews x{ssar}");
        }
        Console.WriteLine();
    }

    private static void Table(string title, IReadOnlyList<SizeResult> results, Func<RunPair, Sample> pick, int reps)
    {
        Console.WriteLine($"== {title}; median of {reps} runs ==");
        Console.WriteLine("   N  tool      objs   req  req/obj  disc  get/obj  dry-run/obj  apply/obj  journal  other   wall ms (min..max)");
        foreach (var r in results)
        {
            var c = r.Console.Select(pick).ToList();
            var k = r.Kubectl.Select(pick).ToList();
            Row(r.Workload, "console", c);
            Row(r.Workload, "kubectl", k);
            var reqRatio = Median(c, s => s.Counts.Total) / Median(k, s => s.Counts.Total);
            var wallRatio = Median(c, s => s.WallMs) / Median(k, s => s.WallMs);
            Console.WriteLine($"      console/kubectl   x{reqRatio,-7:0.00}{"",62}x{wallRatio:0.00}  ({Verdict(wallRatio)})");
        }
        Console.WriteLine("   disc = /version, /api*, /apis*, /openapi* GETs; journal = console's undo-journal Secret (reads + writes, per run);");
        Console.WriteLine("   other = lists, access reviews, anything else. A '*' marks a count that varied between runs (median shown).");
        Console.WriteLine();
    }

    private static void Row(Workload w, string tool, List<Sample> s)
    {
        double Per(string kind) => Median(s, x => x.Counts[kind]) / w.Objects;
        string Mark(params string[] kinds) => s.Select(x => kinds.Sum(kind => x.Counts[kind])).Distinct().Count() > 1 ? "*" : " ";
        var journal = Median(s, x => x.Counts[K.JournalRead] + x.Counts[K.JournalWrite]);
        var other = Median(s, x => x.Counts[K.List] + x.Counts[K.AccessReview] + x.Counts[K.Other]);
        var total = Median(s, x => x.Counts.Total);
        Console.WriteLine(
            $"{w.N,4}  {tool,-8} {w.Objects,5} {total,5:0}{Mark(K.All)} {total / w.Objects,7:0.00} {Median(s, x => x.Counts[K.Discovery]),5:0}{Mark(K.Discovery)}" +
            $" {Per(K.Get),7:0.00}{Mark(K.Get)} {Per(K.DryRun),11:0.00}{Mark(K.DryRun)} {Per(K.Apply),9:0.00}{Mark(K.Apply)}" +
            $" {journal,7:0}{Mark(K.JournalRead, K.JournalWrite)} {other,5:0}{Mark(K.List, K.AccessReview, K.Other)}" +
            $" {Median(s, x => x.WallMs),9:0.0} ({s.Min(x => x.WallMs):0.0}..{s.Max(x => x.WallMs):0.0})");
    }

    private static void Budget(IReadOnlyList<SizeResult> results)
    {
        Console.WriteLine("== Issue budget: \"no more than one dry-run and one apply request per object after a single discovery, and beat kubectl\" ==");
        foreach (var r in results)
        {
            var n = r.Workload.Objects;
            foreach (var (name, pick) in new (string, Func<RunPair, Sample>)[] { ("create", p => p.Create), ("re-apply", p => p.Reapply) })
            {
                var c = r.Console.Select(pick).ToList();
                var k = r.Kubectl.Select(pick).ToList();
                var discovery = Median(r.Console, p => p.Preflight!.Counts[K.Discovery]) + Median(c, s => s.Counts[K.Discovery]);
                var dry = Median(c, s => s.Counts[K.DryRun]);
                var apply = Median(c, s => s.Counts[K.Apply]);
                var wallRatio = Median(c, s => s.WallMs) / Median(k, s => s.WallMs);
                var reqRatio = Median(c, s => s.Counts.Total) / Median(k, s => s.Counts.Total);
                Console.WriteLine(
                    $"  N={r.Workload.N,-3} {name,-9} discovery {discovery:0} (preflight's /version) {Ok(discovery <= 1)} | " +
                    $"dry-run {dry:0}/{n} {Ok(dry <= n)} | apply {apply:0}/{n} {Ok(apply <= n)} | " +
                    $"beyond budget: GET {Median(c, s => s.Counts[K.Get]):0}/{n}, journal {Median(c, s => s.Counts[K.JournalRead]):0} read + {Median(c, s => s.Counts[K.JournalWrite]):0} write | " +
                    $"beats kubectl: wall {Ok(wallRatio < 1)} x{wallRatio:0.00}, requests {Ok(reqRatio < 1)} x{reqRatio:0.00}");
            }
        }
        Console.WriteLine();
    }

    private static void WhereTimeGoes(IReadOnlyList<SizeResult> results)
    {
        Console.WriteLine("== Where the time goes (medians, ms) ==");
        Console.WriteLine("   console: its phases; kubectl: before its first request (process start, kubeconfig, TLS), first..last request, after the last (exit).");
        foreach (var r in results)
        {
            foreach (var (name, pick) in new (string, Func<RunPair, Sample>)[] { ("create", p => p.Create), ("re-apply", p => p.Reapply) })
            {
                var c = r.Console.Select(pick).ToList();
                var k = r.Kubectl.Select(pick).ToList();
                var phases = string.Join(", ", c[0].PhasesMs.Keys.Select(key => $"{key} {Median(c, s => s.PhasesMs[key]):0.0}"));
                var cPerReq = Median(c, s => s.WallMs / s.Counts.Total);
                var before = Median(k, s => s.FirstRequestMs);
                var span = Median(k, s => s.LastRequestMs - s.FirstRequestMs);
                var after = Median(k, s => s.WallMs - s.LastRequestMs);
                var kPerReq = Median(k, s => (s.LastRequestMs - s.FirstRequestMs) / Math.Max(1, s.Counts.Total - 1));
                Console.WriteLine($"  N={r.Workload.N,-3} {name,-9} console: {phases}; {cPerReq:0.00} ms/request");
                Console.WriteLine($"  {"",15}kubectl: before first request {before:0.0}, first..last request {span:0.0}, after last {after:0.0}; {kPerReq:0.00} ms between requests");
            }
        }
        Console.WriteLine();
    }

    private static void OutsideRatio(IReadOnlyList<SizeResult> results)
    {
        Console.WriteLine("== Console steps outside the ratio (same runs; the UI does them around Preview/Apply) ==");
        Console.WriteLine("   N  step                          req  disc  get  list  ssar  other   wall ms   create incl. preflight vs kubectl");
        foreach (var r in results)
        {
            var pre = r.Console.Select(p => p.Preflight!).ToList();
            var restart = r.Console.Select(p => p.RestartLookup!).ToList();
            var withPreflight = Median(r.Console, p => p.Preflight!.WallMs + p.Create.WallMs) / Median(r.Kubectl, p => p.Create.WallMs);
            var reqWithPreflight = Median(r.Console, p => p.Preflight!.Counts.Total + p.Create.Counts.Total) / Median(r.Kubectl, p => p.Create.Counts.Total);
            Line(r.Workload.N, "preflight (before preview)", pre, $"wall x{withPreflight:0.00}, requests x{reqWithPreflight:0.00}");
            Line(r.Workload.N, "restart lookup (after apply)", restart, "");
        }
        Console.WriteLine();

        static void Line(int n, string step, List<Sample> s, string extra) => Console.WriteLine(
            $"{n,4}  {step,-28} {Median(s, x => x.Counts.Total),4:0} {Median(s, x => x.Counts[K.Discovery]),5:0} {Median(s, x => x.Counts[K.Get]),4:0}" +
            $" {Median(s, x => x.Counts[K.List]),5:0} {Median(s, x => x.Counts[K.AccessReview]),5:0} {Median(s, x => x.Counts[K.Other] + x.Counts[K.DryRun] + x.Counts[K.Apply] + x.Counts[K.JournalRead] + x.Counts[K.JournalWrite]),6:0}" +
            $" {Median(s, x => x.WallMs),9:0.0}   {extra}");
    }

    private static string Ok(bool ok) => ok ? "OK" : "NO";

    private static string Verdict(double ratio) => ratio < 1 ? $"console {1 / ratio:0.0}x faster" : $"console {ratio:0.0}x SLOWER";

    public static double Median<T>(IEnumerable<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
