// The trace view in the browser, against the console and the loopback stand-ins (gateway with Bookinfo's proxies'
// spans, collector, Jaeger query API): (1) click on a row → its waterfall drawn, for a 9-span and a 50-span trace side
// by side; (2) a single request sent → its complete trace in the view, beside the request's own latency.
// Prints medians and ratios; asserts nothing.
//
//   dotnet run -c Release --project bench/TraceViewBenchmark [-- --reps 10]

using System.Diagnostics;
using System.Globalization;
using MeshConsole.Domain.Traffic;
using Microsoft.Playwright;
using TrafficStandIns;
using WebConsole.BrowserTests;
using static Microsoft.Playwright.Assertions;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var reps = args.Length == 2 && args[0] == "--reps" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;

// WebApplicationFactory finds the console's content root from a test assembly's manifest; from this executable it is
// named through the factory's environment variable instead (ASPNETCORE_TEST_CONTENTROOT_{assembly name}).
var repository = new DirectoryInfo(AppContext.BaseDirectory);
while (repository is not null && !Directory.Exists(Path.Combine(repository.FullName, "src", "WebConsole"))) repository = repository.Parent;
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WEBCONSOLE", Path.Combine(repository!.FullName, "src", "WebConsole"));

var server = new TraceViewServerFixture();
await server.InitializeAsync();
try
{
    var page = await TraceViewWalk.ToTrafficStepAsync(server);
    await TraceViewWalk.EnterAsync(page, "#lightstep-project", "bench-project");
    await TraceViewWalk.EnterAsync(page, "#traffic-requests", "2");
    await TraceViewWalk.EnterAsync(page, "#traffic-concurrency", "1");
    await page.Locator("#traffic-run").ClickAsync();
    await Expect(page.Locator("#traffic-counts")).ToHaveAttributeAsync("data-completed", "2", new() { Timeout = 30_000 });
    await Expect(page.Locator("#span-export")).ToHaveAttributeAsync("data-outcome", "Exported");
    await page.Locator("#trace-backend").SelectOptionAsync("Jaeger");
    await TraceViewWalk.EnterAsync(page, "#trace-query-url", server.Jaeger.BaseUrl.ToString());

    // Arrival 2 goes to reviews-v2: 9 spans. Row 1 (reviews-v1, 7 spans) is padded to 50 with spans under productpage.
    var rows = page.Locator(".traffic-row[data-trace-id]");
    var small = (await rows.Nth(1).GetAttributeAsync("data-trace-id"))!;
    var large = (await rows.Nth(0).GetAttributeAsync("data-trace-id"))!;
    var largeSpans = server.Collector.Spans.Values.Where(s => s.TraceId.ToString() == large).OrderBy(s => s.StartMicros).ToList();
    var parent = largeSpans[^1];
    for (var i = largeSpans.Count; i < 50; i++)
        server.Collector.Record(new ReceivedSpan(parent.TraceId, SpanId.NewRandom(), parent.SpanId, $"details.bookinfo.svc.cluster.local:9080/details/{i}",
            parent.StartMicros + i * 10, parent.StartMicros + i * 10 + 200, "client", "productpage.bookinfo", "mesh", parent.AccessToken,
            $"sidecar~10.0.0.9~{BookinfoMesh.Pod("productpage-v1")}.bookinfo~bookinfo.svc.cluster.local"));
    var smallCount = server.Collector.Spans.Values.Count(s => s.TraceId.ToString() == small);

    async Task<double> OpenAsync(string traceId, int spans)
    {
        if (await page.Locator("#trace-close").CountAsync() > 0) await page.Locator("#trace-close").ClickAsync();
        await Expect(page.Locator("#trace-waterfall")).ToHaveCountAsync(0);
        var watch = Stopwatch.StartNew();
        await page.Locator($".traffic-row[data-trace-id='{traceId}'] code").ClickAsync();
        await Expect(page.Locator("#trace-waterfall .waterfall-row[data-span-id]")).ToHaveCountAsync(spans, new() { Timeout = 15_000 });
        return watch.Elapsed.TotalMilliseconds;
    }

    await OpenAsync(small, smallCount); // warm-up: first render of the component
    await OpenAsync(large, 50);
    var smallTimes = new List<double>();
    var largeTimes = new List<double>();
    for (var r = 0; r < reps; r++)
    {
        smallTimes.Add(await OpenAsync(small, smallCount));
        largeTimes.Add(await OpenAsync(large, 50));
    }
    var (smallMedian, largeMedian) = (Median(smallTimes), Median(largeTimes));
    Console.WriteLine($"click → waterfall, {smallCount}-span trace: median {smallMedian:0.0} ms (min {smallTimes.Min():0.0}, max {smallTimes.Max():0.0}) over {reps}");
    Console.WriteLine($"click → waterfall, 50-span trace: median {largeMedian:0.0} ms (min {largeTimes.Min():0.0}, max {largeTimes.Max():0.0}) over {reps}");
    Console.WriteLine($"ratio 50-span / {smallCount}-span: {largeMedian / smallMedian:0.00}");

    // A request to its complete trace in the view: one request, then the row is opened until the trace is complete.
    var toComplete = new List<double>();
    var latencies = new List<double>();
    await TraceViewWalk.EnterAsync(page, "#traffic-requests", "1");
    for (var r = 0; r < reps; r++)
    {
        var watch = Stopwatch.StartNew();
        await page.Locator("#traffic-run").ClickAsync();
        await Expect(page.Locator("#traffic-counts")).ToHaveAttributeAsync("data-completed", "1", new() { Timeout = 30_000 });
        var row = page.Locator(".traffic-row[data-trace-id]").First;
        var traceId = (await row.GetAttributeAsync("data-trace-id"))!;
        latencies.Add(RowLatency(await row.InnerTextAsync()));
        while (true)
        {
            await row.Locator("code").ClickAsync();
            await Expect(page.Locator("#trace-view")).ToHaveAttributeAsync("data-trace-id", traceId);
            await page.Locator("#trace-verdict, #trace-failed").First.WaitForAsync(new() { Timeout = 15_000 });
            var verdict = await page.Locator("#trace-verdict").GetAttributeAsync("data-verdict") ?? "";
            if (verdict.StartsWith("Complete", StringComparison.Ordinal)) break;
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the trace never became complete");
        }
        toComplete.Add(watch.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"request sent → complete trace in the view: median {Median(toComplete):0} ms (min {toComplete.Min():0}, max {toComplete.Max():0}) over {reps}");
    Console.WriteLine($"the request itself: median {Median(latencies):0.0} ms; ratio trace-in-view / request: {Median(toComplete) / Math.Max(0.1, Median(latencies)):0}");
}
finally
{
    await server.DisposeAsync();
}
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// The row's latency cell reads "12.3 ms".
static double RowLatency(string rowText)
{
    foreach (var cell in rowText.Split('\n', '\t'))
        if (cell.Trim().EndsWith(" ms", StringComparison.Ordinal) && double.TryParse(cell.Trim()[..^3], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) return ms;
    return 0;
}
