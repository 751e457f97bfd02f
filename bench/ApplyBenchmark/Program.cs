// Side-by-side apply benchmark: the console's apply path vs `kubectl apply --server-side`, each on a fresh
// KubeEmulator on loopback, for 1, 10 and 50 namespaces. Prints request counts per object and wall-time ratios
// measured in the same run; nothing is asserted about absolute timings. See bench/README.md.
//
//   dotnet run -c Release --project bench/ApplyBenchmark [-- --reps 5 --sizes 1,10,50 --kubectl /path/to/kubectl]

using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApplyBenchmark;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Contains("--requests-per-object"))
{
    using var rpoKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var rpoRequest = new CertificateRequest("CN=Apply Benchmark CA, O=Bench", rpoKey, HashAlgorithmName.SHA256);
    rpoRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
    var rpoCa = rpoRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)).ExportCertificatePem() + "\n";
    var rpoDir = Directory.CreateTempSubdirectory("lsmc-rpo-bench-").FullName;
    try
    {
        return await RequestsPerObject.RunAsync(
            [
                new("access review each", g => new WebConsole.Features.Cluster.Preflight(g, TimeProvider.System, rulesReviewFirst: false)),
                new("rules review first", g => new WebConsole.Features.Cluster.Preflight(g, TimeProvider.System)),
            ], rpoCa, rpoDir);
    }
    finally
    {
        Directory.Delete(rpoDir, recursive: true);
    }
}

var reps = 5;
int[] sizes = [1, 10, 50];
string? kubectlArg = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--sizes": sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--kubectl": kubectlArg = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--reps 5] [--sizes 1,10,50] [--kubectl PATH]");
            return 2;
    }
}

var (kubectl, kubectlVersion, kubectlNote) = await Kubectl.ResolveAsync(kubectlArg);
if (kubectl is null)
{
    Console.Error.WriteLine("kubectl not found: set KUBECTL or put kubectl on PATH (apt-get install -y kubernetes-client).");
    return 1;
}

var root = Directory.CreateTempSubdirectory("lsmc-apply-bench-").FullName;
try
{
    Console.WriteLine("Apply benchmark: console (LiveChangePlanner + PreviewAsync + ApplyAsync) vs kubectl apply --server-side");
    Console.WriteLine($"  date      {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
    Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.OSArchitecture}, .NET {Environment.Version}");
    if (File.Exists("/proc/loadavg"))
        Console.WriteLine($"  load avg  {File.ReadAllText("/proc/loadavg").Trim()} (at start; anything else running shares the cores)");
    Console.WriteLine($"  kubectl   {kubectl} ({kubectlVersion}){(kubectlNote is null ? "" : "\n            " + kubectlNote)}");
    var floor = await Kubectl.StartupFloorMsAsync(kubectl, root, 7);
    Console.WriteLine($"            `kubectl version --client` (process start, no server): median {floor:0.0} ms of 7");
    Console.WriteLine($"  emulator  KubeEmulator, fixture NoIstio, HTTPS on 127.0.0.1, namespaces bench-1..bench-N seeded via Store.Put");
    Console.WriteLine($"  workload  Istio 1.26 on-prem plan; the CA Secret per namespace (what the console applies without Istio)");
    Console.WriteLine($"  method    global warm-up (below), then per N and tool: 1 warm-up + {reps} runs, each on a FRESH emulator; tools alternate order; median reported");

    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=Apply Benchmark CA, O=Bench", key, HashAlgorithmName.SHA256);
    request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
    var caPem = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)).ExportCertificatePem() + "\n";

    // The console is a long-running server, and the emulator runs in this process too: measure both after the JIT
    // (tiered compilation + dynamic PGO) has settled, which on 2 cores takes thousands of requests. Global warm-up:
    // the console path at N=50 30 times, then kubectl 3 times; the curve is printed so the cold cost is visible.
    var run = 0;
    const int warmupRuns = 30;
    Console.Error.Write("global warm-up: ");
    var warmup = Runs.Workload(50, caPem);
    var curve = new List<double>();
    for (var i = 0; i < warmupRuns; i++)
    {
        var pair = await Runs.ConsoleAsync(warmup, Directory.CreateDirectory(Path.Combine(root, $"run-{run++}")).FullName, CancellationToken.None);
        curve.Add(pair.Create.WallMs);
        Console.Error.Write('.');
    }
    for (var i = 0; i < 3; i++)
        await Runs.KubectlAsync(warmup, kubectl, Directory.CreateDirectory(Path.Combine(root, $"run-{run++}")).FullName, CancellationToken.None);
    Console.Error.WriteLine(" done");
    Console.WriteLine($"  warm-up   console create N=50 in this fresh process, runs 1,2,5,10,20,30: " +
                      string.Join(", ", new[] { 1, 2, 5, 10, 20, 30 }.Select(i => $"{curve[i - 1]:0}")) + " ms (cold JIT; not in the tables)");
    Console.WriteLine();

    var results = new List<SizeResult>();
    foreach (var n in sizes)
    {
        var workload = Runs.Workload(n, caPem);
        var console = new List<RunPair>();
        var kube = new List<RunPair>();
        Console.Error.Write($"N={n}: ");
        for (var rep = 0; rep <= reps; rep++) // rep 0 is the warm-up
        {
            var consoleFirst = rep % 2 == 0;
            for (var turn = 0; turn < 2; turn++)
            {
                var dir = Directory.CreateDirectory(Path.Combine(root, $"run-{run++}")).FullName;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                if ((turn == 0) == consoleFirst)
                {
                    var pair = await Runs.ConsoleAsync(workload, dir, CancellationToken.None);
                    if (rep > 0) console.Add(pair);
                }
                else
                {
                    var pair = await Runs.KubectlAsync(workload, kubectl, dir, CancellationToken.None);
                    if (rep > 0) kube.Add(pair);
                }
            }
            Console.Error.Write(rep == 0 ? "warm-up " : $"{rep} ");
        }
        Console.Error.WriteLine();
        results.Add(new SizeResult(workload, console, kube));
    }

    Report.Print(results, reps);
    if (File.Exists("/proc/loadavg"))
        Console.WriteLine($"load avg at end: {File.ReadAllText("/proc/loadavg").Trim()}");
    return 0;
}
finally
{
    Directory.Delete(root, recursive: true);
}

public sealed record SizeResult(Workload Workload, IReadOnlyList<RunPair> Console, IReadOnlyList<RunPair> Kubectl);

public static class Kubectl
{
    /// <summary>
    /// --kubectl, else $KUBECTL, else kubectl on PATH. Google Cloud SDK's kubectl is a "dispatcher" that picks one of
    /// several kubectl.1.NN binaries next to it; when that is what PATH holds, the benchmark runs the binary the
    /// dispatcher names as its own version directly (and says so), so kubectl is timed without the dispatcher's hop.
    /// </summary>
    public static async Task<(string? Path, string Version, string? Note)> ResolveAsync(string? explicitPath)
    {
        var chosen = explicitPath ?? Environment.GetEnvironmentVariable("KUBECTL");
        var path = chosen ?? (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "kubectl"))
            .FirstOrDefault(File.Exists);
        if (path is null) return (null, "", null);
        var version = await VersionAsync(path);
        string? note = null;
        if (chosen is null && version.Contains("dispatcher", StringComparison.Ordinal))
        {
            var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            var parts = version.TrimStart('v').Split('.', '-');
            var sibling = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(real)!, $"kubectl.{parts[0]}.{parts[1]}");
            if (File.Exists(sibling))
            {
                note = $"({path} is Google Cloud SDK's kubectl dispatcher {version}; running {sibling} directly. Set KUBECTL to override.)";
                path = sibling;
                version = await VersionAsync(sibling);
            }
        }
        return (path, version, note);
    }

    /// <summary>Median wall time of `kubectl version --client`: what any kubectl invocation costs before it talks to a server.</summary>
    public static async Task<double> StartupFloorMsAsync(string kubectl, string workDir, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await Runs.RunProcessAsync(kubectl, ["version", "--client"], workDir, CancellationToken.None);
            if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds); // the first one only warms the page cache
        }
        return Report.Median(times, t => t);
    }

    private static async Task<string> VersionAsync(string path)
    {
        var dir = Directory.CreateTempSubdirectory("lsmc-kubectl-version-").FullName;
        try
        {
            var (_, output) = await Runs.RunProcessAsync(path, ["version", "--client"], dir, CancellationToken.None);
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("Client Version:", StringComparison.Ordinal));
            return line?["Client Version:".Length..].Trim() ?? "unknown version";
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
