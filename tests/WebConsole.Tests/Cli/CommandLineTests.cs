using System.Globalization;
using System.IO.Compression;
using System.Text;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebConsole.Cli;
using WebConsole.Features.Bundle;
using WebConsole.Features.Localization;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    // Recognisable, so a leak anywhere in stdout/stderr is easy to spot.
    private const string Token = "CLI-TOKEN-7f3a9c1e5b-SECRET-4242";

    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-cli-").FullName;
    private readonly string _pem;
    private readonly string _keyPem;

    public CommandLineTests()
    {
        (_pem, _keyPem, _) = TestCertificates.CreateCa(DateTimeOffset.UtcNow);
        Write("token.txt", Token + "\n");
        Write("ca.pem", _pem);
        Write("key.pem", _keyPem);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string Write(string name, string content)
    {
        File.WriteAllText(PathOf(name), content, new UTF8Encoding(false));
        return PathOf(name);
    }

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
        // Whatever happened, the token is never printed.
        Assert.DoesNotContain(Token, run.Stdout);
        Assert.DoesNotContain(Token, run.Stderr);
        Assert.DoesNotContain("7f3a9c1e5b", run.Stdout + run.Stderr);
        return run;
    }

    private string[] PublicArgs(string outDir, params string[] extra) =>
        ["plan", "--token-file", PathOf("token.txt"), "--public", "--cacert", PathOf("ca.pem"), "--istio-version", "1.26", "--out", outDir, .. extra];

    private string[] OnPremArgs(params string[] extra) =>
        ["plan", "--token-file", PathOf("token.txt"), "--satellite", "sat.example.com:9292", "--istio-version", "1.14", "--out", PathOf("out"), .. extra];

    [Fact]
    public void Only_the_plan_verb_is_a_command()
    {
        Assert.True(CommandLine.IsCommand(["plan", "--help"]));
        Assert.False(CommandLine.IsCommand([]));
        Assert.False(CommandLine.IsCommand(["--urls", "http://127.0.0.1:5000"]));
    }

    [Fact]
    public async Task Success_writes_the_three_files_and_returns_zero()
    {
        var outDir = PathOf("out");

        var run = await RunAsync(PublicArgs(outDir));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal(["PLAN.md", "install.sh", "manifests.yaml", "uninstall.sh"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("Wrote " + outDir + ": LightStep extension provider form", run.Stdout);
        Assert.Matches(@"provider form, \d+ objects, (1 command|\d+ commands)\.", run.Stdout);
        Assert.Contains("The bundle contains the access token: keep it like a password.", run.Stdout);
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(Path.Combine(outDir, "install.sh"));
            Assert.True(mode.HasFlag(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute), mode.ToString());
            Assert.False(File.GetUnixFileMode(Path.Combine(outDir, "manifests.yaml")).HasFlag(UnixFileMode.UserExecute));
        }
        var manifests = File.ReadAllText(Path.Combine(outDir, "manifests.yaml"));
        // Istio 1.26, public product: the OTLP endpoint is verified against public roots, so no CA Secret is planned.
        Assert.Contains("kind: Telemetry", manifests);
        Assert.DoesNotContain("kind: Secret", manifests);
        Assert.StartsWith("#!/usr/bin/env bash\n", File.ReadAllText(Path.Combine(outDir, "install.sh")));
        Assert.StartsWith("# LightStep tracing plan", File.ReadAllText(Path.Combine(outDir, "PLAN.md")));
    }

    [Fact]
    public async Task On_prem_with_certificate_succeeds()
    {
        var run = await RunAsync(OnPremArgs("--cacert", PathOf("ca.pem"), "--namespace", "default", "--namespace", "bookinfo", "--sampling", "100"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Mesh config form", run.Stdout);
        Assert.True(File.Exists(PathOf("out/install.sh")));
    }

    [Fact]
    public async Task Warnings_are_printed_but_do_not_fail()
    {
        var run = await RunAsync(PublicArgs(PathOf("out"), "--sampling", "50"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.StartsWith("warning: --sampling: LightStep recommends 100%", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        // name of the case (its arguments are built by ArgsFor), expected stderr line prefix
        { "missing token file", "--token-file: file not found: " },
        { "token with whitespace", "--token-file: The token contains spaces, tabs or line breaks" },
        { "both --public and --satellite", "--public/--satellite: give exactly one of --public or --satellite HOST:PORT" },
        { "neither --public nor --satellite", "--public/--satellite: give exactly one of --public or --satellite HOST:PORT" },
        { "satellite with scheme", "--satellite: Leave out the scheme (https://, grpc://…): the address is host:port only." },
        { "bad istio version", "--istio-version: \"one.two\" is not a version: use X.Y or X.Y.Z, for example 1.26.2." },
        { "bad namespace", "--namespace: \"Bad_NS\" is not a valid namespace" },
        { "sampling 0", "--sampling: Sampling must be between 0.01 and 100 percent." },
        { "sampling with an exponent", "--sampling: \"1e2\" is not a sampling percentage: write a number from 0.01 to 100 with digits and at most one '.'" },
        { "sampling abc", "--sampling: \"abc\" is not a sampling percentage: write a number from 0.01 to 100" },
        { "token file is a directory", "--token-file: " },
        { "cacert is a directory", "--cacert: " },
        { "cacert is a private key", "--cacert: This file contains a PRIVATE KEY." },
        { "cacert missing on-prem", "--cacert: Upload the CA certificate of your satellite pool's TLS issuer." },
        { "cacert file missing", "--cacert: file not found: " },
        { "istio 1.16.0", "--istio-version: Istio 1.16.0 may be 1.16.0, whose proxy has no OpenTelemetry tracer (istio/istio#42080)" },
        { "istio 1.16 without patch", "--istio-version: Istio 1.16 may be 1.16.0, whose proxy has no OpenTelemetry tracer (istio/istio#42080)" },
        { "collector before 1.16.1", "--route: The collector route needs Istio 1.16.1 or later" },
        { "direct with a private ca on 1.28", "--route: On Istio 1.28.0 a direct export to an on-prem satellite with a private CA" },
    };

    private string[] ArgsFor(string name) => name switch
    {
        "missing token file" => ["plan", "--token-file", PathOf("nope.txt"), "--public", "--no-cacert", "--istio-version", "1.26", "--out", PathOf("out")],
        "token with whitespace" => WithToken("CLI-TOKEN 7f3a9c1e5b-SECRET-4242"),
        "both --public and --satellite" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--satellite", "sat.example.com:443", "--no-cacert", "--istio-version", "1.26", "--out", PathOf("out")],
        "neither --public nor --satellite" => ["plan", "--token-file", PathOf("token.txt"), "--cacert", PathOf("ca.pem"), "--istio-version", "1.26", "--out", PathOf("out")],
        "satellite with scheme" => ["plan", "--token-file", PathOf("token.txt"), "--satellite", "https://x:1", "--cacert", PathOf("ca.pem"), "--istio-version", "1.26", "--out", PathOf("out")],
        "bad istio version" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "one.two", "--out", PathOf("out")],
        "bad namespace" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "1.26", "--namespace", "Bad_NS", "--out", PathOf("out")],
        "sampling 0" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "1.26", "--sampling", "0", "--out", PathOf("out")],
        "sampling with an exponent" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "1.26", "--sampling", "1e2", "--out", PathOf("out")],
        "sampling abc" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "1.26", "--sampling", "abc", "--out", PathOf("out")],
        "token file is a directory" => ["plan", "--token-file", Directory.CreateDirectory(PathOf("token-dir")).FullName, "--public", "--no-cacert", "--istio-version", "1.26", "--out", PathOf("out")],
        "cacert is a directory" => OnPremArgs("--cacert", Directory.CreateDirectory(PathOf("ca-dir")).FullName),
        "cacert is a private key" => OnPremArgs("--cacert", PathOf("key.pem")),
        "cacert missing on-prem" => OnPremArgs(),
        "cacert file missing" => OnPremArgs("--cacert", PathOf("missing.pem")),
        "istio 1.16.0" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "1.16.0", "--out", PathOf("out")],
        "istio 1.16 without patch" => ["plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "1.16", "--out", PathOf("out")],
        "collector before 1.16.1" => OnPremArgs("--cacert", PathOf("ca.pem"), "--route", "collector"),
        "direct with a private ca on 1.28" => ["plan", "--token-file", PathOf("token.txt"), "--satellite", "sat.example.com:9292", "--cacert", PathOf("ca.pem"), "--istio-version", "1.28", "--route", "direct", "--out", PathOf("out")],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private string[] WithToken(string token)
    {
        Write("bad-token.txt", token + "\n");
        return ["plan", "--token-file", PathOf("bad-token.txt"), "--public", "--no-cacert", "--istio-version", "1.26", "--out", PathOf("out")];
    }

    [Theory]
    [InlineData("--token-file", "token-dir")]
    [InlineData("--cacert", "ca-dir")]
    public async Task A_file_option_at_a_directory_says_it_is_a_directory(string option, string name)
    {
        var directory = Directory.CreateDirectory(PathOf(name)).FullName;
        var args = option == "--cacert" ? OnPremArgs("--cacert", directory)
            : ["plan", "--token-file", directory, "--public", "--no-cacert", "--istio-version", "1.26", "--out", PathOf("out")];

        var run = await RunAsync(args);

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Equal($"{option}: {directory} is a directory; give the path of a file", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Sampling_abc_says_what_a_sampling_percentage_looks_like_without_a_type_name()
    {
        var run = await RunAsync(PublicArgs(PathOf("out"), "--sampling", "abc"));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Equal("--sampling: \"abc\" is not a sampling percentage: write a number from 0.01 to 100 with digits and at most one '.', " +
                     "for example 100, 50 or 0.5 (no exponent, no thousands separator).", Assert.Single(run.ErrorLines));
        Assert.DoesNotContain("System.", run.Stderr);
    }

    [Fact]
    public async Task Out_at_an_existing_file_is_one_line_and_exit_2()
    {
        var file = Write("bundle.txt", "keep me");

        var run = await RunAsync(PublicArgs(file));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Equal($"--out: {file} is a file; give a directory for the bundle (it is created if missing)", Assert.Single(run.ErrorLines));
        Assert.Equal("keep me", File.ReadAllText(file));
        Assert.Equal("", run.Stdout);
    }

    /// <summary>/proc takes no new files or directories, not even from root (the tests may run as root, where a chmod'ed directory would still be writable).</summary>
    [Theory]
    [InlineData("/proc/lsmc-bundle", false)]
    [InlineData("/proc", true)]
    public async Task Out_where_nothing_can_be_written_is_one_line_and_exit_2(string directory, bool force)
    {
        if (!OperatingSystem.IsLinux()) return;

        var run = await RunAsync(PublicArgs(directory, force ? ["--force"] : []));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"--out: cannot write the bundle to {directory}: ", line);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Out_at_a_directory_without_write_permission_is_one_line_and_exit_2()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root writes anywhere: the /proc case covers it
        var directory = Directory.CreateDirectory(PathOf("read-only")).FullName;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var run = await RunAsync(PublicArgs(directory));

            Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
            Assert.StartsWith($"--out: cannot write the bundle to {directory}: ", Assert.Single(run.ErrorLines));
        }
        finally
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task An_existing_bundle_is_overwritten_only_with_force()
    {
        var outDir = PathOf("out");
        Assert.Equal(0, (await RunAsync(PublicArgs(outDir))).ExitCode);
        var manifests = Path.Combine(outDir, "manifests.yaml");
        var first = File.ReadAllText(manifests);

        var refused = await RunAsync(PublicArgs(outDir, "--sampling", "50"));

        Assert.Equal(CommandLine.InvalidInput, refused.ExitCode);
        Assert.Equal($"--out: {outDir} already holds a bundle or other files; add --force to overwrite it, or choose another directory",
            Assert.Single(refused.ErrorLines, l => !l.StartsWith("warning: ", StringComparison.Ordinal)));
        Assert.Equal(first, File.ReadAllText(manifests));

        var forced = await RunAsync(PublicArgs(outDir, "--sampling", "50", "--force"));

        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("randomSamplingPercentage: 50", File.ReadAllText(manifests));
    }

    [Fact]
    public async Task An_existing_empty_directory_takes_the_bundle()
    {
        var outDir = Directory.CreateDirectory(PathOf("empty")).FullName;

        var run = await RunAsync(PublicArgs(outDir));

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(outDir, "install.sh")));
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_returns_2_with_one_line_naming_the_option(string name, string expectedLinePrefix)
    {
        var run = await RunAsync(ArgsFor(name));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Single(run.ErrorLines, l => l.StartsWith(expectedLinePrefix, StringComparison.Ordinal));
        // Every line is one problem, prefixed by the option it is about.
        Assert.All(run.ErrorLines, l => Assert.Matches(@"^(warning: )?--[a-z][a-z\-/]*: \S", l));
        Assert.Equal(run.ErrorLines.Length, run.ErrorLines.Distinct(StringComparer.Ordinal).Count());
        Assert.False(Directory.Exists(PathOf("out")), "nothing is written for invalid input");
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("1.26", null, "lightstep-collector")]     // private CA on 1.16.1+: the collector by default
    [InlineData("1.26", "direct", "satellites")]           // the lightstep provider still works there
    [InlineData("1.28", null, "lightstep-collector")]
    public async Task Route_option_chooses_how_spans_reach_lightstep(string version, string? route, string expectedProvider)
    {
        string[] args = ["plan", "--token-file", PathOf("token.txt"), "--satellite", "sat.example.com:9292", "--cacert", PathOf("ca.pem"),
            "--istio-version", version, "--out", PathOf("out")];
        var run = await RunAsync(route is null ? args : [.. args, "--route", route]);

        Assert.Equal(0, run.ExitCode);
        var manifests = File.ReadAllText(Path.Combine(PathOf("out"), "manifests.yaml"));
        Assert.Equal(expectedProvider == "lightstep-collector", manifests.Contains("kind: Deployment\nmetadata:\n  labels:\n    app: lightstep-collector", StringComparison.Ordinal));
        Assert.Contains(expectedProvider == "lightstep-collector" ? "- name: lightstep-collector\n" : "- name: lightstep\n", manifests);
    }

    [Fact]
    public async Task Private_key_is_reported_once_without_a_second_missing_certificate_line()
    {
        var run = await RunAsync(ArgsFor("cacert is a private key"));

        Assert.Equal(["--cacert: This file contains a PRIVATE KEY. Never upload private keys: the console discarded the file. Upload only the CA certificate (BEGIN CERTIFICATE)."],
            run.ErrorLines);
        foreach (var line in TestCertificates.PemBodyLines(_keyPem))
            Assert.DoesNotContain(line, run.Stderr);
    }

    [Fact]
    public async Task No_cacert_with_on_prem_is_refused()
    {
        var run = await RunAsync(OnPremArgs("--no-cacert"));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.EndsWith("An on-premises satellite pool needs its CA certificate; skipping is only possible with LightStep's public satellites.", line);
        Assert.Matches("^--(no-)?cacert: ", line);
    }

    [Fact]
    public async Task No_cacert_together_with_cacert_is_refused()
    {
        var run = await RunAsync(PublicArgs(PathOf("out"), "--no-cacert"));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Contains("--no-cacert: cannot be combined with --cacert", run.ErrorLines);
    }

    [Fact]
    public async Task Several_problems_give_one_line_each()
    {
        var run = await RunAsync("plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "x",
            "--namespace", "Bad_NS", "--sampling", "0", "--out", PathOf("out"));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Equal(["--istio-version", "--namespace", "--sampling"],
            run.ErrorLines.Select(l => l[..l.IndexOf(':')]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Missing_required_option_is_a_parse_error_naming_it()
    {
        var run = await RunAsync("plan", "--token-file", PathOf("token.txt"), "--public", "--no-cacert", "--istio-version", "1.26");

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains("--out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Token_in_a_file_with_crlf_is_accepted_and_never_printed()
    {
        Write("token.txt", Token + "\r\n");

        var run = await RunAsync(PublicArgs(PathOf("out")));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(Token, File.ReadAllText(PathOf("out/install.sh")));
    }

    /// <summary>The command line writes English; the wizard writes the UI's language (Chinese_ui_writes_the_scripts_and_plan_in_chinese).</summary>
    [Theory]
    [InlineData("en")]
    public async Task Cli_files_are_byte_identical_to_the_ui_bundle_and_its_zip(string uiCulture)
    {
        var outDir = PathOf("out");
        var run = await RunAsync(PublicArgs(outDir, "--namespace", "default", "--namespace", "bookinfo", "--sampling", "50.5"));
        Assert.Equal(0, run.ExitCode);

        // The same input as the wizard would hold it, turned into a plan and a bundle with the app's own services,
        // while the UI runs in the given language.
        var previous = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(uiCulture);
        try
        {
            var fields = new EnteredPlanFields(
                LightStepProduct.PublicTracing, Token, null,
                CaCertificateInspector.Inspect(Encoding.UTF8.GetBytes(_pem), DateTimeOffset.UtcNow), false,
                ["default", "bookinfo"], "1.26", "50.5", true, PlanInput.DefaultCacertPath);
            var input = PlanInputRules.TryCreate(fields, out var issues);
            Assert.NotNull(input);
            var plan = PlanBuilder.Build(input);
            var bundle = new PlanBundle(NewConsoleText());

            var files = bundle.Files(plan);
            Assert.Equal(["manifests.yaml", "install.sh", "uninstall.sh", "PLAN.md"], files.Select(f => f.Name));
            foreach (var file in files)
                Assert.True(new UTF8Encoding(false).GetBytes(file.Content).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(outDir, file.Name))),
                    $"{file.Name} differs between the CLI and the UI bundle");

            using var zip = new ZipArchive(new MemoryStream(bundle.Zip(plan)), ZipArchiveMode.Read);
            Assert.Equal(["lightstep-plan/manifests.yaml", "lightstep-plan/install.sh", "lightstep-plan/uninstall.sh", "lightstep-plan/PLAN.md"], zip.Entries.Select(e => e.FullName));
            foreach (var entry in zip.Entries)
            {
                using var content = new MemoryStream();
                using (var stream = entry.Open()) stream.CopyTo(content);
                Assert.True(content.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(outDir, entry.Name))),
                    $"{entry.Name} in the zip differs from the CLI's file");
            }
            var script = zip.GetEntry("lightstep-plan/install.sh")!;
            Assert.True(((script.ExternalAttributes >> 16) & 0b001_000_000) != 0, "install.sh is executable in the zip");
            Assert.True(((zip.GetEntry("lightstep-plan/uninstall.sh")!.ExternalAttributes >> 16) & 0b001_000_000) != 0, "uninstall.sh is executable in the zip");
            Assert.Equal(bundle.Zip(plan), bundle.Zip(plan));
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = previous;
        }
    }

    /// <summary>
    /// A Chinese UI downloads install.sh, uninstall.sh and PLAN.md in Chinese (comments, refusal and uninstall messages,
    /// headings); manifests.yaml is the same bytes as in English, and the scripts still parse and run the same commands.
    /// </summary>
    [Fact]
    public void Chinese_ui_writes_the_scripts_and_plan_in_chinese()
    {
        var fields = new EnteredPlanFields(
            LightStepProduct.PublicTracing, Token, null,
            CaCertificateInspector.Inspect(Encoding.UTF8.GetBytes(_pem), DateTimeOffset.UtcNow), false,
            ["default"], "1.14", "100", true, PlanInput.DefaultCacertPath);
        var plan = PlanBuilder.Build(PlanInputRules.TryCreate(fields, out _)!);
        var english = FilesIn("en", plan);

        var chinese = FilesIn("zh-Hans", plan);

        Assert.Equal(english["manifests.yaml"], chinese["manifests.yaml"]);
        Assert.Contains("# 由 LightStep 网格控制台为 Istio 1.14.0 生成", chinese["install.sh"]);
        Assert.Contains("已在做出任何更改之前停止", chinese["install.sh"]);
        Assert.Contains("# 1. ", chinese["install.sh"]);
        Assert.Contains("撤销同一文件包中 install.sh 所做的更改", chinese["uninstall.sh"]);
        Assert.StartsWith("# LightStep 追踪计划", chinese["PLAN.md"]);
        Assert.Contains("## 撤销（uninstall.sh）", chinese["PLAN.md"]);
        Assert.DoesNotContain("Generated by", chinese["install.sh"]);
        Assert.DoesNotContain("stopped before changing anything", chinese["install.sh"]);
        Assert.StartsWith("# LightStep tracing plan", english["PLAN.md"]);
        Assert.Contains("# Generated by LightStep Mesh Console for Istio 1.14.0", english["install.sh"]);
        // Only comments and messages differ: the commands are the same lines in both languages.
        foreach (var script in new[] { "install.sh", "uninstall.sh" })
            Assert.Equal(Commands(english[script]), Commands(chinese[script]));
    }

    private static IReadOnlyDictionary<string, string> FilesIn(string culture, Plan plan)
    {
        var previous = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        try { return new PlanBundle(NewConsoleText()).Files(plan).ToDictionary(f => f.Name, f => f.Content); }
        finally { (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = previous; }
    }

    /// <summary>The script without its comments and the lines of its messages (between cat's MESSAGE markers).</summary>
    private static List<string> Commands(string script)
    {
        var lines = new List<string>();
        var inMessage = false;
        foreach (var line in script.Split('\n'))
        {
            if (line == "MESSAGE") { inMessage = false; continue; }
            if (inMessage || line.StartsWith('#')) continue;
            if (line.EndsWith("<<'MESSAGE'", StringComparison.Ordinal)) inMessage = true;
            lines.Add(line);
        }
        return lines;
    }

    private static ConsoleText NewConsoleText() => new(new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)));
}
