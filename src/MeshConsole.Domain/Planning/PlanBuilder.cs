using System.Globalization;
using k8s.Models;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning.IstioForms;
using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Planning;

/// <summary>
/// Wizard input to plan: the only entry point that decides which Kubernetes objects and commands exist. The Istio
/// form's own rules live in <see cref="IstioFormPlan"/> (one class per form), the Bookinfo sample in
/// <see cref="BookinfoPlanBuilder"/>, the CA Secret and its mounts in <see cref="CaCertificates"/>, and install.sh's
/// shell text in <see cref="InstallCommands"/>.
/// </summary>
public static class PlanBuilder
{
    /// <summary>The mesh-wide plan's field manager (<see cref="FieldManagers.Mesh"/>).</summary>
    public const string FieldManager = FieldManagers.Mesh;
    public const string SecretName = "lightstep.cacert";
    public const string SecretKey = "cacert.pem";
    public const string IstioNamespace = "istio-system";
    public const string OverlayName = "lightstep-tracing";
    public const string TracingObjectName = "lightstep-tracing";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "lightstep-console";
    /// <summary>LightStep's public OTLP endpoint (docs.lightstep.com, "Test connectivity to Microsatellites").</summary>
    public const string PublicOtlpAddress = "ingest.lightstep.com:443";
    /// <summary>Header that carries the access token on OTLP exports (Istio's own lightstep→OTel translation, istio/istio#40032).</summary>
    public const string AccessTokenHeader = "lightstep-access-token";

    /// <summary>The in-cluster OpenTelemetry Collector of the collector route (see <see cref="CollectorFormPlan"/>).</summary>
    public const string CollectorNamespace = "lightstep-collector";
    public const string CollectorName = "lightstep-collector";
    public const int CollectorHealthCheckPort = 13133;

    /// <summary>
    /// Istio's Jaeger addon (samples/addons/jaeger.yaml) serves OTLP on Service jaeger-collector port 4317 only from
    /// 1.19.0 ("Update Jaeger sample to allow OTLP receiver", istio/istio#46095, first tag 1.19.0, with all-in-one 1.46):
    /// the 1.16 to 1.18 addon runs all-in-one 1.35 and its Service has no OTLP port.
    /// </summary>
    public static readonly IstioVersion FirstWithOtlpJaegerAddon = new(1, 19, 0);

    private static bool IsJaegerAddon(OtlpSpanDestination otlp) =>
        TraceBackends.For(TraceBackendKind.Jaeger).DefaultDestination is { } addon
        && IstioObjects.InClusterServiceHost(otlp.Endpoint.Host) == addon.Host && otlp.Endpoint.Port == addon.Port;

    /// <exception cref="InvalidOperationException">The input is one <see cref="PlanInputRules"/> refuses (Istio 1.16.0, a route that cannot carry spans).</exception>
    public static Plan Build(PlanInput input)
    {
        if (Refusal(input) is { } refusal)
            throw new InvalidOperationException($"No plan can send spans for this input ({refusal}); PlanInputRules reports it to the user.");
        var route = SpanRoutes.Effective(input);
        var choice = IstioFormChoice.For(input, route);
        var form = IstioFormPlan.For(choice.Form);
        var parts = new PlanParts();

        var gatewayNeedsCa = form.GatewayNeedsCa(input);
        var secretNamespaces = !form.ReadsCaFromWorkloadNamespace(input) ? []
            : gatewayNeedsCa && !input.Namespaces.Contains(IstioNamespace) ? [.. input.Namespaces, IstioNamespace]
            : input.Namespaces;
        var secrets = secretNamespaces.Select(ns => CaCertificates.Secret(ns, input.CaCertificatePem!, CaCertificates.KeyFor(input.CacertPath))).ToList();
        if (gatewayNeedsCa)
            parts.Note("Note.GatewayCaMount", IstioNamespace, CaCertificates.Directory(input.CacertPath));
        // Nothing can be created in a namespace that does not exist (the NamespaceLifecycle admission plugin refuses it,
        // a dry run included): the plan creates the chosen namespaces its Secrets go into, as the Bookinfo plan creates
        // its own, ahead of them. istio-system is Istio's, never the plan's.
        var namespaces = secretNamespaces.Where(ns => ns != IstioNamespace)
            .Select(ns => new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = ns } })
            .ToList();
        parts.Objects.AddRange(namespaces.Select(n => new PlannedObject(n, PlannedObjectRole.WorkloadNamespace, ApplyTool.Kubectl)));
        parts.Objects.AddRange(secrets.Select(s => new PlannedObject(s, PlannedObjectRole.CaCertificateSecret, ApplyTool.Kubectl)));
        if (secrets.Count > 0)
            parts.Commands.Add(new PlanCommand("Command.ApplySecrets", InstallCommands.KubectlApply([.. namespaces, .. secrets])));
        else if (input.CaCertificatePem is null)
            parts.Note("Note.NoCaCertificate");

        form.AddTo(input, parts);
        // The console applies the gateway's mount itself; install.sh leaves it to istioctl (the overlay's components),
        // as a kubectl step before istioctl it would try to create a gateway that does not exist yet.
        if (gatewayNeedsCa)
            parts.Objects.Add(new PlannedObject(CaCertificates.GatewayMountDeployment(input.CacertPath), PlannedObjectRole.IngressGatewayCaMount, ApplyTool.Istioctl));

        if (route == SpanRoute.Direct)
            AddTokenExposureNotes(input, parts);
        if (input.OtlpDestination is { } otlp && IsJaegerAddon(otlp) && input.IstioVersion < FirstWithOtlpJaegerAddon)
            parts.Note("Note.JaegerAddonWithoutOtlp", input.IstioVersion.MinorString);
        if (input.SamplingPercent < 100m)
            parts.Note("Note.SamplingBelow100", Percent(input.SamplingPercent));
        if (input.OtlpDestination is { Endpoint.Secure: false } plaintext)
            parts.Note("Note.InsecureBackendTransport", plaintext.Address);
        else if (input.OtlpDestination is null && !input.Secure)
            parts.Note("Note.InsecureTransport");
        parts.Note("Note.IstioctlReplacesConfiguration");
        parts.Note("Note.RestartWorkloads", string.Join(" ", input.Namespaces));
        return new Plan(choice, parts.Objects, parts.Commands, parts.Notes, input.SensitiveValues) { Namespaces = input.Namespaces, Route = route, OtherBackendAddress = input.OtlpDestination?.Address };
    }

    /// <summary>
    /// Why no plan can send spans for this input (the validation code <see cref="PlanInputRules"/> reports), or null.
    /// The same rules as the wizard's and the command line's, so a refused input never reaches a plan.
    /// </summary>
    public static string? Refusal(PlanInput input)
    {
        if (input.IstioVersion == IstioFormChoice.WithoutOpenTelemetryTracer) return "IstioVersion.NoOpenTelemetryTracer";
        if (input.OtlpDestination is null && input.Secure && input.CaCertificatePem is null
            && input.IstioVersion < IstioFormChoice.FirstWithoutEnvoyLightStepTracer)
            return "CaCert.RequiredForTlsBefore116";
        return SpanRoutes.Refusal(input, SpanRoutes.Effective(input));
    }

    /// <summary>
    /// The direct route keeps the token in mesh configuration: ConfigMap istio-system/istio (and an IstioOperator when
    /// one is reconciled), sent by istiod to every proxy, whose config dump shows it. Istio 1.4 and 1.5 also pass it to
    /// each sidecar as a command-line argument (`--lightstepAccessToken` in the injection template), readable by anyone
    /// who can read the pods.
    /// </summary>
    private static void AddTokenExposureNotes(PlanInput input, PlanParts parts)
    {
        // Another backend's header values sit where LightStep's token does on the direct route: in the provider's
        // grpc.initialMetadata or http.headers, in the same mesh configuration (istio/api mesh/v1alpha1/config.proto).
        if (input.OtlpDestination is { } otlp)
        {
            if (otlp.Endpoint.Headers.Count > 0)
            {
                parts.Note("Note.HeadersInMeshConfig", IstioNamespace);
                parts.Note("Note.CollectorRouteRecommendedForHeaders");
            }
            return;
        }
        parts.Note("Note.TokenInMeshConfig", IstioNamespace);
        if (input.IstioVersion < IstioFormChoice.FirstWithTlsSettingsOnly)
            parts.Note("Note.TokenInSidecarArguments");
        if (input.IstioVersion >= SpanRoutes.FirstWithCollectorRoute)
            parts.Note("Note.CollectorRouteRecommended");
    }

    /// <inheritdoc cref="BookinfoPlanBuilder.Build"/>
    public static Plan BuildBookinfo(BookinfoInput input) => BookinfoPlanBuilder.Build(input);

    /// <summary>Label on a team session participant's namespace: which session it belongs to.</summary>
    public const string SessionLabel = "lightstep-console/session";

    /// <summary>
    /// The labels that make a namespace a session participant's, applied under <see cref="FieldManagers.Session"/> only:
    /// the Bookinfo step applies the same Namespace's injection labels under its own manager, so neither removes the other's.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParticipantNamespaceLabels(string sessionId) =>
        new Dictionary<string, string> { [ManagedByLabel] = ManagedByValue, [SessionLabel] = sessionId };

    /// <summary>
    /// A team session participant's own namespace, labeled with the session (so the session's cleanup can find it),
    /// and the CA certificate Secret in it, exactly as <see cref="Build"/> writes it for a namespace the user picks.
    /// </summary>
    public static Plan BuildParticipantNamespace(string ns, string sessionId, string? caCertificatePem, IstioVersion istioVersion)
    {
        var objects = new List<PlannedObject>
        {
            new(new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = new V1ObjectMeta
                {
                    Name = ns,
                    Labels = new Dictionary<string, string>(ParticipantNamespaceLabels(sessionId)),
                },
            }, PlannedObjectRole.ParticipantNamespace, ApplyTool.Kubectl),
        };
        var notes = new List<PlanNote>();
        if (caCertificatePem is null)
            notes.Add(new PlanNote("Note.NoCaCertificate"));
        else
            objects.Add(new PlannedObject(CaCertificates.Secret(ns, caCertificatePem), PlannedObjectRole.CaCertificateSecret, ApplyTool.Kubectl));
        var commands = new List<PlanCommand> { new("Command.ApplyParticipantNamespace", InstallCommands.KubectlApply(objects.Select(o => o.Resource), FieldManagers.Session)) };
        return new Plan(IstioFormChoice.For(istioVersion), objects, commands, notes, []) { Namespaces = [ns], FieldManager = FieldManagers.Session };
    }

    internal static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Single-quotes for POSIX shells; a quote inside becomes '\''.</summary>
    public static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:@%+=,".Contains(c)) && value.Length > 0
            ? value
            : "'" + value.Replace("'", "'\\''") + "'";
}
