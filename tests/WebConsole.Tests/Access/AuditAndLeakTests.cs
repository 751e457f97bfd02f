using System.Text;
using KubeEmulator;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WebConsole.Cli;
using WebConsole.Features.Access;
using WebConsole.Features.Cluster;
using WebConsole.Drafts;
using WebConsole.Tests.Cluster;
using WebConsole.Tests.Support;
using WebConsole.Features.Apply;

namespace WebConsole.Tests.Access;

public sealed class AuditLogTests
{
    [Fact]
    public void An_entry_is_one_structured_event_in_the_audit_category_with_every_field()
    {
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var when = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        new AuditLog(loggers).Record(new AuditEntry("alice", when, "prod-eu", "ConfigMap", "istio-system", "istio", AuditVerb.DryRun, "would-change"));

        var entry = Assert.Single(logs.Events);
        Assert.Equal(AuditLog.Category, entry.Category);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("dry-run", entry.Values["Verb"]);
        Assert.Equal("ConfigMap", entry.Values["Kind"]);
        Assert.Equal("istio-system", entry.Values["Namespace"]);
        Assert.Equal("istio", entry.Values["Name"]);
        Assert.Equal("prod-eu", entry.Values["Context"]);
        Assert.Equal("alice", entry.Values["Who"]);
        Assert.Equal("2026-03-01T12:00:00.0000000+00:00", entry.Values["When"]);
        Assert.Equal("would-change", entry.Values["Result"]);
    }

    /// <summary>The wizard's apply, restart and undo as the page runs them, by a signed-in user, against the emulator.</summary>
    [Fact]
    public async Task Apply_and_undo_from_the_wizard_are_audited_with_who_and_what_and_never_the_token()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var user = new TestUser { Name = "alice@example.com", IsAuthenticated = true, SessionId = "0a1b2c" };
        using var factory = new ConsoleAppFactory(new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath },
            services: s => s.Replace(ServiceDescriptor.Scoped<ICurrentUser>(_ => user)));

        await SecretLeakTests.RunWizardAgainstTheClusterAsync(factory, EmulatedCluster.Token, TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem);

        var audit = factory.Logs.Events.Where(e => e.Category == AuditLog.Category).ToList();
        Assert.Contains(audit, e => e.Values["Verb"] == "dry-run" && e.Values["Kind"] == "Secret" && e.Values["Result"] == "would-create");
        var applied = Assert.Single(audit, e => e.Values["Verb"] == "apply" && e.Values["Kind"] == "Secret" && e.Values["Namespace"] == "default");
        Assert.Equal("alice@example.com", applied.Values["Who"]);
        Assert.Equal("default", applied.Values["Namespace"]);
        Assert.Equal("emulator", applied.Values["Context"]);
        Assert.Equal("created", applied.Values["Result"]);
        Assert.Contains(audit, e => e.Values["Verb"] == "apply" && e.Values["Kind"] == "ConfigMap" && e.Values["Result"] == "changed");
        Assert.Contains(audit, e => e.Values["Verb"] == "delete" && e.Values["Name"] == PlanBuilder.SecretName && e.Values["Namespace"] == "default" && e.Values["Result"] == "deleted");
        Assert.Contains(audit, e => e.Values["Verb"] == "restore" && e.Values["Kind"] == "ConfigMap" && e.Values["Result"] == "restored");
        Assert.All(audit, e => Assert.DoesNotContain(EmulatedCluster.Token, e.AllText));
    }

    [Fact]
    public async Task The_command_line_audits_as_the_operating_system_user()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var logs = new CapturingLoggerProvider();

        var (code, _, stderr) = await SecretLeakTests.RunCliAsync(cluster, logs, EmulatedCluster.Token, TestCertificates.CreateCa(DateTimeOffset.UtcNow).CertificatePem, "apply", "--yes", "--force-conflicts");

        Assert.True(code == 0, stderr);
        var applied = Assert.Single(logs.Events, e => e.Category == AuditLog.Category && e.Values["Verb"] == "apply" && e.Values["Kind"] == "Secret" && e.Values["Namespace"] == "default");
        Assert.Equal(Environment.UserName + " (cli)", applied.Values["Who"]);
        Assert.Equal("created", applied.Values["Result"]);
    }
}

/// <summary>
/// A whole run with a recognisable token and certificate (the wizard against a cluster, the pages, the command
/// line), every log event captured at Trace level: neither the token nor any line of the certificate's PEM body
/// appears in a log message, a structured value, an exception, an audit entry, a page or the command's output.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Token = "lsLEAKTEST-9b8a7c6d5e4f3a2b1c0d-Zq7W";

    [Fact]
    public async Task Neither_the_token_nor_the_certificate_reaches_logs_audit_pages_or_command_output()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var caPem = TestCertificates.CreateCa(DateTimeOffset.UtcNow, "CN=Leak Test Satellite CA, O=Tests").CertificatePem;
        var pemBody = TestCertificates.PemBodyLines(caPem);
        using var factory = new ConsoleAppFactory(new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = cluster.KubeconfigPath,
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        using var client = factory.NewClient();
        var pages = new List<string> { await client.GetStringAsync("/") };

        await RunWizardAgainstTheClusterAsync(factory, Token, caPem);
        pages.Add(await client.GetStringAsync("/"));
        pages.Add(await client.GetStringAsync("/?step=review"));
        var cliLogs = new CapturingLoggerProvider();
        var apply = await RunCliAsync(cluster, cliLogs, Token, caPem, "apply", "--yes", "--force-conflicts");
        var cleanup = await RunCliAsync(cluster, cliLogs, Token, caPem, "cleanup", "--yes");
        Assert.Equal(0, apply.Code);
        Assert.Equal(0, cleanup.Code);

        var everything = factory.Logs.Events.Concat(cliLogs.Events).ToList();
        Assert.True(everything.Count > 100, $"only {everything.Count} log events captured");
        Assert.Contains(everything, e => e.Category == AuditLog.Category);
        var texts = everything.Select(e => ("log " + e.Category, e.AllText))
            .Concat(pages.Select(p => ("page", p)))
            .Concat([("cli stdout", apply.Stdout + cleanup.Stdout), ("cli stderr", apply.Stderr + cleanup.Stderr)]);
        foreach (var (where, text) in texts)
        {
            Assert.False(text.Contains(Token, StringComparison.Ordinal), $"The token leaked into {where}: {text}");
            foreach (var line in pemBody)
                Assert.False(text.Contains(line, StringComparison.Ordinal), $"The certificate leaked into {where}: {text}");
        }
    }

    /// <summary>At Debug, SignalR logs every hub message with its arguments (what users type): held at Information whatever the configuration.</summary>
    [Fact]
    public void Hub_messages_are_not_logged_even_when_the_configuration_asks_for_trace()
    {
        using var factory = new ConsoleAppFactory(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.SignalR"] = "Trace",
            ["Logging:Console:LogLevel:Microsoft.AspNetCore.SignalR"] = "Trace",
        });
        factory.CreateClient();
        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher").IsEnabled(LogLevel.Debug));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Components.Server.Circuits.RemoteRenderer").IsEnabled(LogLevel.Debug));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Trace));
    }

    /// <summary>What the wizard page does with one user's circuit: enter everything, preflight, preview, apply, restart, undo.</summary>
    internal static async Task RunWizardAgainstTheClusterAsync(ConsoleAppFactory factory, string token, string caPem)
    {
        using var scope = factory.Services.CreateScope();
        var state = scope.ServiceProvider.GetRequiredService<WizardState>();
        state.Attach(null, DraftOwners.LocalUser);
        state.SetProduct(LightStepProduct.OnPremSatellites);
        state.SetAccessToken(token);
        state.SetOnPremSatelliteAddress("lightstep-satellite.lightstep:9292");
        state.SetCertificate(CaCertificateInspector.Inspect(Encoding.ASCII.GetBytes(caPem), DateTimeOffset.UtcNow), "satellite-ca.pem");
        state.SetNamespacesText("default");
        state.SetIstioVersionText("1.14.3");
        Assert.NotNull(state.Plan);

        var workflow = scope.ServiceProvider.GetRequiredService<ClusterWorkflow>();
        workflow.RestoreContext();
        Assert.True(workflow.IsConnected);
        workflow.ForceConflicts = true;
        await workflow.RunPreflightAsync();
        await workflow.PreviewAsync();
        Assert.True(workflow.CanApply, workflow.LastFailure?.Code);
        await workflow.ApplyAsync();
        Assert.All(workflow.Outcomes, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
        foreach (var ns in workflow.RestartCandidates?.Select(c => c.Namespace).Distinct() ?? [])
            await workflow.RestartAsync(ns);
        await workflow.UndoAsync();
        Assert.All(workflow.UndoOutcomes, o => Assert.NotEqual(ApplyOutcomeKind.Failed, o.Kind));
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(EmulatedCluster cluster, CapturingLoggerProvider logs, string token, string caPem, string verb, params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("lsmc-leak-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "token.txt"), token + "\n");
            File.WriteAllText(Path.Combine(dir, "ca.pem"), caPem);
            string[] args = verb == "apply"
                ? ["apply", "--token-file", Path.Combine(dir, "token.txt"), "--satellite", "lightstep-satellite.lightstep:9292",
                   "--cacert", Path.Combine(dir, "ca.pem"), "--istio-version", "1.14.3", "--namespace", "default", .. extra]
                : [verb, .. extra];
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath }).Build();
            using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(""), configuration, loggers);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
