using k8s.Models;
using MeshConsole.Domain.Bookinfo;
using static MeshConsole.Domain.Planning.IstioObjects;

namespace MeshConsole.Domain.Planning;

internal static class BookinfoPlanBuilder
{
    /// <summary>
    /// The Bookinfo sample for this console (ours, shaped like istio/istio samples/bookinfo/platform/kube/bookinfo.yaml
    /// and networking/bookinfo-gateway.yaml): the Namespace, then ServiceAccounts, Services, Deployments, the Gateway and
    /// the VirtualService, all in <see cref="BookinfoInput.Namespace"/>. The Namespace object carries only the injection
    /// labels the user confirmed: applied server-side, it creates the namespace when absent and owns just those labels,
    /// so every other label the namespace has stays as it is. Sidecars come from the namespace's injection label, so the pod
    /// templates carry no sidecar.istio.io/inject; images come from <see cref="BookinfoImages"/> only.
    /// </summary>
    public static Plan Build(BookinfoInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ns = input.Namespace;
        var objects = new List<PlannedObject>();

        Dictionary<string, string> Labels(params (string Key, string Value)[] own)
        {
            var labels = own.ToDictionary(l => l.Key, l => l.Value);
            labels[BookinfoSample.PartOfLabel] = BookinfoSample.PartOfValue;
            labels[PlanBuilder.ManagedByLabel] = PlanBuilder.ManagedByValue;
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

        var commands = new List<PlanCommand> { new("Command.ApplyBookinfo", InstallCommands.KubectlApply(objects.Select(o => o.Resource), FieldManagers.Bookinfo)) };
        var notes = new List<PlanNote>
        {
            new("Note.BookinfoInjectionFromNamespace", ns),
            new("Note.BookinfoImagesPinned", BookinfoImages.Registry, BookinfoImages.Tag),
            new("Note.BookinfoGatewaySelector", $"{BookinfoSample.IngressGatewaySelectorKey}={BookinfoSample.IngressGatewaySelectorValue}"),
        };
        return new Plan(IstioFormChoice.For(input.IstioVersion), objects, commands, notes, []) { Namespaces = [ns], FieldManager = FieldManagers.Bookinfo };
    }
}
