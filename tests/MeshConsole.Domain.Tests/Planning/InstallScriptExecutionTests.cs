using k8s;
using k8s.Models;
using MeshConsole.Domain.Planning;
using YamlDotNet.RepresentationModel;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// Runs install.sh for real with stand-in kubectl and istioctl that record what they were given: the script must
/// hand every object and every setting over exactly as planned.
/// </summary>
public sealed class InstallScriptExecutionTests : IDisposable
{
    private const string RecorderScript = """
        #!/usr/bin/env bash
        set -euo pipefail
        n=$(ls "$RECORD_DIR" | wc -l)
        call="$RECORD_DIR/$(printf '%03d' "$n")-$(basename "$0")"
        mkdir "$call"
        printf '%s\0' "$@" > "$call/args"
        env -0 > "$call/env"
        if [ "${1:-}" = apply ]; then cat > "$call/stdin"; fi
        previous=""
        for arg in "$@"; do
          if [ "$previous" = -f ] && [ -f "$arg" ]; then
            cp "$arg" "$call/file-$(basename "$arg")"
            printf '%s %s' "$(stat -c %a "$arg")" "$(stat -c %a "$(dirname "$arg")")" > "$call/mode-$(basename "$arg")"
          fi
          previous="$arg"
        done
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"meshconsole-install-{Guid.NewGuid():N}");
    private string Bin => Path.Combine(_root, "bin");
    private string Records => Path.Combine(_root, "records");

    public InstallScriptExecutionTests()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Records);
        foreach (var tool in new[] { "kubectl", "istioctl" })
        {
            var path = Path.Combine(Bin, tool);
            File.WriteAllText(path, RecorderScript.Replace("\r\n", "\n") + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed record Call(
        string Tool, IReadOnlyList<string> Args, IReadOnlyList<string> Environment, string? Stdin,
        IReadOnlyDictionary<string, string> Files, IReadOnlyDictionary<string, string> Modes);

    private List<Call> Run(Plan plan, string? baseOverlay = null)
    {
        var script = Path.Combine(_root, "install.sh");
        File.WriteAllText(script, PlanRenderer.InstallScript(plan));
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{Bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["RECORD_DIR"] = Records,
        };
        environment["ISTIO_BASE_OVERLAY"] = baseOverlay ?? ""; // never inherit one from the machine running the tests
        // Without a base overlay install.sh stops unless Istio's defaults are accepted (IstioDefaultsGuardTests).
        environment["ACCEPT_ISTIO_DEFAULTS"] = baseOverlay is null ? "yes" : "";

        var result = Bash.Run([script], environment, _root);

        Assert.True(result.ExitCode == 0, $"install.sh failed ({result.ExitCode}):\n{result.StandardError}");
        return Directory.EnumerateDirectories(Records).Order(StringComparer.Ordinal).Select(dir => new Call(
            Path.GetFileName(dir)[4..],
            File.ReadAllText(Path.Combine(dir, "args")).Split('\0')[..^1],
            File.ReadAllText(Path.Combine(dir, "env")).Split('\0')[..^1],
            File.Exists(Path.Combine(dir, "stdin")) ? File.ReadAllText(Path.Combine(dir, "stdin")) : null,
            Directory.EnumerateFiles(dir, "file-*").ToDictionary(f => Path.GetFileName(f)[5..], File.ReadAllText),
            Directory.EnumerateFiles(dir, "mode-*").ToDictionary(f => Path.GetFileName(f)[5..], f => File.ReadAllText(f).Trim()))).ToList();
    }

    public static TheoryData<string> CaseNames => PlanGoldenTests.CaseNames;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Kubectl_receives_every_kubectl_object_in_plan_order(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);

        var calls = Run(plan);

        var kubectl = calls.Where(c => c.Tool == "kubectl" && c.Args[0] == "apply").ToList();
        Assert.All(kubectl, c => Assert.Equal(["apply", "--server-side", "--field-manager=lightstep-console", "-f", "-"], c.Args));
        var applied = KubernetesYaml.LoadAllFromString(string.Join("---\n", kubectl.Select(c => c.Stdin)), IstioResource.YamlTypeMap)
            .Cast<IKubernetesObject<V1ObjectMeta>>();
        var expected = plan.Objects.Where(o => o.AppliedWith == ApplyTool.Kubectl).Select(o => o.Resource);
        Assert.Equal(PlanRenderer.Yaml(expected), PlanRenderer.Yaml(applied));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Istioctl_runs_once_after_the_kubectl_objects(string name)
    {
        var calls = Run(PlanBuilder.Build(PlanGoldenTests.Cases[name]));

        Assert.Equal("istioctl", calls[^1].Tool);
        Assert.Single(calls, c => c.Tool == "istioctl");
    }

    public static TheoryData<string, bool> TokenCases => new()
    {
        // version, secure: every form and route, with and without TLS
        { "1.5", true }, { "1.5", false }, { "1.7", true }, { "1.9", false }, { "1.14", true }, { "1.14", false },
        { "1.16.1", true }, { "1.20", true }, { "1.26", false }, { "1.28", true }, { "1.28", false },
    };

    /// <summary>
    /// Any local user sees a command line in `ps` and /proc: the token must reach istioctl only inside the overlay file,
    /// which is private (0600 in a 0700 directory), and kubectl only on stdin; never in argv or the environment.
    /// </summary>
    [Theory]
    [MemberData(nameof(TokenCases))]
    public void The_token_is_in_no_command_line_and_no_environment(string version, bool secure)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "lightstep-satellite.lightstep:9292", secure));
        var base64Token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Token));

        var calls = Run(plan);

        Assert.NotEmpty(calls);
        Assert.All(calls, c =>
        {
            Assert.DoesNotContain(c.Args, a => a.Contains(Token, StringComparison.Ordinal) || a.Contains(base64Token, StringComparison.Ordinal));
            Assert.DoesNotContain(c.Environment, e => e.Contains(Token, StringComparison.Ordinal) || e.Contains(base64Token, StringComparison.Ordinal));
        });
        var istioctl = Assert.Single(calls, c => c.Tool == "istioctl");
        Assert.Equal("600 700", istioctl.Modes["lightstep-tracing.yaml"]);
        var tokenCarrier = plan.Route == SpanRoute.Collector
            ? calls.Single(c => c.Stdin?.Contains(base64Token, StringComparison.Ordinal) == true).Tool
            : istioctl.Files["lightstep-tracing.yaml"].Contains(Token, StringComparison.Ordinal) ? "istioctl" : null;
        Assert.Equal(plan.Route == SpanRoute.Collector ? "kubectl" : "istioctl", tokenCarrier);
        // The private directory is gone when the script ends.
        Assert.False(Directory.Exists(Path.GetDirectoryName(istioctl.Args[istioctl.Args.ToList().LastIndexOf("-f") + 1])));
    }

    /// <summary>TLS with a CA: the gateway mount reaches istioctl in the overlay file with everything else.</summary>
    [Theory]
    [InlineData("1.5")]
    [InlineData("1.8.0")]
    [InlineData("1.9")]
    [InlineData("1.14")]
    public void Gateway_ca_mount_reaches_istioctl_in_the_overlay_file_with_the_real_token(string version)
    {
        var plan = PlanBuilder.Build(OnPrem(version, "lightstep-satellite.lightstep:9292") with { SamplingPercent = 25.5m });

        var calls = Run(plan);

        var istioctl = Assert.Single(calls, c => c.Tool == "istioctl");
        var verb = IstioVersion.Parse(version) < IstioFormChoice.FirstWithIstioctlInstall ? new[] { "manifest", "apply" } : ["install"];
        Assert.Equal(verb.Length + 2, istioctl.Args.Count);
        Assert.Equal([.. verb, "-f"], istioctl.Args.Take(verb.Length + 1));
        Assert.EndsWith("/lightstep-tracing.yaml", istioctl.Args[^1]);
        Assert.DoesNotContain(istioctl.Args, a => a.StartsWith("--set", StringComparison.Ordinal));
        var file = Assert.Single(istioctl.Files);
        Assert.Equal("lightstep-tracing.yaml", file.Key);
        Assert.Equal(PlanRenderer.Yaml([plan.Overlay()]), file.Value);
        Assert.Contains($"accessToken: {Token}\n", file.Value);
        Assert.Contains("secretName: lightstep.cacert\n", file.Value);
        // The gateway's Secret is applied in istio-system before istioctl restarts the gateway.
        var gatewaySecret = Assert.Single(calls.Where(c => c.Tool == "kubectl"), c => c.Stdin?.Contains("namespace: istio-system\n", StringComparison.Ordinal) == true);
        Assert.True(calls.IndexOf(gatewaySecret) < calls.IndexOf(istioctl));
    }

    [Theory]
    [InlineData("1.20")]
    [InlineData("1.28")]
    public void Overlay_file_given_to_istioctl_is_the_planned_overlay(string version)
    {
        var plan = PlanBuilder.Build(Public(version));

        var istioctl = Assert.Single(Run(plan), c => c.Tool == "istioctl");

        Assert.Equal("install", istioctl.Args[0]);
        Assert.Equal("-f", istioctl.Args[1]);
        Assert.Equal(2, istioctl.Args.Count - 1);
        var file = Assert.Single(istioctl.Files);
        Assert.Equal("lightstep-tracing.yaml", file.Key);
        Assert.Equal(PlanRenderer.Yaml([plan.Overlay()]), file.Value);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.14")]
    [InlineData("1.28")]
    public void Base_overlay_path_with_spaces_is_passed_first_as_one_argument(string version)
    {
        const string baseOverlay = "/tmp/my istio/base overlay.yaml";

        var istioctl = Assert.Single(Run(PlanBuilder.Build(Public(version)), baseOverlay), c => c.Tool == "istioctl");

        var at = istioctl.Args.ToList().IndexOf("-f");
        Assert.Equal(baseOverlay, istioctl.Args[at + 1]);
        Assert.DoesNotContain(istioctl.Args.Take(at), a => a.StartsWith("--", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.5", true)]
    [InlineData("1.9", false)]
    [InlineData("1.14", true)]
    [InlineData("1.28", true)]
    public void Without_a_base_overlay_only_the_planned_overlay_file_is_passed(string version, bool secure)
    {
        var istioctl = Assert.Single(Run(PlanBuilder.Build(Public(version) with { Secure = secure })), c => c.Tool == "istioctl");

        Assert.Equal(1, istioctl.Args.Count(a => a == "-f"));
        Assert.EndsWith("/lightstep-tracing.yaml", istioctl.Args[istioctl.Args.ToList().IndexOf("-f") + 1]);
        Assert.Equal("lightstep-tracing.yaml", Assert.Single(istioctl.Files).Key);
        Assert.DoesNotContain("", istioctl.Args);
    }

    /// <summary>Tokens may contain characters the shell or YAML treat specially; istioctl must still get the token.</summary>
    [Theory]
    [InlineData("lsTOKEN'0123456789abcdef", "1.5", true)]
    [InlineData("lsTOKEN$HOME`id`0123456789", "1.9", false)]
    [InlineData("lsTOKEN$HOME`id`0123456789", "1.9", true)]
    [InlineData("lsTOKEN\"\\0123456789", "1.14", false)]
    [InlineData("lsTOKEN\"\\0123456789", "1.14", true)]
    [InlineData("lsTOKEN'$(id)0123456789", "1.20", true)]
    [InlineData("&lsTOKEN'\"0123456789", "1.28", true)]
    public void Tokens_with_shell_and_yaml_metacharacters_reach_istioctl_intact(string token, string version, bool secure)
    {
        var plan = PlanBuilder.Build(Public(version) with { AccessToken = token, Secure = secure, Route = SpanRoute.Direct });

        var istioctl = Assert.Single(Run(plan), c => c.Tool == "istioctl");

        var document = Assert.Single(PlanGoldenTests.ParseYaml(istioctl.Files.Single().Value));
        var scalars = document.AllNodes.OfType<YamlScalarNode>().Select(n => n.Value).ToList();
        Assert.Contains(token, scalars);
    }
}
