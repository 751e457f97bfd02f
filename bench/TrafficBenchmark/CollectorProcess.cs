using System.Diagnostics;
using System.Globalization;
using TrafficStandIns;

namespace TrafficBenchmark;

/// <summary>
/// The collector stand-in that receives the console's spans, in a child process of the benchmark (this program started
/// again with <see cref="Argument"/>), so that decoding the spans is not billed to the console and the command: the
/// benchmark's CPU time counts this process and its waited-for children (wrk's runs, which end), not a child that is
/// still running. The collector's own CPU is read from /proc/PID/stat and reported beside the tools' numbers.
/// Protocol on the child's stdin/stdout: it prints "BASE-URL GRPC-URL" once it listens, then answers every input line
/// with the number of spans it has received; it stops when stdin closes.
/// </summary>
public sealed class CollectorProcess : IAsyncDisposable
{
    public const string Argument = "--collector-stand-in";

    private readonly Process process;
    private readonly Lock queryLock = new();

    private CollectorProcess(Process process, Uri baseUrl, Uri grpcUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
        GrpcUrl = grpcUrl;
    }

    public Uri BaseUrl { get; }
    public Uri GrpcUrl { get; }
    public Uri OtlpHttpEndpoint => new(BaseUrl, "/traces/otlp/v0.9");
    public int ProcessId => process.Id;

    /// <summary>Spans the collector has received so far (a round trip to the child).</summary>
    public int SpanCount
    {
        get
        {
            lock (queryLock)
            {
                process.StandardInput.WriteLine("count");
                process.StandardInput.Flush();
                return int.Parse(process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The collector stand-in exited."), CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>CPU seconds the collector process has used (utime + stime of /proc/PID/stat).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static async Task<CollectorProcess> StartAsync(string token)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Run as `dotnet TrafficBenchmark.dll` the process is dotnet: pass the program's own assembly first.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(CollectorProcess).Assembly.Location);
        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(token);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The collector stand-in did not start.");
        var urls = (await process.StandardOutput.ReadLineAsync())?.Split(' ');
        if (urls is not [var baseUrl, var grpcUrl])
            throw new InvalidOperationException("The collector stand-in did not say where it listens.");
        return new CollectorProcess(process, new Uri(baseUrl), new Uri(grpcUrl));
    }

    /// <summary>The child's side: serves until stdin closes.</summary>
    public static async Task<int> ServeAsync(string token)
    {
        await using var collector = await CollectorStandIn.StartAsync(token);
        // Keeps nothing per span, as in the benchmark before it moved out of process.
        collector.RecordSpans = false;
        Console.WriteLine($"{collector.BaseUrl} {collector.GrpcUrl}");
        while (await Console.In.ReadLineAsync() is not null)
            Console.WriteLine(collector.SpanCount.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
