using WebConsole.Cli;

namespace WebConsole.Tests.Cli;

/// <summary>
/// Every verb's typed and file options, given a wrong value: exit 2 with one line naming the option and saying what a
/// good value looks like; never a .NET type name ("System.Int32", "System.Nullable`1[System.Decimal]") or a stack trace.
/// </summary>
public sealed class OptionParsingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-console-options-").FullName;

    public OptionParsingTests() => File.WriteAllText(Path.Combine(_dir, "token.txt"), "OPTION-TOKEN-0123456789abcdef\n");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static async Task<(int ExitCode, string Stdout, string[] ErrorLines)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, TextReader.Null,
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        return (code, stdout.ToString(), stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private string[] Traffic(params string[] extra) =>
        ["traffic", "--gateway", "127.0.0.1:9", "--istio-version", "1.26", "--token-file", PathOf("token.txt"), "--public", .. extra];

    public static TheoryData<string, string> WholeNumbers => new()
    {
        { "--requests", "abc" },
        { "--requests", "1e3" },
        { "--requests", "1,000" },
        { "--concurrency", "1.5" },
        { "--concurrency", "99999999999" },
    };

    [Theory]
    [MemberData(nameof(WholeNumbers))]
    public async Task Traffic_counts_that_are_not_whole_numbers_say_so_with_the_range(string option, string value)
    {
        var args = option == "--requests" ? Traffic("--requests", value, "--concurrency", "1") : Traffic("--requests", "1", "--concurrency", value);

        var run = await RunAsync(args);

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        var range = option == "--requests" ? "1 to 10000" : "1 to 64";
        Assert.Equal($"{option}: \"{value}\" is not a whole number; give one from {range}", line);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Traffic_out_at_a_directory_is_refused_before_any_request()
    {
        var directory = Directory.CreateDirectory(PathOf("rows.csv")).FullName;

        var run = await RunAsync(Traffic("--requests", "1", "--concurrency", "1", "--out", directory));

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Contains($"--out: {directory} is a directory; give the path of a .csv or .json file", run.ErrorLines);
    }

    [Fact]
    public async Task Traffic_token_file_at_a_directory_says_it_is_a_directory()
    {
        var run = await RunAsync(["traffic", "--gateway", "127.0.0.1:9", "--istio-version", "1.26", "--requests", "1", "--concurrency", "1",
            "--token-file", _dir, "--public"]);

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.Contains($"--token-file: {_dir} is a directory; give the path of a file", run.ErrorLines);
    }

    /// <summary>Every typed option of every verb, each with a value of the wrong kind.</summary>
    public static TheoryData<string[]> WrongKinds => new()
    {
        { ["plan", "--sampling", "abc", "--istio-version", "1.26", "--public", "--no-cacert", "--token-file", "/dev/null", "--out", "/tmp/x"] },
        { ["apply", "--sampling", "1e2", "--istio-version", "1.26", "--public", "--no-cacert", "--token-file", "/dev/null"] },
        { ["traffic", "--requests", "many", "--concurrency", "few", "--token-file", "/dev/null", "--public"] },
        { ["plan", "--public=maybe", "--istio-version", "1.26", "--out", "/tmp/x"] },
        { ["cleanup", "--yes=perhaps"] },
        { ["rbac", "--team-sessions=sometimes"] },
    };

    [Theory]
    [MemberData(nameof(WrongKinds))]
    public async Task No_verb_names_a_dotnet_type_or_prints_a_stack_trace(string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(CommandLine.InvalidInput, run.ExitCode);
        Assert.NotEmpty(run.ErrorLines);
        Assert.All(run.ErrorLines, line =>
        {
            Assert.DoesNotContain("System.", line);
            Assert.DoesNotContain("expected type", line);
            Assert.False(line.StartsWith("at ", StringComparison.Ordinal), line);
        });
    }
}
