using System.Text;
using System.Text.Json.Nodes;
using KubeEmulator;
using MeshConsole.Domain.Traffic;
using Microsoft.Playwright;
using TrafficStandIns;
using static Microsoft.Playwright.Assertions;

namespace WebConsole.BrowserTests;

/// <summary>
/// One console, one emulated cluster with Istio 1.28 whose Deployments roll out, and the two stand-ins tied to that
/// cluster: the ingress gateway Service's load balancer answers at the gateway stand-in's loopback address (as a cloud
/// load balancer controller would write into the Service's status), so the console's own discovery finds it; the
/// collector stand-in is the satellite the wizard names, so the applied mesh config sends spans to it.
/// </summary>
public sealed class FullWalkServerFixture() : MeshStandInsFixture(Token, "emulator-full")
{
    public const string Token = "lsBROWSER-fullwalk-1a2b3c4d5e-WXYZ";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };

    protected override Task PrepareAsync()
    {
        PointIngressGatewayAt(Gateway.BaseUrl);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The load balancer in front of istio-system/istio-ingressgateway listens on the gateway stand-in's address: its
    /// ingress IP is the stand-in's and the Service's http2 port is the stand-in's port (what the load balancer
    /// listens on). Part of the cluster before the walk starts.
    /// </summary>
    private void PointIngressGatewayAt(Uri gateway)
    {
        var service = Emulator.Store.Get("v1", "Service", "istio-system", "istio-ingressgateway")
            ?? throw new InvalidOperationException("The Istio fixture has no istio-system/istio-ingressgateway Service.");
        var http2 = service["spec"]!["ports"]!.AsArray().OfType<JsonObject>().Single(p => (string?)p["name"] == "http2");
        http2["port"] = gateway.Port;
        service["status"] = new JsonObject
        {
            ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = gateway.Host, ["ipMode"] = "VIP" }) },
        };
        // The installer's own field manager (the Istio fixture's), so the Service reads as installed this way.
        Emulator.Store.Put(service, "istio-operator");
    }
}

public sealed class FullWalkTests(FullWalkServerFixture server) : PageErrorCheckedTest(server), IClassFixture<FullWalkServerFixture>
{
    private const string Project = "browser-full-walk";
    private const int Requests = 12;

    /// <summary>Every kind the walk's plans may write, with the apiVersion to read it at; a kind outside this list fails the walk.</summary>
    private static readonly IReadOnlyDictionary<string, string> ApiVersionOfKind = new Dictionary<string, string>
    {
        ["Namespace"] = "v1",
        ["Secret"] = "v1",
        ["ConfigMap"] = "v1",
        ["Service"] = "v1",
        ["ServiceAccount"] = "v1",
        ["Deployment"] = "apps/v1",
        ["IstioOperator"] = "install.istio.io/v1alpha1",
        ["Telemetry"] = "telemetry.istio.io/v1",
        ["Gateway"] = "networking.istio.io/v1",
        ["VirtualService"] = "networking.istio.io/v1",
        ["DestinationRule"] = "networking.istio.io/v1",
        ["ServiceEntry"] = "networking.istio.io/v1",
    };

    [Fact]
    public async Task Applies_deploys_bookinfo_sends_traffic_to_the_discovered_gateway_and_cleans_up_to_the_cluster_it_found()
    {
        var before = Snapshot();

        var page = await server.NewPageAsync();
        await page.OpenConsoleAsync(server.BaseUrl);
        await Expect(page.Locator("#cluster-mode")).ToContainTextAsync("emulator-full");

        // The wizard: the satellite is the collector stand-in, so the applied plan names it.
        var satellite = server.Collector.GrpcUrl.Authority;
        await page.Locator("#product-onprem").ClickAsync();
        await page.NextAsync("Token");
        await page.EnterAsync("#token-input", FullWalkServerFixture.Token);
        await page.NextAsync("Satellite");
        await page.EnterAsync("#satellite-input", satellite);
        await page.NextAsync("Certificate");
        await page.UploadAsync(new FilePayload
        {
            Name = "ca.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(TestCertificates.CaPem("Full Walk CA")),
        });
        await Expect(page.Locator(".certificate-details")).ToHaveCountAsync(1);
        // The workload namespaces stay as proposed: bookinfo does not exist until the Bookinfo step creates it, and
        // from Istio 1.16 on its sidecars need no Secret of their own (the Bookinfo step checks that below).
        await page.NextAsync("Namespaces");
        await page.NextAsync("Istio");
        await page.EnterAsync("#istio-version-input", "1.28");
        // The collector stand-in speaks cleartext gRPC.
        await page.Locator("#secure-switch").ClickAsync();
        // Without TLS no CA has to be mounted, so 1.28 offers the direct route beside its default, the collector; this
        // walk takes direct, whose spans the gateway stand-in reports to the satellite the mesh config names.
        await page.Locator("#route-direct").ClickAsync();
        await Expect(page.Locator("#route-direct")).ToBeCheckedAsync();
        await page.NextAsync("Review");

        // Apply: preflight, preview (dry-run and diff), apply, per-object results.
        await page.NextAsync("Apply");
        await Expect(page.Locator("#apply-target")).ToContainTextAsync("emulator-full");
        await page.Locator("#preflight-run").ClickAsync();
        await Expect(page.Locator("[data-check='api'][data-ok='true']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-check='istio'][data-ok='true']")).ToContainTextAsync("1.28");
        await Expect(page.Locator("[data-check='rbac'][data-ok='true']")).ToBeVisibleAsync();

        await page.Locator("#preview-run").ClickAsync();
        var meshPreview = page.Locator(".preview[data-object='ConfigMap/istio -n istio-system']");
        // istioctl installed the mesh config with server-side apply, so its field manager owns the fields the plan sets.
        await Expect(meshPreview).ToHaveAttributeAsync("data-change", "Failed");
        await meshPreview.ClickAsync();
        await Expect(meshPreview.Locator(".failure-conflicts")).ToContainTextAsync("istio-operator");
        await Expect(page.Locator("#apply-run")).ToBeDisabledAsync();
        await page.Locator("#force-conflicts").ClickAsync();
        await page.Locator("#preview-run").ClickAsync();
        await Expect(meshPreview).ToHaveAttributeAsync("data-change", "Change");
        await Expect(page.Locator(".preview[data-object='Telemetry/mesh-default -n istio-system']")).ToHaveAttributeAsync("data-change", "Create");
        await meshPreview.ClickAsync();
        await Expect(meshPreview.Locator(".diff-added", new() { HasText = "lightstep-otlp" }).First).ToBeVisibleAsync();
        Assert.DoesNotContain(FullWalkServerFixture.Token, await page.ContentAsync());
        // The dry run wrote nothing.
        Assert.Equal(Canonical(before), Canonical(Snapshot()));

        // Every object previews cleanly, which is what lets the apply go ahead.
        var failedPreviews = page.Locator(".preview[data-change='Failed']");
        Assert.True(await failedPreviews.CountAsync() == 0, "Failed previews: " + string.Join("\n", await failedPreviews.AllInnerTextsAsync()));
        await page.Locator("#apply-confirm").ClickAsync();
        await page.Locator("#apply-run").ClickAsync();
        var applied = page.Locator("#apply-results .outcome");
        await Expect(page.Locator("#apply-results .outcome[data-object='ConfigMap/istio -n istio-system']")).ToHaveAttributeAsync("data-result", "Changed");
        await Expect(page.Locator("#apply-results .outcome[data-object='Telemetry/mesh-default -n istio-system']")).ToHaveAttributeAsync("data-result", "Created");
        var appliedObjects = await ObjectsAsync(applied);
        foreach (var (objectText, result) in appliedObjects)
            Assert.True(result is "Created" or "Changed" or "Unchanged", $"{objectText} was {result}");

        // In the cluster, as applied: every created or changed object exists, the mesh config names the collector
        // stand-in with the token as gRPC metadata, and the Telemetry selects that provider.
        foreach (var (objectText, _) in appliedObjects)
        {
            var (kind, ns, name) = ParseObject(objectText);
            Assert.True(server.Emulator.Store.Get(ApiVersionOf(kind), kind, ns, name) is not null, $"{objectText} is not in the cluster");
        }
        var telemetry = server.Emulator.Store.Get("telemetry.istio.io/v1", "Telemetry", "istio-system", "mesh-default")!;
        var provider = AppliedProvider((string)telemetry["spec"]!["tracing"]![0]!["providers"]![0]!["name"]!);
        Assert.Equal(FullWalkServerFixture.Token, (string?)provider["opentelemetry"]!["grpc"]!["initialMetadata"]![0]!["value"]);

        // The mesh's proxies report their spans where the applied mesh config says: the gateway stand-in plays the
        // ingress gateway's proxy, so it reports to the collector stand-in only because the plan named its address.
        var otlp = provider["opentelemetry"]!;
        var namedCollector = $"{otlp["service"]}:{otlp["port"]}";
        Assert.Equal(satellite, namedCollector);
        server.Gateway.ReportSpansTo(server.Collector);

        // Bookinfo: into its own namespace, ready, and the gateway found by the console's discovery.
        await page.NextAsync("Bookinfo");
        await Expect(page.Locator("#bookinfo-namespace")).ToHaveValueAsync("default");
        await page.EnterAsync("#bookinfo-namespace", "bookinfo");
        await page.Locator("#bookinfo-check-namespace").ClickAsync();
        await Expect(page.Locator("#bookinfo-namespace-state")).ToHaveAttributeAsync("data-exists", "false");
        await Expect(page.Locator("#bookinfo-injection")).ToHaveAttributeAsync("data-status", "Missing");
        await Expect(page.Locator("#bookinfo-ca-secret-missing")).ToHaveCountAsync(0);
        await page.Locator("#bookinfo-confirm-label").ClickAsync();
        await page.Locator("#bookinfo-preview").ClickAsync();
        await Expect(page.Locator("#bookinfo-previews .preview[data-object='Deployment/productpage-v1 -n bookinfo']")).ToHaveAttributeAsync("data-change", "Create");
        await page.Locator("#bookinfo-deploy-confirm").ClickAsync();
        await page.Locator("#bookinfo-deploy").ClickAsync();
        await Expect(page.Locator("#bookinfo-results .outcome[data-object='VirtualService/bookinfo -n bookinfo']")).ToHaveAttributeAsync("data-result", "Created");
        await Expect(page.Locator("#bookinfo-ready")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#bookinfo-readiness .readiness[data-state='Ready']")).ToHaveCountAsync(6);
        var bookinfoObjects = await ObjectsAsync(page.Locator("#bookinfo-results .outcome"));
        foreach (var (objectText, _) in bookinfoObjects)
        {
            var (kind, ns, name) = ParseObject(objectText);
            Assert.True(server.Emulator.Store.Get(ApiVersionOf(kind), kind, ns, name) is not null, $"{objectText} is not in the cluster");
        }

        var discovered = page.Locator("#gateway-discovered");
        await Expect(discovered).ToHaveAttributeAsync("data-source", "LoadBalancerIp");
        await Expect(discovered).ToHaveAttributeAsync("data-url", server.Gateway.BaseUrl.GetLeftPart(UriPartial.Authority));
        await page.Locator("#gateway-check").ClickAsync();
        await Expect(page.Locator("#gateway-check-result")).ToHaveAttributeAsync("data-status", "200");

        // Traffic: to the discovered gateway; the console's root spans go to the satellite the plan names, no override.
        await page.NextAsync("Traffic");
        await Expect(page.Locator("#traffic-gateway")).ToHaveAttributeAsync("data-url", server.Gateway.BaseUrl.GetLeftPart(UriPartial.Authority) + "/productpage");
        await Expect(page.Locator("#span-destination")).ToHaveAttributeAsync("data-address", satellite);
        await Expect(page.Locator("#span-endpoint-override")).ToHaveValueAsync("");
        await page.EnterAsync("#lightstep-project", Project);
        await page.EnterAsync("#traffic-requests", Requests.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.EnterAsync("#traffic-concurrency", "3");
        var arrivalsBefore = server.Gateway.Arrivals;
        await page.Locator("#traffic-run").ClickAsync();
        await Expect(page.Locator("#traffic-counts")).ToHaveAttributeAsync("data-completed", Requests.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Expect(page.Locator("#span-export")).ToHaveAttributeAsync("data-outcome", "Exported");
        var rows = page.Locator(".traffic-row[data-trace-id]");
        await Expect(rows).ToHaveCountAsync(Requests);
        await Expect(page.Locator(".traffic-row .trace-link")).ToHaveCountAsync(Requests);
        Assert.Equal(Requests, server.Gateway.Arrivals - arrivalsBefore);
        for (var i = 0; i < Requests; i++)
        {
            var row = rows.Nth(i);
            var traceId = TraceId.Parse((await row.GetAttributeAsync("data-trace-id"))!);
            var spanId = SpanId.Parse((await row.GetAttributeAsync("data-span-id"))!);
            Assert.Equal("200", await row.GetAttributeAsync("data-status"));
            // The console's root span and the gateway's child span of it, both at the collector the plan names.
            var root = server.Collector.Spans[(traceId, spanId)];
            Assert.Null(root.ParentSpanId);
            Assert.Equal(FullWalkServerFixture.Token, root.AccessToken);
            Assert.Contains(server.Collector.Spans.Values, s => s.TraceId == traceId && s.ParentSpanId == spanId && s.ServiceName == GatewayStandIn.ServiceName);
            Assert.StartsWith($"https://app.lightstep.com/{Project}/trace?span_guid={spanId.Value:x}&at_micros=", await row.Locator(".trace-link").GetAttributeAsync("href"));
        }

        // Cleanup: Bookinfo first, then everything the Apply step did.
        await page.NextAsync("Cleanup");
        await page.Locator("#remove-bookinfo-confirm").ClickAsync();
        await page.Locator("#remove-bookinfo").ClickAsync();
        await Expect(page.Locator("#remove-bookinfo-results .outcome[data-object='Namespace/bookinfo']")).ToHaveAttributeAsync("data-result", "Deleted");
        await Expect(page.Locator("#remove-bookinfo-results .outcome")).ToHaveCountAsync(bookinfoObjects.Count);
        Assert.Null(server.Emulator.Store.Get("v1", "Namespace", null, "bookinfo"));

        await page.Locator("#undo-confirm").ClickAsync();
        await page.Locator("#undo-run").ClickAsync();
        await Expect(page.Locator("#undo-results .outcome[data-object='ConfigMap/istio -n istio-system']")).ToHaveAttributeAsync("data-result", "Restored");
        await Expect(page.Locator("#undo-results .outcome[data-object='Telemetry/mesh-default -n istio-system']")).ToHaveAttributeAsync("data-result", "Deleted");

        // The cluster is exactly as the walk found it, for every kind either plan touched.
        var touchedKinds = appliedObjects.Concat(bookinfoObjects).Select(o => ParseObject(o.Object).Kind).ToHashSet();
        var after = Snapshot();
        foreach (var kind in touchedKinds.Order(StringComparer.Ordinal))
        {
            var found = ByName(before[kind]);
            var left = ByName(after[kind]);
            Assert.True(found.Keys.SequenceEqual(left.Keys), $"{kind}: before the walk [{string.Join(", ", found.Keys)}], after it [{string.Join(", ", left.Keys)}]");
            foreach (var (name, json) in found)
                Assert.True(json == left[name], $"{kind} {name} differs from before the walk:\nbefore: {json}\nafter:  {left[name]}");
        }

        server.AssertNoCspViolations();
        foreach (var text in server.ServerLogs.Events.Append(await page.ContentAsync()))
            Assert.False(text.Contains(FullWalkServerFixture.Token, StringComparison.Ordinal), "The token leaked: " + text);
    }

    /// <summary>The extension provider <paramref name="name"/> in the applied mesh config (ConfigMap istio-system/istio, key mesh).</summary>
    private JsonNode AppliedProvider(string name)
    {
        var mesh = (string)server.Emulator.Store.Get("v1", "ConfigMap", "istio-system", "istio")!["data"]!["mesh"]!;
        var yaml = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(mesh);
        var json = new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(yaml);
        var providers = JsonNode.Parse(json)!["extensionProviders"]!.AsArray();
        return providers.Single(p => (string?)p!["name"] == name)!;
    }

    private static async Task<IReadOnlyList<(string Object, string Result)>> ObjectsAsync(ILocator outcomes)
    {
        var list = new List<(string, string)>();
        for (var i = 0; i < await outcomes.CountAsync(); i++)
            list.Add(((await outcomes.Nth(i).GetAttributeAsync("data-object"))!, (await outcomes.Nth(i).GetAttributeAsync("data-result"))!));
        Assert.NotEmpty(list);
        return list;
    }

    /// <summary>"Kind/name -n namespace" or "Kind/name" (cluster scope), as the outcome rows show an object.</summary>
    private static (string Kind, string? Namespace, string Name) ParseObject(string text)
    {
        var parts = text.Split(" -n ");
        var slash = parts[0].IndexOf('/');
        return (parts[0][..slash], parts.Length > 1 ? parts[1] : null, parts[0][(slash + 1)..]);
    }

    private static string ApiVersionOf(string kind) =>
        ApiVersionOfKind.TryGetValue(kind, out var apiVersion) ? apiVersion
            : throw new Xunit.Sdk.XunitException($"The walk wrote a {kind}, which its cluster comparison does not read: add it to {nameof(ApiVersionOfKind)}.");

    /// <summary>Every object of every kind in <see cref="ApiVersionOfKind"/>, raw from the emulator's store.</summary>
    private Dictionary<string, IReadOnlyList<JsonObject>> Snapshot() =>
        ApiVersionOfKind.ToDictionary(k => k.Key, k => server.Emulator.Store.List(k.Value, k.Key));

    private static string Canonical(Dictionary<string, IReadOnlyList<JsonObject>> snapshot) =>
        string.Join("\n", snapshot.OrderBy(k => k.Key, StringComparer.Ordinal).SelectMany(k => k.Value.Select(Normalised)));

    /// <summary>Each object's normalised text by "namespace/name" (or "name" for cluster scope), sorted.</summary>
    private static SortedDictionary<string, string> ByName(IReadOnlyList<JsonObject> objects) =>
        new(objects.ToDictionary(
            o => o["metadata"]!["namespace"] is { } ns ? $"{ns}/{o["metadata"]!["name"]}" : $"{o["metadata"]!["name"]}",
            Normalised), StringComparer.Ordinal);

    /// <summary>
    /// The object without what the API server changes on every write (resourceVersion, uid, creationTimestamp,
    /// managedFields, generation) and without status (written by controllers, not by the console); keys sorted so the
    /// text compares regardless of the order fields were written in.
    /// </summary>
    private static string Normalised(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
            foreach (var field in (string[])["resourceVersion", "uid", "creationTimestamp", "managedFields", "generation"])
                metadata.Remove(field);
        return Sorted(copy)!.ToJsonString();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
