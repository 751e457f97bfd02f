using System.Diagnostics;
using System.Text.RegularExpressions;
using WebConsole.Features.Health;
using Xunit.Sdk;
using YamlDotNet.RepresentationModel;

namespace WebConsole.Tests.Packaging;

/// <summary>
/// docker-compose.yml as Compose reads it (no container engine runs here, but `config` needs none) and the
/// promises the README makes about it.
/// </summary>
public partial class ComposeFileTests
{
    private const string ComposeFile = "docker-compose.yml";

    private sealed record ComposeTool(string Name, string Executable, string[] Prefix);

    [Fact]
    public async Task Every_installed_compose_implementation_accepts_the_file()
    {
        var tools = await InstalledComposeToolsAsync();
        if (tools.Count == 0)
            throw new XunitException(
                "Neither `docker compose` (v2) nor `docker-compose` is installed, so docker-compose.yml cannot be validated. " +
                "Install Debian's package: sudo apt-get update && sudo apt-get install -y docker-compose (./test.sh does this).");

        foreach (var tool in tools)
        {
            var (exitCode, output) = await RunAsync(tool.Executable, [.. tool.Prefix, "-f", Repository.PathOf(ComposeFile), "config", "-q"]);
            Assert.True(exitCode == 0, $"`{tool.Name} config` rejected {ComposeFile} (exit {exitCode}):\n{output}");
        }
    }

    [Fact]
    public void Published_ports_bind_loopback_only()
    {
        var ports = Services().SelectMany(s => Sequence(s.Value, "ports").Select(p => (Service: s.Key, Port: p))).ToList();

        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.True(p.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{p.Service} publishes {p.Port} beyond loopback"));
        Assert.Contains(ports, p => p is { Service: "console", Port: "127.0.0.1:5000:8080" });
    }

    [Fact]
    public void Every_pulled_image_is_pinned_to_a_version()
    {
        foreach (var (name, service) in Services().Where(s => Scalar(s.Value, "build") is null))
        {
            var image = Scalar(service, "image") ?? throw new XunitException($"{name} has neither image nor build");
            Assert.Matches(PinnedTag(), image);
        }
    }

    [Fact]
    public void The_console_starts_after_istio_is_installed_with_the_kubeconfig_that_job_writes()
    {
        var services = Services();
        var console = services["console"];
        var install = services["istio-install"];

        Assert.Equal("service_completed_successfully", Scalar(Mapping(Mapping(console, "depends_on"), "istio-install"), "condition"));
        Assert.Equal("service_healthy", Scalar(Mapping(Mapping(install, "depends_on"), "k3s"), "condition"));
        Assert.Equal("true", Scalar(services["k3s"], "privileged"));

        // The job writes /output/kubeconfig-compose.yaml into volume "kubeconfig"; the console mounts that volume at /kube.
        var installScript = string.Join("\n", Sequence(install, "command"));
        Assert.Contains("> /output/kubeconfig-compose.yaml", installScript);
        Assert.Contains("kubeconfig:/output", Sequence(install, "volumes"));
        Assert.Contains("kubeconfig:/kube:ro", Sequence(console, "volumes"));
        var environment = Mapping(console, "environment");
        Assert.Equal("/kube/kubeconfig-compose.yaml", Scalar(environment, "KUBECONFIG"));
        Assert.Equal("AccessKey", Scalar(environment, "Console__Access__Mode"));
    }

    [Fact]
    public void The_image_listens_where_compose_and_the_health_check_expect_it()
    {
        var dockerfile = Repository.Read("Dockerfile");

        Assert.Contains("EXPOSE 8080", dockerfile);
        Assert.Contains("ENV URLS=http://+:8080", dockerfile);
        Assert.Contains($"http://127.0.0.1:8080{HealthEndpoints.LivenessPath}", dockerfile);
        Assert.Contains("USER $APP_UID", dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-alpine AS runtime$", dockerfile);
    }

    private static Dictionary<string, YamlMappingNode> Services()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Repository.Read(ComposeFile)));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        return Mapping(root, "services").Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value);
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode mapping
            ? mapping
            : throw new XunitException($"{ComposeFile}: no mapping \"{key}\"");

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    private static IReadOnlyList<string> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence.Children.Select(c => ((YamlScalarNode)c).Value!).ToList()
            : [];

    [GeneratedRegex(@"^[a-z0-9./-]+:v?\d+\.\d+\.\d+[A-Za-z0-9.+-]*$")]
    private static partial Regex PinnedTag();

    private static async Task<List<ComposeTool>> InstalledComposeToolsAsync()
    {
        var tools = new List<ComposeTool>();
        if (OnPath("docker") is { } docker && (await RunAsync(docker, ["compose", "version"])).ExitCode == 0)
            tools.Add(new ComposeTool("docker compose", docker, ["compose"]));
        if (OnPath("docker-compose") is { } legacy)
            tools.Add(new ComposeTool("docker-compose", legacy, []));
        return tools;
    }

    private static string? OnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new XunitException($"{executable} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output) + (await error));
    }
}
