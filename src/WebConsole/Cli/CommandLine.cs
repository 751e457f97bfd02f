using System.CommandLine;
using System.Globalization;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebConsole.Features.Access;
using WebConsole.Features.Bundle;
using WebConsole.Features.Localization;

namespace WebConsole.Cli;

/// <summary>
/// Verbs of the same binary for scripted demo environments and GitOps, built on the services the wizard uses.
/// Exit codes: 0 done, 1 a cluster step failed or was declined (traffic: a request failed or the spans were not
/// accepted), 2 invalid input (one line per problem on
/// stderr, naming the option). The access token never reaches stdout or stderr.
/// </summary>
public static class CommandLine
{
    public const int Failed = 1;
    public const int InvalidInput = 2;
    private static readonly string[] Verbs = ["plan", "apply", "cleanup", "rbac", "traffic"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    /// <param name="loggers">Where the audit log goes; by default a console logger on stderr (JSON with Logging__Console__FormatterName=json).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null, IConfiguration? configuration = null,
        ILoggerFactory? loggers = null)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(SupportedCultures.English);
        var text = new ConsoleText(new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)));
        configuration ??= new ConfigurationBuilder().AddEnvironmentVariables().Build();
        // Built on the first audit entry: only verbs that change the cluster write one, and the console logger (with its
        // writer thread) would otherwise be built and torn down around every `traffic` run for nothing.
        var ownLoggers = new Lazy<ILoggerFactory>(() => CommandLineLogging(configuration));
        using var disposeOwnLoggers = new DisposeIfCreated(ownLoggers);
        var audit = new AuditOnFirstEntry(new Lazy<IAuditLog>(() => new AuditLog(loggers ?? ownLoggers.Value)));
        var cluster = new ClusterCommands(text, stdout, stderr, stdin ?? Console.In, configuration, audit);
        var root = new RootCommand("LightStep Mesh Console")
        {
            PlanVerb(text, stdout, stderr),
            cluster.ApplyVerb(),
            cluster.CleanupVerb(),
            RbacCommand.Verb(text, stdout, stderr),
            new TrafficCommand(text, stdout, stderr, configuration, audit, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected).Verb(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                stderr.WriteLine(error.Message);
            return InvalidInput;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>
    /// Why the bundle may not go to <paramref name="directory"/> before anything is written: a file is not a directory,
    /// and a directory that already holds files (an earlier bundle, say) is overwritten only with --force.
    /// </summary>
    private static string? OutDirectoryProblem(string directory, bool force, ConsoleText text)
    {
        if (File.Exists(directory)) return "--out: " + text.Format("Cli.OutIsFile", directory);
        try
        {
            if (!force && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
                return "--out: " + text.Format("Cli.OutNotEmpty", directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "--out: " + text.Format("Cli.OutNotWritable", directory, e.Message);
        }
        return null;
    }

    private sealed class AuditOnFirstEntry(Lazy<IAuditLog> audit) : IAuditLog
    {
        public void Record(AuditEntry entry) => audit.Value.Record(entry);
    }

    private sealed class DisposeIfCreated(Lazy<ILoggerFactory> loggers) : IDisposable
    {
        public void Dispose()
        {
            if (loggers.IsValueCreated) loggers.Value.Dispose();
        }
    }

    /// <summary>The command line's logging: only the audit log writes to it, on stderr, so stdout stays the command's own output.</summary>
    private static ILoggerFactory CommandLineLogging(IConfiguration configuration) => LoggerFactory.Create(logging =>
    {
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.AddSimpleConsole(options => options.SingleLine = true);
        logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    private static Command PlanVerb(ConsoleText text, TextWriter stdout, TextWriter stderr)
    {
        var options = new PlanOptions();
        var output = new Option<DirectoryInfo>("--out") { Required = true, Description = "Directory to write manifests.yaml, install.sh and PLAN.md to (created if missing; must be empty unless --force)." };
        var force = new Option<bool>("--force") { Description = "Overwrite the files of a bundle already in the --out directory." };
        var command = new Command("plan", "Write the plan (manifests.yaml, install.sh, PLAN.md) for the given settings.");
        foreach (var option in options.All) command.Add(option);
        command.Add(output);
        command.Add(force);
        command.SetAction(async (result, ct) =>
        {
            var directory = result.GetValue(output)!.FullName;
            var outProblem = OutDirectoryProblem(directory, result.GetValue(force), text);
            var input = options.Read(result, text, stderr);
            if (outProblem is not null) stderr.WriteLine(outProblem);
            if (input is null || outProblem is not null) return InvalidInput;
            var plan = PlanBuilder.Build(input);
            if (!await SatelliteCheckOutput.PassesAsync(result.GetValue(options.CheckSatellite), input, text, stdout, stderr, ct)) return Failed;
            try
            {
                new PlanBundle(text).WriteTo(directory, plan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not writable (permissions, /proc, a read-only mount): one line, never a stack trace.
                stderr.WriteLine("--out: " + text.Format("Cli.OutNotWritable", directory, e.Message));
                return InvalidInput;
            }
            stdout.WriteLine(text.Format("Cli.PlanWritten", directory, text.FormName(plan.Form),
                text.Count("Cli.ObjectCount", plan.Objects.Count), text.Count("Cli.CommandCount", plan.Commands.Count)));
            // Which form and why: for another backend this also says why the spans go directly or through the collector.
            stdout.WriteLine(text.FormReason(plan.FormChoice));
            if (plan.OtherBackendAddress is null) stdout.WriteLine(text["Cli.BundleHoldsToken"]);
            else if (!plan.SensitiveValues.IsEmpty) stdout.WriteLine(text["Cli.BundleHoldsHeaders"]);
            return 0;
        });
        return command;
    }
}
