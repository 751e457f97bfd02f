using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OnboardingBenchmark;

/// <summary>What the probe reported after a forced settle, plus the kernel's view of the process.</summary>
public sealed record MemorySample(long RssBytes, long ManagedBytes, long CommittedBytes, long CircuitsActive, long CircuitsConnected, int Threads);

/// <summary>
/// The console as its own process (<c>dotnet WebConsole.dll</c>), with the probe (<see cref="StartupHook"/>) loaded
/// into it, on a port the console picked and reported in its log.
/// </summary>
public sealed partial class ConsoleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _socketPath;
    private readonly List<string> _log = [];
    private Socket? _probe;
    private StreamReader? _probeReader;
    private StreamWriter? _probeWriter;

    private ConsoleProcess(Process process, string socketPath)
    {
        _process = process;
        _socketPath = socketPath;
    }

    public string BaseUrl { get; private set; } = "";
    public int Pid => _process.Id;
    public IReadOnlyList<string> Log { get { lock (_log) return [.. _log]; } }

    public static async Task<ConsoleProcess> StartAsync(string consoleDll, string kubeconfig, string environment, string workDirectory)
    {
        var socketPath = Path.Combine(workDirectory, "probe.sock");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(consoleDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(consoleDll);
        // appsettings.json sets Urls (port 5000), which ASPNETCORE_URLS does not override; an unprefixed variable does.
        start.Environment["URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
        start.Environment["BENCH_PROBE_SOCKET"] = socketPath;
        // Without the lifetime log the "Now listening on" line would not appear.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet " + consoleDll);
        var console = new ConsoleProcess(process, socketPath);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (console._log) console._log.Add(line);
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != listening.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The console did not report its address:\n" + string.Join("\n", console.Log));
        }
        console.BaseUrl = listening.Task.Result.TrimEnd('/');
        await console.ConnectProbeAsync();
        return console;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    private async Task ConnectProbeAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath));
                var stream = new NetworkStream(socket, ownsSocket: false);
                _probe = socket;
                _probeReader = new StreamReader(stream, Encoding.UTF8);
                _probeWriter = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
                return;
            }
            catch (SocketException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private readonly SemaphoreSlim _probeLock = new(1, 1);

    public async Task<JsonElement> AskAsync(string command)
    {
        await _probeLock.WaitAsync();
        try
        {
            await _probeWriter!.WriteLineAsync(command);
            var line = await _probeReader!.ReadLineAsync() ?? throw new InvalidOperationException("probe closed");
            return JsonDocument.Parse(line).RootElement.Clone();
        }
        finally
        {
            _probeLock.Release();
        }
    }

    /// <summary>Forced full compacting collections in the console, then its RSS from /proc (after a short pause for the GC to return memory).</summary>
    public async Task<MemorySample> SettleAsync()
    {
        await AskAsync("settle");
        await Task.Delay(500);
        var answer = await AskAsync("settle");
        return new MemorySample(ReadRssBytes(), answer.GetProperty("managedBytes").GetInt64(), answer.GetProperty("committedBytes").GetInt64(),
            answer.GetProperty("circuitsActive").GetInt64(), answer.GetProperty("circuitsConnected").GetInt64(), ReadThreads());
    }

    /// <summary>The console's GC flavour as its runtime reports it (the csproj or a DOTNET_gcServer variable decides).</summary>
    public async Task<string> GcModeAsync()
    {
        var answer = await AskAsync("runtime");
        return $"{(answer.GetProperty("serverGc").GetBoolean() ? "server" : "workstation")} GC, {answer.GetProperty("latencyMode").GetString()}";
    }

    public async Task<(long Active, long Connected)> CircuitsAsync()
    {
        var answer = await AskAsync("circuits");
        return (answer.GetProperty("circuitsActive").GetInt64(), answer.GetProperty("circuitsConnected").GetInt64());
    }

    public long ReadRssBytes() => ReadStatus("VmRSS:") * 1024;

    public int ReadThreads() => (int)ReadStatus("Threads:");

    private long ReadStatus(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]);
        throw new InvalidOperationException($"no {field} for {Pid}");
    }

    /// <summary>User + system CPU time the console has used so far.</summary>
    public TimeSpan CpuTime() => ProcCpu.ProcessCpu(Pid);

    public async ValueTask DisposeAsync()
    {
        _probe?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

public static class ProcCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of stat)
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>CPU time of every live process below <paramref name="root"/> (not the root itself), leaving out the
    /// subtree of <paramref name="excluded"/>: here the Playwright driver and Chromium's processes.</summary>
    public static TimeSpan Descendants(int root, int excluded)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
            }
            catch (IOException) { }
        }
        var total = TimeSpan.Zero;
        foreach (var pid in parents.Keys)
        {
            var (current, below) = (pid, false);
            while (parents.TryGetValue(current, out var parent) && current != excluded)
            {
                if (parent == root) { below = true; break; }
                current = parent;
            }
            if (!below || current == excluded) continue;
            try { total += ProcessCpu(pid); } catch (IOException) { }
        }
        return total;
    }

    /// <summary>(busy, total) jiffies of the whole machine from /proc/stat.</summary>
    public static (long Busy, long Total) Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = cpu[3] + cpu[4];
        var total = cpu.Take(8).Sum();
        return (total - idle, total);
    }
}
