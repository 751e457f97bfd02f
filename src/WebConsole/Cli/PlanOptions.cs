using System.CommandLine;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;
using WebConsole.Drafts;
using WebConsole.Features.Localization;

namespace WebConsole.Cli;

/// <summary>The options that describe a plan, shared by the plan and apply verbs, and their validation.</summary>
public sealed class PlanOptions
{
    public Option<FileInfo> TokenFile { get; } = new("--token-file") { Description = "File holding the LightStep access token (one trailing newline is ignored); required for --backend lightstep." };
    public Option<string> Backend { get; } = CreateBackendOption();
    public Option<string> OtlpEndpoint { get; } = new("--otlp-endpoint") { Description = "The backend's OTLP endpoint, HOST:PORT (default: the preset's, jaeger-collector.istio-system.svc.cluster.local:4317 for jaeger, api.honeycomb.io:443 for honeycomb; required for tempo and otlp)." };
    public Option<string> OtlpProtocol { get; } = CreateOtlpProtocolOption();
    public Option<string> OtlpPath { get; } = new("--otlp-path") { Description = "With --otlp-protocol http: the traces path on the endpoint (default " + OtlpSpanDestination.DefaultHttpPath + ")." };
    public Option<string[]> OtlpHeaderFiles { get; } = new("--otlp-header-file") { Description = "A header the backend needs, NAME=FILE, the value read from FILE so it is never on a command line (repeatable; honeycomb needs x-honeycomb-team)." };
    public Option<bool> Public { get; } = new("--public") { Description = "Use LightStep Tracing's public satellites (" + PlanInput.PublicSatelliteAddress + ")." };
    public Option<string> Satellite { get; } = new("--satellite") { Description = "On-premises satellite pool address, HOST:PORT." };
    public Option<FileInfo> Cacert { get; } = new("--cacert") { Description = "CA certificate (PEM or DER) of the satellites' TLS issuer." };
    public Option<bool> NoCacert { get; } = new("--no-cacert") { Description = "Public satellites only: explicitly go without a CA certificate Secret." };
    public Option<string> IstioVersion { get; } = new("--istio-version") { Required = true, Description = "Istio version of the mesh, X.Y or X.Y.Z." };
    public Option<string[]> Namespaces { get; } = new("--namespace") { Description = "Namespace that gets the lightstep.cacert Secret (repeatable; default: default)." };
    public Option<string> Sampling { get; } = new("--sampling") { Description = "Trace sampling percentage, 0.01..100 with at most two decimals, e.g. 100, 50 or 0.5 (default 100)." };
    public Option<bool> Insecure { get; } = new("--insecure") { Description = "Send spans without TLS (not recommended)." };
    public Option<string> CacertPath { get; } = new("--cacert-path") { Description = "Where sidecars read the CA certificate (default " + PlanInput.DefaultCacertPath + ")." };
    public Option<string> Route { get; } = CreateRouteOption();

    public Option<bool> CheckSatellite { get; } = new("--check-satellite") { Description = "First check the satellite (another backend: its endpoint): a TLS handshake trusting only the CA certificate (the system's roots without one; another backend without TLS: a plain connection), then a test span with the token (another backend: its headers, in its OTLP protocol); exit 1 when it fails." };

    public IEnumerable<Option> All => [Backend, OtlpEndpoint, OtlpProtocol, OtlpPath, OtlpHeaderFiles, TokenFile, Public, Satellite, Cacert, NoCacert, IstioVersion, Namespaces, Sampling, Insecure, CacertPath, Route, CheckSatellite];

    private static Option<string> CreateBackendOption()
    {
        var option = new Option<string>("--backend")
        {
            Description = "Where spans go: lightstep (the default), jaeger (Istio's addon, plaintext), tempo, honeycomb or otlp (any OTLP endpoint, TLS unless --insecure); " +
                "every backend but LightStep needs Istio 1.16.1+ and goes directly from the proxies when it needs no header and no TLS (an in-cluster Jaeger), else through the in-cluster collector (see --route).",
        };
        option.AcceptOnlyFromAmong(BackendChoices.Names.ToArray());
        return option;
    }

    private static Option<string> CreateOtlpProtocolOption()
    {
        var option = new Option<string>("--otlp-protocol")
        {
            Description = "The backend's OTLP protocol: grpc (the default) or http (OTLP/HTTP with protobuf; directly from the proxies on Istio 1.22+, through the collector on 1.16.1+).",
        };
        option.AcceptOnlyFromAmong("grpc", "http");
        return option;
    }

    private static Option<string> CreateRouteOption()
    {
        var option = new Option<string>("--route")
        {
            Description = "How spans reach the backend: collector (an OpenTelemetry Collector in the cluster holds the token or headers and the CA; " +
                "Istio 1.16.1+, the default on 1.27+, for a private CA, and for another backend that needs a header or TLS) " +
                "or direct (every proxy exports with the token or headers from mesh config; another backend's gRPC headers need Istio 1.24+, OTLP/HTTP 1.22+).",
        };
        option.AcceptOnlyFromAmong("direct", "collector");
        return option;
    }

    /// <summary>The plan input, or null after writing one line per problem (naming the option) to stderr.</summary>
    public PlanInput? Read(ParseResult result, ConsoleText text, TextWriter stderr)
    {
        var problems = new List<string>();
        var isPublic = result.GetValue(Public);
        var satelliteAddress = result.GetValue(Satellite);
        var backendName = result.GetValue(Backend) ?? BackendChoices.LightStep;
        var otlp = backendName == BackendChoices.LightStep ? null : ReadOtlp(result, BackendChoices.Preset(backendName), problems, text);
        if (otlp is null)
            foreach (var otherBackendOnly in new Option[] { OtlpProtocol, OtlpPath })
                if (result.GetResult(otherBackendOnly) is { Implicit: false })
                    problems.Add($"{otherBackendOnly.Name}: " + text["Cli.OtherBackendOnlyOption"]);
        if (otlp is null && isPublic == (satelliteAddress is not null))
            problems.Add("--public/--satellite: " + text["Cli.ProductChoice"]);
        var tokenFile = result.GetValue(TokenFile);
        var token = otlp is not null || tokenFile is null ? null : ReadToken(tokenFile, problems, text);
        if (otlp is null && tokenFile is null)
            problems.Add("--token-file: " + text["Cli.TokenFileRequired"]);
        var certificate = ReadCertificate(result.GetValue(Cacert), problems, text);
        var skip = result.GetValue(NoCacert);
        if (skip && certificate is not null)
            problems.Add("--no-cacert: " + text["Cli.CacertConflict"]);

        var fields = new EnteredPlanFields(
            isPublic ? LightStepProduct.PublicTracing : LightStepProduct.OnPremSatellites,
            token, satelliteAddress, certificate, skip,
            result.GetValue(Namespaces) is { Length: > 0 } ns ? ns : ["default"],
            result.GetValue(IstioVersion),
            result.GetValue(Sampling) ?? SamplingRules.Format(PlanInput.DefaultSamplingPercent),
            !result.GetValue(Insecure),
            result.GetValue(CacertPath) ?? PlanInput.DefaultCacertPath,
            result.GetValue(Route) switch { "direct" => SpanRoute.Direct, "collector" => SpanRoute.Collector, _ => null },
            otlp);
        var input = PlanInputRules.TryCreate(fields, out var issues);
        foreach (var issue in issues)
        {
            if (issue.IsError && token is null && issue.Field == WizardField.AccessToken) continue;
            if (issue.Field == WizardField.OtlpHeaders && problems.Any(p => p.StartsWith("--otlp-header-file", StringComparison.Ordinal))) continue;
            if (issue.Field == WizardField.CaCertificate && problems.Any(p => p.StartsWith("--cacert", StringComparison.Ordinal))) continue;
            var option = issue.Code switch
            {
                "CaCert.RequiredForOnPrem" => "--no-cacert",
                "Otlp.HttpPathInvalid" => "--otlp-path",
                _ => OptionFor(issue.Field),
            };
            var line = $"{option}: {text.Issue(issue)}";
            if (issue.IsError) problems.Add(line);
            else stderr.WriteLine("warning: " + line);
        }
        foreach (var problem in problems)
            stderr.WriteLine(problem);
        return problems.Count > 0 ? null : input;
    }

    /// <summary>
    /// Another backend's endpoint and headers (the preset's endpoint and TLS unless given), or null after adding problems
    /// that leave nothing to validate. Options that only LightStep reads are refused rather than silently ignored.
    /// </summary>
    private EnteredOtlpDestination? ReadOtlp(ParseResult result, ITraceBackend? backend, List<string> problems, ConsoleText text)
    {
        var name = result.GetValue(Backend)!;
        foreach (var lightStepOnly in new Option[] { TokenFile, Public, Satellite, NoCacert })
            if (result.GetResult(lightStepOnly) is { Implicit: false })
                problems.Add($"{lightStepOnly.Name}: " + text.Format("Cli.LightStepOnlyOption", name));
        var endpoint = result.GetValue(OtlpEndpoint);
        if (endpoint is null)
        {
            if (backend?.DefaultDestination is { } preferred)
                endpoint = preferred.Host + ":" + preferred.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            else
                problems.Add("--otlp-endpoint: " + text.Format("Cli.BackendNeedsEndpoint", name));
        }
        var headers = new List<KeyValuePair<string, string?>>();
        foreach (var entry in result.GetValue(OtlpHeaderFiles) ?? [])
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == entry.Length - 1)
            {
                problems.Add("--otlp-header-file: " + text.Format("Cli.HeaderFileFormat", entry));
                continue;
            }
            var file = new FileInfo(entry[(equals + 1)..]);
            if (ReadFile(file, "--otlp-header-file", problems, text, File.ReadAllText) is not { } value) continue;
            if (value.EndsWith("\r\n", StringComparison.Ordinal)) value = value[..^2];
            else if (value.EndsWith('\n')) value = value[..^1];
            headers.Add(new(entry[..equals], value));
        }
        foreach (var needed in backend?.DefaultDestination?.Headers ?? [])
            if (!headers.Any(h => h.Key.Trim() == needed.Name))
                problems.Add("--otlp-header-file: " + text.Format("Cli.BackendNeedsHeader", backend!.Name, needed.Name));
        // Istio's Jaeger addon listens without TLS; every other backend is reached over TLS unless --insecure.
        var secure = (backend?.DefaultDestination?.Secure ?? true) && !result.GetValue(Insecure);
        var transport = result.GetValue(OtlpProtocol) switch
        {
            "http" => OtlpTransport.HttpProtobuf,
            "grpc" => OtlpTransport.Grpc,
            _ => backend?.DefaultDestination?.Transport ?? OtlpTransport.Grpc,
        };
        var path = result.GetValue(OtlpPath);
        if (path is not null && transport != OtlpTransport.HttpProtobuf)
            problems.Add("--otlp-path: " + text["Cli.OtlpPathNeedsHttp"]);
        return new EnteredOtlpDestination(endpoint, secure, headers, transport, path);
    }

    /// <summary>The token in <paramref name="file"/>, or null after adding a problem; shared with the traffic verb.</summary>
    internal static string? ReadToken(FileInfo file, List<string> problems, ConsoleText text)
    {
        if (ReadFile(file, "--token-file", problems, text, File.ReadAllText) is not { } token) return null;
        // Files conventionally end with one newline (`echo TOKEN > file`); anything else is the token as given.
        if (token.EndsWith("\r\n", StringComparison.Ordinal)) token = token[..^2];
        else if (token.EndsWith('\n')) token = token[..^1];
        return token;
    }

    internal static CaCertificateInspection? ReadCertificate(FileInfo? file, List<string> problems, ConsoleText text)
    {
        if (file is null) return null;
        if (ReadFile(file, "--cacert", problems, text, File.ReadAllBytes) is not { } bytes) return null;
        var inspection = CaCertificateInspector.Inspect(bytes, DateTimeOffset.UtcNow);
        if (inspection.Certificates.Count == 0)
        {
            foreach (var issue in inspection.Issues)
                problems.Add("--cacert: " + text.Issue(issue));
            return null;
        }
        return inspection;
    }

    /// <summary>
    /// The content of the file an option names, or null after adding one problem line: a directory is called one (not
    /// "file not found"), and a file that cannot be read (permissions, a special file) says why instead of a stack trace.
    /// </summary>
    internal static T? ReadFile<T>(FileInfo file, string option, List<string> problems, ConsoleText text, Func<string, T> read) where T : class
    {
        if (Directory.Exists(file.FullName))
        {
            problems.Add($"{option}: " + text.Format("Cli.IsDirectory", file.FullName));
            return null;
        }
        if (!file.Exists)
        {
            problems.Add($"{option}: " + text.Format("Cli.FileNotFound", file.FullName));
            return null;
        }
        try
        {
            return read(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{option}: " + text.Format("Cli.FileUnreadable", file.FullName, e.Message));
            return null;
        }
    }

    private static string OptionFor(WizardField field) => field switch
    {
        WizardField.AccessToken => "--token-file",
        WizardField.SatelliteAddress => "--satellite",
        WizardField.CaCertificate => "--cacert",
        WizardField.Namespaces => "--namespace",
        WizardField.IstioVersion => "--istio-version",
        WizardField.SamplingPercent => "--sampling",
        WizardField.CacertPath => "--cacert-path",
        WizardField.Route => "--route",
        WizardField.OtlpEndpoint => "--otlp-endpoint",
        WizardField.OtlpHeaders => "--otlp-header-file",
        _ => "--public/--satellite",
    };
}
