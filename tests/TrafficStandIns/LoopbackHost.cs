using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TrafficStandIns;

/// <summary>
/// A Kestrel app on 127.0.0.1 with free ports, for the traffic stand-ins. Each is a host of its own (slim builder, no
/// logging), so it can run in the same process as the console under WebApplicationFactory, even while a factory is
/// starting: the factory's HostFactoryResolver ignores hosts built on other async flows (dotnet/runtime
/// src/libraries/Microsoft.Extensions.HostFactoryResolver/src/HostFactoryResolver.cs, <c>_currentListener</c>).
/// </summary>
internal static class LoopbackHost
{
    /// <summary>An HTTP/1.1 listener.</summary>
    public static async Task<(WebApplication App, Uri BaseUrl)> StartAsync(Action<WebApplication> map)
    {
        var (app, urls) = await StartAsync(_ => { }, map, HttpProtocols.Http1);
        return (app, urls[0]);
    }

    /// <summary>One listener per protocol (cleartext HTTP/2 needs a listener of its own), in the order given.</summary>
    public static Task<(WebApplication App, IReadOnlyList<Uri> BaseUrls)> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map, params HttpProtocols[] protocols) =>
        StartAsync(services, map, protocols.Select(p => (p, (X509Certificate2?)null)).ToArray());

    /// <summary>Listeners with TLS where a certificate is given (HTTP/1.1 and HTTP/2 negotiated by ALPN).</summary>
    public static async Task<(WebApplication App, IReadOnlyList<Uri> BaseUrls)> StartAsync(
        Action<IServiceCollection> services, Action<WebApplication> map, params (HttpProtocols Protocols, X509Certificate2? Certificate)[] listeners)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(LoopbackHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var (protocols, certificate) in listeners)
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = protocols;
                    if (certificate is not null) listen.UseHttps(certificate);
                });
        });
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return (app, addresses.Select(a => new Uri(a)).ToList());
    }
}
