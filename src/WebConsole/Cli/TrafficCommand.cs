using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Security;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Access;
using WebConsole.Features.Bookinfo;
using WebConsole.Features.Cluster;
using WebConsole.Features.Localization;
using WebConsole.Features.Traffic;

namespace WebConsole.Cli;

/// <summary>
/// <c>traffic</c>: the Traffic step for scripted demos and CI smoke tests, on the same <see cref="TrafficRunner"/>.
/// Progress goes to stderr (a bar on a terminal, plain lines otherwise), one summary line to stdout, the rows (trace
/// id, span id, link) to --out. Exit 0 when every request succeeded and the span destination accepted the spans, 1
/// when a request failed, the spans were not accepted or the cluster could not be read, 2 for invalid input.
/// The gateway and the Istio version come from the options or, when missing, from the cluster (the Bookinfo step's
/// gateway discovery and the preflight's Istio detection).
/// </summary>
public sealed class TrafficCommand(ConsoleText text, TextWriter stdout, TextWriter stderr, IConfiguration configuration, IAuditLog audit, bool stderrIsTerminal)
{
    private readonly Option<string> _gateway = new("--gateway") { Description = "Ingress gateway address, http://HOST[:PORT] or HOST[:PORT] (default: found in the cluster)." };
    private readonly Option<int> _requests = OptionParsing.WholeNumber("--requests", $"Requests to send, {TrafficSettings.MinRequests}..{TrafficSettings.MaxRequests}.",
        TrafficSettings.MinRequests, TrafficSettings.MaxRequests, text, required: true);
    private readonly Option<int> _concurrency = OptionParsing.WholeNumber("--concurrency", $"Requests in flight at once, {TrafficSettings.MinConcurrency}..{TrafficSettings.MaxConcurrency}.",
        TrafficSettings.MinConcurrency, TrafficSettings.MaxConcurrency, text, required: true);
    private readonly Option<string> _istioVersion = new("--istio-version") { Description = "Istio version of the mesh, X.Y or X.Y.Z (default: detected in the cluster)." };
    private readonly Option<FileInfo> _tokenFile = new("--token-file") { Required = true, Description = "File holding the LightStep access token (one trailing newline is ignored)." };
    private readonly Option<bool> _public = new("--public") { Description = "The mesh reports to LightStep Tracing's public satellites." };
    private readonly Option<string> _satellite = new("--satellite") { Description = "The mesh reports to this on-premises satellite pool, HOST:PORT." };
    private readonly Option<string> _spanEndpoint = new("--span-endpoint") { Description = "Send the console's root spans here instead of the mesh's destination, HOST:PORT (a port-forward, a local collector)." };
    private readonly Option<bool> _plaintext = new("--plaintext") { Description = "Send the console's spans without TLS." };
    private readonly Option<FileInfo> _cacert = new("--cacert") { Description = "CA certificate (PEM or DER) the span destination's TLS certificate must chain to (default: the system's roots)." };
    private readonly Option<string> _project = new("--project") { Description = "LightStep project name for the trace links." };
    private readonly Option<string> _linkTemplate = new("--link-template") { Description = "Trace link template (default " + LightStepTraceLinks.DefaultTemplate + ")." };
    private readonly Option<FileInfo> _out = new("--out") { Description = "Write the rows (trace id, span id, link) to FILE.csv or FILE.json." };
    private readonly Option<string> _context = new("--context") { Description = "Kubeconfig context to find the gateway and Istio version in (default: the current context)." };
    private readonly Option<string> _namespace = new("--namespace") { Description = "Namespace of the ingress gateway Service (default: Istio's namespace first, then any)." };

    public Command Verb()
    {
        var command = new Command("traffic", "Send Bookinfo traffic through the ingress gateway, each request the root of its own trace, and write the rows with their trace links.")
        {
            _gateway, _requests, _concurrency, _istioVersion, _tokenFile, _public, _satellite, _spanEndpoint, _plaintext, _cacert,
            _project, _linkTemplate, _out, _context, _namespace,
        };
        command.SetAction(RunAsync);
        return command;
    }

    /// <summary>Everything the options said, once valid; the gateway and the version are null when the cluster has to say.</summary>
    private sealed record Request(
        GatewayAddress? Gateway, IstioVersion? Version, TrafficSettings Settings, string Token, LightStepProduct Product, string SatelliteAddress,
        string? SpanEndpoint, bool Plaintext, string? CaPem, LightStepTraceLinks? Links, FileInfo? Out, bool Json, string? Context, string? Namespace);

    private async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        if (Read(result) is not { } request) return CommandLine.InvalidInput;

        var (gateway, version) = (request.Gateway, request.Version);
        if (gateway is null || version is null)
        {
            var (found, code) = await FindInClusterAsync(request, ct);
            if (found is null) return code;
            (gateway, version) = found.Value;
        }

        var form = IstioFormChoice.For(version.Value).Form;
        var input = new PlanInput
        {
            Product = request.Product,
            AccessToken = request.Token,
            SatelliteAddress = request.SatelliteAddress,
            CaCertificatePem = request.CaPem,
            IstioVersion = version.Value,
            Secure = !request.Plaintext,
        };
        var (overridden, _) = SpanDestination.WithOverride(SpanDestination.For(input, form), request.SpanEndpoint);
        var destination = overridden! with { Secure = !request.Plaintext };
        var target = TrafficTarget.For(new Uri(gateway.Url), destination, request.Token, form, request.CaPem);

        stderr.WriteLine(text.Format("Cli.TrafficStarting", request.Settings.Requests, request.Settings.Concurrency, target.ProductPageUrl,
            version.Value, text.FormName(form), destination.Address, text["Cli.Transport." + destination.Transport], text[destination.Secure ? "Cli.Tls" : "Cli.Plaintext"]));
        var options = configuration.GetSection("Console:Traffic").Get<TrafficRunOptions>() ?? new TrafficRunOptions();
        var progress = new ProgressPrinter(stderr, stderrIsTerminal, request.Settings.Requests, text["Cli.TrafficProgress"]);
        var run = await new TrafficRunner(options).RunAsync(target, request.Settings, progress, ct);
        progress.Finish(run.Count, run.Failed);

        // The run's own array, not a copy of its 10,000 rows.
        var rows = MemoryMarshal.TryGetArray(run.Rows, out var segment) ? segment : new ArraySegment<TrafficRow>(run.Rows.ToArray());
        var written = true;
        if (request.Out is { } file)
        {
            try
            {
                WriteRows(file, request.Json, rows, request.Links);
                stderr.WriteLine(text.Format("Cli.TrafficRowsWritten", rows.Count, file.FullName));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine("--out: " + text.Format("Cli.TrafficOutFailed", file.FullName, e.Message));
                written = false;
            }
        }
        if (!run.Export.Succeeded) stderr.WriteLine(run.Export.Message);

        var latencies = new long[rows.Count];
        for (var i = 0; i < latencies.Length; i++) latencies[i] = rows[i].LatencyMicros;
        Array.Sort(latencies);
        stdout.WriteLine(text.Format("Cli.TrafficSummary", run.Count, run.Failed, text.Format("Cli.Spans." + run.Export.Outcome, run.Export.ExportCalls),
            Milliseconds(latencies, 50), Milliseconds(latencies, 99)));
        return written && run.Failed == 0 && !run.Canceled && run.Export.Succeeded ? 0 : CommandLine.Failed;
    }

    /// <summary>The request, or null after one line per problem (naming the option) on stderr.</summary>
    private Request? Read(ParseResult result)
    {
        var problems = new List<string>();
        void Issues(string option, IEnumerable<ValidationIssue> issues)
        {
            foreach (var issue in issues)
                if (issue.IsError) problems.Add($"{option}: {text.Issue(issue)}");
                else stderr.WriteLine($"warning: {option}: {text.Issue(issue)}");
        }

        var settings = new TrafficSettings(result.GetValue(_requests), result.GetValue(_concurrency));
        foreach (var issue in settings.Validate())
            Issues(issue.Field == WizardField.TrafficRequestCount ? "--requests" : "--concurrency", [issue]);

        var token = PlanOptions.ReadToken(result.GetValue(_tokenFile)!, problems, text);
        if (token is not null) Issues("--token-file", AccessTokenRules.Validate(token));

        var isPublic = result.GetValue(_public);
        var satellite = result.GetValue(_satellite);
        if (isPublic == (satellite is not null))
            problems.Add("--public/--satellite: " + text["Cli.ProductChoice"]);
        else if (satellite is not null)
            Issues("--satellite", SatelliteAddressRules.Validate(satellite).Issues);

        var spanEndpoint = result.GetValue(_spanEndpoint);
        if (spanEndpoint is not null) Issues("--span-endpoint", SatelliteAddressRules.Validate(spanEndpoint).Issues);
        var plaintext = result.GetValue(_plaintext);
        // LightStep's public endpoint is TLS on port 443 (lightstep/otel-launcher-go README: ingest.lightstep.com:443, insecure
        // false by default), and the plan never sends to it in clear (SpanDestination.For): --plaintext needs an address of the user's.
        if (plaintext && isPublic && spanEndpoint is null)
            problems.Add("--plaintext: " + text["Cli.PlaintextNeedsEndpoint"]);

        string? caPem = null;
        if (PlanOptions.ReadCertificate(result.GetValue(_cacert), problems, text) is { } certificate)
        {
            Issues("--cacert", certificate.Issues);
            caPem = certificate.NormalizedPem;
        }

        var links = ReadLinks(result, problems, Issues);

        GatewayAddress? gateway = null;
        if (result.GetValue(_gateway) is { } gatewayText)
        {
            var (address, gatewayIssues) = GatewayAddress.Parse(WithoutHttpScheme(gatewayText));
            Issues("--gateway", gatewayIssues);
            gateway = address;
        }
        IstioVersion? version = null;
        if (result.GetValue(_istioVersion) is { } versionText)
            Issues("--istio-version", IstioVersionRules.Validate(versionText, out version));

        var context = result.GetValue(_context);
        var gatewayNamespace = result.GetValue(_namespace);
        var needsCluster = result.GetValue(_gateway) is null || result.GetValue(_istioVersion) is null;
        if (!needsCluster && context is not null) problems.Add("--context: " + text["Cli.ClusterNotUsed"]);
        if (gatewayNamespace is not null)
        {
            if (result.GetValue(_gateway) is not null) problems.Add("--namespace: " + text["Cli.GatewayNamespaceNotUsed"]);
            else if (!NamespaceRules.IsDns1123Label(gatewayNamespace))
                problems.Add("--namespace: " + text.Issue(ValidationIssue.Error(WizardField.Namespaces, "Namespaces.InvalidName", gatewayNamespace)));
        }

        var output = result.GetValue(_out);
        var json = false;
        if (output is not null)
        {
            var extension = output.Extension.ToLowerInvariant();
            json = extension == ".json";
            if (extension is not (".csv" or ".json")) problems.Add("--out: " + text["Cli.TrafficOutExtension"]);
            else if (output.Directory is { Exists: false } directory) problems.Add("--out: " + text.Format("Cli.DirectoryNotFound", directory.FullName));
            else if (Directory.Exists(output.FullName)) problems.Add("--out: " + text.Format("Cli.OutFileIsDirectory", output.FullName));
        }

        foreach (var problem in problems)
            stderr.WriteLine(problem);
        if (problems.Count > 0) return null;
        return new Request(gateway, version, settings, token!, isPublic ? LightStepProduct.PublicTracing : LightStepProduct.OnPremSatellites,
            isPublic ? PlanInput.PublicSatelliteAddress : satellite!, spanEndpoint, plaintext, caPem, links, output, json, context, gatewayNamespace);
    }

    /// <summary>
    /// The link provider, or null for rows without links: the default template names the project, so without --project
    /// (and without a template of the user's) the rows simply have no link. Given options that cannot make links are errors.
    /// </summary>
    private LightStepTraceLinks? ReadLinks(ParseResult result, List<string> problems, Action<string, IEnumerable<ValidationIssue>> issues)
    {
        var templateText = result.GetValue(_linkTemplate);
        var project = result.GetValue(_project);
        var (template, templateIssues) = TraceLinkTemplate.Parse(templateText ?? LightStepTraceLinks.DefaultTemplate);
        issues("--link-template", templateIssues);
        if (template is null) return null;
        if (!template.Uses(TraceLinkPlaceholder.Project))
            return new LightStepTraceLinks(template, project ?? "");
        if (project is null)
        {
            if (templateText is not null) problems.Add("--project: " + text["Cli.ProjectForTemplate"]);
            else stderr.WriteLine(text["Cli.NoLinksWithoutProject"]);
            return null;
        }
        issues("--project", LightStepProjectRules.Validate(project));
        return new LightStepTraceLinks(template, project);
    }

    /// <summary>
    /// The gateway and the Istio version the options left out, from the cluster: the preflight's Istio detection and the
    /// Bookinfo step's gateway discovery. Null with the exit code after saying why on stderr.
    /// </summary>
    private async Task<((GatewayAddress Gateway, IstioVersion Version)? Found, int Code)> FindInClusterAsync(Request request, CancellationToken ct)
    {
        // The target line goes to stderr: stdout holds only the run's summary.
        using var connection = CommandLineCluster.Connect(configuration, request.Context, text, stderr, stderr);
        if (connection is null) return (null, CommandLine.InvalidInput);
        var operations = CommandLineCluster.Operations(connection, audit, SensitiveValues.Of(request.Token), text, stderr);

        var report = await operations.PreflightAsync(null, ct);
        if (!report.ApiReachable) return (null, Failed(report.Api.Failure!));
        if (report.IstioLookupFailure is { } lookup) return (null, Failed(lookup));
        var version = request.Version;
        if (version is null)
        {
            if (report.Istio?.Version is not { } detected)
            {
                stderr.WriteLine("--istio-version: " + (report.Istio is { } istio
                    ? text.Format("Cli.IstioVersionUnknown", istio.Namespace, istio.ControlPlaneDeployment, istio.ImageTag ?? "?")
                    : text["Cli.IstioNotFound"]));
                return (null, CommandLine.InvalidInput);
            }
            version = detected;
            stderr.WriteLine(text.Format("Cli.IstioDetected", detected, report.Istio.Namespace, report.Istio.ControlPlaneDeployment));
        }

        var address = request.Gateway;
        if (address is null)
        {
            var discovery = await new BookinfoCluster(operations.Gateway(), operations.Clock).DiscoverGatewayAsync(request.Namespace ?? report.Istio?.Namespace, ct);
            if (!discovery.Succeeded) return (null, Failed(discovery.Failure!));
            var found = discovery.Value!;
            if (request.Namespace is not null && found.ServiceNamespace is not null && found.ServiceNamespace != request.Namespace)
            {
                stderr.WriteLine("--namespace: " + text.Format("Cli.GatewayNotInNamespace", request.Namespace, $"{found.ServiceNamespace}/{found.ServiceName}"));
                return (null, CommandLine.InvalidInput);
            }
            if (found.Address is null)
            {
                stderr.WriteLine("--gateway: " + text.Format(found.ProblemCode!, [.. found.ProblemArgs]));
                return (null, CommandLine.InvalidInput);
            }
            address = found.Address;
            stderr.WriteLine(text.Format("Cli.GatewayFound", address.Url, $"{found.ServiceNamespace}/{found.ServiceName}",
                text.Format(address.ExplanationCode, [.. address.Args])));
        }
        return ((address, version.Value), 0);
    }

    private int Failed(ClusterFailure failure)
    {
        stderr.WriteLine(text.Failure(failure) + " " + text.FailureFix(failure));
        return CommandLine.Failed;
    }

    /// <summary>"http://host:port" and "http://host:port/" are the gateway's address as a URL; anything else is checked as typed.</summary>
    private static string WithoutHttpScheme(string gateway)
    {
        if (!gateway.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) return gateway;
        var rest = gateway["http://".Length..];
        return rest.EndsWith('/') && rest.IndexOf('/') == rest.Length - 1 ? rest[..^1] : rest;
    }

    private static void WriteRows(FileInfo file, bool json, ArraySegment<TrafficRow> rows, LightStepTraceLinks? links)
    {
        // 10,000 rows are about 2 MB: large buffers keep the write to a few system calls.
        const int Buffer = 1 << 16;
        using var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, Buffer);
        if (json)
        {
            TrafficExport.WriteJson(stream, rows, links is null ? _ => null : row => links.LinkFor(row.Identity)?.Url);
            return;
        }
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), Buffer);
        TrafficExport.WriteCsv(writer, rows, links);
    }

    /// <summary>Nearest-rank percentile of the sorted latencies (as wrk reports them), in milliseconds.</summary>
    private static string Milliseconds(long[] latencies, int percent)
    {
        if (latencies.Length == 0) return "-";
        var rank = Math.Clamp((int)Math.Ceiling(percent / 100.0 * latencies.Length) - 1, 0, latencies.Length - 1);
        return (latencies[rank] / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Progress on stderr: on a terminal one bar redrawn in place (at most every 100 ms), otherwise a plain line at each
    /// tenth of the run, so a CI log stays short. Called from the runner's workers at once, after every request: the
    /// common case (nothing to print) takes no lock.
    /// </summary>
    /// <param name="format">"{0}/{1} requests, {2} failed" in the command line's language.</param>
    private sealed class ProgressPrinter(TextWriter stderr, bool terminal, int total, string format) : IProgress<TrafficProgress>
    {
        private const int BarWidth = 30;
        private static readonly long RedrawTicks = System.Diagnostics.Stopwatch.Frequency / 10;
        private readonly object _gate = new();
        private readonly int _step = Math.Max(1, (int)Math.Ceiling(total / 10.0));
        private long _lastDraw;
        private int _printed;

        public void Report(TrafficProgress value)
        {
            var last = value.Completed == value.Total;
            if (terminal)
            {
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                if (!last && now - Volatile.Read(ref _lastDraw) < RedrawTicks) return;
                lock (_gate)
                {
                    if (!last && now - _lastDraw < RedrawTicks) return;
                    _lastDraw = now;
                    Draw(value.Completed, value.Failed);
                }
                return;
            }
            if (!last && value.Completed / _step <= Volatile.Read(ref _printed) / _step) return;
            lock (_gate)
            {
                // Reports race: a later one may already have printed further.
                if (value.Completed <= _printed || (!last && value.Completed / _step <= _printed / _step)) return;
                Volatile.Write(ref _printed, value.Completed);
                stderr.WriteLine(Line(value.Completed, value.Failed));
            }
        }

        /// <summary>Ends the bar's line; a run that stopped early still says where it stopped.</summary>
        public void Finish(int completed, int failed)
        {
            lock (_gate)
            {
                if (terminal)
                {
                    Draw(completed, failed);
                    stderr.WriteLine();
                }
                else if (completed != _printed)
                {
                    stderr.WriteLine(Line(completed, failed));
                }
                stderr.Flush();
            }
        }

        private void Draw(int completed, int failed)
        {
            var filled = total == 0 ? BarWidth : completed * BarWidth / total;
            stderr.Write($"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {Line(completed, failed)}");
            stderr.Flush();
        }

        private string Line(int completed, int failed) => string.Format(CultureInfo.InvariantCulture, format, completed, total, failed);
    }
}
