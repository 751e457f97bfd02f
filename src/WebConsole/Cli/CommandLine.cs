using System.CommandLine;
using System.Globalization;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebConsole.Features.Localization;
using WebConsole.Features.Bundle;

namespace WebConsole.Cli;

/// <summary>
/// Verbs of the same binary for scripted demo environments and GitOps. They use the plan builder the wizard uses.
/// Exit codes: 0 done, 2 invalid input (one line per problem on stderr, naming the option).
/// </summary>
public static class CommandLine
{
    public const int InvalidInput = 2;
    private static readonly string[] Verbs = ["plan"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(SupportedCultures.English);
        var text = new ConsoleText(new StringLocalizer<SharedResource>(
            new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)));
        var root = new RootCommand("LightStep Mesh Console") { PlanVerb(text, stdout, stderr) };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                stderr.WriteLine(error.Message);
            return Task.FromResult(InvalidInput);
        }
        return Task.FromResult(parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr }));
    }

    private static Command PlanVerb(ConsoleText text, TextWriter stdout, TextWriter stderr)
    {
        var tokenFile = new Option<FileInfo>("--token-file") { Required = true, Description = "File holding the LightStep access token (one trailing newline is ignored)." };
        var publicSatellites = new Option<bool>("--public") { Description = "Use LightStep Tracing's public satellites (" + PlanInput.PublicSatelliteAddress + ")." };
        var satellite = new Option<string>("--satellite") { Description = "On-premises satellite pool address, HOST:PORT." };
        var cacert = new Option<FileInfo>("--cacert") { Description = "CA certificate (PEM or DER) of the satellites' TLS issuer." };
        var noCacert = new Option<bool>("--no-cacert") { Description = "Public satellites only: explicitly go without a CA certificate Secret." };
        var istioVersion = new Option<string>("--istio-version") { Required = true, Description = "Istio version of the mesh, X.Y or X.Y.Z." };
        var namespaces = new Option<string[]>("--namespace") { Description = "Namespace that gets the lightstep.cacert Secret (repeatable; default: default).", AllowMultipleArgumentsPerToken = false };
        var sampling = new Option<decimal?>("--sampling") { Description = "Trace sampling percentage, 0.01..100 (default 100)." };
        var insecure = new Option<bool>("--insecure") { Description = "Send spans without TLS (not recommended)." };
        var cacertPath = new Option<string>("--cacert-path") { Description = "Where sidecars read the CA certificate (default " + PlanInput.DefaultCacertPath + ")." };
        var output = new Option<DirectoryInfo>("--out") { Required = true, Description = "Directory to write manifests.yaml, install.sh and PLAN.md to." };

        var command = new Command("plan", "Write the plan (manifests.yaml, install.sh, PLAN.md) for the given settings.")
        {
            tokenFile, publicSatellites, satellite, cacert, noCacert, istioVersion, namespaces, sampling, insecure, cacertPath, output,
        };
        command.SetAction(result =>
        {
            var problems = new List<string>();
            var isPublic = result.GetValue(publicSatellites);
            var satelliteAddress = result.GetValue(satellite);
            if (isPublic == (satelliteAddress is not null))
                problems.Add("--public/--satellite: " + text["Cli.ProductChoice"]);
            var token = ReadToken(result.GetValue(tokenFile)!, problems, text);
            var certificate = ReadCertificate(result.GetValue(cacert), problems, text);
            var skip = result.GetValue(noCacert);
            if (skip && certificate is not null)
                problems.Add("--no-cacert: " + text["Cli.CacertConflict"]);

            var fields = new EnteredPlanFields(
                isPublic ? LightStepProduct.PublicTracing : LightStepProduct.OnPremSatellites,
                token, satelliteAddress, certificate, skip,
                result.GetValue(namespaces) is { Length: > 0 } ns ? ns : ["default"],
                result.GetValue(istioVersion),
                result.GetValue(sampling) ?? PlanInput.DefaultSamplingPercent,
                !result.GetValue(insecure),
                result.GetValue(cacertPath) ?? PlanInput.DefaultCacertPath);
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
            if (problems.Count > 0 || input is null)
            {
                foreach (var problem in problems)
                    stderr.WriteLine(problem);
                return InvalidInput;
            }

            var plan = PlanBuilder.Build(input);
            var directory = result.GetValue(output)!.FullName;
            new PlanBundle(text).WriteTo(directory, plan);
            stdout.WriteLine(text.Format("Cli.PlanWritten", directory, text.FormName(plan.Form), plan.Objects.Count, plan.Commands.Count));
            stdout.WriteLine(text["Cli.BundleHoldsToken"]);
            return 0;
        });
        return command;
    }

    private static string? ReadToken(FileInfo file, List<string> problems, ConsoleText text)
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

    private static CaCertificateInspection? ReadCertificate(FileInfo? file, List<string> problems, ConsoleText text)
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
        _ => "--public/--satellite",
    };
}
