using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using WebConsole.Features.Access;

namespace WebConsole.Tests.Access;

public sealed class BindingRulesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://127.0.0.2:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://LOCALHOST:5000/", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("https://127.0.0.1", true)]
    [InlineData("http://unix:/run/console.sock", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://192.168.1.20:5000", false)]
    [InlineData("http://10.0.0.5", false)]
    [InlineData("http://console.internal:5000", false)]
    [InlineData("http://localhost.evil.example:5000", false)]
    public void Loopback_is_only_127_0_0_0_8_ipv6_loopback_and_localhost(string url, bool loopback) =>
        Assert.Equal(loopback, BindingRules.IsLoopback(url));

    [Theory]
    [InlineData("urls", "http://127.0.0.1:5000;http://[::1]:5000", null)]
    [InlineData("urls", "http://127.0.0.1:5000;http://0.0.0.0:5001", "http://0.0.0.0:5001")]
    [InlineData("http_ports", "8080", "http://*:8080")]
    [InlineData("Kestrel:Endpoints:Web:Url", "http://+:80", "http://+:80")]
    public void Configured_urls_beyond_loopback_refuse_to_start_without_sign_in(string key, string value, string? exposed)
    {
        var configuration = Configuration((key, value));

        var refusal = BindingRules.Check(BindingRules.ConfiguredUrls(configuration), AccessMode.None);

        if (exposed is null)
        {
            Assert.Null(refusal);
            return;
        }
        Assert.NotNull(refusal);
        Assert.Contains(exposed, refusal);
        Assert.Contains("Console__Access__Mode=AccessKey", refusal);
        Assert.Contains("Console__Access__Mode=OpenIdConnect", refusal);
        Assert.DoesNotContain('\n', refusal);
        Assert.Null(BindingRules.Check(BindingRules.ConfiguredUrls(configuration), AccessMode.AccessKey));
        Assert.Null(BindingRules.Check(BindingRules.ConfiguredUrls(configuration), AccessMode.OpenIdConnect));
    }

    [Fact]
    public void Kestrel_endpoints_replace_urls_and_no_configuration_means_localhost()
    {
        Assert.Equal(["http://0.0.0.0:80"], BindingRules.ConfiguredUrls(Configuration(("urls", "http://127.0.0.1:5000"), ("Kestrel:Endpoints:A:Url", "http://0.0.0.0:80"))));
        Assert.Equal(["http://localhost:5000"], BindingRules.ConfiguredUrls(Configuration()));
    }

    /// <summary>The real program, as an operator starts it: exit 1, one line on stderr saying how to turn sign-in on, never listening.</summary>
    [Theory]
    [InlineData("--urls", "http://0.0.0.0:0")]
    [InlineData("--urls", "http://[::]:0")]
    public async Task The_program_refuses_to_listen_beyond_loopback_without_sign_in(string option, string value)
    {
        var run = await RunProgramAsync([option, value], []);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Refusing to start:", line);
        Assert.Contains(value, line);
        Assert.Contains("Console__Access__Mode=AccessKey", line);
        Assert.DoesNotContain("Now listening", run.Stdout);
    }

    [Fact]
    public async Task The_program_refuses_a_container_style_port_setting_without_sign_in()
    {
        var run = await RunProgramAsync(["--urls", ""], new() { ["ASPNETCORE_HTTP_PORTS"] = "0" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("http://*:0", run.Stderr);
    }

    [Fact]
    public async Task Invalid_access_settings_refuse_to_start_naming_the_setting()
    {
        var run = await RunProgramAsync(["--urls", "http://127.0.0.1:0"], new() { ["Console__Access__Mode"] = "Passwords" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Console:Access:Mode is 'Passwords'", run.Stderr);
    }

    /// <summary>
    /// Listen options set in code never show in configuration: the addresses Kestrel really bound are checked right
    /// after it starts, and a 0.0.0.0 binding without sign-in stops the host. (The program itself sets none; this is
    /// the backstop behind the configuration check.)
    /// </summary>
    [Fact]
    public void An_actual_bind_to_0_0_0_0_without_sign_in_stops_the_host()
    {
        using var factory = new ConsoleAppFactory(new Dictionary<string, string?>(), listenOnAnyAddress: true);

        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        // Program turns the refusal into one line on stderr and exit code 1; the host has logged it as a failed start.
        Assert.NotNull(error);
        var failed = Assert.Single(factory.Logs.Events, e => e.Exception?.StartsWith(typeof(StartupRefusedException).FullName!, StringComparison.Ordinal) == true);
        Assert.Contains("http://0.0.0.0:", failed.Exception);
        Assert.Contains("Console__Access__Mode=AccessKey", failed.Exception);
    }

    [Fact]
    public async Task An_actual_bind_to_0_0_0_0_with_an_access_key_starts_and_refuses_anonymous_requests()
    {
        using var factory = new ConsoleAppFactory(ConsoleAppFactory.AccessKeyMode("bind-test-key-0123456789"), listenOnAnyAddress: true);
        using var client = factory.NewClient();

        var page = await client.SendAsync(Html.Navigation(HttpMethod.Get, "/"));
        var negotiate = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, negotiate.StatusCode);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    internal sealed record ProgramRun(int ExitCode, string Stdout, string Stderr);

    /// <summary>
    /// Runs WebConsole.dll (copied next to the tests) as a process. When <paramref name="readyWhen"/> holds for its
    /// stdout so far, <paramref name="whileRunning"/> gets that stdout, then the process is stopped.
    /// </summary>
    internal static async Task<ProgramRun> RunProgramAsync(string[] args, Dictionary<string, string> environment,
        Func<string, bool>? readyWhen = null, Func<string, Task>? whileRunning = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WebConsole.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Console__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                                                               || k.StartsWith("OTEL_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "mesh-console-tests-no-such-dir", "kubeconfig");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            string soFar;
            lock (stdout) soFar = stdout.AppendLine(e.Data).ToString();
            if (readyWhen is not null && !ready.Task.IsCompleted && readyWhen(soFar)) ready.TrySetResult(soFar);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var finished = await Task.WhenAny(exited, ready.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != exited)
        {
            try
            {
                if (finished == ready.Task && whileRunning is not null) await whileRunning(ready.Task.Result);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            if (finished != ready.Task)
                Assert.Fail("The console neither exited nor printed what was expected within 60 s. stdout: " + stdout + " stderr: " + stderr);
        }
        process.WaitForExit(); // flushes the redirected streams
        lock (stdout) lock (stderr) return new ProgramRun(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
