using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TrafficBenchmark;

/// <summary>What one wrk run reported.</summary>
public sealed record WrkResult(long Requests, double Seconds, double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx, long SocketErrors, string RawOutput);

/// <summary>Runs wrk (github.com/wg/wrk, Debian package "wrk") and reads its --latency report.</summary>
public static partial class Wrk
{
    /// <summary>--wrk, else $WRK, else wrk on PATH; null when none exists.</summary>
    public static string? Resolve(string? argument)
    {
        foreach (var candidate in new[] { argument, Environment.GetEnvironmentVariable("WRK") })
            if (!string.IsNullOrEmpty(candidate)) return File.Exists(candidate) ? candidate : null;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, "wrk");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    public static async Task<string> VersionAsync(string wrk)
    {
        var (output, _) = await RunAsync(wrk, ["--version"]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "unknown";
    }

    /// <summary>wrk -t{threads} -c{connections} -d{seconds}s --latency {url}.</summary>
    public static async Task<WrkResult> RunAsync(string wrk, Uri url, int connections, int threads, int seconds)
    {
        var (output, exitCode) = await RunAsync(wrk, [$"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--latency", url.ToString()]);
        if (exitCode != 0) throw new InvalidOperationException($"wrk exited with {exitCode}:\n{output}");
        return Parse(output);
    }

    /// <summary>
    /// wrk's report (src/wrk.c print_stats_latency / main): "  50%  1.23ms" lines under "Latency Distribution",
    /// "  12345 requests in 10.00s, …", "Requests/sec:  1234.56", "  Non-2xx or 3xx responses: N",
    /// "  Socket errors: connect N, read N, write N, timeout N".
    /// </summary>
    public static WrkResult Parse(string output)
    {
        var requests = RequestsLine().Match(output);
        var rps = RequestsPerSecondLine().Match(output);
        if (!requests.Success || !rps.Success) throw new FormatException("Unexpected wrk output:\n" + output);
        var non2xx = Non2xxLine().Match(output);
        var socket = SocketErrorsLine().Match(output);
        long socketErrors = 0;
        if (socket.Success)
            for (var g = 1; g <= 4; g++) socketErrors += long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture);
        return new WrkResult(
            long.Parse(requests.Groups["n"].Value, CultureInfo.InvariantCulture),
            Duration(requests.Groups["d"].Value),
            double.Parse(rps.Groups["v"].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50"),
            Percentile(output, "99"),
            non2xx.Success ? long.Parse(non2xx.Groups["n"].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors,
            output);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, @"^\s*" + percent + @"(?:\.0+)?%\s+(?<v>[\d.]+)(?<u>us|ms|s|m)\s*$", RegexOptions.Multiline);
        if (!match.Success) throw new FormatException($"No {percent}% latency in wrk output (was --latency given?).");
        return Milliseconds(double.Parse(match.Groups["v"].Value, CultureInfo.InvariantCulture), match.Groups["u"].Value);
    }

    private static double Duration(string text)
    {
        var match = Regex.Match(text, @"^(?<v>[\d.]+)(?<u>us|ms|s|m)$");
        return Milliseconds(double.Parse(match.Groups["v"].Value, CultureInfo.InvariantCulture), match.Groups["u"].Value) / 1000;
    }

    private static double Milliseconds(double value, string unit) => unit switch
    {
        "us" => value / 1000,
        "ms" => value,
        "s" => value * 1000,
        "m" => value * 60_000,
        _ => throw new FormatException("Unknown wrk time unit " + unit),
    };

    private static async Task<(string Output, int ExitCode)> RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await stdout + await stderr, process.ExitCode);
    }

    [GeneratedRegex(@"^\s*(?<n>\d+) requests in (?<d>[\d.]+(?:us|ms|s|m)),", RegexOptions.Multiline)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"^Requests/sec:\s+(?<v>[\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(?<n>\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}
