using System.Text;
using WebConsole.Cli;

namespace WebConsole.Tests.Cli;

/// <summary>`plan --backend …`: span destinations other than LightStep from the command line (issue 13 item 4).</summary>
public sealed class BackendOptionTests : IDisposable
{
    // Recognisable, so a leak anywhere in stdout/stderr or the ConfigMap is easy to spot.
    private const string HoneycombKey = "HC-KEY-91c3e7d2-SECRET";

    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-backend-").FullName;

    public BackendOptionTests()
    {
        Write("honeycomb.key", HoneycombKey + "\n");
        Write("token.txt", "CLI-TOKEN-unused\n");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private void Write(string name, string content) => File.WriteAllText(PathOf(name), content, new UTF8Encoding(false));

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<Run> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        var run = new Run(code, stdout.ToString(), stderr.ToString());
        Assert.DoesNotContain(HoneycombKey, run.Stdout + run.Stderr);
        return run;
    }

    private string[] Plan(params string[] extra) => ["plan", "--istio-version", "1.24", "--out", PathOf("out"), .. extra];

    private string Manifests => File.ReadAllText(Path.Combine(PathOf("out"), "manifests.yaml"));

    [Fact]
    public async Task Honeycomb_needs_no_token_and_its_key_is_only_in_the_collector_secret()
    {
        var run = await RunAsync(Plan("--backend", "honeycomb", "--otlp-header-file", "x-honeycomb-team=" + PathOf("honeycomb.key")));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Contains("The bundle contains the backend's header values", run.Stdout);
        Assert.Contains("        endpoint: api.honeycomb.io:443\n        headers:\n          x-honeycomb-team: ${env:OTLP_HEADER_0}\n", Manifests);
        Assert.DoesNotContain(HoneycombKey, Manifests);
        Assert.Contains("  header-0: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(HoneycombKey)) + "\n", Manifests);
        Assert.DoesNotContain("lightstep-access-token", Manifests);
        var planDocument = File.ReadAllText(Path.Combine(PathOf("out"), "PLAN.md"));
        Assert.DoesNotContain(HoneycombKey, planDocument);
        Assert.Contains("header values of the backend at api.honeycomb.io:443 (••••CRET)", planDocument);
    }

    [Fact]
    public async Task Jaeger_defaults_to_istios_addon_in_plaintext_and_an_endpoint_can_replace_it()
    {
        var run = await RunAsync(Plan("--backend", "jaeger"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("endpoint: jaeger-collector.istio-system.svc.cluster.local:4317\n        tls:\n          insecure: true\n", Manifests);
        Assert.DoesNotContain("The bundle contains", run.Stdout);

        Directory.Delete(PathOf("out"), recursive: true);
        Assert.Equal(0, (await RunAsync(Plan("--backend", "jaeger", "--otlp-endpoint", "jaeger.tracing:4317"))).ExitCode);
        Assert.Contains("endpoint: jaeger.tracing:4317\n", Manifests);
    }

    [Fact]
    public async Task A_plain_otlp_endpoint_is_reached_over_tls_unless_insecure()
    {
        Assert.Equal(0, (await RunAsync(Plan("--backend", "otlp", "--otlp-endpoint", "otel.example.com:4317"))).ExitCode);
        Assert.Contains("    exporters:\n      otlp:\n        endpoint: otel.example.com:4317\n    extensions:", Manifests);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "tempo without endpoint", "--otlp-endpoint: --backend tempo has no usual address: give its OTLP/gRPC endpoint as HOST:PORT." },
        { "endpoint without port", "--otlp-endpoint: " },
        { "honeycomb without key", "--otlp-header-file: Honeycomb needs the header x-honeycomb-team: give --otlp-header-file x-honeycomb-team=FILE." },
        { "header without file", "--otlp-header-file: \"x-honeycomb-team\" is not NAME=FILE." },
        { "header file missing", "--otlp-header-file: file not found: " },
        { "uppercase header name", "--otlp-header-file: Header name \"X-Team\" is not valid" },
        { "token with another backend", "--token-file: only for --backend lightstep, not jaeger." },
        { "direct route", "--route: Only LightStep can be reached directly from the proxies here" },
        { "before 1.16.1", "--route: The collector route needs Istio 1.16.1 or later" },
        { "lightstep without token", "--token-file: give the file holding the LightStep access token" },
    };

    private string[] ArgsFor(string name) => name switch
    {
        "tempo without endpoint" => Plan("--backend", "tempo"),
        "endpoint without port" => Plan("--backend", "otlp", "--otlp-endpoint", "otel.example.com"),
        "honeycomb without key" => Plan("--backend", "honeycomb"),
        "header without file" => Plan("--backend", "honeycomb", "--otlp-header-file", "x-honeycomb-team"),
        "header file missing" => Plan("--backend", "honeycomb", "--otlp-header-file", "x-honeycomb-team=" + PathOf("nope.key")),
        "uppercase header name" => Plan("--backend", "otlp", "--otlp-endpoint", "otel.example.com:4317", "--otlp-header-file", "X-Team=" + PathOf("honeycomb.key")),
        "token with another backend" => Plan("--backend", "jaeger", "--token-file", PathOf("token.txt")),
        "direct route" => Plan("--backend", "jaeger", "--route", "direct"),
        "before 1.16.1" => ["plan", "--istio-version", "1.14", "--out", PathOf("out"), "--backend", "jaeger"],
        "lightstep without token" => Plan("--public", "--no-cacert"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_returns_2_with_one_line_naming_the_option(string name, string expectedLinePrefix)
    {
        var run = await RunAsync(ArgsFor(name));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Single(run.ErrorLines, l => l.StartsWith(expectedLinePrefix, StringComparison.Ordinal));
        Assert.False(Directory.Exists(PathOf("out")), "nothing is written for invalid input");
    }
}
