using System.Diagnostics;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>Runs the real bash: shell quoting and install.sh are only correct if bash agrees.</summary>
internal static class Bash
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutputAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bash {string.Join(' ', arguments)} did not finish in 30 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Task<string> StandardOutputAsync(this Process process) => process.StandardOutput.ReadToEndAsync();

    /// <summary><c>bash -n</c>: parses the script without running it.</summary>
    public static Result SyntaxCheck(string scriptPath) => Run(["-n", scriptPath]);

    public static string WriteTempScript(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshconsole-test-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, content);
        return path;
    }
}
