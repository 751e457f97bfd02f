// Onboarding-session load benchmark: N participants, each a headless Chromium page in its own BrowserContext (a real
// Blazor circuit over a real WebSocket) or, with --client protocol, a Blazor Server protocol client (SignalR's .NET
// client, no browser), against the console running as a separate process on loopback, pointed at the in-process
// Kubernetes API emulator. N=1 and N=50 in the same run, side by side.
// Prints measurements and ratios; asserts nothing. See bench/README.md.
//
//   bench/run-onboarding.sh   (publishes the console, then:)
//   dotnet run -c Release --project bench/OnboardingBenchmark -- --console PATH/WebConsole.dll
//       [--participants 50] [--clicks 20] [--think 150..450] [--warmup 8] [--environment Production] [--dashboard on|off]
//       [--client browser|protocol] [--client-nice 0..19]

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using KubeEmulator;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using Microsoft.Playwright;
using OnboardingBenchmark;
using WebConsole.Features.Cluster;
using WebConsole.Features.Onboarding;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string? consoleDll = null;
var participantsAtScale = 50;
var clicks = 20;
var (thinkMin, thinkMax) = (150, 450);
var warmup = 8;
var environment = "Production";
var dashboardMode = "on";
var clientNice = 0;
var client = "browser";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--console": consoleDll = Path.GetFullPath(args[++i]); break;
        case "--participants": participantsAtScale = int.Parse(args[++i]); break;
        case "--clicks": clicks = int.Parse(args[++i]); break;
        case "--think":
            var range = args[++i].Split("..");
            (thinkMin, thinkMax) = (int.Parse(range[0]), int.Parse(range[1]));
            break;
        case "--warmup": warmup = int.Parse(args[++i]); break;
        case "--environment": environment = args[++i]; break;
        case "--dashboard": dashboardMode = args[++i]; break;
        case "--client-nice": clientNice = int.Parse(args[++i]); break;
        case "--client": client = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: --console PATH/WebConsole.dll [--participants 50] [--clicks 20] " +
                                    "[--think 150..450] [--warmup 8] [--environment Production] [--dashboard on|off] [--client browser|protocol] [--client-nice 0..19]");
            return 2;
    }
}
if (client is not ("browser" or "protocol"))
{
    Console.Error.WriteLine($"--client must be browser or protocol, not {client}.");
    return 2;
}
var protocol = client == "protocol";
if (consoleDll is null || !File.Exists(consoleDll))
{
    Console.Error.WriteLine("--console must name the console's WebConsole.dll (bench/run-onboarding.sh publishes it and passes it).");
    return 2;
}

const int WarmupClicks = 40;
const int IdleSeconds = 3;
// Kestrel's PinnedBlockMemoryPool evicts idle blocks every 10 s since ASP.NET Core 10 (PinnedBlockMemoryPool.DefaultEvictionDelay;
// learn.microsoft.com/aspnet/core/fundamentals/servers/kestrel/memory-management): 30 s covers a few of those rounds.
const int RestSeconds = 30;
var sizes = new[] { 1, participantsAtScale };
var random = new Random(20261125);
var work = Directory.CreateTempSubdirectory("lsmc-onboarding-bench-").FullName;
await using var emulator = await KubeApiEmulator.StartAsync(ClusterFixture.NoIstio);
var kubeconfig = emulator.WriteKubeconfig(Path.Combine(work, "kubeconfig"), contextName: "emulator");
await using var server = await ConsoleProcess.StartAsync(consoleDll, kubeconfig, environment, work);
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = clientNice == 0 ? ChromiumLocator.Find() : NicedChromium(ChromiumLocator.Find(), clientNice, work),
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"],
});

Console.WriteLine(protocol
    ? "Onboarding-session load benchmark: participants as Blazor Server protocol clients (SignalR .NET client over WebSockets, no browser)"
    : "Onboarding-session load benchmark: participants as headless Chromium pages (one BrowserContext each)");
Console.WriteLine($"  date      {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, {OsName()}, {RuntimeInformation.OSArchitecture}, .NET {Environment.Version}, " +
                  $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB");
Console.WriteLine($"  load avg  {File.ReadAllText("/proc/loadavg").Trim()} (at start; everything shares the cores)");
Console.WriteLine($"  console   dotnet {consoleDll} (pid {server.Pid}, {environment}, {server.BaseUrl}, {await server.GcModeAsync()}), KUBECONFIG → KubeEmulator (NoIstio), probe via DOTNET_STARTUP_HOOKS");
Console.WriteLine(protocol
    ? "  client    protocol: each participant GETs the page, starts a circuit on /_blazor (blazorpack over a WebSocket), applies render batches to a DOM model, acknowledges each, answers JS interop"
    : "  client    browser: each participant a Chromium page");
Console.WriteLine($"  browser   Chromium {browser.Version} headless, one browser process, " +
    (protocol ? "for the dashboard page only" : "one BrowserContext per participant, reduced motion") +
    (clientNice == 0 ? "" : $", at nice {clientNice} (the console at 0)"));
// With the team-session UI (/sessions/{id}, /join/{id}) participants join a session and walk Bookinfo/Traffic/Cleanup
// in participant mode; without it they walk the first steps of the stand-alone wizard and the dashboard is not measured.
var missingUi = await MissingSessionUiAsync();
var joining = missingUi is null;
if (protocol && !joining)
{
    Console.Error.WriteLine($"--client protocol needs the team-session UI ({missingUi}).");
    return 2;
}
Console.WriteLine(joining
    ? "  mode      team session: each participant joins at /join/{id} (session created with SessionStore), then Next/Back over Bookinfo, Traffic, Cleanup"
    : $"  mode      stand-alone wizard at / (team-session UI missing: {missingUi}), Next/Back over Product, Token, Satellite");
Console.WriteLine($"  workload  each participant: {clicks} clicks, think time {thinkMin}..{thinkMax} ms before each, all participants at once");
{
    // What else uses the cores (builds, other benchmarks) and what the console does with no one connected.
    var (cpu0, machine0) = (server.CpuTime(), ProcCpu.Machine());
    await Task.Delay(3000);
    var (cpu1, machine1) = (server.CpuTime(), ProcCpu.Machine());
    Console.WriteLine($"  idle      before the run, 3 s: whole machine {MachineBusyCores(machine0, machine1, TimeSpan.FromSeconds(3)):F2} cores busy, " +
                      $"console {(cpu1 - cpu0).TotalSeconds / 3:F2}");
}
Console.WriteLine();

var failures = new List<string>();
string? dashboardSkipped = dashboardMode == "off" ? "not measured: --dashboard off"
    : !joining ? $"not measured: UI missing ({missingUi})" : null;

// Warm-up: JIT, Blazor's and MudBlazor's caches, the first circuits. Not reported.
{
    var sw = Stopwatch.StartNew();
    var warmSession = joining ? await CreateSessionAsync("Benchmark warm-up") : null;
    var warm = await OpenAllAsync(warmup, i => OpenParticipantAsync(warmSession, $"Warmup {i}"));
    if (protocol && warmSession is not null && Environment.GetEnvironmentVariable("BENCH_VERIFY_DOM") == "1")
        await VerifyDomAsync((ProtocolParticipant)warm[0], warmSession);
    if (warmSession is not null && dashboardMode != "off")
    {
        await using var board = await Dashboard.OpenAsync(browser, server.BaseUrl, warmSession);
        await board.WaitForRowsAsync(warmup);
        await Task.WhenAll(warm.Select(p => p.WalkAsync(8, 20, 60, random)));
    }
    await Task.WhenAll(warm.Select(p => p.WalkAsync(WarmupClicks, 20, 60, random)));
    foreach (var p in warm) await p.DisposeAsync();
    await WaitForCircuitsAsync(0);
    var quiet = await WaitForQuietAsync(TimeSpan.FromSeconds(60));
    Console.WriteLine($"warm-up: {warmup} participants x {WarmupClicks} clicks, then {quiet}; {sw.Elapsed.TotalSeconds:F1} s in all");
}

var wizard = new List<WizardPhase>();
foreach (var n in sizes)
{
    wizard.Add(await RunWizardPhaseAsync(n));
    var w = wizard[^1];
    Console.WriteLine($"N={n}: opened in {w.SetupSeconds:F1} s, {w.Quiet}, {w.Clicks.Count} clicks in {w.ClickSeconds:F1} s, circuits {w.Connected.CircuitsConnected}" +
                      (w.Dashboard is { } d ? $"; dashboard round: {d.Clicks.Count} clicks, {d.DelaysMs.Count} seen on the dashboard, {d.Missed} missed" : ""));
}

Console.WriteLine();
PrintReport();
if (protocol)
    Console.WriteLine("JS interop calls the protocol clients answered (all runs): " +
        string.Join(", ", OnboardingBenchmark.BlazorProtocol.BlazorCircuit.JsCalls.OrderByDescending(c => c.Value).Select(c => $"{c.Key} x{c.Value}")));
if (Environment.GetEnvironmentVariable("BENCH_CONSOLE_LOG") == "1")
{
    Console.WriteLine();
    Console.WriteLine("console log (BENCH_CONSOLE_LOG=1):");
    foreach (var line in server.Log) Console.WriteLine("  " + line);
}
if (failures.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine($"FAILURES ({failures.Count}), their clicks are not in the numbers above:");
    foreach (var f in failures.Take(10)) Console.WriteLine("  " + f);
}
Directory.Delete(work, recursive: true);
return failures.Count == 0 ? 0 : 1;

async Task<WizardPhase> RunWizardPhaseAsync(int n)
{
    await WaitForCircuitsAsync(0);
    await WaitForQuietAsync(TimeSpan.FromSeconds(20));
    var session = joining ? await CreateSessionAsync($"Benchmark N={n}") : null;
    // Three settles with nothing connected: RSS moves between them even so, and the spread says how much to trust the deltas.
    var baseline = new List<MemorySample>();
    for (var i = 0; i < 3; i++) baseline.Add(await server.SettleAsync());
    var before = baseline.OrderBy(b => b.RssBytes).ElementAt(1);
    var rssSpread = baseline.Max(b => b.RssBytes) - baseline.Min(b => b.RssBytes);
    var setup = Stopwatch.StartNew();
    var participants = await OpenAllAsync(n, i => OpenParticipantAsync(session, $"Bench {n}-{i}"));
    setup.Stop();
    var quiet = await WaitForQuietAsync(TimeSpan.FromSeconds(20));
    var connected = await server.SettleAsync();

    // Connected and idle: what the open circuits cost with no one clicking.
    await server.AskAsync("reset");
    var idleCpu0 = server.CpuTime();
    await Task.Delay(IdleSeconds * 1000);
    var idleCpu = server.CpuTime() - idleCpu0;
    var idleRenders = Doubles(await server.AskAsync("metrics"), "renderDiffMs").Length;

    await server.AskAsync("reset");
    var (cpu0, machine0, browser0, self0) = (server.CpuTime(), ProcCpu.Machine(), BrowserCpu(), Process.GetCurrentProcess().TotalProcessorTime);
    var sw = Stopwatch.StartNew();
    var samples = await WalkAllAsync(participants);
    sw.Stop();
    var (cpu1, machine1, browser1, self1) = (server.CpuTime(), ProcCpu.Machine(), BrowserCpu(), Process.GetCurrentProcess().TotalProcessorTime);
    var metrics = await server.AskAsync("metrics");
    var after = await server.SettleAsync();
    // Still connected, nobody clicking: what the process gives back on its own (see RestSeconds).
    await Task.Delay(RestSeconds * 1000);
    var rested = await server.SettleAsync();

    // Dashboard round, after the memory samples (the dashboard is a circuit too): the facilitator's page opens and the
    // same participants walk again.
    DashboardPhase? dashboardRound = null;
    if (session is not null && dashboardSkipped is null)
    {
        await using var board = await Dashboard.OpenAsync(browser, server.BaseUrl, session);
        await board.WaitForRowsAsync(n);
        var boardSamples = await WalkAllAsync(participants);
        // Let the last clicks reach the dashboard before reading what it showed.
        await Task.Delay(3000);
        var (delays, missed) = Dashboard.Match(boardSamples, await board.ReadAsync());
        dashboardRound = new DashboardPhase(n, boardSamples, delays, missed);
    }

    foreach (var p in participants) await p.DisposeAsync();
    await WaitForCircuitsAsync(0);
    return new WizardPhase(n, before, rssSpread, connected, after, rested, samples, setup.Elapsed.TotalSeconds, sw.Elapsed.TotalSeconds,
        Doubles(metrics, "handleEventMs"), Doubles(metrics, "renderDiffMs"), cpu1 - cpu0,
        MachineBusyCores(machine0, machine1, sw.Elapsed), (browser1 - browser0).TotalSeconds / sw.Elapsed.TotalSeconds,
        (self1 - self0).TotalSeconds / sw.Elapsed.TotalSeconds, idleCpu, idleRenders, quiet, dashboardRound);
}

// BENCH_VERIFY_DOM=1: the protocol client's model of the wizard page against the same page in Chromium (a browser
// participant joined to the same session): the elements with an id, and #circuit-state and #wizard-next themselves.
async Task VerifyDomAsync(ProtocolParticipant modelled, string sessionId)
{
    await using var reference = await Participant.JoinAsync(browser, server.BaseUrl, sessionId, "Warmup reference");
    var inBrowser = (await reference.Page.EvaluateAsync<string[]>(
        "() => [...document.body.querySelectorAll('[id]')].map(e => e.tagName.toLowerCase() + '#' + e.id)")).Order().ToList();
    var inModel = modelled.ElementIds().Order().ToList();
    Console.WriteLine($"DOM check: {inBrowser.Count} elements with an id in Chromium, {inModel.Count} in the model; " +
                      $"only in Chromium: {string.Join(" ", inBrowser.Except(inModel))}; only in the model: {string.Join(" ", inModel.Except(inBrowser))}");
    foreach (var id in new[] { "circuit-state", "wizard-next" })
        Console.WriteLine($"DOM check: Chromium {await reference.Page.EvaluateAsync<string>("id => document.getElementById(id).cloneNode(false).outerHTML", id)}; " +
                          $"model {modelled.Describe(id)}");
}

TimeSpan BrowserCpu() => ProcCpu.Descendants(Environment.ProcessId, excluded: server.Pid);

async Task<IParticipant> OpenParticipantAsync(string? sessionId, string name) => sessionId is null
    ? await Participant.OpenWizardAsync(browser, server.BaseUrl, name)
    : protocol
        ? await ProtocolParticipant.JoinAsync(server.BaseUrl, sessionId, name)
        : await Participant.JoinAsync(browser, server.BaseUrl, sessionId, name);

// Created directly in the cluster (SessionStore), as the facilitator's /sessions page would with these settings.
async Task<string> CreateSessionAsync(string name)
{
    using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    var store = new SessionStore(new KubeGateway(client, [Participant.Token]), TimeProvider.System);
    var settings = new SharedSettings(LightStepProduct.OnPremSatellites, "lightstep-satellite.lightstep:9292", CaPem(),
        Participant.Token, "onboarding", new IstioVersion(1, 14, 3), 100m);
    var created = await store.CreateSessionAsync(name, "emulator", "Benchmark facilitator", settings);
    if (!created.Succeeded) throw new InvalidOperationException("could not create the session: " + created.Failure);
    return created.Value!.Session.Id;
}

async Task<List<IParticipant>> OpenAllAsync(int n, Func<int, Task<IParticipant>> open)
{
    // A few at a time: 50 page loads at once would mostly measure Chromium starting renderers on 2 cores.
    using var gate = new SemaphoreSlim(4);
    var tasks = Enumerable.Range(1, n).Select(async i =>
    {
        await gate.WaitAsync();
        try { return await open(i); }
        finally { gate.Release(); }
    });
    return [.. await Task.WhenAll(tasks)];
}

async Task<List<ClickSample>> WalkAllAsync(List<IParticipant> participants)
{
    var results = await Task.WhenAll(participants.Select(async p =>
    {
        try { return await p.WalkAsync(clicks, thinkMin, thinkMax, random); }
        catch (Exception e) when (e is PlaywrightException or OnboardingBenchmark.BlazorProtocol.ProtocolClientException)
        {
            lock (failures) failures.Add($"{p.Name}: {e.Message.Split('\n')[0]}");
            return [];
        }
    }));
    return [.. results.SelectMany(r => r)];
}

// Waits until no circuit is left, connected or not: a disconnected circuit is kept (and counted in memory) until it
// is ended, which the disconnect beacon of a page being left does at once.
async Task WaitForCircuitsAsync(long count)
{
    var deadline = Stopwatch.StartNew();
    while (await server.CircuitsAsync() is var c && (c.Connected > count || c.Active > count) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        await Task.Delay(200);
}

// Right after new code paths run, the runtime's tiered JIT recompiles hot methods on a background thread for seconds
// (seen with top -H as ".NET Tiered Compilation" at 40-100% of a core); wait for that before measuring.
async Task<string> WaitForQuietAsync(TimeSpan max)
{
    var sw = Stopwatch.StartNew();
    while (sw.Elapsed < max)
    {
        var before = server.CpuTime();
        await Task.Delay(1000);
        if ((server.CpuTime() - before).TotalSeconds < 0.05) return $"console quiet (<5% of a core) after {sw.Elapsed.TotalSeconds:F0} s";
    }
    return $"console still busy after {max.TotalSeconds:F0} s (measuring anyway)";
}

async Task<string?> MissingSessionUiAsync()
{
    using var http = new HttpClient();
    foreach (var path in new[] { "/sessions", "/join/AAAAAAAA" })
    {
        using var response = await http.GetAsync(server.BaseUrl + path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return $"GET {path} → 404";
    }
    return null;
}

void PrintReport()
{
    const double MB = 1024 * 1024;
    var (one, many) = (wizard[0], wizard[^1]);
    Console.WriteLine($"== Results: N=1 and N={many.N} in the same run, same console process (load avg now {File.ReadAllText("/proc/loadavg").Trim()}) ==");
    Console.WriteLine($"{"",-58}{"N=1",12}{"N=" + many.N,12}{many.N + " vs 1",12}");
    void Row(string label, double a, double b, string format, bool ratio = true) =>
        Console.WriteLine($"{label,-58}{a.ToString(format),12}{b.ToString(format),12}{(ratio && a > 0 && b > 0 ? "x" + (b / a).ToString("F2") : ""),12}");
    void Text(string label, string a, string b) => Console.WriteLine($"{label,-58}{a,12}{b,12}");

    Console.WriteLine("memory (console process; full compacting GC forced in it, then /proc VmRSS)");
    Row("  circuits connected (Blazor's own counter)", one.Connected.CircuitsConnected, many.Connected.CircuitsConnected, "F0");
    Row("  circuits alive before connecting (Blazor's own counter)", one.Before.CircuitsActive, many.Before.CircuitsActive, "F0", false);
    Row("  RSS with 0 participants (median of 3 settles), MB", one.Before.RssBytes / MB, many.Before.RssBytes / MB, "F1", false);
    Row("  RSS spread over those 3 settles (noise), MB", one.RssSpreadBytes / MB, many.RssSpreadBytes / MB, "F1", false);
    Row("  managed heap with 0 participants, MB", one.Before.ManagedBytes / MB, many.Before.ManagedBytes / MB, "F1", false);
    Row("  connected, idle: RSS delta per participant, MB", one.RssPer(one.Connected) / MB, many.RssPer(many.Connected) / MB, "F2");
    Row("  connected, idle: managed heap delta per participant, MB", one.ManagedPer(one.Connected) / MB, many.ManagedPer(many.Connected) / MB, "F2");
    Row("  after the clicks: RSS delta per participant, MB", one.RssPer(one.After) / MB, many.RssPer(many.After) / MB, "F2");
    Row("  after the clicks: managed heap delta per participant, MB", one.ManagedPer(one.After) / MB, many.ManagedPer(many.After) / MB, "F2");
    Row($"  {RestSeconds} s later, at rest: RSS delta per participant, MB", one.RssPer(one.Rested) / MB, many.RssPer(many.Rested) / MB, "F2");
    Row($"  {RestSeconds} s later, at rest: managed delta per participant, MB", one.ManagedPer(one.Rested) / MB, many.ManagedPer(many.Rested) / MB, "F2");
    // Where RSS beyond the live managed heap goes: memory the GC keeps committed, and threads (each a stack).
    Row("  after the clicks: GC committed delta per participant, MB", one.CommittedPer(one.After) / MB, many.CommittedPer(many.After) / MB, "F2");
    Row("  threads with 0 participants", one.Before.Threads, many.Before.Threads, "F0", false);
    Row("  threads after the clicks", one.After.Threads, many.After.Threads, "F0", false);
    Console.WriteLine((joining ? "click → updated UI, participant mode, no dashboard open" : "click → updated UI, stand-alone wizard") +
                      (protocol
                          ? " (protocol client: DispatchEventAsync sent → render batch setting #circuit-state[data-step] received and applied to the model; no browser DOM or JS)"
                          : " (in the page: click dispatched → #circuit-state[data-step] changed in the DOM)"));
    Row("  clicks measured", one.Clicks.Count, many.Clicks.Count, "F0");
    foreach (var (label, q) in new[] { ("p50", 0.50), ("p95", 0.95), ("p99", 0.99) })
        Row($"  {label}, ms", Percentile(one.Clicks.Select(c => c.Ms), q), Percentile(many.Clicks.Select(c => c.Ms), q), "F1");
    Row("  max, ms", one.Clicks.Max(c => c.Ms), many.Clicks.Max(c => c.Ms), "F1");
    Console.WriteLine("server side (console process, during the clicks)");
    Row("  Blazor handle_event p50, ms", Percentile(one.HandleEventMs, 0.5), Percentile(many.HandleEventMs, 0.5), "F2");
    Row("  Blazor handle_event p95, ms", Percentile(one.HandleEventMs, 0.95), Percentile(many.HandleEventMs, 0.95), "F2");
    Row("  Blazor render_diff (until the client acks) p50, ms", Percentile(one.RenderDiffMs, 0.5), Percentile(many.RenderDiffMs, 0.5), "F2");
    Row("  Blazor render_diff (until the client acks) p95, ms", Percentile(one.RenderDiffMs, 0.95), Percentile(many.RenderDiffMs, 0.95), "F2");
    Row("  console CPU per click, ms", one.ServerCpu.TotalMilliseconds / one.Clicks.Count, many.ServerCpu.TotalMilliseconds / many.Clicks.Count, "F1");
    Row($"  connected, nobody clicking for {IdleSeconds} s: console cores busy", one.IdleCpu.TotalSeconds / IdleSeconds, many.IdleCpu.TotalSeconds / IdleSeconds, "F2");
    Row($"  connected, nobody clicking for {IdleSeconds} s: render batches", one.IdleRenders, many.IdleRenders, "F0");
    Console.WriteLine("CPU during the clicks, cores busy (of 2)");
    Row("  console", one.ServerCpu.TotalSeconds / one.ClickSeconds, many.ServerCpu.TotalSeconds / many.ClickSeconds, "F2");
    Row(protocol ? "  Chromium and the Playwright driver (no page open)" : "  Chromium (all its processes) and the Playwright driver", one.BrowserCores, many.BrowserCores, "F2");
    Row(protocol ? "  benchmark process (protocol clients, Kubernetes emulator)" : "  benchmark process (Playwright client, Kubernetes emulator)", one.BenchmarkCores, many.BenchmarkCores, "F2");
    Row("  everything else on the machine", one.OtherCores, many.OtherCores, "F2");
    Console.WriteLine("dashboard update delay (participant's click, Date.now() → dashboard row shows the new data-step, Date.now())");
    if (dashboardSkipped is not null) Text("  " + dashboardSkipped, "-", "-");
    else
    {
        var (d1, dn) = (one.Dashboard!, many.Dashboard!);
        Row("  clicks", d1.Clicks.Count, dn.Clicks.Count, "F0");
        Row("  seen on the dashboard", d1.DelaysMs.Count, dn.DelaysMs.Count, "F0");
        Row("  missed (row never showed that step in time)", d1.Missed, dn.Missed, "F0", false);
        foreach (var (label, q) in new[] { ("p50", 0.50), ("p95", 0.95) })
            Row($"  {label}, ms", Percentile(d1.DelaysMs, q), Percentile(dn.DelaysMs, q), "F1");
        Row("  max, ms", d1.DelaysMs.DefaultIfEmpty(double.NaN).Max(), dn.DelaysMs.DefaultIfEmpty(double.NaN).Max(), "F1");
        Row("  participant's click → own UI p95 in this round, ms", Percentile(d1.Clicks.Select(c => c.Ms), 0.95), Percentile(dn.Clicks.Select(c => c.Ms), 0.95), "F1");
    }
    Console.WriteLine($"targets at N={many.N}: memory < 2 MB per participant after the clicks: RSS {Verdict(many.RssPer(many.After) / MB < 2)} " +
                      $"({many.RssPer(many.After) / MB:F2} MB; {many.RssPer(many.Rested) / MB:F2} MB after {RestSeconds} s of rest), managed heap {Verdict(many.ManagedPer(many.After) / MB < 2)} ({many.ManagedPer(many.After) / MB:F2} MB); p95 click → UI < 150 ms: {Verdict(Percentile(many.Clicks.Select(c => c.Ms), 0.95) < 150)} " +
                      $"({Percentile(many.Clicks.Select(c => c.Ms), 0.95):F1} ms)");
}

static string Verdict(bool met) => met ? "met" : "NOT met";

static double Percentile(IEnumerable<double> values, double q)
{
    var sorted = values.Order().ToArray();
    if (sorted.Length == 0) return double.NaN;
    var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
}

static double[] Doubles(System.Text.Json.JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

static double MachineBusyCores((long Busy, long Total) a, (long Busy, long Total) b, TimeSpan elapsed) =>
    (b.Busy - a.Busy) / 100.0 / elapsed.TotalSeconds;

static string CaPem()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=Onboarding Benchmark CA", key, HashAlgorithmName.SHA256);
    request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
    using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    return certificate.ExportCertificatePem() + "\n";
}

static string OsName() =>
    File.Exists("/etc/os-release")
        ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "Linux"
        : RuntimeInformation.OSDescription;

// The load client shares the console's 2 cores: at a lower priority, Chromium (and every renderer it forks, which
// inherit the niceness) takes only the CPU the console leaves, so the console's own latency is what gets measured.
static string NicedChromium(string chromium, int nice, string work)
{
    var wrapper = Path.Combine(work, "chromium-niced.sh");
    File.WriteAllText(wrapper, $"#!/bin/sh\nexec nice -n {nice} '{chromium}' \"$@\"\n");
    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    return wrapper;
}

internal sealed record WizardPhase(int N, MemorySample Before, long RssSpreadBytes, MemorySample Connected, MemorySample After, MemorySample Rested, List<ClickSample> Clicks,
    double SetupSeconds, double ClickSeconds, double[] HandleEventMs, double[] RenderDiffMs, TimeSpan ServerCpu, double MachineBusyCores, double BrowserCores, double BenchmarkCores,
    TimeSpan IdleCpu, int IdleRenders, string Quiet, DashboardPhase? Dashboard)
{
    public double OtherCores => MachineBusyCores - ServerCpu.TotalSeconds / ClickSeconds - BrowserCores - BenchmarkCores;
    public double RssPer(MemorySample sample) => (double)(sample.RssBytes - Before.RssBytes) / N;
    public double ManagedPer(MemorySample sample) => (double)(sample.ManagedBytes - Before.ManagedBytes) / N;
    public double CommittedPer(MemorySample sample) => (double)(sample.CommittedBytes - Before.CommittedBytes) / N;
}

internal sealed record DashboardPhase(int N, List<ClickSample> Clicks, List<double> DelaysMs, int Missed);

internal static class ChromiumLocator
{
    // Same lookup as tests/WebConsole.BrowserTests (ConsoleServerFixture.cs).
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"CHROMIUM_PATH is set to '{configured}', which does not exist.");
        return Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "No Chromium found. Install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH.");
    }
}

