// Side-by-side traffic benchmark: wrk versus the console's TrafficRunner and versus the `traffic` command (the
// command line's verb, in process: parsing, validation, the same runner, the rows written to a CSV file) against the
// gateway stand-in on loopback, same URL, concurrency and duration (the console and the command run back-to-back runs
// of N requests for as long as wrk runs); then the memory a 10,000-row table holds.
// Prints measurements and the console/wrk ratio; asserts nothing. See bench/README.md.
//
//   bench/run-traffic.sh   (installs wrk when missing, then:)
//   dotnet run -c Release --project bench/TrafficBenchmark [-- --requests 10000 --concurrency 16 --seconds 5 --reps 3 --wrk PATH]

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using TrafficBenchmark;
using Microsoft.Extensions.Configuration;
using TrafficStandIns;
using WebConsole.Cli;
using WebConsole.Features.Traffic;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args is [CollectorProcess.Argument, var standInToken]) return await CollectorProcess.ServeAsync(standInToken);

var requests = TrafficSettings.MaxRequests;
var concurrency = 16;
var reps = 3;
var seconds = 5;
string? wrkArgument = null;
var piecesOnly = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--wrk": wrkArgument = args[++i]; break;
        case "--pieces-only": piecesOnly = true; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--requests 10000] [--concurrency 16] [--seconds 5] [--reps 3] [--wrk PATH] [--pieces-only]");
            return 2;
    }
}
if (new TrafficSettings(requests, concurrency).Validate().Any(i => i.IsError))
{
    Console.Error.WriteLine($"--requests is {TrafficSettings.MinRequests}..{TrafficSettings.MaxRequests}, --concurrency {TrafficSettings.MinConcurrency}..{TrafficSettings.MaxConcurrency}.");
    return 2;
}
var wrk = Wrk.Resolve(wrkArgument);
if (wrk is null)
{
    Console.Error.WriteLine("wrk not found: set WRK, pass --wrk, or install it (bench/run-traffic.sh runs apt-get install -y wrk).");
    return 1;
}

const string token = "bench-access-token-000000";
const int WarmupRuns = 8;
await using var gateway = await GatewayStandIn.StartAsync();
// The collector that receives the spans runs in a child process: its decoding is not the console's cost (its CPU is
// reported on its own). The gateway stays in this process, where every tool's requests cost it the same.
await using var collector = await CollectorProcess.StartAsync(token);
// The stand-ins keep nothing per request, so neither their time nor their memory is counted as the console's.
gateway.RecordObservations = false;
var url = new Uri(gateway.BaseUrl, "/productpage");
var target = new TrafficTarget(gateway.BaseUrl, collector.OtlpHttpEndpoint, SpanProtocol.OtlpHttpProtobuf, token, IstioForm.OpenTelemetry);
var wrkThreads = Math.Min(concurrency, Environment.ProcessorCount);
var commandDirectory = Directory.CreateTempSubdirectory("traffic-bench-").FullName;
var tokenFile = Path.Combine(commandDirectory, "token.txt");
File.WriteAllText(tokenFile, token + "\n");
var rowsFile = Path.Combine(commandDirectory, "rows.csv");
// As a CI script runs it: Istio 1.26 (OTLP/gRPC to the collector stand-in's cleartext gRPC port), rows with links to a CSV file.
string[] CommandArgs(int count) =>
[
    "traffic", "--gateway", gateway.BaseUrl.ToString(), "--requests", count.ToString(CultureInfo.InvariantCulture),
    "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--istio-version", "1.26", "--token-file", tokenFile,
    "--satellite", $"127.0.0.1:{collector.GrpcUrl.Port}", "--plaintext", "--project", "bench-project", "--out", rowsFile,
];
var commandConfiguration = new ConfigurationBuilder().Build();
if (piecesOnly)
{
    RequestPieces.Print(url, collector.OtlpHttpEndpoint, collector.GrpcUrl, token, 200_000);
    return 0;
}

Console.WriteLine("Traffic benchmark: wrk vs the console's TrafficRunner, GET /productpage on the gateway stand-in (loopback)");
Console.WriteLine($"  date      {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.OSArchitecture}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
if (File.Exists("/proc/loadavg"))
    Console.WriteLine($"  load avg  {File.ReadAllText("/proc/loadavg").Trim()} (at start; anything else running shares the cores)");
Console.WriteLine($"  wrk       {wrk} ({await Wrk.VersionAsync(wrk)}): -t{wrkThreads} -c{concurrency} -d{seconds}s --latency {url}");
Console.WriteLine($"  console   TrafficRunner runs of {requests} requests, concurrency {concurrency}, back to back for {seconds} s: a client span per request " +
                  $"with trace headers, OTLP/HTTP export (batch) to the collector stand-in (a child process, pid {collector.ProcessId}), a TrafficRow per request, progress per row;");
Console.WriteLine("            req/s = requests / wall time of the RunAsync calls (including building the TracerProvider and the final flush)");
Console.WriteLine($"  traffic   the `traffic` command in this process (CommandLine.RunAsync: {string.Join(' ', CommandArgs(requests)).Replace(tokenFile, "TOKEN-FILE").Replace(rowsFile, "ROWS.csv")}),");
Console.WriteLine("            runs back to back like the console's; req/s = requests / wall time of the command (parsing, validation, run, summary, CSV written);");
Console.WriteLine("            progress lines to a null stderr (not a terminal); latencies read back from the CSV's bytes outside the timed window");
Console.WriteLine($"  method    warm-up ({WarmupRuns} console runs, {WarmupRuns} command runs, one HttpClient-only run, wrk 2 s), then {reps} rounds of console, wrk, HttpClient-only and command, " +
                  "rotating which goes first; medians of the rounds reported");
Console.WriteLine("            the gateway runs in this process, the collector in a child process, wrk in another; all share the same cores");

// The console is a long-running server: measure after tiered JIT and dynamic PGO have settled (tens of thousands of
// requests on 2 cores), not its first seconds.
Console.Error.Write("warm-up: ");
var warmupCurve = new List<double>();
for (var i = 0; i < WarmupRuns; i++)
{
    var sample = await RunConsoleAsync(requests);
    warmupCurve.Add(sample.LatenciesMicros.Length / sample.WallSeconds);
    Console.Error.Write('.');
}
for (var i = 0; i < WarmupRuns; i++) await RunCommandAsync(requests);
await RunBareHttpClientAsync(requests);
await Wrk.RunAsync(wrk, url, concurrency, wrkThreads, 2);
Console.Error.WriteLine(" done");
Console.WriteLine($"  warm-up   console runs 1..{WarmupRuns} in this fresh process: {string.Join(", ", warmupCurve.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} req/s (not in the table)");
Console.WriteLine();

var consoleRuns = new List<ConsoleRun>();
var wrkRuns = new List<WrkResult>();
var wrkCpu = new List<double>();
var bareRuns = new List<ConsoleRun>();
var commandRuns = new List<ConsoleRun>();
for (var rep = 0; rep < reps; rep++)
{
    for (var step = 0; step < 4; step++)
    {
        switch ((rep + step) % 4)
        {
            case 0: consoleRuns.Add(await ForDurationAsync(RunConsoleAsync)); break;
            case 1:
                var cpuBefore = CpuSeconds();
                var wrkRun = await Wrk.RunAsync(wrk, url, concurrency, wrkThreads, seconds);
                wrkCpu.Add((CpuSeconds() - cpuBefore) * 1e6 / wrkRun.Requests);
                wrkRuns.Add(wrkRun);
                break;
            case 2: commandRuns.Add(await ForDurationAsync(RunCommandAsync)); break;
            default: bareRuns.Add(await ForDurationAsync(RunBareHttpClientAsync)); break;
        }
    }
    Console.Error.Write('.');
}
Console.Error.WriteLine();

Console.WriteLine($"== Throughput and latency, median of {reps} (min..max) ==");
Console.WriteLine("  tool       requests   seconds      req/s (min..max)            p50 ms   p99 ms   errors   CPU µs/req (min..max)   collector µs/req");
var wrkRps = Median(wrkRuns.Select(r => r.RequestsPerSecond));
var consoleRps = Median(consoleRuns.Select(r => r.RequestsPerSecond));
Console.WriteLine($"  wrk       {Median(wrkRuns.Select(r => (double)r.Requests)),10:0} {Median(wrkRuns.Select(r => r.Seconds)),9:0.00} {wrkRps,10:0} ({wrkRuns.Min(r => r.RequestsPerSecond):0}..{wrkRuns.Max(r => r.RequestsPerSecond):0}) " +
                  $"{Median(wrkRuns.Select(r => r.P50Ms)),12:0.00} {Median(wrkRuns.Select(r => r.P99Ms)),8:0.00} {wrkRuns.Sum(r => r.Non2xx + r.SocketErrors),8}   {Median(wrkCpu),8:0.0} ({wrkCpu.Min():0.0}..{wrkCpu.Max():0.0})");
PrintRow("console", consoleRuns);
PrintRow("traffic", commandRuns);
PrintRow("HttpClient", bareRuns);
Console.WriteLine("  (HttpClient = .NET's HttpClient alone with TrafficRunner's handler settings and concurrency: no span, no trace headers, no rows)");
Console.WriteLine("  (CPU µs/req = CPU time of this process and its ended children (wrk) during the timed windows / requests: the client and the");
Console.WriteLine("   gateway stand-in; what the scheduler gives each tool does not change it. collector µs/req = CPU time of the collector stand-in's");
Console.WriteLine("   process in the same windows / requests: receiving and decoding the spans, not in the tool's number)");
var wrkCpuPerRequest = Median(wrkCpu);
var ratio = consoleRps / wrkRps;
Console.WriteLine($"  console/wrk req/s x{ratio:0.00} (target >= 0.50: {(ratio >= 0.5 ? "MET" : "NOT MET")}); " +
                  $"p50 x{Median(consoleRuns.Select(r => r.P50Ms)) / Median(wrkRuns.Select(r => r.P50Ms)):0.00}, p99 x{Median(consoleRuns.Select(r => r.P99Ms)) / Median(wrkRuns.Select(r => r.P99Ms)):0.00}; " +
                  $"CPU per request: wrk/console x{wrkCpuPerRequest / Median(consoleRuns.Select(r => r.CpuMicrosPerRequest)):0.00}");
Console.WriteLine($"  console spans: every round exported {(consoleRuns.All(r => r.SpansExported == r.Requests) ? "one span per request" : "NOT one span per request: " + string.Join(", ", consoleRuns.Select(r => $"{r.SpansExported}/{r.Requests}")))}; " +
                  $"export outcome {string.Join(", ", consoleRuns.Select(r => r.Export).Distinct())}; " +
                  $"runs per round: median {Median(consoleRuns.Select(r => (double)r.Runs)):0}; flush after a run's last request: median {Median(consoleRuns.Select(r => r.FlushSeconds)) * 1000:0} ms");
var commandRps = Median(commandRuns.Select(r => r.RequestsPerSecond));
var commandRatio = commandRps / wrkRps;
Console.WriteLine($"  traffic/wrk req/s x{commandRatio:0.00} (target >= 0.50: {(commandRatio >= 0.5 ? "MET" : "NOT MET")}); traffic/console x{commandRps / consoleRps:0.00}; " +
                  $"p50 x{Median(commandRuns.Select(r => r.P50Ms)) / Median(wrkRuns.Select(r => r.P50Ms)):0.00}, p99 x{Median(commandRuns.Select(r => r.P99Ms)) / Median(wrkRuns.Select(r => r.P99Ms)):0.00} (vs wrk); " +
                  $"CPU per request: wrk/traffic x{wrkCpuPerRequest / Median(commandRuns.Select(r => r.CpuMicrosPerRequest)):0.00}, console/traffic x{Median(consoleRuns.Select(r => r.CpuMicrosPerRequest)) / Median(commandRuns.Select(r => r.CpuMicrosPerRequest)):0.00}");
Console.WriteLine($"  traffic spans: every round exported {(commandRuns.All(r => r.SpansExported == r.Requests) ? "one span per request" : "NOT one span per request: " + string.Join(", ", commandRuns.Select(r => $"{r.SpansExported}/{r.Requests}")))}; " +
                  $"export outcome {string.Join(", ", commandRuns.Select(r => r.Export).Distinct())}; runs per round: median {Median(commandRuns.Select(r => (double)r.Runs)):0}");
Console.WriteLine();

RequestPieces.Print(url, collector.OtlpHttpEndpoint, collector.GrpcUrl, token, 200_000);

// Memory: what the console holds for a finished 10,000-request table — the TrafficRunResult (rows) plus what the
// table shows per row that is not in the row itself: its trace link.
Console.WriteLine($"== Memory held for a {TrafficSettings.MaxRequests}-request table (GC.GetTotalMemory(true) before/after) ==");
var links = new LightStepTraceLinks(TraceLinkTemplate.Default, "bench-project");
var before = GC.GetTotalMemory(forceFullCollection: true);
var table = await new TrafficRunner().RunAsync(target, new TrafficSettings(TrafficSettings.MaxRequests, concurrency));
var afterRows = GC.GetTotalMemory(forceFullCollection: true);
var rowLinks = new string[table.Count];
var span = table.Rows.Span;
for (var i = 0; i < span.Length; i++) rowLinks[i] = links.LinkFor(span[i].Identity)!.Url;
var afterLinks = GC.GetTotalMemory(forceFullCollection: true);
GC.KeepAlive(table);
GC.KeepAlive(rowLinks);
Console.WriteLine($"  rows      {table.Count} x {Unsafe.SizeOf<TrafficRow>()} bytes (TrafficRow) = {table.Count * Unsafe.SizeOf<TrafficRow>() / 1024.0 / 1024:0.00} MB array; measured with the result: {Mb(afterRows - before)} MB");
Console.WriteLine($"  links     one trace link string per row (~{rowLinks[0].Length} chars): {Mb(afterLinks - afterRows)} MB");
var total = (afterLinks - before) / 1024.0 / 1024;
Console.WriteLine($"  total     {total:0.00} MB (target < 20 MB: {(total < 20 ? "MET" : "NOT MET")})");
if (File.Exists("/proc/loadavg")) Console.WriteLine($"\nload avg at end: {File.ReadAllText("/proc/loadavg").Trim()}");
Directory.Delete(commandDirectory, recursive: true);
return 0;

async Task<Sample> RunConsoleAsync(int count)
{
    var spansBefore = collector.SpanCount;
    var completed = 0;
    var collectorCpu = collector.CpuSeconds();
    var cpu = CpuSeconds();
    var wall = Stopwatch.StartNew();
    var result = await new TrafficRunner().RunAsync(target, new TrafficSettings(count, concurrency),
        new InlineProgress(_ => Interlocked.Increment(ref completed)));
    wall.Stop();
    cpu = CpuSeconds() - cpu;
    collectorCpu = collector.CpuSeconds() - collectorCpu;
    var latencies = new long[result.Count];
    var rows = result.Rows.Span;
    for (var i = 0; i < rows.Length; i++) latencies[i] = rows[i].LatencyMicros;
    return new Sample(latencies, wall.Elapsed.TotalSeconds, result.Failed, collector.SpanCount - spansBefore, result.Export.Outcome,
        wall.Elapsed.TotalSeconds - result.Elapsed.TotalSeconds, cpu, collectorCpu);
}

// The `traffic` verb as a script runs it, in this process; the exit code says whether every request succeeded and the
// spans were accepted, the CSV holds the latencies.
async Task<Sample> RunCommandAsync(int count)
{
    var spansBefore = collector.SpanCount;
    var summary = new StringWriter();
    var collectorCpu = collector.CpuSeconds();
    var cpu = CpuSeconds();
    var wall = Stopwatch.StartNew();
    var exitCode = await CommandLine.RunAsync(CommandArgs(count), summary, TextWriter.Null, TextReader.Null, commandConfiguration);
    wall.Stop();
    cpu = CpuSeconds() - cpu;
    collectorCpu = collector.CpuSeconds() - collectorCpu;
    var latencies = LatenciesFromCsv(File.ReadAllBytes(rowsFile), count);
    var accepted = summary.ToString().Contains("spans accepted", StringComparison.Ordinal);
    var failed = exitCode == 0 ? 0 : int.Parse(System.Text.RegularExpressions.Regex.Match(summary.ToString(), @"failed (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
    return new Sample(latencies, wall.Elapsed.TotalSeconds, failed, collector.SpanCount - spansBefore,
        accepted ? SpanExportOutcome.Exported : SpanExportOutcome.Rejected, 0, cpu, collectorCpu);
}

// The floor under the console: the same SocketsHttpHandler settings as TrafficRunner, C loops of GET, nothing else.
async Task<Sample> RunBareHttpClientAsync(int count)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, AllowAutoRedirect = false, UseCookies = false, ActivityHeadersPropagator = null };
    using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    var latencies = new long[count];
    var next = -1;
    var cpu = CpuSeconds();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < count)
        {
            var begin = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.CopyToAsync(Stream.Null);
            latencies[index] = (long)Stopwatch.GetElapsedTime(begin).TotalMicroseconds;
        }
    })));
    var wall = clock.Elapsed.TotalSeconds;
    return new Sample(latencies, wall, 0, 0, SpanExportOutcome.NothingExported, 0, CpuSeconds() - cpu, 0);
}

// Runs of N requests back to back until the duration is reached; one result for the whole window.
async Task<ConsoleRun> ForDurationAsync(Func<int, Task<Sample>> run)
{
    var samples = new List<Sample>();
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds) samples.Add(await run(requests));
    var latencies = samples.SelectMany(s => s.LatenciesMicros).ToArray();
    Array.Sort(latencies);
    var wall = samples.Sum(s => s.WallSeconds);
    return new ConsoleRun(samples.Count, latencies.Length, wall, latencies.Length / wall, Percentile(latencies, 50), Percentile(latencies, 99),
        samples.Sum(s => s.Failed), samples.Sum(s => s.SpansExported), samples.Select(s => s.Export).Distinct().Single(), Median(samples.Select(s => s.FlushSeconds)),
        samples.Sum(s => s.CpuSeconds) * 1e6 / latencies.Length, samples.Sum(s => s.CollectorCpuSeconds) * 1e6 / latencies.Length);
}

// The latency_micros column of the command's CSV, read from the file's bytes without a string per line or field: this
// happens between two command runs, and garbage made here would be collected inside the next run's timed window.
// The fields before latency_micros (sequence, started_at, status) never hold a comma or quotes.
static long[] LatenciesFromCsv(byte[] csv, int rows)
{
    var latencyColumn = TrafficExport.CsvColumns.ToList().IndexOf("latency_micros");
    var latencies = new long[rows];
    var rest = csv.AsSpan(csv.AsSpan().IndexOf((byte)'\n') + 1);
    for (var row = 0; row < rows; row++)
    {
        var line = rest[..rest.IndexOf((byte)'\n')];
        rest = rest[(line.Length + 1)..];
        for (var column = 0; column < latencyColumn; column++) line = line[(line.IndexOf((byte)',') + 1)..];
        System.Buffers.Text.Utf8Parser.TryParse(line[..line.IndexOf((byte)',')], out latencies[row], out _);
    }
    return latencies;
}

// Nearest rank, as wrk's hdr_value_at_percentile.
static double Percentile(long[] sortedMicros, double percent) =>
    sortedMicros.Length == 0 ? double.NaN : sortedMicros[Math.Clamp((int)Math.Ceiling(percent / 100 * sortedMicros.Length) - 1, 0, sortedMicros.Length - 1)] / 1000.0;

static void PrintRow(string tool, List<ConsoleRun> runs) =>
    Console.WriteLine($"  {tool,-10}{Median(runs.Select(r => (double)r.Requests)),9:0} {Median(runs.Select(r => r.Seconds)),9:0.00} {Median(runs.Select(r => r.RequestsPerSecond)),10:0} " +
                      $"({runs.Min(r => r.RequestsPerSecond):0}..{runs.Max(r => r.RequestsPerSecond):0}) {Median(runs.Select(r => r.P50Ms)),12:0.00} {Median(runs.Select(r => r.P99Ms)),8:0.00} {runs.Sum(r => r.Failed),8}   " +
                      $"{Median(runs.Select(r => r.CpuMicrosPerRequest)),8:0.0} ({runs.Min(r => r.CpuMicrosPerRequest):0.0}..{runs.Max(r => r.CpuMicrosPerRequest):0.0}) {Median(runs.Select(r => r.CollectorCpuMicrosPerRequest)),12:0.0}");

// CPU seconds of this process and of its waited-for children (wrk), from /proc/self/stat: utime, stime, cutime, cstime
// (proc(5), fields 14-17, in clock ticks; 100 per second on Linux, sysconf(_SC_CLK_TCK)).
static double CpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
        + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string Mb(long bytes) => (bytes / 1024.0 / 1024).ToString("0.00", CultureInfo.InvariantCulture);

internal sealed record Sample(long[] LatenciesMicros, double WallSeconds, int Failed, int SpansExported, SpanExportOutcome Export, double FlushSeconds, double CpuSeconds, double CollectorCpuSeconds);

internal sealed record ConsoleRun(int Runs, int Requests, double Seconds, double RequestsPerSecond, double P50Ms, double P99Ms, int Failed,
    int SpansExported, SpanExportOutcome Export, double FlushSeconds, double CpuMicrosPerRequest, double CollectorCpuMicrosPerRequest);

/// <summary>Reports on the worker's thread, as a Blazor component's handler that only counts and schedules a render would.</summary>
internal sealed class InlineProgress(Action<TrafficProgress> report) : IProgress<TrafficProgress>
{
    public void Report(TrafficProgress value) => report(value);
}
