using KubeEmulator.Errors;
using KubeEmulator.Faults;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>
/// Every request goes through here: record → faults → authentication → discovery or resource handling → errors
/// as Status bodies. The emulator does its own routing (kube paths do not fit ASP.NET route templates well).
/// </summary>
internal sealed class ApiRequestPipeline(EmulatorStore store, AccessRules access, FaultInjector faults, RequestLog log, ServiceProxy serviceProxy)
{
    public const string Token = "emulator-token";

    private readonly DiscoveryEndpoints _discovery = new(store);
    private readonly ResourceEndpoints _resources = new(store, access);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var startedAt = DateTimeOffset.UtcNow;
        var aborted = false;
        var resetAfterCommit = false;
        try
        {
            var plan = faults.Plan(request.Method, request.Path.Value ?? "/");
            if (plan.Delay > TimeSpan.Zero)
            {
                await Task.Delay(plan.Delay, context.RequestAborted);
            }

            if (plan.ResetConnection)
            {
                aborted = true;
                context.Abort();
                return;
            }

            if (plan.Failure is not null)
            {
                await HttpJson.WriteErrorAsync(context, InjectedFailure.ToError(plan.Failure));
                return;
            }

            if (!IsAuthenticated(request))
            {
                await HttpJson.WriteErrorAsync(context, ApiException.Unauthorized());
                return;
            }

            if (plan.ResetAfterCommit)
            {
                // The answer goes nowhere: the request is handled (and committed), then the connection drops.
                resetAfterCommit = true;
                context.Response.Body = Stream.Null;
            }

            store.RunControllers();
            // The controllers catch up before the client can read the answer, not after it: run after the response
            // was sent, a pod a create asked for could appear only after the test had moved its clock on (seen on a
            // loaded CI machine), and the outcome would depend on timing instead of on the clock and the requests.
            context.Response.OnStarting(() =>
            {
                store.RunControllers();
                return Task.CompletedTask;
            });
            await DispatchAsync(context);
            store.RunControllers();
        }
        catch (ApiException error)
        {
            await HttpJson.WriteErrorAsync(context, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            aborted = true;
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            // A bug in the emulator: make it visible to the client instead of a bare 500.
            await HttpJson.WriteErrorAsync(context, ApiException.Internal(
                $"Kubernetes API emulator failure: {error.GetType().Name}: {error.Message}", error.ToString()));
        }
        finally
        {
            if (resetAfterCommit)
            {
                aborted = true;
                context.Abort();
            }

            log.Add(new RecordedRequest(
                request.Method,
                request.Path.Value ?? "/",
                request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
                request.ContentType,
                aborted ? 0 : context.Response.StatusCode,
                startedAt));
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        if (ServiceProxy.Matches(context.Request.Path.Value ?? "/"))
        {
            await serviceProxy.HandleAsync(context);
            return;
        }
        var path = ApiPath.Parse(context.Request.Path.Value ?? "/", IsNamespacedResource);
        switch (path)
        {
            case ApiPath.Resource resource:
                await _resources.HandleAsync(context, resource);
                break;
            case null:
                throw ApiException.ResourceNotServed();
            default:
                await _discovery.HandleAsync(context, path);
                break;
        }
    }

    private bool IsNamespacedResource(string group, string version, string plural) =>
        store.Catalog.Find(group, version, plural) is { Namespaced: true };

    private static bool IsAuthenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header[scheme.Length..].Trim() == Token;
    }
}

/// <summary>Thread-safe list of <see cref="RecordedRequest"/>s.</summary>
internal sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = [];

    public void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return _requests.ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }
}
