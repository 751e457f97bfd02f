using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Cluster;

/// <summary>A Telemetry resource's tracing settings (its first <c>tracing</c> entry, as the console writes it).</summary>
/// <param name="Selector">The workload selector as <c>key=value,…</c>; null for a namespace-wide (or mesh-wide) resource.</param>
public sealed record TelemetryTracingRule(
    string Namespace, string Name, string? Selector, decimal? RandomSamplingPercentage, IReadOnlyList<string> Providers, bool? DisableSpanReporting)
{
    public string Display => $"Telemetry/{Name} -n {Namespace}";

    /// <summary>The selector's every label is among <paramref name="labels"/> (label keys and values hold no ',' or '=').</summary>
    public bool Selects(IReadOnlyDictionary<string, string> labels) =>
        Selector is not null && Selector.Split(',').All(pair =>
            pair.Split('=', 2) is [var key, var value] && labels.TryGetValue(key, out var actual) && actual == value);

    /// <summary>Null when the resource configures no tracing.</summary>
    public static TelemetryTracingRule? From(JsonObject telemetry)
    {
        if (telemetry["spec"]?["tracing"] is not JsonArray { Count: > 0 } tracing || tracing[0] is not JsonObject entry) return null;
        var labels = telemetry["spec"]?["selector"]?["matchLabels"] as JsonObject;
        var selector = labels is { Count: > 0 }
            ? string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={Text(l.Value)}"))
            : null;
        var providers = (entry["providers"] as JsonArray ?? []).Select(p => Text(p?["name"])).Where(n => n.Length > 0).ToList();
        return new TelemetryTracingRule(
            Text(telemetry["metadata"]?["namespace"]), Text(telemetry["metadata"]?["name"]), selector,
            Number(entry["randomSamplingPercentage"]), providers,
            entry["disableSpanReporting"] is JsonValue disable && disable.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? disable.GetValue<bool>() : null);
    }

    internal static string Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "";

    internal static decimal? Number(JsonNode? node) => node switch
    {
        // The text, not GetValue<decimal>: a value parsed from YAML holds a double, which GetValue<decimal> refuses.
        JsonValue v when v.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.String
            && decimal.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}

/// <summary>Where a proxy's random sampling percentage comes from, highest precedence first.</summary>
public enum SamplingSource
{
    WorkloadTelemetry,
    NamespaceTelemetry,
    MeshTelemetry,
    /// <summary>A Telemetry resource applies but sets no percentage, and this Istio does not fall back to the mesh config.</summary>
    TelemetryDefault,
    /// <summary>Telemetry turns span reporting off.</summary>
    SpanReportingDisabled,
    /// <summary><c>meshConfig.defaultConfig.tracing.sampling</c>.</summary>
    ProxyConfig,
    /// <summary>The pod's <c>proxy.istio.io/config</c> annotation's <c>tracing.sampling</c>.</summary>
    PodAnnotation,
    /// <summary>istiod's <c>PILOT_TRACE_SAMPLING</c> (Helm value <c>pilot.traceSampling</c>).</summary>
    PilotTraceSampling,
    /// <summary><c>meshConfig.enableTracing</c> is false and no Telemetry resource applies.</summary>
    TracingDisabled,
}

/// <param name="Source">What decided <paramref name="Percent"/>; <paramref name="SourceObject"/> names the Telemetry resource or setting.</param>
public sealed record SamplingDecision(decimal Percent, SamplingSource Source, string SourceObject);

/// <summary>A workload-level Telemetry that gives the workloads it selects another percentage than their namespace.</summary>
public sealed record WorkloadSamplingOverride(TelemetryTracingRule Telemetry, SamplingDecision Decision);

/// <summary>A pod's <c>proxy.istio.io/config</c> annotation, as read from the cluster.</summary>
/// <param name="Labels">The pod's labels (a workload Telemetry's selector is matched against them).</param>
/// <param name="Annotation">The annotation's text: ProxyConfig fields as YAML.</param>
public sealed record PodProxyConfigAnnotation(string Namespace, string Pod, IReadOnlyDictionary<string, string> Labels, string Annotation);

/// <summary>What a pod's <c>proxy.istio.io/config</c> annotation changes about its tracing.</summary>
/// <param name="AnnotatedSampling">The annotation's <c>tracing.sampling</c>; null when it sets none.</param>
/// <param name="Decision">The pod's sampling when the annotation changes it; null when it does not.</param>
/// <param name="Tracer">The tracer the annotation sets in place of the plan's LightStep tracer; null when none.</param>
/// <param name="Unreadable">The annotation is not YAML of a mapping: Istio's injector refuses such a pod (and istiod ignores the annotation).</param>
public sealed record PodTracingOverride(
    string Namespace, string Pod, decimal? AnnotatedSampling, SamplingDecision? Decision, string? Tracer, bool Unreadable = false)
{
    public string Display => $"Pod/{Pod} -n {Namespace}";
}

/// <summary>The percentage that will decide, after this plan is applied, for the proxies of one chosen namespace.</summary>
/// <param name="PodOverrides">Pods whose <c>proxy.istio.io/config</c> annotation gives them other tracing than the namespace.</param>
public sealed record NamespaceSampling(
    string Namespace, decimal PlannedPercent, SamplingDecision Decision, IReadOnlyList<WorkloadSamplingOverride> WorkloadOverrides,
    IReadOnlyList<PodTracingOverride> PodOverrides)
{
    /// <summary>Something other than the plan's value decides for the namespace or for some of its workloads or pods.</summary>
    public bool Overridden => Decision.Percent != PlannedPercent || WorkloadOverrides.Count > 0 || PodOverrides.Count > 0;
}

public enum ProviderOutcome { Kept, Replaced, Conflicting }

/// <summary>A tracer or tracing provider the mesh already has, and what this plan does to it.</summary>
/// <param name="Kind">zipkin, datadog, opentelemetry, … (the provider's or tracer's field name).</param>
/// <param name="Reason">Resource key "MeshCheck.Provider.{Reason}", formatted with the name, kind and <paramref name="Other"/>.</param>
public sealed record ProviderFinding(string Name, string Kind, ProviderOutcome Outcome, string Reason, string Other = "");

public enum GatewayCaState { NotNeeded, GatewayNotFound, Checked }

/// <param name="Mounted">A volume from Secret lightstep.cacert is mounted into a container of the gateway's pod template.</param>
/// <param name="PlanCreatesSecret">The plan writes Secret lightstep.cacert into the gateway's namespace.</param>
/// <param name="PlanMountsIt">What the console applies mounts it (the IstioOperator gateway overlay, reconciled by the operator).</param>
public sealed record GatewayCaCheck(
    GatewayCaState State, string Namespace, string Deployment, bool SecretExists, bool Mounted, bool PlanCreatesSecret, bool PlanMountsIt)
{
    /// <summary>After this apply (and the operator's reconcile) the gateway can read the CA.</summary>
    public bool ReadyAfterApply => State != GatewayCaState.Checked || (SecretExists || PlanCreatesSecret) && (Mounted || PlanMountsIt);
}

/// <summary>What the cluster holds that decides tracing, read before apply.</summary>
/// <param name="MeshConfig">The live mesh config (ConfigMap istio key mesh) as JSON; null when absent or unreadable.</param>
/// <param name="PilotTraceSampling">istiod's PILOT_TRACE_SAMPLING env value; null when not set.</param>
/// <param name="Telemetries">Telemetry resources in the root namespace and in every chosen namespace.</param>
/// <param name="GatewayDeployment">The ingress gateway Deployment; null when absent.</param>
/// <param name="AnnotatedPods">Pods of the chosen namespaces that carry a <c>proxy.istio.io/config</c> annotation.</param>
public sealed record MeshTracingState(
    IstioVersion? Version,
    string RootNamespace,
    JsonObject? MeshConfig,
    string? PilotTraceSampling,
    IReadOnlyList<JsonObject> Telemetries,
    JsonObject? GatewayDeployment,
    bool GatewayCaSecretExists,
    IReadOnlyList<PodProxyConfigAnnotation>? AnnotatedPods = null);

public sealed record MeshTracingReport(IReadOnlyList<NamespaceSampling> Sampling, IReadOnlyList<ProviderFinding> Providers, GatewayCaCheck GatewayCa);

/// <summary>
/// Read-only checks before apply: the sampling that will decide in each chosen namespace, the tracers and tracing
/// providers the mesh already has, and whether the ingress gateway can read the private CA. Pure: the cluster layer
/// reads <see cref="MeshTracingState"/>.
/// </summary>
/// <remarks>
/// Sampling precedence, as istiod computes it (istio/istio pilot/pkg/networking/core/tracing.go,
/// configureTracingFromTelemetry: "provider.sampler &gt; telemetry.RandomSamplingPercentage &gt;
/// defaultConfig.tracing.sampling &gt; PILOT_TRACE_SAMPLING"; proxyConfigSamplingValue treats 0 as unset and a value
/// above 100 as 1). Telemetry resources are merged root namespace, then namespace, then workload, a later level
/// overriding each field it sets (istio.io "Telemetry API", Scope, Inheritance, and Overrides; pilot/pkg/model/telemetry.go
/// stops merging at a level that names a different provider). Without any Telemetry resource, tracing needs
/// meshConfig.enableTracing. A Telemetry resource without a percentage falls back to the mesh config only from 1.20
/// (istio/istio#46653, fixed by #46711, also cherry-picked into late 1.17–1.19 patches); before that the Telemetry
/// default of 0% applied (istio/istio#36751). These rules are what users keep tripping over: istio/istio#35750
/// (a meshConfig defaultConfig hiding Telemetry sampling), #46653, #51004 (a namespace Telemetry "not overriding" the mesh
/// one) and #54005 (the chart's default traceSampling 1.0 via PILOT_TRACE_SAMPLING).
/// </remarks>
public static class MeshTracingChecks
{
    /// <summary>istiod's default when PILOT_TRACE_SAMPLING is unset (pilot/pkg/features, TraceSampling: 1.0).</summary>
    public const decimal DefaultPilotTraceSampling = 1.0m;

    private static readonly IstioVersion FirstFallingBackToMeshConfig = new(1, 20, 0);

    /// <summary>ProxyConfig Tracing's tracer oneof (istio/api mesh/v1alpha1/proxy.proto).</summary>
    private static readonly string[] LegacyTracers = ["zipkin", "lightstep", "datadog", "stackdriver", "openCensusAgent"];

    public static MeshTracingReport Check(Plan plan, IstioApplyTarget target, MeshTracingState live)
    {
        var planned = PlannedTracing.From(plan, target);
        var after = live.Telemetries.Select(TelemetryTracingRule.From).OfType<TelemetryTracingRule>()
            .Where(t => !planned.Telemetries.Any(p => p.Namespace == t.Namespace && p.Name == t.Name))
            .Concat(planned.Telemetries)
            .ToList();
        var mesh = live.MeshConfig;
        var enableTracing = planned.EnableTracing ?? (mesh?["enableTracing"] is JsonValue e && e.GetValueKind() == JsonValueKind.False ? false : true);
        var proxySampling = planned.ProxyConfigSampling ?? TelemetryTracingRule.Number(mesh?["defaultConfig"]?["tracing"]?["sampling"]);
        var pilotSampling = planned.PilotTraceSampling
            ?? (decimal.TryParse(live.PilotTraceSampling, NumberStyles.Float, CultureInfo.InvariantCulture, out var env) ? env : null);
        var legacy = new LegacySampling(enableTracing, proxySampling, pilotSampling,
            live.Version is not { } v || v >= FirstFallingBackToMeshConfig);

        // meshConfig.rootNamespace, istio-system unless set (istio/api mesh/v1alpha1/config.proto).
        var root = mesh?["rootNamespace"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : live.RootNamespace;
        var pods = live.AnnotatedPods ?? [];
        var sampling = plan.Namespaces
            .Select(ns => ForNamespace(ns, root, after, legacy, planned, pods.Where(p => p.Namespace == ns)))
            .ToList();
        return new MeshTracingReport(sampling, Providers(planned, live, after), GatewayCa(plan, target, live));
    }

    private sealed record LegacySampling(
        bool EnableTracing, decimal? ProxyConfig, decimal? Pilot, bool TelemetryFallsBack,
        SamplingSource ProxyConfigSource = SamplingSource.ProxyConfig, string ProxyConfigObject = "meshConfig.defaultConfig.tracing.sampling")
    {
        public SamplingDecision Decide() =>
            ProxyConfig is { } p and not 0m ? new SamplingDecision(p > 100m ? 1m : p, ProxyConfigSource, ProxyConfigObject)
            : new SamplingDecision(Pilot ?? DefaultPilotTraceSampling, SamplingSource.PilotTraceSampling, "PILOT_TRACE_SAMPLING");
    }

    private static NamespaceSampling ForNamespace(
        string ns, string root, IReadOnlyList<TelemetryTracingRule> rules, LegacySampling legacy, PlannedTracing planned, IEnumerable<PodProxyConfigAnnotation> pods)
    {
        var chain = new List<TelemetryTracingRule>();
        if (rules.FirstOrDefault(r => r.Namespace == root && r.Selector is null) is { } meshWide) chain.Add(meshWide);
        if (ns != root && rules.FirstOrDefault(r => r.Namespace == ns && r.Selector is null) is { } namespaceWide) chain.Add(namespaceWide);
        var decision = Decide(chain, legacy, root);
        var overrides = rules
            .Where(r => r.Namespace == ns && r.Selector is not null)
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new WorkloadSamplingOverride(r, Decide([.. chain, r], legacy, root)))
            .Where(o => o.Decision != decision)
            .ToList();
        var podOverrides = pods
            .OrderBy(p => p.Pod, StringComparer.Ordinal)
            .Select(p => ForPod(p, chain, rules, legacy, planned, root))
            .OfType<PodTracingOverride>()
            .ToList();
        return new NamespaceSampling(ns, planned.Percent, decision, overrides, podOverrides);
    }

    /// <summary>The <c>tracing.sampling</c> a <c>proxy.istio.io/config</c> annotation sets; null when it sets none or is unreadable.</summary>
    public static decimal? AnnotatedSampling(string annotation)
    {
        try
        {
            return MeshConfigEditor.ToJson(annotation)["tracing"] is JsonObject tracing && tracing.ContainsKey("sampling")
                ? TelemetryTracingRule.Number(tracing["sampling"])
                : null;
        }
        catch (UnreadableTextException)
        {
            return null;
        }
    }

    /// <summary>
    /// What a pod's <c>proxy.istio.io/config</c> annotation changes (istio/api annotation/annotations.yaml: "Overrides for
    /// the proxy configuration for this specific proxy"). The sidecar's agent applies the annotation's YAML over the
    /// mesh's defaultConfig (istio/istio pilot/cmd/pilot-agent/config/config.go getMeshConfig, pkg/config/mesh
    /// ApplyProxyConfig/MergeProxyConfig: field by field, the annotation's fields replacing the mesh's) and sends that
    /// ProxyConfig in its node metadata; istiod samples from it (pilot/pkg/networking/core/tracing.go,
    /// configureTracingFromTelemetry: proxy.Metadata.ProxyConfigOrDefault) only where no Telemetry sets a percentage,
    /// and proxyConfigSamplingValue reads 0 as unset (PILOT_TRACE_SAMPLING decides) and above 100 as 1. A ProxyConfig
    /// resource cannot change tracing: it carries only concurrency, environment variables and image (istio/api
    /// networking/v1beta1/proxy_config.proto; pilot/pkg/model/proxy_config.go toMeshConfigProxyConfig).
    /// </summary>
    private static PodTracingOverride? ForPod(
        PodProxyConfigAnnotation pod, IReadOnlyList<TelemetryTracingRule> chain, IReadOnlyList<TelemetryTracingRule> rules,
        LegacySampling legacy, PlannedTracing planned, string root)
    {
        JsonObject config;
        try
        {
            config = MeshConfigEditor.ToJson(pod.Annotation);
        }
        catch (UnreadableTextException)
        {
            return new PodTracingOverride(pod.Namespace, pod.Pod, null, null, null, Unreadable: true);
        }
        var tracing = config["tracing"] as JsonObject;
        // The workload Telemetry of this pod, if one selects it (the first by name, as ForNamespace orders them).
        var workload = rules.Where(r => r.Namespace == pod.Namespace && r.Selector is not null && r.Selects(pod.Labels))
            .OrderBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault();
        IReadOnlyList<TelemetryTracingRule> podChain = workload is null ? chain : [.. chain, workload];
        var withoutAnnotation = Decide(podChain, legacy, root);
        var annotated = TelemetryTracingRule.Number(tracing?["sampling"]);
        SamplingDecision? decision = null;
        if (tracing?.ContainsKey("sampling") == true)
        {
            var podLegacy = legacy with
            {
                ProxyConfig = annotated, ProxyConfigSource = SamplingSource.PodAnnotation, ProxyConfigObject = $"Pod/{pod.Pod} {Bookinfo.PodReadiness.ProxyConfigAnnotationName}",
            };
            var withAnnotation = Decide(podChain, podLegacy, root);
            if (withAnnotation.Percent != withoutAnnotation.Percent || withAnnotation.Source != withoutAnnotation.Source) decision = withAnnotation;
        }
        // ProxyConfig's tracer is a oneof (istio/api mesh/v1alpha1/proxy.proto Tracing): the annotation naming another
        // tracer replaces the plan's LightStep tracer for this pod.
        var tracer = planned.SetsLegacyTracer && tracing is not null
            ? LegacyTracers.FirstOrDefault(t => t != "lightstep" && tracing.ContainsKey(t))
            : null;
        return decision is null && tracer is null ? null : new PodTracingOverride(pod.Namespace, pod.Pod, annotated, decision, tracer);
    }

    private static SamplingDecision Decide(IReadOnlyList<TelemetryTracingRule> chain, LegacySampling legacy, string root)
    {
        if (chain.Count == 0)
            return legacy.EnableTracing ? legacy.Decide() : new SamplingDecision(0m, SamplingSource.TracingDisabled, "meshConfig.enableTracing");
        var selected = chain.LastOrDefault(r => r.Providers.Count > 0)?.Providers[0];
        SamplingDecision? percent = null;
        TelemetryTracingRule? disabledBy = null;
        foreach (var rule in chain)
        {
            if (rule.Providers.Count > 0 && selected is not null && !rule.Providers.Contains(selected)) break;
            if (rule.DisableSpanReporting is { } disabled) disabledBy = disabled ? rule : null;
            if (rule.RandomSamplingPercentage is { } p)
                percent = new SamplingDecision(p, rule.Selector is not null ? SamplingSource.WorkloadTelemetry
                    : rule.Namespace == root ? SamplingSource.MeshTelemetry : SamplingSource.NamespaceTelemetry, rule.Display);
        }
        if (disabledBy is not null) return new SamplingDecision(0m, SamplingSource.SpanReportingDisabled, disabledBy.Display);
        if (percent is not null) return percent;
        return legacy.TelemetryFallsBack
            ? legacy.Decide()
            : new SamplingDecision(0m, SamplingSource.TelemetryDefault, chain[^1].Display);
    }

    private static IReadOnlyList<ProviderFinding> Providers(PlannedTracing planned, MeshTracingState live, IReadOnlyList<TelemetryTracingRule> after)
    {
        var findings = new List<ProviderFinding>();
        var mesh = live.MeshConfig;
        if (mesh?["defaultConfig"]?["tracing"] is JsonObject tracing)
        {
            foreach (var tracer in LegacyTracers.Where(t => t != "lightstep" && tracing.ContainsKey(t)))
            {
                findings.Add(planned.SetsLegacyTracer
                    ? new ProviderFinding(tracer, tracer, ProviderOutcome.Replaced, "LegacyTracerReplaced")
                    : new ProviderFinding(tracer, tracer, ProviderOutcome.Kept, "LegacyTracerUnused"));
            }
        }
        var referencing = after.Where(r => r.Providers.Count > 0 && !planned.Telemetries.Contains(r)
                                           && (r.Namespace == live.RootNamespace || planned.Namespaces.Contains(r.Namespace))).ToList();
        foreach (var provider in (mesh?["extensionProviders"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = TelemetryTracingRule.Text(provider["name"]);
            var kind = provider.Select(p => p.Key).FirstOrDefault(k => k != "name") ?? "";
            if (kind is not ("zipkin" or "datadog" or "opentelemetry" or "lightstep" or "skywalking" or "stackdriver")) continue;
            if (planned.ProviderNames.Contains(name))
            {
                if (!planned.Providers.Any(p => JsonNode.DeepEquals(p, provider)))
                    findings.Add(new ProviderFinding(name, kind, ProviderOutcome.Replaced, "SameNameReplaced"));
                continue;
            }
            var user = referencing.FirstOrDefault(r => r.Providers.Contains(name));
            findings.Add(user is not null && (planned.ProviderNames.Count > 0 || planned.SetsLegacyTracer)
                ? new ProviderFinding(name, kind, ProviderOutcome.Conflicting, "SelectedByTelemetry", user.Display)
                : new ProviderFinding(name, kind, ProviderOutcome.Kept, "NotSelected"));
        }
        // istio.io "Telemetry API": "It is not valid to define multiple mesh-wide Telemetry API resources in the root
        // configuration namespace."
        foreach (var other in after.Where(r => r.Namespace == live.RootNamespace && r.Selector is null && !planned.Telemetries.Contains(r)))
        {
            if (planned.Telemetries.Any(p => p.Namespace == live.RootNamespace && p.Selector is null))
                findings.Add(new ProviderFinding(other.Name, "Telemetry", ProviderOutcome.Conflicting, "SecondMeshTelemetry", other.Display));
        }
        foreach (var replaced in planned.Telemetries)
        {
            var before = live.Telemetries.Select(TelemetryTracingRule.From).OfType<TelemetryTracingRule>()
                .FirstOrDefault(t => t.Namespace == replaced.Namespace && t.Name == replaced.Name);
            if (before is not null && !before.Providers.SequenceEqual(replaced.Providers))
                findings.Add(new ProviderFinding(replaced.Name, "Telemetry", ProviderOutcome.Replaced, "TelemetryReplaced",
                    string.Join(", ", before.Providers)));
        }
        return findings;
    }

    private static GatewayCaCheck GatewayCa(Plan plan, IstioApplyTarget target, MeshTracingState live)
    {
        var ns = live.RootNamespace;
        const string deployment = LiveIstioSettings.IngressGatewayDeployment;
        var planCreatesSecret = plan.Objects.Any(o => o.Role == PlannedObjectRole.CaCertificateSecret && o.Namespace == ns);
        var overlay = plan.Objects.Where(o => o.Role == PlannedObjectRole.IstioInstallOverlay).Select(o => o.Resource).OfType<IstioResource>().FirstOrDefault();
        var planMounts = target == IstioApplyTarget.IstioOperatorResource && overlay?.Spec.ContainsKey("components") == true;
        // The gateway needs the CA exactly when the plan carries it to the gateway (Secret in its namespace or its mount):
        // a private CA for TLS to the satellites (istio/istio#31190, istio/istio.io#9125).
        if (!planCreatesSecret && overlay?.Spec.ContainsKey("components") != true)
            return new GatewayCaCheck(GatewayCaState.NotNeeded, ns, deployment, live.GatewayCaSecretExists, false, false, false);
        if (live.GatewayDeployment is null)
            return new GatewayCaCheck(GatewayCaState.GatewayNotFound, ns, deployment, live.GatewayCaSecretExists, false, planCreatesSecret, planMounts);
        return new GatewayCaCheck(GatewayCaState.Checked, ns, deployment, live.GatewayCaSecretExists,
            MountsSecret(live.GatewayDeployment, PlanBuilder.SecretName), planCreatesSecret, planMounts);
    }

    /// <summary>A volume from Secret <paramref name="secret"/> that a container of the pod template mounts.</summary>
    public static bool MountsSecret(JsonObject deployment, string secret)
    {
        var pod = deployment["spec"]?["template"]?["spec"];
        var volumes = (pod?["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => TelemetryTracingRule.Text(v["secret"]?["secretName"]) == secret)
            .Select(v => TelemetryTracingRule.Text(v["name"]))
            .ToHashSet(StringComparer.Ordinal);
        return (pod?["containers"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(c => (c["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
            .Any(m => volumes.Contains(TelemetryTracingRule.Text(m["name"])));
    }

    /// <summary>
    /// What the plan writes that decides tracing, as it lands for <see cref="IstioApplyTarget"/>; with
    /// <see cref="IstioApplyTarget.None"/> the console writes no Istio settings, so only the planned percentage counts.
    /// </summary>
    private sealed record PlannedTracing(
        decimal Percent,
        IReadOnlyList<TelemetryTracingRule> Telemetries,
        bool? EnableTracing,
        decimal? ProxyConfigSampling,
        decimal? PilotTraceSampling,
        bool SetsLegacyTracer,
        IReadOnlyList<JsonObject> Providers,
        IReadOnlyList<string> Namespaces)
    {
        public IReadOnlyList<string> ProviderNames { get; } = Providers.Select(p => TelemetryTracingRule.Text(p["name"])).ToList();

        public static PlannedTracing From(Plan plan, IstioApplyTarget target)
        {
            var telemetries = plan.Objects.Where(o => o.Role == PlannedObjectRole.TracingTelemetry)
                .Select(o => o.Resource).OfType<IstioResource>()
                .Select(r => TelemetryTracingRule.From(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = r.Metadata.Name, ["namespace"] = r.Metadata.NamespaceProperty },
                    ["spec"] = JsonSerializer.SerializeToNode(r.Spec),
                }))
                .OfType<TelemetryTracingRule>().ToList();
            var overlay = plan.Objects.Where(o => o.Role == PlannedObjectRole.IstioInstallOverlay).Select(o => o.Resource).OfType<IstioResource>().FirstOrDefault();
            var spec = overlay is null ? null : JsonSerializer.SerializeToNode(overlay.Spec)?.AsObject();
            var meshFragment = target == IstioApplyTarget.MeshConfigMaps
                ? JsonSerializer.SerializeToNode(LiveIstioSettings.From(plan).MeshConfig)?.AsObject()
                : spec?["meshConfig"] as JsonObject;
            var proxySampling = TelemetryTracingRule.Number(meshFragment?["defaultConfig"]?["tracing"]?["sampling"]);
            // values.pilot.traceSampling becomes istiod's PILOT_TRACE_SAMPLING only when istioctl or the operator renders it.
            var pilotSampling = target == IstioApplyTarget.IstioOperatorResource ? TelemetryTracingRule.Number(spec?["values"]?["pilot"]?["traceSampling"]) : null;
            var percent = telemetries.Select(t => t.RandomSamplingPercentage).FirstOrDefault(p => p is not null)
                ?? proxySampling ?? pilotSampling ?? TelemetryTracingRule.Number(spec?["values"]?["pilot"]?["traceSampling"]) ?? 0m;
            if (target == IstioApplyTarget.None)
                return new PlannedTracing(percent, [], null, null, null, false, [], plan.Namespaces);
            var enable = meshFragment?["enableTracing"] is JsonValue e && e.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? e.GetValue<bool>() : (bool?)null;
            var legacyTracer = meshFragment?["defaultConfig"]?["tracing"]?["lightstep"] is not null
                || TelemetryTracingRule.Text(spec?["values"]?["global"]?["proxy"]?["tracer"]) == "lightstep" && telemetries.Count == 0;
            var providers = (meshFragment?["extensionProviders"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            return new PlannedTracing(percent, telemetries, enable, proxySampling, pilotSampling, legacyTracer, providers, plan.Namespaces);
        }
    }
}
