using WebConsole.Features.Access;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Traffic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TrafficStandIns;
using WebConsole.Cli;
using WebConsole.Features.Localization;
using WebConsole.Tests.Cluster;

namespace WebConsole.Tests.Cli;

/// <summary>
/// `traffic` end to end on loopback, as a CI smoke test runs it: real HTTP to the gateway stand-in, real span export
/// to the collector stand-in, the rows file read back, and (for --context/--namespace) the gateway and Istio version
/// found in the emulated cluster.
/// </summary>
public sealed class TrafficCommandTests : IAsyncLifetime
{
    // Recognisable, so a leak anywhere in stdout/stderr is easy to spot.
    private const string Token = "TRAFFIC-CLI-token-5e8d2a91c7-SECRET";
    private const string Project = "demo-project";

    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-traffic-").FullName;
    private GatewayStandIn _gateway = null!;
    private CollectorStandIn _collector = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayStandIn.StartAsync(GatewayTracer.OpenTelemetry);
        _collector = await CollectorStandIn.StartAsync(Token);
        File.WriteAllText(PathOf("token.txt"), Token + "\n", new UTF8Encoding(false));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _collector.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>The stand-in collector's cleartext gRPC listener, as --satellite/--span-endpoint take it.</summary>
    private string CollectorAddress => $"127.0.0.1:{_collector.GrpcUrl.Port}";

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<Run> RunAsync(string? kubeconfig, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var settings = new Dictionary<string, string?>
        {
            // Short export timeouts keep refused and unreachable destinations quick.
            ["Console:Traffic:RequestTimeout"] = "00:00:05",
            ["Console:Traffic:ExportTimeout"] = "00:00:05",
            ["Console:Traffic:FlushTimeout"] = "00:00:10",
            ["Console:Traffic:ExportDelay"] = "00:00:00.100",
            // Never the developer's own cluster.
            ["KUBECONFIG"] = kubeconfig ?? "/nonexistent/kubeconfig",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var code = await CommandLine.RunAsync(["traffic", .. args], stdout, stderr, TextReader.Null, configuration);
        var run = new Run(code, stdout.ToString(), stderr.ToString());
        // Whatever happened, the token is never printed.
        Assert.DoesNotContain(Token, run.Stdout + run.Stderr);
        Assert.DoesNotContain("5e8d2a91c7", run.Stdout + run.Stderr);
        return run;
    }

    private string[] Args(int requests, params string[] extra) =>
    [
        "--gateway", _gateway.BaseUrl.ToString(), "--requests", requests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--concurrency", "4", "--istio-version", "1.26", "--token-file", PathOf("token.txt"), .. extra,
    ];

    private string[] ToCollector(int requests, params string[] extra) =>
        Args(requests, ["--satellite", CollectorAddress, "--plaintext", "--project", Project, .. extra]);

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllText(path).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        // No field of these rows holds a comma or a quote (ids, numbers, codes and a link without commas).
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    [Fact]
    public async Task Every_row_in_the_csv_is_a_root_span_the_collector_received_with_its_link_and_the_summary_is_one_line()
    {
        var output = PathOf("rows.csv");

        var run = await RunAsync(null, ToCollector(20, "--out", output));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var summary = Assert.Single(run.StdoutLines);
        Assert.StartsWith("requests 20, failed 0, spans accepted (", summary);
        Assert.Matches(@"p50 \d+\.\d\d ms, p99 \d+\.\d\d ms$", summary);
        var rows = ReadCsv(output);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r["sequence"]));
        foreach (var row in rows)
        {
            Assert.Equal("200", row["status"]);
            var key = (TraceId.Parse(row["trace_id"]), SpanId.Parse(row["span_id"]));
            Assert.True(_collector.Spans.TryGetValue(key, out var span), $"row {row["sequence"]}: the collector has no span {row["trace_id"]}/{row["span_id"]}");
            Assert.Null(span.ParentSpanId);
            Assert.Equal("otlp-grpc", span.Protocol); // Istio 1.26 exports OTLP/gRPC, and so does the console
            Assert.Equal($"https://app.lightstep.com/{Project}/trace?span_guid={key.Item2.Value:x}&at_micros={span.StartMicros}", row["link"]);
            // The gateway saw exactly this request's context.
            Assert.Contains(_gateway.Observations, o => o.TraceId == key.Item1 && o.ParentId == key.Item2 && o.WouldContinue);
        }
        Assert.Equal(20, _gateway.Arrivals);
    }

    [Fact]
    public async Task Json_rows_carry_the_same_ids_and_progress_goes_to_stderr_as_plain_lines()
    {
        var output = PathOf("rows.json");

        var run = await RunAsync(null, ToCollector(30, "--out", output));

        Assert.Equal(0, run.ExitCode);
        var rows = JsonNode.Parse(File.ReadAllText(output))!.AsArray();
        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.True(_collector.Spans.ContainsKey((TraceId.Parse((string)r!["traceId"]!), SpanId.Parse((string)r!["spanId"]!)))));
        // The default link carries the span id as LightStep's tracers print it: lowercase hex without zero-padding.
        Assert.All(rows, r => Assert.Contains(
            "span_guid=" + SpanId.Parse((string)r!["spanId"]!).Value.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "&",
            (string)r!["link"]!));
        // Not a terminal: plain lines, at most one per tenth of the run, the last one complete; no carriage returns.
        var progress = run.ErrorLines.Where(l => l.Contains("/30 requests", StringComparison.Ordinal)).ToList();
        Assert.InRange(progress.Count, 2, 10);
        Assert.Equal("30/30 requests, 0 failed", progress[^1]);
        Assert.DoesNotContain('\r', run.Stderr);
    }

    [Fact]
    public async Task On_a_terminal_progress_is_one_bar_redrawn_in_place()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        var text = new ConsoleText(new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Console:Traffic:ExportDelay"] = "00:00:00.100" }).Build();
        var verb = new TrafficCommand(text, stdout, stderr, configuration, new AuditLog(NullLoggerFactory.Instance), stderrIsTerminal: true).Verb();

        var code = await new RootCommand { verb }.Parse(["traffic", .. ToCollector(200)]).InvokeAsync();

        Assert.Equal(0, code);
        var bar = stderr.ToString().Split('\n').Single(l => l.Contains('\r'));
        // Redrawn with carriage returns on one line, ending full.
        Assert.EndsWith("\r[##############################] 200/200 requests, 0 failed", bar.TrimEnd());
        Assert.DoesNotContain(Token, stdout.ToString() + stderr);
    }

    [Fact]
    public async Task A_failed_request_exits_one_and_its_row_says_why()
    {
        _gateway.FailWith = arrival => arrival == 3 ? 503 : null;
        var output = PathOf("rows.csv");

        var run = await RunAsync(null, ToCollector(10, "--out", output));

        Assert.Equal(CommandLine.Failed, run.ExitCode);
        Assert.StartsWith("requests 10, failed 1, spans accepted", Assert.Single(run.StdoutLines));
        var failed = Assert.Single(ReadCsv(output), r => r["status"] != "200");
        Assert.Equal("503", failed["status"]);
        Assert.NotEqual("", failed["error_code"]);
        Assert.NotEqual("", failed["trace_id"]); // a failed request is still the root of its trace
    }

    [Fact]
    public async Task Refused_spans_exit_one_even_when_every_request_succeeded()
    {
        await using var otherProject = await CollectorStandIn.StartAsync("another-projects-token-123456");

        var run = await RunAsync(null, Args(5, "--satellite", $"127.0.0.1:{otherProject.GrpcUrl.Port}", "--plaintext"));

        Assert.Equal(CommandLine.Failed, run.ExitCode);
        Assert.StartsWith("requests 5, failed 0, spans refused: access token", Assert.Single(run.StdoutLines));
        Assert.Contains(run.ErrorLines, l => l.Contains("refused the access token", StringComparison.Ordinal));
        Assert.True(otherProject.RefusedCalls > 0);
        Assert.Empty(otherProject.Received);
    }

    [Fact]
    public async Task Span_endpoint_sends_the_root_spans_elsewhere_than_the_mesh_destination()
    {
        // The mesh reports to LightStep's public ingest; the console's spans go to the local collector instead.
        var run = await RunAsync(null, Args(4, "--public", "--span-endpoint", CollectorAddress, "--plaintext"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(4, _collector.Received.Count);
        Assert.Contains(run.ErrorLines, l => l.Contains(CollectorAddress, StringComparison.Ordinal) && l.Contains("without TLS", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.Contains("without --project the rows have no trace link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_input_exits_two_with_one_line_per_problem_naming_the_option_and_sends_nothing()
    {
        var run = await RunAsync(null,
            "--gateway", "https://gateway.example.com/productpage", "--requests", "0", "--concurrency", "65", "--istio-version", "one.two",
            "--token-file", PathOf("token.txt"), "--satellite", "http://sat.example.com:9292", "--link-template", "https://app.lightstep.com/{project}/trace?s={spanId}",
            "--out", PathOf("rows.txt"));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Equal("", run.Stdout);
        foreach (var option in new[] { "--requests", "--concurrency", "--gateway", "--istio-version", "--satellite", "--project", "--out" })
            Assert.Single(run.ErrorLines, l => l.StartsWith(option + ": ", StringComparison.Ordinal));
        Assert.All(run.ErrorLines, l => Assert.StartsWith("--", l));
        Assert.Equal(0, _gateway.Arrivals);
        Assert.False(File.Exists(PathOf("rows.txt")));
    }

    [Fact]
    public async Task Product_choice_plaintext_to_the_public_ingest_and_a_bad_token_are_invalid_input()
    {
        File.WriteAllText(PathOf("quoted.txt"), "\"" + Token + "\"\n");

        var neither = await RunAsync(null, Args(1));
        var plaintextPublic = await RunAsync(null, Args(1, "--public", "--plaintext"));
        var quoted = await RunAsync(null, ["--gateway", _gateway.BaseUrl.ToString(), "--requests", "1", "--concurrency", "1", "--istio-version", "1.26",
            "--token-file", PathOf("quoted.txt"), "--public"]);
        var missing = await RunAsync(null, "--gateway", _gateway.BaseUrl.ToString(), "--istio-version", "1.26", "--token-file", PathOf("token.txt"), "--public");

        Assert.Equal(CommandLine.InvalidInput, neither.ExitCode);
        Assert.Single(neither.ErrorLines, l => l.StartsWith("--public/--satellite: ", StringComparison.Ordinal));
        Assert.Equal(CommandLine.InvalidInput, plaintextPublic.ExitCode);
        Assert.Single(plaintextPublic.ErrorLines, l => l.StartsWith("--plaintext: ", StringComparison.Ordinal));
        Assert.Equal(CommandLine.InvalidInput, quoted.ExitCode);
        Assert.Single(quoted.ErrorLines, l => l.StartsWith("--token-file: ", StringComparison.Ordinal));
        Assert.Equal(CommandLine.InvalidInput, missing.ExitCode);
        Assert.Contains(missing.ErrorLines, l => l.Contains("--requests", StringComparison.Ordinal));
        Assert.Contains(missing.ErrorLines, l => l.Contains("--concurrency", StringComparison.Ordinal));
        Assert.Equal(0, _gateway.Arrivals);
    }

    [Fact]
    public async Task A_rows_file_that_cannot_be_written_exits_one_after_the_summary()
    {
        // A directory named like the file is refused before the run (OptionParsingTests); /proc takes no new file, not even from root.
        if (!OperatingSystem.IsLinux()) return;
        const string output = "/proc/taken.csv";

        var run = await RunAsync(null, ToCollector(3, "--out", output));

        Assert.Equal(CommandLine.Failed, run.ExitCode);
        Assert.StartsWith("requests 3, failed 0, spans accepted", Assert.Single(run.StdoutLines));
        Assert.Single(run.ErrorLines, l => l.StartsWith("--out: could not write " + output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_gateway_gives_failed_rows_and_exit_one()
    {
        await _gateway.StopListeningAsync();
        var output = PathOf("rows.csv");

        var run = await RunAsync(null, ToCollector(3, "--out", output));

        Assert.Equal(CommandLine.Failed, run.ExitCode);
        Assert.StartsWith("requests 3, failed 3,", Assert.Single(run.StdoutLines));
        Assert.All(ReadCsv(output), r => Assert.Equal("", r["status"]));
    }

    /// <summary>The MidIstio fixture (Istio 1.14.3) with its ingress gateway Service answering on the stand-in's port.</summary>
    private async Task<EmulatedCluster> ClusterWithGatewayAsync()
    {
        var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var service = cluster.Emulator.Store.Get("v1", "Service", "istio-system", "istio-ingressgateway")!;
        foreach (var port in service["spec"]!["ports"]!.AsArray().OfType<JsonObject>().Where(p => (string?)p["name"] == "http2"))
            port["port"] = _gateway.BaseUrl.Port;
        service["spec"]!["type"] = "LoadBalancer";
        service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }) } };
        service["metadata"]!.AsObject().Remove("managedFields");
        cluster.Emulator.Store.Put(service, "istio-operator");
        return cluster;
    }

    [Fact]
    public async Task Context_and_namespace_find_the_gateway_and_the_istio_version_in_the_cluster()
    {
        await using var cluster = await ClusterWithGatewayAsync();
        var output = PathOf("rows.csv");

        var run = await RunAsync(cluster.KubeconfigPath,
            "--context", "emulator", "--namespace", "istio-system", "--requests", "6", "--concurrency", "2", "--token-file", PathOf("token.txt"),
            "--satellite", CollectorAddress, "--plaintext", "--project", Project, "--out", output);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(run.ErrorLines, l => l.StartsWith("Istio 1.14.3 detected (istio-system/istiod)", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.StartsWith($"Gateway http://127.0.0.1:{_gateway.BaseUrl.Port} from Service istio-system/istio-ingressgateway", StringComparison.Ordinal));
        Assert.Equal(6, _gateway.Arrivals);
        // Istio 1.14 still runs Envoy's LightStep tracer: the console reports with LightStep's collector protocol and 64-bit ids.
        var rows = ReadCsv(output);
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Contains(_collector.Received, s => s.Protocol == "lightstep-collector" && s.SpanId == SpanId.Parse(r["span_id"])));
        Assert.All(rows, r => Assert.StartsWith("0000000000000000", r["trace_id"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_namespace_without_the_gateway_or_an_unknown_context_is_invalid_input()
    {
        await using var cluster = await ClusterWithGatewayAsync();
        string[] common = ["--requests", "1", "--concurrency", "1", "--token-file", PathOf("token.txt"), "--satellite", CollectorAddress, "--plaintext"];

        var wrongNamespace = await RunAsync(cluster.KubeconfigPath, ["--namespace", "bookinfo", .. common]);
        var unknownContext = await RunAsync(cluster.KubeconfigPath, ["--context", "staging", .. common]);
        var contextNotUsed = await RunAsync(cluster.KubeconfigPath, Args(1, "--public", "--context", "emulator"));

        Assert.Equal(CommandLine.InvalidInput, wrongNamespace.ExitCode);
        Assert.Contains(wrongNamespace.ErrorLines, l => l.StartsWith("--namespace: no ingress gateway Service in namespace bookinfo", StringComparison.Ordinal));
        Assert.Equal(CommandLine.InvalidInput, unknownContext.ExitCode);
        Assert.Contains(unknownContext.ErrorLines, l => l.StartsWith("--context: ", StringComparison.Ordinal) && l.Contains("emulator", StringComparison.Ordinal));
        Assert.Equal(CommandLine.InvalidInput, contextNotUsed.ExitCode);
        Assert.Single(contextNotUsed.ErrorLines, l => l.StartsWith("--context: ", StringComparison.Ordinal));
        Assert.Equal(0, _gateway.Arrivals);
    }
}
