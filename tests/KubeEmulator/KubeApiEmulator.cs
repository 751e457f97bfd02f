using System.Net;
using KubeEmulator.Fixtures;
using KubeEmulator.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeEmulator;

/// <summary>
/// A Kubernetes API server emulator for tests: Kestrel on http://127.0.0.1:{random port}, seeded with a
/// <see cref="ClusterFixture"/>, answering like kube-apiserver 1.31 for the resources listed in README.md.
/// Point KubernetesClient or kubectl at it with <see cref="WriteKubeconfig"/>.
/// <code>
/// await using var kube = await KubeApiEmulator.StartAsync(ClusterFixture.MidIstio);
/// var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kube.WriteKubeconfig(path)));
/// </code>
/// </summary>
public sealed class KubeApiEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestLog _log;

    private KubeApiEmulator(WebApplication app, Uri baseAddress, Uri httpsBaseAddress, EmulatorStore store, AccessRules access, FaultInjector faults, RequestLog log, RolloutSimulator rollouts)
    {
        Rollouts = rollouts;
        _app = app;
        _log = log;
        BaseAddress = baseAddress;
        HttpsBaseAddress = httpsBaseAddress;
        Store = store;
        Access = access;
        Faults = faults;
    }

    /// <summary>
    /// Makes the API server's service proxy reach <paramref name="upstream"/> for port <paramref name="port"/> of the
    /// Service <paramref name="ns"/>/<paramref name="name"/> (which must exist in the store for requests to get there):
    /// the emulator runs no pods, so this stands in for the Service's endpoints.
    /// </summary>
    public void ExposeService(string ns, string name, int port, Uri upstream) => ServiceProxy.Expose(ns, name, port, upstream);

    /// <summary>The bearer token the emulator accepts; any other (or none) gets 401.</summary>
    public const string Token = ApiRequestPipeline.Token;

    /// <summary>The user name in Forbidden messages.</summary>
    public const string UserName = AccessRules.UserName;

    /// <summary>Plain HTTP endpoint, e.g. http://127.0.0.1:41234/ (KubernetesClient sends its token over HTTP; kubectl does not).</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// The same API over HTTPS, e.g. https://127.0.0.1:41235/, serving a certificate for 127.0.0.1 signed by
    /// <see cref="CertificateAuthorityPem"/>. Kubeconfigs point here by default, because kubectl (client-go) never
    /// sends bearer tokens to a plain-HTTP server.
    /// </summary>
    public Uri HttpsBaseAddress { get; }

    /// <summary>The emulated cluster's CA certificate (PEM); also in every namespace's ConfigMap kube-root-ca.crt.</summary>
    public string CertificateAuthorityPem => EmulatorCertificates.ClusterCaPem;

    /// <summary>Direct object access for arranging and asserting (no HTTP, no access rules, no faults).</summary>
    public EmulatorStore Store { get; }

    /// <summary>Deny rules for requests and SelfSubjectAccessReview answers (everything is allowed by default).</summary>
    public AccessRules Access { get; }

    /// <summary>Fault injection: failures, delays, connection resets.</summary>
    public FaultInjector Faults { get; }

    /// <summary>What the endpoints behind a Service answer through the API server's service proxy (503 unless told).</summary>
    public ServiceProxy ServiceProxy { get; private init; } = null!;

    /// <summary>Opt-in Deployment rollouts (pods, sidecars, readiness, image pull failures); off by default.</summary>
    public RolloutSimulator Rollouts { get; }

    /// <summary>The namespace controller: how long a deleted namespace stays Terminating, and namespaces held there.</summary>
    public NamespaceTerminator Namespaces => Store.Namespaces;

    /// <summary>Every request received so far (including faulted and unauthorized ones), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    public void ClearRequests() => _log.Clear();

    public static async Task<KubeApiEmulator> StartAsync(ClusterFixture fixture, CancellationToken ct = default)
    {
        var store = new EmulatorStore();
        ClusterFixtures.Seed(store, fixture);
        var rollouts = new RolloutSimulator(store);
        store.Controllers = () =>
        {
            rollouts.Reconcile();
            store.Namespaces.Reconcile();
            store.Collector.Reconcile();
        };
        var access = new AccessRules();
        var faults = new FaultInjector();
        var log = new RequestLog();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(EmulatorCertificates.ServerCertificate);
            });
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var serviceProxy = new ServiceProxy(store, access);
        var pipeline = new ApiRequestPipeline(store, access, faults, log, serviceProxy);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(ct);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.TrimEnd('/') + "/"))
            .ToList();
        return new KubeApiEmulator(app, addresses.Single(a => a.Scheme == Uri.UriSchemeHttp),
            addresses.Single(a => a.Scheme == Uri.UriSchemeHttps), store, access, faults, log, rollouts) { ServiceProxy = serviceProxy };
    }

    /// <summary>
    /// A kubeconfig (YAML) with one cluster, user and context named after <paramref name="contextName"/>, user token
    /// "emulator-token". By default the server is <see cref="HttpsBaseAddress"/> with the emulator's CA in
    /// certificate-authority-data, which both KubernetesClient and kubectl accept; <paramref name="plainHttp"/> points it
    /// at <see cref="BaseAddress"/> instead (KubernetesClient only: kubectl will not send the token).
    /// </summary>
    public string KubeconfigYaml(string contextName = "emulator", string namespaceName = "default", bool plainHttp = false)
    {
        var server = (plainHttp ? BaseAddress : HttpsBaseAddress).ToString().TrimEnd('/');
        var certificateAuthority = plainHttp
            ? string.Empty
            : $"\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(CertificateAuthorityPem))}";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {contextName}
              cluster:
                server: {server}{certificateAuthority}
            users:
            - name: {contextName}-user
              user:
                token: {Token}
            contexts:
            - name: {contextName}
              context:
                cluster: {contextName}
                user: {contextName}-user
                namespace: {namespaceName}
            current-context: {contextName}
            preferences: {"{}"}

            """;
    }

    /// <summary>Writes <see cref="KubeconfigYaml"/> to <paramref name="path"/> (creating the directory) and returns the path.</summary>
    public string WriteKubeconfig(string path, string contextName = "emulator", string namespaceName = "default", bool plainHttp = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, KubeconfigYaml(contextName, namespaceName, plainHttp));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
