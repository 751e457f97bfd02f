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
        var run = await RunAsync(Plan("--backend", "jaeger", "--route", "collector"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("endpoint: jaeger-collector.istio-system.svc.cluster.local:4317\n        tls:\n          insecure: true\n", Manifests);
        Assert.DoesNotContain("The bundle contains", run.Stdout);
        Assert.Contains("as chosen, sidecars and gateways send plain OTLP to an OpenTelemetry Collector", run.Stdout);

        Directory.Delete(PathOf("out"), recursive: true);
        Assert.Equal(0, (await RunAsync(Plan("--backend", "jaeger", "--route", "collector", "--otlp-endpoint", "jaeger.tracing:4317"))).ExitCode);
        Assert.Contains("endpoint: jaeger.tracing:4317\n", Manifests);
    }

    [Fact]
    public async Task Jaeger_in_the_cluster_goes_direct_from_the_proxies_and_says_why()
    {
        var run = await RunAsync(Plan("--backend", "jaeger"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("    - name: otlp-backend\n      opentelemetry:\n        service: jaeger-collector.istio-system.svc.cluster.local\n        port: 4317\n", Manifests);
        Assert.DoesNotContain("lightstep-collector", Manifests);
        Assert.Contains("OpenTelemetry form", run.Stdout);
        Assert.Contains("nothing has to be kept from the proxies", run.Stdout);
    }

    [Fact]
    public async Task Honeycomb_direct_on_1_24_puts_its_key_in_the_mesh_config_and_the_plan_document_says_so()
    {
        var run = await RunAsync(Plan("--backend", "honeycomb", "--route", "direct", "--otlp-header-file", "x-honeycomb-team=" + PathOf("honeycomb.key")));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("          initialMetadata:\n          - name: x-honeycomb-team\n            value: " + HoneycombKey + "\n", Manifests);
        Assert.Contains("kind: ServiceEntry", Manifests);
        Assert.Contains("The bundle contains the backend's header values", run.Stdout);
        var planDocument = File.ReadAllText(Path.Combine(PathOf("out"), "PLAN.md"));
        Assert.Contains("in the Istio install overlay (the mesh configuration every proxy receives)", planDocument);
        Assert.DoesNotContain(HoneycombKey, planDocument);
    }

    [Fact]
    public async Task An_otlp_http_endpoint_goes_through_the_collectors_otlphttp_exporter_with_its_path()
    {
        var run = await RunAsync(Plan("--backend", "otlp", "--otlp-endpoint", "otlp.example.com:443", "--otlp-protocol", "http", "--otlp-path", "/api/otlp/traces",
            "--otlp-header-file", "authorization=" + PathOf("honeycomb.key")));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("    exporters:\n      otlphttp:\n        traces_endpoint: https://otlp.example.com:443/api/otlp/traces\n        headers:\n          authorization: ${env:OTLP_HEADER_0}\n", Manifests);
        Assert.Contains("the backend needs a header or TLS", run.Stdout);
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
        { "direct route", "--route: Istio 1.22.0 cannot add headers to an OTLP/gRPC export from the proxies" },
        { "direct otlp/http", "--route: Istio 1.21.0 cannot export OTLP/HTTP from the proxies" },
        { "path without http", "--otlp-path: only with --otlp-protocol http" },
        { "bad path", "--otlp-path: \"v1/traces\" is not an OTLP/HTTP path" },
        { "protocol with lightstep", "--otlp-protocol: only for a --backend other than lightstep." },
        { "before 1.16.1", "--route: A backend other than LightStep needs Istio 1.16.1 or later on either route" },
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
        "direct route" => ["plan", "--istio-version", "1.22", "--out", PathOf("out"), "--backend", "honeycomb", "--route", "direct", "--otlp-header-file", "x-honeycomb-team=" + PathOf("honeycomb.key")],
        "direct otlp/http" => ["plan", "--istio-version", "1.21", "--out", PathOf("out"), "--backend", "otlp", "--otlp-endpoint", "otlp.example.com:443", "--otlp-protocol", "http", "--route", "direct"],
        "path without http" => Plan("--backend", "otlp", "--otlp-endpoint", "otlp.example.com:4317", "--otlp-path", "/v1/traces"),
        "bad path" => Plan("--backend", "otlp", "--otlp-endpoint", "otlp.example.com:443", "--otlp-protocol", "http", "--otlp-path", "v1/traces"),
        "protocol with lightstep" => Plan("--public", "--no-cacert", "--token-file", PathOf("token.txt"), "--otlp-protocol", "http"),
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
