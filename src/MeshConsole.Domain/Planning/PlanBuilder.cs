using System.Globalization;
using k8s.Models;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning.IstioForms;

namespace MeshConsole.Domain.Planning;

/// <summary>
/// Wizard input to plan: the only entry point that decides which Kubernetes objects and commands exist. The Istio
/// form's own rules live in <see cref="IstioFormPlan"/> (one class per form), the Bookinfo sample in
/// <see cref="BookinfoPlanBuilder"/>, the CA Secret and its mounts in <see cref="CaCertificates"/>, and install.sh's
/// shell text in <see cref="InstallCommands"/>.
/// </summary>
public static class PlanBuilder
{
    public const string FieldManager = "lightstep-console";
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

    public static Plan Build(PlanInput input)
    {
        var choice = IstioFormChoice.For(input.IstioVersion);
        var parts = new PlanParts();

        var gatewayNeedsCa = CaCertificates.GatewayNeedsMount(input);
        var secretNamespaces = gatewayNeedsCa && !input.Namespaces.Contains(IstioNamespace)
            ? [.. input.Namespaces, IstioNamespace]
            : input.Namespaces;
        var secrets = input.CaCertificatePem is null
            ? []
            : secretNamespaces.Select(ns => CaCertificates.Secret(ns, input.CaCertificatePem)).ToList();
        if (gatewayNeedsCa)
            parts.Note("Note.GatewayCaMount", IstioNamespace, CaCertificates.Directory(input.CacertPath));
        parts.Objects.AddRange(secrets.Select(s => new PlannedObject(s, PlannedObjectRole.CaCertificateSecret, ApplyTool.Kubectl)));
        if (secrets.Count > 0)
            parts.Commands.Add(new PlanCommand("Command.ApplySecrets", InstallCommands.KubectlApply(secrets)));
        else
            parts.Note("Note.NoCaCertificate");

        IstioFormPlan.For(choice.Form).AddTo(input, parts);

        if (input.SamplingPercent < 100m)
            parts.Note("Note.SamplingBelow100", Percent(input.SamplingPercent));
        if (!input.Secure)
            parts.Note("Note.InsecureTransport");
        parts.Note("Note.IstioctlReplacesConfiguration");
        parts.Note("Note.RestartWorkloads", string.Join(" ", input.Namespaces));
        return new Plan(choice, parts.Objects, parts.Commands, parts.Notes, [input.AccessToken]) { Namespaces = input.Namespaces };
    }

    /// <inheritdoc cref="BookinfoPlanBuilder.Build"/>
    public static Plan BuildBookinfo(BookinfoInput input) => BookinfoPlanBuilder.Build(input);

    /// <summary>Label on a team session participant's namespace: which session it belongs to.</summary>
    public const string SessionLabel = "lightstep-console/session";

    /// <summary>
    /// The labels that make a namespace a session participant's. Every plan that applies that Namespace must carry
    /// them: under server-side apply, a later apply by the same field manager without them would remove them.
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
        var commands = new List<PlanCommand> { new("Command.ApplyParticipantNamespace", InstallCommands.KubectlApply(objects.Select(o => o.Resource))) };
        return new Plan(IstioFormChoice.For(istioVersion), objects, commands, notes, []) { Namespaces = [ns] };
    }

    internal static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Single-quotes for POSIX shells; a quote inside becomes '\''.</summary>
    public static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:@%+=,".Contains(c)) && value.Length > 0
            ? value
            : "'" + value.Replace("'", "'\\''") + "'";
}
