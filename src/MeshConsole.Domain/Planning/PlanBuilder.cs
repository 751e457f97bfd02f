using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using MeshConsole.Domain.Bookinfo;

namespace MeshConsole.Domain.Planning;

/// <summary>Wizard input to plan: the only place that decides which Kubernetes objects and commands exist.</summary>
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
        var objects = new List<PlannedObject>();
        var commands = new List<PlanCommand>();
        var notes = new List<PlanNote>();

        var gatewayNeedsCa = GatewayNeedsCaMount(input);
        var secretNamespaces = gatewayNeedsCa && !input.Namespaces.Contains(IstioNamespace)
            ? [.. input.Namespaces, IstioNamespace]
            : input.Namespaces;
        var secrets = input.CaCertificatePem is null
            ? []
            : secretNamespaces.Select(ns => CaCertificateSecret(ns, input.CaCertificatePem)).ToList();
        if (gatewayNeedsCa)
            notes.Add(new PlanNote("Note.GatewayCaMount", IstioNamespace, CacertDirectory(input.CacertPath)));
        objects.AddRange(secrets.Select(s => new PlannedObject(s, PlannedObjectRole.CaCertificateSecret, ApplyTool.Kubectl)));
        if (secrets.Count > 0)
            commands.Add(new PlanCommand("Command.ApplySecrets", KubectlApply(secrets)));
        else
            notes.Add(new PlanNote("Note.NoCaCertificate"));

        switch (choice.Form)
        {
            case IstioForm.InstallValues:
                AddInstallValuesForm(input, objects, commands, notes);
                break;
            case IstioForm.MeshConfigProxyTracing:
                AddMeshConfigForm(input, objects, commands);
                break;
            default:
                AddExtensionProviderForm(input, choice.Form, objects, commands, notes);
                break;
        }

        if (input.SamplingPercent < 100m)
            notes.Add(new PlanNote("Note.SamplingBelow100", Percent(input.SamplingPercent)));
        if (!input.Secure)
            notes.Add(new PlanNote("Note.InsecureTransport"));
        notes.Add(new PlanNote("Note.IstioctlReplacesConfiguration"));
        notes.Add(new PlanNote("Note.RestartWorkloads", string.Join(" ", input.Namespaces)));
        return new Plan(choice, objects, commands, notes, input.SensitiveValues) { Namespaces = input.Namespaces };
    }

    /// <summary>
    /// The Bookinfo sample for this console (ours, shaped like istio/istio samples/bookinfo/platform/kube/bookinfo.yaml
    /// and networking/bookinfo-gateway.yaml): the Namespace, then ServiceAccounts, Services, Deployments, the Gateway and
    /// the VirtualService, all in <see cref="BookinfoInput.Namespace"/>. The Namespace object carries only the injection
    /// labels the user confirmed: applied server-side, it creates the namespace when absent and owns just those labels,
    /// so every other label the namespace has stays as it is. Sidecars come from the namespace's injection label, so the pod
    /// templates carry no sidecar.istio.io/inject; images come from <see cref="BookinfoImages"/> only.
    /// </summary>
    /// <summary>Label on a team session participant's namespace: which session it belongs to.</summary>
    public const string SessionLabel = "lightstep-console/session";

    /// <summary>
    /// A team session participant's own namespace, labeled with the session (so the session's cleanup can find it),
    /// and the CA certificate Secret in it, exactly as <see cref="Build"/> writes it for a namespace the user picks.
    /// </summary>
    /// <summary>
    /// The labels that make a namespace a session participant's. Every plan that applies that Namespace must carry
    /// them: under server-side apply, a later apply by the same field manager without them would remove them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParticipantNamespaceLabels(string sessionId) =>
        new Dictionary<string, string> { [ManagedByLabel] = ManagedByValue, [SessionLabel] = sessionId };

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
            objects.Add(new PlannedObject(CaCertificateSecret(ns, caCertificatePem), PlannedObjectRole.CaCertificateSecret, ApplyTool.Kubectl));
        var commands = new List<PlanCommand> { new("Command.ApplyParticipantNamespace", KubectlApply(objects.Select(o => o.Resource))) };
        return new Plan(IstioFormChoice.For(istioVersion), objects, commands, notes, Security.SensitiveValues.None) { Namespaces = [ns] };
    }

    public static Plan BuildBookinfo(BookinfoInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ns = input.Namespace;
        var objects = new List<PlannedObject>();

        Dictionary<string, string> Labels(params (string Key, string Value)[] own)
        {
            var labels = own.ToDictionary(l => l.Key, l => l.Value);
            labels[BookinfoSample.PartOfLabel] = BookinfoSample.PartOfValue;
            labels[ManagedByLabel] = ManagedByValue;
            return labels;
        }

        V1ObjectMeta Meta(string name, params (string Key, string Value)[] own) =>
            new() { Name = name, NamespaceProperty = ns, Labels = Labels(own) };

        // Requests only, sized from the images' idle footprint (reviews runs WebSphere Liberty); no limits, so a
        // busy traffic run slows Bookinfo down rather than getting it OOM-killed.
        V1ResourceRequirements Requests(string app) => new()
        {
            Requests = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new("10m"),
                ["memory"] = new(app switch { "reviews" => "128Mi", "productpage" => "64Mi", _ => "32Mi" }),
            },
        };

        V1Deployment Deployment(string name, string app, string version, string image)
        {
            var container = new V1Container
            {
                Name = app,
                Image = image,
                ImagePullPolicy = "IfNotPresent",
                Ports = [new V1ContainerPort { ContainerPort = BookinfoSample.ServicePort }],
                Resources = Requests(app),
            };
            List<V1Volume>? volumes = null;
            if (app == "reviews")
            {
                // WebSphere Liberty writes logs and its work area; upstream gives both an emptyDir.
                container.Env = [new V1EnvVar { Name = "LOG_DIR", Value = "/tmp/logs" }];
                container.VolumeMounts =
                [
                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                    new V1VolumeMount { Name = "wlp-output", MountPath = "/opt/ibm/wlp/output" },
                ];
                volumes =
                [
                    new V1Volume { Name = "wlp-output", EmptyDir = new V1EmptyDirVolumeSource() },
                    new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
                ];
            }
            else if (app == "productpage")
            {
                container.VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }];
                volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }];
            }
            var selector = new Dictionary<string, string> { ["app"] = app, ["version"] = version };
            return new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = Meta(name, ("app", app), ("version", version)),
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = selector },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Labels = new Dictionary<string, string>(selector) { [BookinfoSample.PartOfLabel] = BookinfoSample.PartOfValue },
                        },
                        Spec = new V1PodSpec
                        {
                            ServiceAccountName = BookinfoSample.ServiceAccountFor(app),
                            Containers = [container],
                            Volumes = volumes,
                        },
                    },
                },
            };
        }

        objects.Add(new PlannedObject(new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta
            {
                Name = ns,
                Labels = input.NamespaceLabels is { Count: > 0 } confirmed ? new Dictionary<string, string>(confirmed) : null,
            },
        }, PlannedObjectRole.BookinfoNamespace, ApplyTool.Kubectl));
        foreach (var service in BookinfoSample.Services)
            objects.Add(new PlannedObject(new V1ServiceAccount
            {
                ApiVersion = "v1",
                Kind = "ServiceAccount",
                Metadata = Meta(BookinfoSample.ServiceAccountFor(service), ("account", service)),
            }, PlannedObjectRole.BookinfoServiceAccount, ApplyTool.Kubectl));
        foreach (var service in BookinfoSample.Services)
            objects.Add(new PlannedObject(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Meta(service, ("app", service), ("service", service)),
                Spec = new V1ServiceSpec
                {
                    Ports = [new V1ServicePort { Port = BookinfoSample.ServicePort, Name = BookinfoSample.ServicePortName }],
                    Selector = new Dictionary<string, string> { ["app"] = service },
                },
            }, PlannedObjectRole.BookinfoService, ApplyTool.Kubectl));
        foreach (var (name, app, version, image) in BookinfoSample.Deployments)
            objects.Add(new PlannedObject(Deployment(name, app, version, image), PlannedObjectRole.BookinfoDeployment, ApplyTool.Kubectl));

        var networkingApi = BookinfoSample.NetworkingApiVersion(input.IstioVersion);
        objects.Add(new PlannedObject(new IstioResource
        {
            ApiVersion = networkingApi,
            Kind = "Gateway",
            Metadata = Meta(BookinfoSample.GatewayName),
            Spec = new()
            {
                ["selector"] = Map((BookinfoSample.IngressGatewaySelectorKey, BookinfoSample.IngressGatewaySelectorValue)),
                ["servers"] = new List<object?>
                {
                    Map(("port", Map(("number", 80), ("name", "http"), ("protocol", "HTTP"))), ("hosts", new List<object?> { "*" })),
                },
            },
        }, PlannedObjectRole.BookinfoGateway, ApplyTool.Kubectl));
        objects.Add(new PlannedObject(new IstioResource
        {
            ApiVersion = networkingApi,
            Kind = "VirtualService",
            Metadata = Meta(BookinfoSample.VirtualServiceName),
            Spec = new()
            {
                ["hosts"] = new List<object?> { "*" },
                ["gateways"] = new List<object?> { BookinfoSample.GatewayName },
                ["http"] = new List<object?>
                {
                    Map(
                        ("match", new List<object?>
                        {
                            Map(("uri", Map(("exact", BookinfoSample.ProductPagePath)))),
                            Map(("uri", Map(("prefix", "/static")))),
                            Map(("uri", Map(("exact", "/login")))),
                            Map(("uri", Map(("exact", "/logout")))),
                            Map(("uri", Map(("prefix", "/api/v1/products")))),
                        }),
                        ("route", new List<object?>
                        {
                            Map(("destination", Map(("host", "productpage"), ("port", Map(("number", BookinfoSample.ServicePort)))))),
                        })),
                },
            },
        }, PlannedObjectRole.BookinfoVirtualService, ApplyTool.Kubectl));

        var commands = new List<PlanCommand> { new("Command.ApplyBookinfo", KubectlApply(objects.Select(o => o.Resource))) };
        var notes = new List<PlanNote>
        {
            new("Note.BookinfoInjectionFromNamespace", ns),
            new("Note.BookinfoImagesPinned", BookinfoImages.Registry, BookinfoImages.Tag),
            new("Note.BookinfoGatewaySelector", $"{BookinfoSample.IngressGatewaySelectorKey}={BookinfoSample.IngressGatewaySelectorValue}"),
        };
        return new Plan(IstioFormChoice.For(input.IstioVersion), objects, commands, notes, Security.SensitiveValues.None) { Namespaces = [ns] };
    }

    private static V1Secret CaCertificateSecret(string ns, string pem) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = SecretName,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["app"] = "lightstep", [ManagedByLabel] = ManagedByValue },
        },
        Type = "Opaque",
        Data = new Dictionary<string, byte[]> { [SecretKey] = Encoding.UTF8.GetBytes(pem) },
    };

    // The original task's form. Istio before 1.6 only has `istioctl manifest apply`; 1.8 and 1.9 ignore
    // `secure`/`cacertPath` and read TLS from meshConfig.defaultConfig.tracing.tlsSettings instead (istio/istio#31190).
    private static void AddInstallValuesForm(PlanInput input, List<PlannedObject> objects, List<PlanCommand> commands, List<PlanNote> notes)
    {
        var settings = new List<(string Path, object Value)>
        {
            ("values.pilot.traceSampling", input.SamplingPercent),
            ("values.global.proxy.tracer", "lightstep"),
            ("values.global.tracer.lightstep.address", input.SatelliteAddress),
            ("values.global.tracer.lightstep.accessToken", input.AccessToken),
            ("values.global.tracer.lightstep.secure", input.Secure),
            ("values.global.tracer.lightstep.cacertPath", input.CacertPath),
        };
        if (input.IstioVersion >= IstioFormChoice.FirstWithTlsSettingsOnly)
        {
            notes.Add(new PlanNote("Note.TlsSettingsReplaceSecure"));
            if (input.Secure)
                settings.AddRange(TlsSettings(input.CacertPath));
        }
        var verb = input.IstioVersion < IstioFormChoice.FirstWithIstioctlInstall ? "istioctl manifest apply" : "istioctl install";
        if (verb == "istioctl manifest apply")
            notes.Add(new PlanNote("Note.ManifestApplyVerb"));
        AddIstioctlStep(input, verb, settings, objects, commands);
    }

    private static void AddMeshConfigForm(PlanInput input, List<PlannedObject> objects, List<PlanCommand> commands)
    {
        var settings = new List<(string Path, object Value)>
        {
            // Still needed: the sidecar injector mounts Secret lightstep.cacert only when this tracer is selected.
            ("values.global.proxy.tracer", "lightstep"),
            ("meshConfig.enableTracing", true),
            ("meshConfig.defaultConfig.tracing.sampling", input.SamplingPercent),
            ("meshConfig.defaultConfig.tracing.lightstep.address", input.SatelliteAddress),
            ("meshConfig.defaultConfig.tracing.lightstep.accessToken", input.AccessToken),
        };
        if (input.Secure)
            settings.AddRange(TlsSettings(input.CacertPath));
        AddIstioctlStep(input, "istioctl install", settings, objects, commands);
    }

    /// <summary>
    /// `--set` flags when they can say everything; the overlay file when the ingress gateway also needs the CA
    /// mounted, because a Kubernetes overlay (a list of patches) cannot be written as --set flags.
    /// </summary>
    private static void AddIstioctlStep(
        PlanInput input, string verb, List<(string Path, object Value)> settings, List<PlannedObject> objects, List<PlanCommand> commands)
    {
        var overlay = Overlay(settings);
        if (GatewayNeedsCaMount(input))
        {
            var resource = (IstioResource)overlay.Resource;
            resource.Spec["components"] = GatewayCaMount(input.CacertPath);
            commands.Add(new PlanCommand("Command.IstioctlOverlay", IstioctlOverlay(resource, verb)));
        }
        else
        {
            commands.Add(new PlanCommand("Command.IstioctlSet", IstioctlSet(verb, settings)));
        }
        objects.Add(overlay);
    }

    /// <summary>
    /// From 1.8 the TLS settings (tracing.tlsSettings, later the DestinationRule) apply to gateways too, but the
    /// injector mounts Secret lightstep.cacert only into sidecars; without this the ingress gateway, the root of
    /// every Bookinfo trace, cannot export (istio/istio#31190; the LightStep task's gateway overlay). The public
    /// OTLP endpoint from 1.16 is verified against public roots instead, so it needs no mount.
    /// </summary>
    private static bool GatewayNeedsCaMount(PlanInput input) =>
        input.Secure && input.CaCertificatePem is not null
        && input.IstioVersion >= IstioFormChoice.FirstWithTlsSettingsOnly
        && !(input.Product == LightStepProduct.PublicTracing && input.IstioVersion >= IstioFormChoice.FirstWithoutEnvoyLightStepTracer);

    private static Dictionary<string, object?> GatewayCaMount(string cacertPath) => Map(("ingressGateways", new List<object?>
    {
        Map(("name", "istio-ingressgateway"), ("enabled", true), ("k8s", Map(("overlays", new List<object?>
        {
            Map(("kind", "Deployment"), ("name", "istio-ingressgateway"), ("patches", new List<object?>
            {
                Map(("path", "spec.template.spec.containers[0].volumeMounts[-1]"),
                    ("value", Map(("name", "lightstep-certs"), ("mountPath", CacertDirectory(cacertPath)), ("readOnly", true)))),
                Map(("path", "spec.template.spec.volumes[-1]"),
                    ("value", Map(("name", "lightstep-certs"), ("secret", Map(("secretName", SecretName), ("optional", true)))))),
            })),
        })))),
    }));

    private static string CacertDirectory(string cacertPath)
    {
        var slash = cacertPath.LastIndexOf('/');
        return slash <= 0 ? "/" : cacertPath[..slash];
    }

    private static void AddExtensionProviderForm(
        PlanInput input, IstioForm form, List<PlannedObject> objects, List<PlanCommand> commands, List<PlanNote> notes)
    {
        var address = input.Product == LightStepProduct.PublicTracing ? PublicOtlpAddress : input.SatelliteAddress;
        if (input.Product == LightStepProduct.PublicTracing)
            notes.Add(new PlanNote("Note.PublicOtlpEndpoint", PublicOtlpAddress));
        var (host, port) = SplitAddress(address);
        var inCluster = InClusterServiceHost(host);
        var serviceHost = inCluster ?? host;
        var v1 = input.IstioVersion >= IstioFormChoice.FirstWithTelemetryV1;
        var networkingApi = v1 ? "networking.istio.io/v1" : "networking.istio.io/v1beta1";

        var tracingObjects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (inCluster is null)
        {
            tracingObjects.Add(IstioObject(networkingApi, "ServiceEntry", TracingObjectName, new()
            {
                ["hosts"] = new List<object?> { host },
                ["location"] = "MESH_EXTERNAL",
                ["resolution"] = "DNS",
                // GRPC, not TLS or HTTPS: Envoy's OTLP exporter needs an HTTP/2 cluster; TLS is originated by the DestinationRule.
                ["ports"] = new List<object?> { Map(("number", port), ("name", "grpc-otlp"), ("protocol", "GRPC")) },
            }));
        }
        else
        {
            notes.Add(new PlanNote("Note.InClusterSatellite", serviceHost));
        }
        if (input.Secure)
        {
            var tls = Map(("mode", "SIMPLE"), ("sni", host));
            if (input.CaCertificatePem is not null && input.Product == LightStepProduct.OnPremSatellites)
                tls["caCertificates"] = input.CacertPath;
            tracingObjects.Add(IstioObject(networkingApi, "DestinationRule", TracingObjectName, new()
            {
                ["host"] = serviceHost,
                ["trafficPolicy"] = Map(("portLevelSettings", new List<object?> { Map(("port", Map(("number", port))), ("tls", tls)) })),
            }));
        }

        var providerName = form == IstioForm.OpenTelemetry ? "lightstep-otlp" : "lightstep";
        tracingObjects.Add(IstioObject(v1 ? "telemetry.istio.io/v1" : "telemetry.istio.io/v1alpha1", "Telemetry", "mesh-default", new()
        {
            ["tracing"] = new List<object?>
            {
                Map(("providers", new List<object?> { Map(("name", providerName)) }), ("randomSamplingPercentage", input.SamplingPercent)),
            },
        }));

        var provider = form == IstioForm.OpenTelemetry
            ? Map(("name", providerName), ("opentelemetry", Map(
                ("service", serviceHost), ("port", port),
                ("grpc", Map(("timeout", "10s"), ("initialMetadata", new List<object?> { Map(("name", AccessTokenHeader), ("value", input.AccessToken)) }))))))
            : Map(("name", providerName), ("lightstep", Map(("service", serviceHost), ("port", port), ("accessToken", input.AccessToken))));
        var meshConfig = Map(("extensionProviders", new List<object?> { provider }));
        var spec = new Dictionary<string, object?> { ["meshConfig"] = meshConfig };
        if (form == IstioForm.LightStepExtensionProvider && input.Secure && input.CaCertificatePem is not null
            && input.Product == LightStepProduct.OnPremSatellites)
        {
            // Up to 1.26 the injector mounts lightstep.cacert next to tlsSettings.caCertificates when the
            // lightstep tracer is selected, which is what lets the DestinationRule's caCertificates resolve.
            spec["values"] = Map(("global", Map(("proxy", Map(("tracer", "lightstep"))))));
            meshConfig["defaultConfig"] = Map(("tracing", Map(("tlsSettings", Map(("mode", "SIMPLE"), ("caCertificates", input.CacertPath))))));
        }
        else if (input.Secure && input.CaCertificatePem is not null && input.Product == LightStepProduct.OnPremSatellites)
        {
            notes.Add(new PlanNote("Note.MountCaForOpenTelemetry", SecretName, input.CacertPath));
        }
        if (GatewayNeedsCaMount(input))
            spec["components"] = GatewayCaMount(input.CacertPath);

        var overlay = IstioObject("install.istio.io/v1alpha1", "IstioOperator", OverlayName, spec);
        objects.Add(new PlannedObject(overlay, PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl));
        foreach (var o in tracingObjects)
            objects.Add(new PlannedObject(o, RoleOf(o.Kind), ApplyTool.Kubectl));
        commands.Add(new PlanCommand("Command.ApplyTracingObjects", KubectlApply(tracingObjects)));
        commands.Add(new PlanCommand("Command.IstioctlOverlay", IstioctlOverlay(overlay, "istioctl install")));
    }

    private static PlannedObjectRole RoleOf(string kind) => kind switch
    {
        "ServiceEntry" => PlannedObjectRole.TracingServiceEntry,
        "DestinationRule" => PlannedObjectRole.TracingDestinationRule,
        _ => PlannedObjectRole.TracingTelemetry,
    };

    private static IEnumerable<(string, object)> TlsSettings(string cacertPath) =>
    [
        ("meshConfig.defaultConfig.tracing.tlsSettings.mode", "SIMPLE"),
        ("meshConfig.defaultConfig.tracing.tlsSettings.caCertificates", cacertPath),
    ];

    private static PlannedObject Overlay(IEnumerable<(string Path, object Value)> settings)
    {
        var spec = new Dictionary<string, object?>();
        foreach (var (path, value) in settings)
        {
            var segments = path.Split('.');
            var node = spec;
            foreach (var segment in segments[..^1])
            {
                if (!node.TryGetValue(segment, out var child) || child is not Dictionary<string, object?> map)
                    node[segment] = map = [];
                node = map;
            }
            node[segments[^1]] = value;
        }
        return new PlannedObject(IstioObject("install.istio.io/v1alpha1", "IstioOperator", OverlayName, spec),
            PlannedObjectRole.IstioInstallOverlay, ApplyTool.Istioctl);
    }

    private static IstioResource IstioObject(string apiVersion, string kind, string name, Dictionary<string, object?> spec) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = IstioNamespace,
            Labels = new Dictionary<string, string> { ["app"] = "lightstep", [ManagedByLabel] = ManagedByValue },
        },
        Spec = spec,
    };

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    private static string KubectlApply(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        $"kubectl apply --server-side --field-manager={FieldManager} -f - <<'YAML'\n{PlanRenderer.Yaml(objects)}YAML";

    private static string IstioctlSet(string verb, IEnumerable<(string Path, object Value)> settings)
    {
        var script = new StringBuilder(verb).Append(' ').Append(BaseOverlayArguments);
        foreach (var (path, value) in settings)
            script.Append(" \\\n  --set ").Append(path).Append('=').Append(ShellQuote(SetValue(value)));
        return script.ToString();
    }

    private static string IstioctlOverlay(IstioResource overlay, string verb) =>
        $"cat > \"$workdir/{OverlayName}.yaml\" <<'YAML'\n{PlanRenderer.Yaml([overlay])}YAML\n" +
        $"{verb} {BaseOverlayArguments} -f \"$workdir/{OverlayName}.yaml\"";

    // `${a[@]+"${a[@]}"}` rather than "${a[@]}": bash before 4.4 (macOS ships 3.2) treats an empty array as unset under `set -u`.
    private const string BaseOverlayArguments = "${base_overlay[@]+\"${base_overlay[@]}\"}";

    private static string SetValue(object value) => value switch
    {
        bool b => b ? "true" : "false",
        decimal d => Percent(d),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    internal static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Single-quotes for POSIX shells; a quote inside becomes '\''.</summary>
    public static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:@%+=,".Contains(c)) && value.Length > 0
            ? value
            : "'" + value.Replace("'", "'\\''") + "'";

    private static (string Host, int Port) SplitAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = address[..colon].Trim('[', ']');
        return (host, int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// "name.namespace" or "name.namespace.svc[.cluster.local]" is a Kubernetes Service already in Istio's registry,
    /// which the provider's `service` field wants as its FQDN; anything else is external and needs a ServiceEntry.
    /// </summary>
    private static readonly HashSet<string> PublicSuffixes =
        ["com", "net", "org", "io", "dev", "cloud", "app", "ai", "co", "cn", "de", "uk", "jp", "fr", "eu", "us", "local", "internal", "corp", "lan"];

    private static string? InClusterServiceHost(string host)
    {
        var labels = host.Split('.');
        if (labels.Length == 2 && !labels.Any(l => l.All(char.IsAsciiDigit)) && !PublicSuffixes.Contains(labels[1]))
            return $"{host}.svc.cluster.local";
        if (host.EndsWith(".svc", StringComparison.Ordinal)) return $"{host}.cluster.local";
        if (host.EndsWith(".svc.cluster.local", StringComparison.Ordinal)) return host;
        return null;
    }
}
