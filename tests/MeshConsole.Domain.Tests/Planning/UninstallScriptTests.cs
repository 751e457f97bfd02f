using MeshConsole.Domain.Planning;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// Runs install.sh and then uninstall.sh for real against a stand-in cluster: a kubectl that keeps each applied object
/// as a file (apply, get and delete by kind, namespace and name, a Namespace's deletion taking its objects with it) and an
/// istioctl that records its arguments. What the bundle created must be gone afterwards, what existed before must stay,
/// and neither script may change anything when it refuses to start.
/// </summary>
public sealed class UninstallScriptTests : IDisposable
{
    private const string KubectlStandIn = """
        #!/usr/bin/env python3
        import os, re, sys
        cluster, calls = os.environ["CLUSTER_DIR"], os.environ["CALLS_FILE"]
        args = sys.argv[1:]
        with open(calls, "a") as f:
            f.write("kubectl " + " ".join(args) + "\n")

        def identity(document):
            kind = re.search(r"^kind: (.+)$", document, re.M).group(1)
            lines = document.split("\n")
            start = lines.index("metadata:")
            name, namespace = None, "_"
            for line in lines[start + 1:]:
                if not line.startswith("  "):
                    break
                if line.startswith("  name: "):
                    name = line[len("  name: "):]
                if line.startswith("  namespace: "):
                    namespace = line[len("  namespace: "):]
            return f"{kind}.{namespace}.{name}", kind, name

        documents = [d for d in re.split(r"^---\n", sys.stdin.read(), flags=re.M) if d.strip()]
        for document in documents:
            key, kind, name = identity(document)
            path = os.path.join(cluster, key)
            if args[0] == "apply":
                with open(path, "w") as f:
                    f.write(document)
            elif args[0] == "get":
                if os.path.exists(path):
                    sys.stdout.write(open(path).read())
            elif args[0] == "delete":
                if os.path.exists(path):
                    os.remove(path)
                if kind == "Namespace":
                    for other in os.listdir(cluster):
                        if other.split(".")[1] == name:
                            os.remove(os.path.join(cluster, other))
            else:
                sys.exit("unexpected kubectl verb " + args[0])
        """;

    private const string IstioctlStandIn = """
        #!/usr/bin/env bash
        set -euo pipefail
        printf 'istioctl %s\n' "$*" >> "$CALLS_FILE"
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"meshconsole-uninstall-{Guid.NewGuid():N}");
    private string Bin => Path.Combine(_root, "bin");
    private string Cluster => Path.Combine(_root, "cluster");
    private string Bundle => Path.Combine(_root, "bundle");
    private string CallsFile => Path.Combine(_root, "calls");

    public UninstallScriptTests()
    {
        foreach (var directory in new[] { Bin, Cluster, Bundle }) Directory.CreateDirectory(directory);
        File.WriteAllText(CallsFile, "");
        WriteExecutable(Path.Combine(Bin, "kubectl"), KubectlStandIn);
        WriteExecutable(Path.Combine(Bin, "istioctl"), IstioctlStandIn);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void WriteExecutable(string path, string content)
    {
        File.WriteAllText(path, content.Replace("\r\n", "\n") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void WriteBundle(Plan plan)
    {
        WriteExecutable(Path.Combine(Bundle, PlanRenderer.InstallScriptFile), PlanRenderer.InstallScript(plan));
        WriteExecutable(Path.Combine(Bundle, PlanRenderer.UninstallScriptFile), PlanRenderer.UninstallScript(plan));
    }

    private Bash.Result Run(string script, string? baseOverlay = null, string? acceptDefaults = "yes") =>
        Bash.Run([Path.Combine(Bundle, script)], new Dictionary<string, string>
        {
            ["PATH"] = $"{Bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["CLUSTER_DIR"] = Cluster,
            ["CALLS_FILE"] = CallsFile,
            ["ISTIO_BASE_OVERLAY"] = baseOverlay ?? "",
            ["ACCEPT_ISTIO_DEFAULTS"] = acceptDefaults ?? "",
            ["LIGHTSTEP_INSTALL_RECORD"] = "",
        }, _root);

    private Dictionary<string, string> ClusterState() =>
        Directory.EnumerateFiles(Cluster).ToDictionary(Path.GetFileName, File.ReadAllText)!;

    private string[] Calls() => File.ReadAllLines(CallsFile);

    private static string Key(PlannedObject o) => $"{o.Kind}.{o.Namespace ?? "_"}.{o.Name}";

    public static TheoryData<string> CaseNames => PlanGoldenTests.CaseNames;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Uninstall_removes_what_install_created_and_installs_istio_again_without_the_bundles_settings(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);
        WriteBundle(plan);
        // One unrelated object the cluster already holds, in its namespace default: neither script may touch either.
        File.WriteAllText(Path.Combine(Cluster, "Namespace._.default"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n");
        File.WriteAllText(Path.Combine(Cluster, "ConfigMap.default.team-settings"), "apiVersion: v1\nkind: ConfigMap\n");
        var before = ClusterState();

        var install = Run(PlanRenderer.InstallScriptFile);
        Assert.True(install.ExitCode == 0, install.StandardError);
        var applied = plan.Objects.Where(o => o.AppliedWith == ApplyTool.Kubectl).ToList();
        Assert.All(applied, o => Assert.Contains(Key(o), ClusterState().Keys));

        var uninstall = Run(PlanRenderer.UninstallScriptFile);

        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError);
        Assert.Equal(before, ClusterState());
        var istioctl = Calls().Where(c => c.StartsWith("istioctl", StringComparison.Ordinal)).ToList();
        var verb = plan.FormChoice.Version < IstioFormChoice.FirstWithIstioctlInstall ? "istioctl manifest apply" : "istioctl install";
        Assert.Equal(2, istioctl.Count);
        Assert.StartsWith($"{verb} -f ", istioctl[0]);
        Assert.Equal(verb, istioctl[1]);
        // The cluster is changed only by deletes after the istioctl step: nothing is applied on the way back.
        Assert.DoesNotContain(Calls().SkipWhile(c => c != istioctl[1]), c => c.StartsWith("kubectl apply", StringComparison.Ordinal));
    }

    [Fact]
    public void A_chosen_namespace_install_created_is_deleted_by_uninstall_and_an_existing_one_is_kept()
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases["istio-1.9-onprem-ca-two-namespaces"]);
        var namespaces = plan.Objects.Where(o => o.Role == PlannedObjectRole.WorkloadNamespace).Select(o => o.Name).ToList();
        Assert.Equal(2, namespaces.Count);
        WriteBundle(plan);
        var existing = $"Namespace._.{namespaces[0]}";
        File.WriteAllText(Path.Combine(Cluster, existing), $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespaces[0]}\n");

        Assert.Equal(0, Run(PlanRenderer.InstallScriptFile).ExitCode);
        Assert.Contains($"Namespace._.{namespaces[1]}", ClusterState().Keys);
        Assert.Contains($"Secret.{namespaces[1]}.lightstep.cacert", ClusterState().Keys);
        var uninstall = Run(PlanRenderer.UninstallScriptFile);

        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError);
        Assert.Equal([existing], ClusterState().Keys);
    }

    [Theory]
    [InlineData("istio-1.9-onprem-ca-two-namespaces")]
    [InlineData("istio-1.28-onprem-ca-collector")]
    [InlineData("istio-1.22-public-direct")]
    public void An_object_that_existed_before_install_is_kept_and_its_earlier_version_named(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);
        WriteBundle(plan);
        var existing = plan.Objects.Last(o => o.AppliedWith == ApplyTool.Kubectl && o.Kind != "Namespace");
        const string earlier = "apiVersion: v1\nkind: Earlier\nmetadata:\n  name: the-teams-own\n";
        File.WriteAllText(Path.Combine(Cluster, Key(existing)), earlier);

        Assert.Equal(0, Run(PlanRenderer.InstallScriptFile).ExitCode);
        var uninstall = Run(PlanRenderer.UninstallScriptFile);

        Assert.Equal(0, uninstall.ExitCode);
        Assert.Equal([Key(existing)], ClusterState().Keys);
        var recordFile = Directory.EnumerateFiles(Path.Combine(Bundle, InstallCommands.RecordDirectory)).Single(f => new FileInfo(f).Length > 0);
        Assert.Equal(earlier, File.ReadAllText(recordFile));
        Assert.Contains($"Uninstall.KeptExisting({existing.DisplayName})", uninstall.StandardError);
        Assert.Contains(recordFile, uninstall.StandardError);
    }

    [Fact]
    public void A_second_install_keeps_the_first_record_so_uninstall_still_removes_everything_it_created()
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases["istio-1.28-onprem-ca-collector"]);
        WriteBundle(plan);

        Assert.Equal(0, Run(PlanRenderer.InstallScriptFile).ExitCode);
        Assert.Equal(0, Run(PlanRenderer.InstallScriptFile).ExitCode);
        Assert.Equal(0, Run(PlanRenderer.UninstallScriptFile).ExitCode);

        Assert.Empty(ClusterState());
    }

    [Fact]
    public void Uninstall_without_installs_record_stops_before_changing_anything()
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases["istio-1.22-public-direct"]);
        WriteBundle(plan);
        File.WriteAllText(Path.Combine(Cluster, Key(plan.Objects.Last(o => o.AppliedWith == ApplyTool.Kubectl))), "kind: Telemetry\n");

        var uninstall = Run(PlanRenderer.UninstallScriptFile);

        Assert.Equal(InstallCommands.RefusedExitCode, uninstall.ExitCode);
        Assert.Contains("Uninstall.NoRecord(install.sh, LIGHTSTEP_INSTALL_RECORD)", uninstall.StandardError);
        Assert.Empty(Calls());
        Assert.Single(ClusterState());
    }

    [Theory]
    [InlineData("istio-1.5-public-ca")]
    [InlineData("istio-1.14-onprem-secure-ca-sampling-25.5")]
    [InlineData("istio-1.28-public-skip-ca-collector")]
    public void Without_a_base_overlay_or_accepted_defaults_both_scripts_stop_before_changing_anything(string name)
    {
        WriteBundle(PlanBuilder.Build(PlanGoldenTests.Cases[name]));

        foreach (var acceptDefaults in new[] { null, "no", "YES " })
        {
            var install = Run(PlanRenderer.InstallScriptFile, acceptDefaults: acceptDefaults);
            var uninstall = Run(PlanRenderer.UninstallScriptFile, acceptDefaults: acceptDefaults);

            Assert.Equal(InstallCommands.RefusedExitCode, install.ExitCode);
            Assert.Equal(InstallCommands.RefusedExitCode, uninstall.ExitCode);
            Assert.Contains("Script.IstioDefaultsRefused(install.sh, ISTIO_BASE_OVERLAY, ACCEPT_ISTIO_DEFAULTS)", install.StandardError);
            Assert.Contains("Script.IstioDefaultsRefused(uninstall.sh, ISTIO_BASE_OVERLAY, ACCEPT_ISTIO_DEFAULTS)", uninstall.StandardError);
        }
        Assert.Empty(Calls());
        Assert.Empty(ClusterState());
        Assert.False(Directory.Exists(Path.Combine(Bundle, InstallCommands.RecordDirectory)));
    }

    [Fact]
    public void A_base_overlay_alone_lets_both_scripts_run_and_reaches_istioctl_both_times()
    {
        WriteBundle(PlanBuilder.Build(PlanGoldenTests.Cases["istio-1.26-onprem-external-host-direct"]));
        const string baseOverlay = "/etc/istio/base overlay.yaml";

        Assert.Equal(0, Run(PlanRenderer.InstallScriptFile, baseOverlay, acceptDefaults: null).ExitCode);
        Assert.Equal(0, Run(PlanRenderer.UninstallScriptFile, baseOverlay, acceptDefaults: null).ExitCode);

        var istioctl = Calls().Where(c => c.StartsWith("istioctl", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, istioctl.Count);
        Assert.StartsWith($"istioctl install -f {baseOverlay} -f ", istioctl[0]);
        Assert.Equal($"istioctl install -f {baseOverlay}", istioctl[1]);
        Assert.Empty(ClusterState());
    }

    /// <summary>A participant's namespace plan runs no istioctl: nothing to accept, and its undo is the deletes alone.</summary>
    [Fact]
    public void A_plan_without_istioctl_needs_no_istio_variable_and_its_uninstall_deletes_the_namespace()
    {
        var plan = PlanBuilder.BuildParticipantNamespace("team-ana", "s1", CaPem, IstioVersion.Parse("1.28"));
        WriteBundle(plan);

        Assert.Equal(0, Run(PlanRenderer.InstallScriptFile, acceptDefaults: null).ExitCode);
        Assert.Equal(2, ClusterState().Count);
        Assert.Equal(0, Run(PlanRenderer.UninstallScriptFile, acceptDefaults: null).ExitCode);

        Assert.Empty(ClusterState());
        Assert.DoesNotContain(Calls(), c => c.StartsWith("istioctl", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Uninstall_script_holds_no_secret(string name)
    {
        var plan = PlanBuilder.Build(PlanGoldenTests.Cases[name]);

        var script = PlanRenderer.UninstallScript(plan);

        Assert.All(plan.SensitiveValues, secret => Assert.DoesNotContain(secret, script, StringComparison.Ordinal));
        Assert.DoesNotContain(CaPemBody[..40], script, StringComparison.Ordinal);
        Assert.DoesNotContain(CaPemBase64[..40], script, StringComparison.Ordinal);
    }
}
