using System.Text.RegularExpressions;
using MeshConsole.Domain.Planning;
using YamlDotNet.RepresentationModel;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// Pins the downloadable bundle (manifests.yaml and install.sh) for one representative input per Istio form.
/// Regenerate with <c>UPDATE_GOLDEN=1 dotnet test tests/MeshConsole.Domain.Tests</c> and review the diff.
/// </summary>
public partial class PlanGoldenTests
{
    public static readonly IReadOnlyDictionary<string, PlanInput> Cases = new Dictionary<string, PlanInput>
    {
        // Values form, Istio before `istioctl install` existed: `istioctl manifest apply`, secure/cacertPath.
        ["istio-1.5-public-ca"] = Public("1.5"),
        // Values form from 1.6: tlsSettings instead of secure/cacertPath (istio/api#1397); gateway CA mount.
        ["istio-1.6-onprem-ca"] = OnPrem("1.6", "lightstep-satellite.lightstep:9292"),
        ["istio-1.7-public-ca"] = Public("1.7"),
        // Values form plus tlsSettings; one Secret per namespace.
        ["istio-1.9-onprem-ca-two-namespaces"] = OnPrem("1.9", "lightstep-satellite.lightstep:9292") with { Namespaces = ["default", "bookinfo"] },
        // MeshConfig (ProxyConfig) form, with partial sampling.
        ["istio-1.14-onprem-secure-ca-sampling-25.5"] = OnPrem("1.14", "lightstep-satellite.lightstep:9292") with { SamplingPercent = 25.5m },
        // The first release with the OpenTelemetry tracer in its proxy: lightstep provider (direct) or the collector.
        ["istio-1.16.1-onprem-external-host-direct"] = OnPrem("1.16.1", "satellites.example.com:8443") with { Route = SpanRoute.Direct },
        ["istio-1.16.1-onprem-external-host-collector"] = OnPrem("1.16.1", "satellites.example.com:8443"),
        // Telemetry and networking v1 from 1.22; the public OTLP endpoint.
        ["istio-1.22-public-direct"] = Public("1.22") with { Route = SpanRoute.Direct },
        ["istio-1.22-public-collector"] = Public("1.22") with { Route = SpanRoute.Collector },
        // 1.24: grpc.initialMetadata exists, the direct form is still the lightstep provider; an insecure in-cluster pool.
        ["istio-1.24-onprem-insecure-direct"] = OnPrem("1.24", "lightstep-satellite.lightstep:9292", secure: false),
        ["istio-1.24-onprem-insecure-collector"] = OnPrem("1.24", "lightstep-satellite.lightstep:9292", secure: false) with { Route = SpanRoute.Collector },
        // The last release with the lightstep provider: an external pool with a private CA (ServiceEntry + DestinationRule).
        ["istio-1.26-onprem-external-host-direct"] = OnPrem("1.26", "satellites.example.com:8443") with { Route = SpanRoute.Direct },
        ["istio-1.26-onprem-external-host-collector"] = OnPrem("1.26", "satellites.example.com:8443"),
        // OpenTelemetry provider (direct) to the public endpoint; the CA was skipped so there are no Secrets.
        ["istio-1.28-public-skip-ca-direct"] = Public("1.28", withCa: false) with { Route = SpanRoute.Direct },
        ["istio-1.28-public-skip-ca-collector"] = Public("1.28", withCa: false),
        // A private CA on 1.27+: only the collector route (nothing would mount the CA in the proxies).
        ["istio-1.28-onprem-ca-collector"] = OnPrem("1.28", "satellites.example.com:8443"),
        // OpenTelemetry provider to an in-cluster satellite without TLS: no ServiceEntry, no DestinationRule.
        ["istio-1.28-onprem-insecure-direct"] = OnPrem("1.28", "lightstep-satellite.lightstep:9292", secure: false) with { Route = SpanRoute.Direct },
        // Backends other than LightStep (issue 13 item 4). An in-cluster plaintext Jaeger without headers goes direct by
        // default through the opentelemetry provider (1.18: the addon there has no OTLP port, a note says so).
        ["istio-1.18-jaeger-direct"] = Jaeger("1.18"),
        ["istio-1.26-jaeger-direct"] = Jaeger("1.26"),
        ["istio-1.28-jaeger-direct"] = Jaeger("1.28"),
        ["istio-1.28-jaeger-collector"] = Jaeger("1.28") with { Route = SpanRoute.Collector },
        // A header or TLS: the collector by default; direct on request from 1.24 (grpc.initialMetadata, ServiceEntry + DestinationRule).
        ["istio-1.24-honeycomb-collector"] = Honeycomb("1.24"),
        ["istio-1.28-honeycomb-direct"] = Honeycomb("1.28") with { Route = SpanRoute.Direct },
        // OTLP/HTTP on a custom path: the collector's otlphttp exporter (traces_endpoint), or direct from 1.22 (http.path, http.headers).
        ["istio-1.22-otlp-http-collector"] = OtlpHttp("1.22"),
        ["istio-1.24-otlp-http-direct"] = OtlpHttp("1.24") with { Route = SpanRoute.Direct },
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static Plan PlanFor(string name) => PlanBuilder.Build(Cases[name]);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Manifests_match_the_golden_file(string name) =>
        GoldenFile.AssertMatches($"{name}.manifests.yaml", PlanRenderer.ManifestsYaml(PlanFor(name)));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Install_script_matches_the_golden_file(string name) =>
        GoldenFile.AssertMatches($"{name}.install.sh", PlanRenderer.InstallScript(PlanFor(name)));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Uninstall_script_matches_the_golden_file(string name) =>
        GoldenFile.AssertMatches($"{name}.uninstall.sh", PlanRenderer.UninstallScript(PlanFor(name)));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Golden_uninstall_script_passes_bash_syntax_check(string name)
    {
        var path = Path.Combine(GoldenFile.OutputFolder, $"{name}.uninstall.sh");
        Assert.True(File.Exists(path), $"{path} is missing; run the golden tests once to write it.");

        var check = Bash.SyntaxCheck(path);

        Assert.True(check.ExitCode == 0, $"bash -n {name}.uninstall.sh failed:\n{check.StandardError}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Golden_manifests_are_valid_yaml_with_one_document_per_plan_object(string name)
    {
        var text = ReadGolden($"{name}.manifests.yaml");

        var documents = ParseYaml(text);

        Assert.Equal(PlanFor(name).Objects.Count, documents.Count);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Golden_install_script_passes_bash_syntax_check(string name)
    {
        var path = Path.Combine(GoldenFile.OutputFolder, $"{name}.install.sh");
        Assert.True(File.Exists(path), $"{path} is missing; run the golden tests once to write it.");

        var check = Bash.SyntaxCheck(path);

        Assert.True(check.ExitCode == 0, $"bash -n {name}.install.sh failed:\n{check.StandardError}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Golden_install_script_heredocs_are_valid_yaml(string name)
    {
        var script = ReadGolden($"{name}.install.sh");

        var heredocs = HeredocPattern().Matches(script).Select(m => m.Groups["body"].Value).ToList();

        Assert.NotEmpty(heredocs);
        foreach (var body in heredocs) Assert.NotEmpty(ParseYaml(body));
    }

    [Fact]
    public void Every_golden_file_in_the_source_folder_belongs_to_a_case()
    {
        var expected = Cases.Keys.SelectMany(n => new[] { $"{n}.manifests.yaml", $"{n}.install.sh", $"{n}.uninstall.sh" })
            .Append(CaFileName).Append(".gitattributes").Order(StringComparer.Ordinal);

        var actual = Directory.EnumerateFiles(GoldenFile.SourceFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Golden_ca_is_a_usable_ca_certificate_for_a_century()
    {
        Assert.True(Ca.IsUsable);
        var certificate = Assert.Single(Ca.Certificates);
        Assert.True(certificate.IsCertificateAuthority);
        Assert.True(certificate.NotAfter - certificate.NotBefore >= TimeSpan.FromDays(36500));
    }

    [Fact]
    public void Golden_mismatch_message_shows_the_differing_lines_with_context() =>
        Assert.Equal("--- golden\n+++ actual\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n", GoldenFile.Diff("a\nb\nc\n", "a\nB\nc\n"));

    private static string ReadGolden(string fileName)
    {
        var path = Path.Combine(GoldenFile.OutputFolder, fileName);
        Assert.True(File.Exists(path), $"{path} is missing; run the golden tests once to write it.");
        return File.ReadAllText(path);
    }

    internal static List<YamlDocument> ParseYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).ToList();
    }

    [GeneratedRegex(@"<<'YAML'\n(?<body>.*?)\nYAML$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex HeredocPattern();
}
