using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Cluster;

/// <summary>
/// What <c>istioctl install</c> would write into the live objects, for a cluster where no operator reconciles
/// an IstioOperator: <see cref="MeshConfig"/> is a fragment of ConfigMap istio-system/istio key <c>mesh</c>,
/// <see cref="InjectorValues"/> a fragment of ConfigMap istio-system/istio-sidecar-injector key <c>values</c>.
/// Both are trees of <see cref="Dictionary{TKey,TValue}"/> and <see cref="List{T}"/> for
/// <see cref="MeshConfigEditor"/> and <see cref="InjectorValuesEditor"/>.
/// </summary>
public sealed record LiveIstioSettings(
    IReadOnlyDictionary<string, object?> MeshConfig,
    IReadOnlyDictionary<string, object?> InjectorValues,
    IReadOnlyList<PlanNote> Notes)
{
    public const string MeshConfigMap = "istio";
    public const string MeshKey = "mesh";
    public const string InjectorConfigMap = "istio-sidecar-injector";
    public const string InjectorValuesKey = "values";

    /// <summary>A revisioned control plane reads ConfigMaps istio-&lt;revision&gt; and istio-sidecar-injector-&lt;revision&gt;
    /// (istio-discovery chart, templates/configmap.yaml and sidecar-injector-configmap.yaml).</summary>
    public static string MeshConfigMapFor(string? revision) => WithRevision(MeshConfigMap, revision);

    public static string InjectorConfigMapFor(string? revision) => WithRevision(InjectorConfigMap, revision);

    private static string WithRevision(string name, string? revision) =>
        string.IsNullOrEmpty(revision) || revision == "default" ? name : $"{name}-{revision}";

    /// <summary>Ingress gateway Deployment the plan's <c>components</c> overlay patches.</summary>
    public const string IngressGatewayDeployment = "istio-ingressgateway";

    /// <summary>Last release whose ProxyConfig Tracing.Lightstep still had <c>secure</c> and <c>cacertPath</c> (istio/api#1397, first tag 1.6.0, removed them).</summary>
    private static readonly IstioVersion LastWithLightStepSecureFields = new(1, 5, int.MaxValue);

    public static LiveIstioSettings From(Plan plan)
    {
        var overlay = plan.Objects.Where(o => o.Role == PlannedObjectRole.IstioInstallOverlay)
            .Select(o => o.Resource).OfType<IstioResource>().FirstOrDefault();
        var meshConfig = new Dictionary<string, object?>();
        var injectorValues = new Dictionary<string, object?>();
        var notes = new List<PlanNote>();
        if (overlay is null) return new LiveIstioSettings(meshConfig, injectorValues, notes);

        var spec = overlay.Spec;
        if (At(spec, "values", "global", "tracer", "lightstep") is IDictionary<string, object?> lightstep)
            TranslateLightStepValues(lightstep, plan.FormChoice.Version, meshConfig);
        if (At(spec, "values", "pilot", "traceSampling") is { } sampling)
        {
            // values.pilot.traceSampling only sets istiod's PILOT_TRACE_SAMPLING env, which no ConfigMap changes. The mesh
            // ConfigMap can carry ProxyConfig's tracing.sampling, which istiod prefers over that env when both are set
            // (istio/istio pilot/pkg/networking/core/tracing.go).
            Set(meshConfig, ["defaultConfig", "tracing", "sampling"], DeepCopy(sampling));
            notes.Add(new PlanNote("Note.LiveSamplingTranslation",
                sampling is decimal d ? PlanBuilder.Percent(d) : Convert.ToString(sampling, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                PlanBuilder.IstioNamespace));
        }
        if (spec.TryGetValue("meshConfig", out var mesh) && mesh is IDictionary<string, object?> meshMap)
            DeepMerge(meshConfig, meshMap);

        if (At(spec, "values", "global", "proxy", "tracer") is { } tracer)
            Set(injectorValues, ["global", "proxy", "tracer"], DeepCopy(tracer));
        // The injector template before 1.8 mounts Secret lightstep.cacert only when
        // `and (eq .Values.global.proxy.tracer "lightstep") .Values.global.tracer.lightstep.cacertPath`, at the directory of
        // ProxyConfig's Tracing.Lightstep.CacertPath (istio/istio sidecar injector template, pre-1.8 variant).
        if (plan.FormChoice.Version <= LastWithLightStepSecureFields
            && At(spec, "values", "global", "tracer", "lightstep", "cacertPath") is { } cacertPath)
            Set(injectorValues, ["global", "tracer", "lightstep", "cacertPath"], DeepCopy(cacertPath));

        // The console applies the gateway's CA mount itself when the plan carries it (PlannedObjectRole.IngressGatewayCaMount).
        if (spec.ContainsKey("components") && plan.Objects.All(o => o.Role != PlannedObjectRole.IngressGatewayCaMount))
            notes.Add(new PlanNote("Note.GatewayMountNeedsIstioctl", PlanBuilder.IstioNamespace, IngressGatewayDeployment));
        return new LiveIstioSettings(meshConfig, injectorValues, notes);
    }

    /// <summary>
    /// istioctl's deprecation mapping moves values.global.tracer.lightstep.{address,accessToken} to
    /// meshConfig.defaultConfig.tracing.lightstep (istio/istio operator checkDeprecatedSettings). Up to 1.7 ProxyConfig's
    /// Tracing.Lightstep also had <c>secure</c> and <c>cacertPath</c>, which the Helm chart rendered into the mesh
    /// ConfigMap; 1.8 dropped them for tracing.tlsSettings (istio/istio#31190).
    /// </summary>
    private static void TranslateLightStepValues(IDictionary<string, object?> lightstep, IstioVersion version, Dictionary<string, object?> meshConfig)
    {
        string[] fields = version <= LastWithLightStepSecureFields
            ? ["address", "accessToken", "secure", "cacertPath"]
            : ["address", "accessToken"];
        foreach (var field in fields)
        {
            if (lightstep.TryGetValue(field, out var value))
                Set(meshConfig, ["defaultConfig", "tracing", "lightstep", field], DeepCopy(value));
        }
    }

    private static object? At(IDictionary<string, object?> root, params string[] path)
    {
        object? node = root;
        foreach (var segment in path)
        {
            if (node is not IDictionary<string, object?> map || !map.TryGetValue(segment, out node)) return null;
        }
        return node;
    }

    private static void Set(Dictionary<string, object?> root, string[] path, object? value)
    {
        var node = root;
        foreach (var segment in path[..^1])
        {
            if (!node.TryGetValue(segment, out var child) || child is not Dictionary<string, object?> map)
                node[segment] = map = [];
            node = map;
        }
        node[path[^1]] = value;
    }

    private static void DeepMerge(Dictionary<string, object?> target, IDictionary<string, object?> source)
    {
        foreach (var (key, value) in source)
        {
            if (value is IDictionary<string, object?> map && target.TryGetValue(key, out var existing) && existing is Dictionary<string, object?> existingMap)
                DeepMerge(existingMap, map);
            else
                target[key] = DeepCopy(value);
        }
    }

    /// <summary>The plan's spec is mutable; the fragments must not alias it.</summary>
    private static object? DeepCopy(object? value) => value switch
    {
        IDictionary<string, object?> map => map.ToDictionary(e => e.Key, e => DeepCopy(e.Value)),
        string s => s,
        System.Collections.IEnumerable list => list.Cast<object?>().Select(DeepCopy).ToList(),
        _ => value,
    };
}
