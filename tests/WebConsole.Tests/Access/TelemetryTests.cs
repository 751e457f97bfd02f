using System.Diagnostics;
using k8s;
using KubeEmulator;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using WebConsole.Features.Access;
using WebConsole.Features.Cluster;
using WebConsole.Tests.Cluster;

namespace WebConsole.Tests.Access;

/// <summary>The console's own traces, caught with the in-memory exporter next to the OTLP one.</summary>
public sealed class TelemetryTests
{
    /// <summary>
    /// The exporter's list. Activity listeners are process-wide, so spans of other tests' hosts running at the same time
    /// end (and get added) on other threads while a test reads: every access takes the lock.
    /// </summary>
    private sealed class SpanList : System.Collections.ObjectModel.Collection<Activity>
    {
        protected override void InsertItem(int index, Activity item) { lock (this) base.InsertItem(index, item); }
        public List<Activity> Snapshot() { lock (this) return [.. this]; }
    }

    private static ConsoleAppFactory Factory(SpanList spans, Dictionary<string, string?> settings)
    {
        // Nothing listens there: the OTLP exporter fails quietly in the background; the in-memory one is what the test reads.
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        return new ConsoleAppFactory(settings, services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
    }

    [Fact]
    public void Without_an_endpoint_no_tracer_is_registered()
    {
        using var factory = new ConsoleAppFactory(new Dictionary<string, string?>());
        factory.CreateClient();

        Assert.Null(factory.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Requests_are_traced_and_the_sign_in_url_and_query_values_never_become_span_attributes()
    {
        var exported = new SpanList();
        var settings = ConsoleAppFactory.AccessKeyMode("telemetry-key-0123456789");
        // Even with the instrumentation's own query redaction switched off, the console's redactor holds.
        settings["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true";
        using var factory = Factory(exported, settings);
        using var client = factory.NewClient();

        await client.GetAsync("/signin?key=SECRETKEY-in-the-query-0123&returnUrl=/");
        await client.GetAsync("/?access_token=SECRETTOKEN-0123456789");
        // ASP.NET Core stops a request's activity after the client has its response: wait (bounded) for both server spans.
        var provider = factory.Services.GetRequiredService<TracerProvider>();
        var waited = Stopwatch.StartNew();
        List<Activity> spans, server;
        do
        {
            provider.ForceFlush();
            spans = [.. exported.Snapshot()];
            server = spans.Where(s => s.Kind == ActivityKind.Server).ToList();
            if (server.Any(s => s.GetTagItem("url.path") as string == "/signin") && server.Any(s => s.GetTagItem("url.path") as string == "/")) break;
            await Task.Delay(50);
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Contains(server, s => s.GetTagItem("url.path") as string == "/signin");
        Assert.Contains(server, s => s.GetTagItem("url.path") as string == "/");
        foreach (var span in spans)
            foreach (var tag in span.TagObjects)
            {
                var value = Convert.ToString(tag.Value) ?? "";
                Assert.DoesNotContain("SECRETKEY", value);
                Assert.DoesNotContain("SECRETTOKEN", value);
            }
        // (The tracer also sees other test hosts in this process: every /signin span has no query or a redacted one.)
        var signIn = server.Where(s => s.GetTagItem("url.path") as string == "/signin").ToList();
        Assert.Contains(signIn, s => s.GetTagItem("url.query") as string == "?Redacted");
        Assert.All(signIn, s => Assert.True(s.GetTagItem("url.query") is null or "?Redacted"));
    }

    [Fact]
    public async Task Kubernetes_api_calls_are_traced_as_http_client_spans()
    {
        await using var cluster = await EmulatedCluster.StartAsync(ClusterFixture.MidIstio);
        var exported = new SpanList();
        using var factory = Factory(exported, new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.KubeconfigPath });
        factory.CreateClient();

        using (var scope = factory.Services.CreateScope())
        {
            var connection = scope.ServiceProvider.GetRequiredService<ClusterConnection>();
            Assert.True(connection.Select(null));
            await connection.Client.CoreV1.ListNamespaceAsync();
        }
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        var spans = exported.Snapshot();

        // This emulator's address: other tests' clusters in the same process are traced too.
        var host = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath).Host.TrimEnd('/');
        var calls = spans.Where(s => s.Kind == ActivityKind.Client && (s.GetTagItem("url.full") as string)?.Split('?')[0] == host + "/api/v1/namespaces").ToList();
        Assert.True(calls.Count == 1, host + " vs " + string.Join(", ", spans.Select(s => s.Kind + " " + s.GetTagItem("url.full"))));
        var call = calls[0];
        Assert.Equal("GET", call.GetTagItem("http.request.method"));
        Assert.Equal(200, call.GetTagItem("http.response.status_code"));
    }

    [Theory]
    [InlineData("url.query", "key=abc&returnUrl=/x", "/signin", "Redacted")]
    [InlineData("url.query", "step=review", "/", "step=Redacted")]
    [InlineData("url.full", "https://k8s:6443/api/v1/pods?labelSelector=app%3Dweb&watch=false", null, "https://k8s:6443/api/v1/pods?labelSelector=Redacted&watch=Redacted")]
    [InlineData("url.full", "http://127.0.0.1:5000/signin?key=abc#frag", null, "http://127.0.0.1:5000/signin?Redacted")]
    [InlineData("url.full", "http://x/no-query", null, "http://x/no-query")]
    public void The_redactor_removes_query_values(string tag, string value, string? path, string expected)
    {
        using var activity = new Activity("test").Start();
        activity.SetTag(tag, value);
        if (path is not null) activity.SetTag("url.path", path);

        new SensitiveUrlRedactor().OnEnd(activity);

        Assert.Equal(expected, activity.GetTagItem(tag));
    }
}
