using System.CommandLine;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Localization;

namespace WebConsole.Cli;

/// <summary>The options that describe a plan, shared by the plan and apply verbs, and their validation.</summary>
public sealed class PlanOptions
{
    public Option<FileInfo> TokenFile { get; } = new("--token-file") { Required = true, Description = "File holding the LightStep access token (one trailing newline is ignored)." };
    public Option<bool> Public { get; } = new("--public") { Description = "Use LightStep Tracing's public satellites (" + PlanInput.PublicSatelliteAddress + ")." };
    public Option<string> Satellite { get; } = new("--satellite") { Description = "On-premises satellite pool address, HOST:PORT." };
    public Option<FileInfo> Cacert { get; } = new("--cacert") { Description = "CA certificate (PEM or DER) of the satellites' TLS issuer." };
    public Option<bool> NoCacert { get; } = new("--no-cacert") { Description = "Public satellites only: explicitly go without a CA certificate Secret." };
    public Option<string> IstioVersion { get; } = new("--istio-version") { Required = true, Description = "Istio version of the mesh, X.Y or X.Y.Z." };
    public Option<string[]> Namespaces { get; } = new("--namespace") { Description = "Namespace that gets the lightstep.cacert Secret (repeatable; default: default)." };
    public Option<decimal?> Sampling { get; } = new("--sampling") { Description = "Trace sampling percentage, 0.01..100 (default 100)." };
    public Option<bool> Insecure { get; } = new("--insecure") { Description = "Send spans without TLS (not recommended)." };
    public Option<string> CacertPath { get; } = new("--cacert-path") { Description = "Where sidecars read the CA certificate (default " + PlanInput.DefaultCacertPath + ")." };
    public Option<string> Route { get; } = CreateRouteOption();

    public Option<bool> CheckSatellite { get; } = new("--check-satellite") { Description = "First check the satellite: a TLS handshake trusting only the CA certificate (the system's roots for the public product without one), then a test span with the token; exit 1 when it fails." };

    public IEnumerable<Option> All => [TokenFile, Public, Satellite, Cacert, NoCacert, IstioVersion, Namespaces, Sampling, Insecure, CacertPath, Route, CheckSatellite];

    private static Option<string> CreateRouteOption()
    {
        var option = new Option<string>("--route")
        {
            Description = "How spans reach LightStep: collector (an OpenTelemetry Collector in the cluster holds the token and CA; " +
                "Istio 1.16.1+, the default on 1.27+ and for a private CA) or direct (every proxy exports with the token from mesh config).",
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
        if (isPublic == (satelliteAddress is not null))
            problems.Add("--public/--satellite: " + text["Cli.ProductChoice"]);
        var token = ReadToken(result.GetValue(TokenFile)!, problems, text);
        var certificate = ReadCertificate(result.GetValue(Cacert), problems, text);
        var skip = result.GetValue(NoCacert);
        if (skip && certificate is not null)
            problems.Add("--no-cacert: " + text["Cli.CacertConflict"]);

        var fields = new EnteredPlanFields(
            isPublic ? LightStepProduct.PublicTracing : LightStepProduct.OnPremSatellites,
            token, satelliteAddress, certificate, skip,
            result.GetValue(Namespaces) is { Length: > 0 } ns ? ns : ["default"],
            result.GetValue(IstioVersion),
            result.GetValue(Sampling) ?? PlanInput.DefaultSamplingPercent,
            !result.GetValue(Insecure),
            result.GetValue(CacertPath) ?? PlanInput.DefaultCacertPath,
            result.GetValue(Route) switch { "direct" => SpanRoute.Direct, "collector" => SpanRoute.Collector, _ => null });
        var input = PlanInputRules.TryCreate(fields, out var issues);
        foreach (var issue in issues)
        {
            if (issue.IsError && token is null && issue.Field == WizardField.AccessToken) continue;
            if (issue.Field == WizardField.CaCertificate && problems.Any(p => p.StartsWith("--cacert", StringComparison.Ordinal))) continue;
            var option = issue.Code == "CaCert.RequiredForOnPrem" ? "--no-cacert" : OptionFor(issue.Field);
            var line = $"{option}: {text.Issue(issue)}";
            if (issue.IsError) problems.Add(line);
            else stderr.WriteLine("warning: " + line);
        }
        foreach (var problem in problems)
            stderr.WriteLine(problem);
        return problems.Count > 0 ? null : input;
    }

    /// <summary>The token in <paramref name="file"/>, or null after adding a problem; shared with the traffic verb.</summary>
    internal static string? ReadToken(FileInfo file, List<string> problems, ConsoleText text)
    {
        if (!file.Exists)
        {
            problems.Add("--token-file: " + text.Format("Cli.FileNotFound", file.FullName));
            return null;
        }
        var token = File.ReadAllText(file.FullName);
        // Files conventionally end with one newline (`echo TOKEN > file`); anything else is the token as given.
        if (token.EndsWith("\r\n", StringComparison.Ordinal)) token = token[..^2];
        else if (token.EndsWith('\n')) token = token[..^1];
        return token;
    }

    internal static CaCertificateInspection? ReadCertificate(FileInfo? file, List<string> problems, ConsoleText text)
    {
        if (file is null) return null;
        if (!file.Exists)
        {
            problems.Add("--cacert: " + text.Format("Cli.FileNotFound", file.FullName));
            return null;
        }
        var inspection = CaCertificateInspector.Inspect(File.ReadAllBytes(file.FullName), DateTimeOffset.UtcNow);
        if (inspection.Certificates.Count == 0)
        {
            foreach (var issue in inspection.Issues)
                problems.Add("--cacert: " + text.Issue(issue));
            return null;
        }
        return inspection;
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
        _ => "--public/--satellite",
    };
}
