using System.Globalization;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Planning;
using WebConsole.Features.Localization;

namespace WebConsole.Features.Cluster;

public enum CheckLevel { Ok, Warn }

/// <param name="Check">What the line is about (sampling, provider, gateway-ca, collector), for the page's markers and tests.</param>
public sealed record CheckLine(string Check, CheckLevel Level, string Text);

/// <summary>The mesh checks of a preflight as sentences, the same on the Apply step and on the command line.</summary>
public static class MeshCheckLines
{
    public static IReadOnlyList<CheckLine> For(PreflightReport report, ConsoleText text)
    {
        var lines = new List<CheckLine>();
        if (report.Collector is { } collector) lines.Add(Collector(collector, text));
        if (report.MeshTracingFailure is { } failure)
            lines.Add(new CheckLine("mesh", CheckLevel.Warn, text.Format("MeshCheck.Failed", text.Failure(failure))));
        if (report.MeshTracing is not { } mesh) return lines;

        foreach (var ns in mesh.Sampling)
        {
            var source = Source(ns.Decision, text);
            lines.Add(ns.Decision.Percent == ns.PlannedPercent
                ? new CheckLine("sampling", CheckLevel.Ok, text.Format("MeshCheck.Sampling", ns.Namespace, Percent(ns.Decision.Percent), source))
                : new CheckLine("sampling", CheckLevel.Warn, text.Format("MeshCheck.SamplingOverridden", ns.Namespace, Percent(ns.Decision.Percent), Percent(ns.PlannedPercent), source)));
            foreach (var workload in ns.WorkloadOverrides)
                lines.Add(new CheckLine("sampling", CheckLevel.Warn, text.Format("MeshCheck.SamplingWorkload", workload.Telemetry.Display,
                    workload.Telemetry.Selector ?? "", Percent(workload.Decision.Percent), Source(workload.Decision, text))));
            foreach (var pod in ns.PodOverrides)
                lines.AddRange(PodLines(pod, text));
        }
        if (mesh.Sampling.Any(s => s.Overridden))
            lines.Add(new CheckLine("sampling", CheckLevel.Warn, text["MeshCheck.SamplingPrecedence"]));

        foreach (var provider in mesh.Providers)
            lines.Add(new CheckLine("provider", provider.Outcome == ProviderOutcome.Kept ? CheckLevel.Ok : CheckLevel.Warn,
                text.Format("MeshCheck.Provider." + provider.Reason, provider.Name, provider.Kind, provider.Other)));

        var ca = mesh.GatewayCa;
        if (ca.State == GatewayCaState.GatewayNotFound)
            lines.Add(new CheckLine("gateway-ca", CheckLevel.Warn, text.Format("MeshCheck.GatewayCa.NotFound", ca.Namespace, ca.Deployment)));
        if (ca.State == GatewayCaState.Checked)
        {
            var key = ca.Mounted && ca.SecretExists ? "Ready"
                : !ca.Mounted && ca.PlanMountsIt ? "MountedByThisApply"
                : !ca.Mounted ? "NotMounted"
                : ca.PlanCreatesSecret ? "SecretCreatedByThisApply"
                : "SecretMissing";
            lines.Add(new CheckLine("gateway-ca", ca.ReadyAfterApply ? CheckLevel.Ok : CheckLevel.Warn,
                text.Format("MeshCheck.GatewayCa." + key, ca.Namespace, ca.Deployment, PlanBuilder.SecretName)));
        }
        return lines;
    }

    private static IEnumerable<CheckLine> PodLines(PodTracingOverride pod, ConsoleText text)
    {
        if (pod.Unreadable)
            yield return new CheckLine("sampling", CheckLevel.Warn, text.Format("MeshCheck.Pod.Unreadable", pod.Display));
        if (pod.Decision is { } decision)
            yield return new CheckLine("sampling", CheckLevel.Warn, pod.AnnotatedSampling is 0m
                ? text.Format("MeshCheck.Pod.SamplingZero", pod.Display, Percent(decision.Percent))
                : text.Format("MeshCheck.Pod.Sampling", pod.Display, Percent(pod.AnnotatedSampling ?? 0m), Percent(decision.Percent)));
        if (pod.Tracer is { } tracer)
            yield return new CheckLine("provider", CheckLevel.Warn, text.Format("MeshCheck.Pod.Tracer", pod.Display, tracer));
    }

    private static CheckLine Collector(ClusterResult<CollectorReadiness> read, ConsoleText text)
    {
        if (!read.Succeeded) return new CheckLine("collector", CheckLevel.Warn, text.Format("MeshCheck.Collector.Failed", text.Failure(read.Failure!)));
        var c = read.Value!;
        if (!c.Found) return new CheckLine("collector", CheckLevel.Warn, text.Format("MeshCheck.Collector.NotDeployed", c.Namespace, c.Name));
        var rollout = text.Format(c.RolledOut ? "MeshCheck.Collector.RolledOut" : "MeshCheck.Collector.RollingOut", c.Namespace, c.Name, c.Ready, c.Desired);
        var health = text.Format("MeshCheck.Collector.Health." + c.Health, c.HealthDetail, CollectorNames.HealthPort);
        return new CheckLine("collector", c.IsReady ? CheckLevel.Ok : CheckLevel.Warn, rollout + " " + health);
    }

    private static string Source(SamplingDecision decision, ConsoleText text) =>
        text.Format("MeshCheck.Source." + decision.Source, decision.SourceObject);

    private static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
