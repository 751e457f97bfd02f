using k8s;
using k8s.Models;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Tests.Bookinfo;

public class BookinfoPlanTests
{
    internal static Plan PlanFor(string version, string ns = "bookinfo", IReadOnlyDictionary<string, string>? namespaceLabels = null) =>
        PlanBuilder.BuildBookinfo(new BookinfoInput(ns, IstioVersion.Parse(version), namespaceLabels));

    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> Resources(Plan plan) => plan.Objects.Select(o => o.Resource);

    [Fact]
    public void Objects_come_in_apply_order_with_their_roles()
    {
        var plan = PlanFor("1.26");

        var actual = plan.Objects.Select(o => $"{o.Role} {o.Kind}/{o.Name}").ToList();

        Assert.Equal(
        [
            "BookinfoNamespace Namespace/bookinfo",
            "BookinfoServiceAccount ServiceAccount/bookinfo-details",
            "BookinfoServiceAccount ServiceAccount/bookinfo-ratings",
            "BookinfoServiceAccount ServiceAccount/bookinfo-reviews",
            "BookinfoServiceAccount ServiceAccount/bookinfo-productpage",
            "BookinfoService Service/details",
            "BookinfoService Service/ratings",
            "BookinfoService Service/reviews",
            "BookinfoService Service/productpage",
            "BookinfoDeployment Deployment/details-v1",
            "BookinfoDeployment Deployment/ratings-v1",
            "BookinfoDeployment Deployment/reviews-v1",
            "BookinfoDeployment Deployment/reviews-v2",
            "BookinfoDeployment Deployment/reviews-v3",
            "BookinfoDeployment Deployment/productpage-v1",
            "BookinfoGateway Gateway/bookinfo-gateway",
            "BookinfoVirtualService VirtualService/bookinfo",
        ], actual);
        Assert.All(plan.Objects, o => Assert.Equal(ApplyTool.Kubectl, o.AppliedWith));
    }

    [Theory]
    [InlineData("bookinfo")]
    [InlineData("team-a")]
    public void Every_object_is_in_the_chosen_namespace_and_labelled_as_ours_and_part_of_bookinfo(string ns)
    {
        var plan = PlanFor("1.20", ns);

        Assert.All(Resources(plan).Where(r => r.Kind != "Namespace"), r =>
        {
            Assert.Equal(ns, r.Metadata.NamespaceProperty);
            Assert.Equal("lightstep-console", r.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("bookinfo", r.Metadata.Labels["app.kubernetes.io/part-of"]);
        });
        Assert.Equal([ns], plan.Namespaces);
    }

    [Theory]
    [InlineData("1.4", "networking.istio.io/v1alpha3", IstioForm.InstallValues)]
    [InlineData("1.4.9", "networking.istio.io/v1alpha3", IstioForm.InstallValues)]
    [InlineData("1.5", "networking.istio.io/v1beta1", IstioForm.InstallValues)]
    [InlineData("1.14", "networking.istio.io/v1beta1", IstioForm.MeshConfigProxyTracing)]
    [InlineData("1.21.6", "networking.istio.io/v1beta1", IstioForm.LightStepExtensionProvider)]
    [InlineData("1.22", "networking.istio.io/v1", IstioForm.LightStepExtensionProvider)]
    [InlineData("1.28", "networking.istio.io/v1", IstioForm.OpenTelemetry)]
    public void Gateway_and_virtual_service_use_the_networking_api_the_istio_release_serves(string version, string apiVersion, IstioForm form)
    {
        var plan = PlanFor(version);

        var istio = plan.Objects.Select(o => o.Resource).OfType<IstioResource>().ToList();
        Assert.Equal(["Gateway", "VirtualService"], istio.Select(r => r.Kind));
        Assert.All(istio, r => Assert.Equal(apiVersion, r.ApiVersion));
        Assert.Equal(form, plan.Form);
        Assert.Equal(IstioFormChoice.For(IstioVersion.Parse(version)), plan.FormChoice);
    }

    [Fact]
    public void Services_expose_port_9080_named_http_and_select_their_app()
    {
        var services = PlanFor("1.26").Objects.Select(o => o.Resource).OfType<V1Service>().ToList();

        Assert.Equal(4, services.Count);
        Assert.All(services, s =>
        {
            var port = Assert.Single(s.Spec.Ports);
            Assert.Equal((9080, "http"), (port.Port, port.Name));
            Assert.Equal(new Dictionary<string, string> { ["app"] = s.Metadata.Name }, s.Spec.Selector);
            Assert.Equal(s.Metadata.Name, s.Metadata.Labels["app"]);
            Assert.Equal(s.Metadata.Name, s.Metadata.Labels["service"]);
        });
    }

    [Theory]
    [InlineData("details-v1", "details", "v1", "docker.io/istio/examples-bookinfo-details-v1:1.20.3")]
    [InlineData("ratings-v1", "ratings", "v1", "docker.io/istio/examples-bookinfo-ratings-v1:1.20.3")]
    [InlineData("reviews-v1", "reviews", "v1", "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3")]
    [InlineData("reviews-v2", "reviews", "v2", "docker.io/istio/examples-bookinfo-reviews-v2:1.20.3")]
    [InlineData("reviews-v3", "reviews", "v3", "docker.io/istio/examples-bookinfo-reviews-v3:1.20.3")]
    [InlineData("productpage-v1", "productpage", "v1", "docker.io/istio/examples-bookinfo-productpage-v1:1.20.3")]
    public void Deployment_runs_one_pinned_replica_with_its_service_account_and_labels(string name, string app, string version, string image)
    {
        var deployment = Deployment(name);

        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal(new Dictionary<string, string> { ["app"] = app, ["version"] = version }, deployment.Spec.Selector.MatchLabels);
        var templateLabels = deployment.Spec.Template.Metadata.Labels;
        Assert.Equal((app, version), (templateLabels["app"], templateLabels["version"]));
        Assert.Equal((app, version), (deployment.Metadata.Labels["app"], deployment.Metadata.Labels["version"]));
        Assert.Equal($"bookinfo-{app}", deployment.Spec.Template.Spec.ServiceAccountName);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal(app, container.Name);
        Assert.Equal(image, container.Image);
        Assert.Contains(image, BookinfoImages.All);
        Assert.Equal(9080, Assert.Single(container.Ports).ContainerPort);
        Assert.Equal("10m", container.Resources.Requests["cpu"].ToString());
        Assert.True(container.Resources.Requests.ContainsKey("memory"));
        Assert.Null(container.Resources.Limits);
    }

    [Theory]
    [InlineData("reviews-v1")]
    [InlineData("reviews-v2")]
    [InlineData("reviews-v3")]
    public void Reviews_get_log_dir_and_empty_dirs_for_tmp_and_liberty_output(string name)
    {
        var spec = Deployment(name).Spec.Template.Spec;

        var container = Assert.Single(spec.Containers);
        var env = Assert.Single(container.Env);
        Assert.Equal(("LOG_DIR", "/tmp/logs"), (env.Name, env.Value));
        Assert.Equal(["tmp:/tmp", "wlp-output:/opt/ibm/wlp/output"], container.VolumeMounts.Select(m => $"{m.Name}:{m.MountPath}"));
        Assert.Equal(["wlp-output", "tmp"], spec.Volumes.Select(v => v.Name));
        Assert.All(spec.Volumes, v => Assert.NotNull(v.EmptyDir));
    }

    [Theory]
    [InlineData("details-v1", 0)]
    [InlineData("ratings-v1", 0)]
    [InlineData("productpage-v1", 1)]
    public void Other_deployments_have_no_log_dir_and_only_productpage_mounts_tmp(string name, int volumes)
    {
        var spec = Deployment(name).Spec.Template.Spec;

        Assert.Null(spec.Containers[0].Env);
        Assert.Equal(volumes, spec.Volumes?.Count ?? 0);
        Assert.Equal(volumes, spec.Containers[0].VolumeMounts?.Count ?? 0);
    }

    [Fact]
    public void The_plan_starts_with_the_namespace_carrying_exactly_the_confirmed_injection_labels()
    {
        var labels = new Dictionary<string, string> { ["istio.io/rev"] = "canary" };

        var first = PlanFor("1.26", "shop", labels).Objects[0];

        Assert.Equal(PlannedObjectRole.BookinfoNamespace, first.Role);
        var ns = Assert.IsType<V1Namespace>(first.Resource);
        Assert.Equal(("v1", "Namespace", "shop", null), (ns.ApiVersion, ns.Kind, ns.Metadata.Name, ns.Metadata.NamespaceProperty));
        Assert.Equal(labels, ns.Metadata.Labels);
        Assert.Null(ns.Metadata.Annotations);
        Assert.Null(ns.Spec);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Without_confirmed_labels_the_namespace_object_carries_no_label_at_all(bool emptyDictionary)
    {
        var ns = (V1Namespace)PlanFor("1.26", "shop", emptyDictionary ? new Dictionary<string, string>() : null).Objects[0].Resource;

        Assert.Equal("shop", ns.Metadata.Name);
        Assert.Null(ns.Metadata.Labels);
    }

    [Fact]
    public void Nothing_asks_for_or_against_sidecar_injection_injection_comes_from_the_namespace()
    {
        var yaml = PlanRenderer.ManifestsYaml(PlanFor("1.26"));

        Assert.DoesNotContain("sidecar.istio.io/inject", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("istio-injection", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_selects_the_default_ingress_gateway_on_port_80_for_every_host()
    {
        var gateway = Istio("Gateway");

        Assert.Equal("bookinfo-gateway", gateway.Metadata.Name);
        Assert.Equal(new Dictionary<string, object?> { ["istio"] = "ingressgateway" }, gateway.Spec["selector"]);
        var server = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(gateway.Spec["servers"])));
        Assert.Equal(new Dictionary<string, object?> { ["number"] = 80, ["name"] = "http", ["protocol"] = "HTTP" }, server["port"]);
        Assert.Equal(["*"], Assert.IsType<List<object?>>(server["hosts"]));
    }

    [Fact]
    public void Virtual_service_routes_the_five_productpage_paths_through_the_gateway_to_productpage_9080()
    {
        var vs = Istio("VirtualService");

        Assert.Equal(["*"], Assert.IsType<List<object?>>(vs.Spec["hosts"]));
        Assert.Equal(["bookinfo-gateway"], Assert.IsType<List<object?>>(vs.Spec["gateways"]));
        var http = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(vs.Spec["http"])));
        var matches = Assert.IsType<List<object?>>(http["match"]).Cast<Dictionary<string, object?>>()
            .Select(m => Assert.IsType<Dictionary<string, object?>>(m["uri"]).Single())
            .Select(kv => $"{kv.Key} {kv.Value}");
        Assert.Equal(["exact /productpage", "prefix /static", "exact /login", "exact /logout", "prefix /api/v1/products"], matches);
        var route = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(http["route"])));
        var destination = Assert.IsType<Dictionary<string, object?>>(route["destination"]);
        Assert.Equal("productpage", destination["host"]);
        Assert.Equal(new Dictionary<string, object?> { ["number"] = 9080 }, destination["port"]);
    }

    [Fact]
    public void One_server_side_apply_command_carries_every_object_and_nothing_is_sensitive()
    {
        var plan = PlanFor("1.26");

        var command = Assert.Single(plan.Commands);
        Assert.Equal("Command.ApplyBookinfo", command.Code);
        Assert.StartsWith("kubectl apply --server-side --field-manager=lightstep-console-bookinfo -f - <<'YAML'\n", command.Script, StringComparison.Ordinal);
        Assert.EndsWith("\nYAML", command.Script, StringComparison.Ordinal);
        Assert.Contains(PlanRenderer.ManifestsYaml(plan), command.Script, StringComparison.Ordinal);
        Assert.Empty(plan.SensitiveValues);
    }

    [Fact]
    public void Notes_name_the_namespace_the_pinned_images_and_the_gateway_selector()
    {
        var notes = PlanFor("1.26", "shop").Notes;

        Assert.Equal(["Note.BookinfoInjectionFromNamespace", "Note.BookinfoImagesPinned", "Note.BookinfoGatewaySelector"], notes.Select(n => n.Code));
        Assert.Equal(["shop"], notes[0].Arguments);
        Assert.Equal(["docker.io/istio", "1.20.3"], notes[1].Arguments);
        Assert.Equal(["istio=ingressgateway"], notes[2].Arguments);
    }

    [Fact]
    public void Images_are_the_six_upstream_names_with_one_tag()
    {
        Assert.Equal(
        [
            "docker.io/istio/examples-bookinfo-details-v1:1.20.3",
            "docker.io/istio/examples-bookinfo-ratings-v1:1.20.3",
            "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3",
            "docker.io/istio/examples-bookinfo-reviews-v2:1.20.3",
            "docker.io/istio/examples-bookinfo-reviews-v3:1.20.3",
            "docker.io/istio/examples-bookinfo-productpage-v1:1.20.3",
        ], BookinfoImages.All);
        Assert.Equal(BookinfoImages.All, PlanFor("1.26").Objects.Select(o => o.Resource).OfType<V1Deployment>()
            .Select(d => d.Spec.Template.Spec.Containers[0].Image));
    }

    [Theory]
    [InlineData("bookinfo", true)]
    [InlineData("a", true)]
    [InlineData("Bookinfo", false)]
    [InlineData("", false)]
    [InlineData("-bookinfo", false)]
    [InlineData("book_info", false)]
    public void Input_validation_requires_a_dns_label_namespace(string ns, bool valid)
    {
        var issues = new BookinfoInput(ns, IstioVersion.Parse("1.26")).Validate();

        if (valid) Assert.Empty(issues);
        else Assert.Equal("Bookinfo.InvalidNamespace", Assert.Single(issues).Code);
    }

    private static V1Deployment Deployment(string name) =>
        PlanFor("1.26").Objects.Select(o => o.Resource).OfType<V1Deployment>().Single(d => d.Metadata.Name == name);

    private static IstioResource Istio(string kind) =>
        PlanFor("1.26").Objects.Select(o => o.Resource).OfType<IstioResource>().Single(r => r.Kind == kind);
}
