using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Runtime;
using System.Text;
using System.Text.Json;

/// <summary>
/// Loaded into the console process (not the benchmark's) through <c>DOTNET_STARTUP_HOOKS</c>, so the console's code
/// stays as shipped. Answers one-line commands on the Unix socket named by <c>BENCH_PROBE_SOCKET</c>:
/// <c>settle</c> forces full compacting collections and reports memory; <c>reset</c> clears the recorded
/// Blazor metrics; <c>metrics</c> returns them; every answer carries the circuit counts. The metrics are ASP.NET Core's own Components instruments
/// (<c>aspnetcore.components.*</c>), read with a <see cref="MeterListener"/>.
/// Runtime contract: a type named StartupHook in no namespace with a static Initialize(); only shared-framework
/// types may be used here (the benchmark's package references are not on the console's probing path).
/// </summary>
internal static class StartupHook
{
    private static readonly ConcurrentQueue<double> HandleEventMs = new();
    private static readonly ConcurrentQueue<double> RenderDiffMs = new();
    private static long _circuitsActive;
    private static long _circuitsConnected;
    private static MeterListener? _listener;

    public static void Initialize()
    {
        var socketPath = Environment.GetEnvironmentVariable("BENCH_PROBE_SOCKET");
        if (string.IsNullOrEmpty(socketPath)) return;

        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name.StartsWith("aspnetcore.components.", StringComparison.Ordinal))
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "aspnetcore.components.handle_event.duration") HandleEventMs.Enqueue(value * 1000);
            else if (instrument.Name == "aspnetcore.components.render_diff.duration") RenderDiffMs.Enqueue(value * 1000);
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "aspnetcore.components.circuit.active") Interlocked.Add(ref _circuitsActive, value);
            else if (instrument.Name == "aspnetcore.components.circuit.connected") Interlocked.Add(ref _circuitsConnected, value);
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "aspnetcore.components.circuit.active") Interlocked.Add(ref _circuitsActive, value);
            else if (instrument.Name == "aspnetcore.components.circuit.connected") Interlocked.Add(ref _circuitsConnected, value);
        });
        _listener.Start();

        if (File.Exists(socketPath)) File.Delete(socketPath);
        var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(socketPath));
        server.Listen(4);
        new Thread(() => Serve(server)) { IsBackground = true, Name = "bench-probe" }.Start();
    }

    private static void Serve(Socket server)
    {
        while (true)
        {
            using var client = server.Accept();
            using var stream = new NetworkStream(client);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            while (reader.ReadLine() is { } command)
                writer.WriteLine(Answer(command.Trim()));
        }
    }

    // Utf8JsonWriter rather than JsonSerializer: no reflection, whatever the host's serializer settings.
    private static string Answer(string command)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (command)
            {
                case "settle":
                    for (var i = 0; i < 3; i++)
                    {
                        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                        GC.WaitForPendingFinalizers();
                    }
                    var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                    json.WriteNumber("managedBytes", GC.GetTotalMemory(forceFullCollection: false));
                    json.WriteNumber("heapSizeBytes", info.HeapSizeBytes);
                    json.WriteNumber("committedBytes", info.TotalCommittedBytes);
                    json.WriteNumber("workingSetBytes", Environment.WorkingSet);
                    break;
                case "reset":
                    HandleEventMs.Clear();
                    RenderDiffMs.Clear();
                    break;
                case "circuits":
                    break;
                case "runtime":
                    json.WriteBoolean("serverGc", GCSettings.IsServerGC);
                    json.WriteString("latencyMode", GCSettings.LatencyMode.ToString());
                    break;
                case "metrics":
                    WriteArray(json, "handleEventMs", HandleEventMs);
                    WriteArray(json, "renderDiffMs", RenderDiffMs);
                    break;
                default:
                    json.WriteString("error", "unknown command " + command);
                    break;
            }
            json.WriteNumber("circuitsActive", Interlocked.Read(ref _circuitsActive));
            json.WriteNumber("circuitsConnected", Interlocked.Read(ref _circuitsConnected));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }
}
