using KubeEmulator.Discovery;
using KubeEmulator.Errors;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>Answers the non-resource paths: /version, health checks, /openapi (always 404) and discovery.</summary>
internal sealed class DiscoveryEndpoints(EmulatorStore store)
{
    public async Task HandleAsync(HttpContext context, ApiPath path)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            throw ApiException.MethodNotAllowed();
        }

        var catalog = store.Catalog;
        switch (path)
        {
            case ApiPath.NonResource { Path: "/version" }:
                await HttpJson.WriteAsync(context, 200, DiscoveryDocuments.Version());
                break;

            case ApiPath.NonResource { Path: "/healthz" or "/livez" or "/readyz" }:
                await HttpJson.WriteTextAsync(context, 200, "ok");
                break;

            case ApiPath.NonResource:
                // /openapi/v2 and /openapi/v3: not emulated (kubectl needs --validate=false).
                throw ApiException.ResourceNotServed();

            case ApiPath.CoreVersions:
                await HttpJson.WriteAsync(context, 200, DiscoveryDocuments.CoreApiVersions());
                break;

            case ApiPath.GroupList:
                await HttpJson.WriteAsync(context, 200, DiscoveryDocuments.GroupList(catalog));
                break;

            case ApiPath.ApiGroup group:
            {
                var served = catalog.Groups().FirstOrDefault(g => g.Group == group.Name);
                if (served.Group is null)
                {
                    throw ApiException.ResourceNotServed();
                }

                await HttpJson.WriteAsync(context, 200, DiscoveryDocuments.Group(served.Group, served.Versions));
                break;
            }

            case ApiPath.ResourceList list:
            {
                var resources = catalog.InGroupVersion(list.Group, list.Version);
                if (resources.Count == 0)
                {
                    throw ApiException.ResourceNotServed();
                }

                await HttpJson.WriteAsync(context, 200, DiscoveryDocuments.ResourceList(list.Group, list.Version, resources));
                break;
            }

            default:
                throw ApiException.ResourceNotServed();
        }
    }
}
