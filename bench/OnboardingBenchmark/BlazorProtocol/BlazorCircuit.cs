using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace OnboardingBenchmark.BlazorProtocol;

/// <summary>Something the protocol client could not do or the server reported (JS.Error, a closed circuit, a wait
/// that timed out); counted as a failure like a Playwright error in browser mode.</summary>
public sealed class ProtocolClientException(string message) : Exception(message);

/// <summary>
/// One Blazor Server circuit driven without a browser, the way blazor.web.js (.NET 10) drives it: GET the page, read
/// the prerendered server component markers, connect to <c>/_blazor</c> over a WebSocket with the "blazorpack" hub
/// protocol, <c>StartCircuit</c> then <c>UpdateRootComponents</c>; every render batch is applied to a
/// <see cref="DomModel"/> and acknowledged with <c>OnRenderCompleted</c>, every JS interop call answered.
/// </summary>
public sealed partial class BlazorCircuit : IAsyncDisposable
{
    /// <summary>How often each JS function was called, over all circuits (printed with the report).</summary>
    public static readonly ConcurrentDictionary<string, int> JsCalls = new(StringComparer.Ordinal);

    private readonly object _sync = new();
    private readonly HttpClient _http;
    private readonly HubConnection _connection;
    private readonly List<(Func<DomModel, bool> Condition, TaskCompletionSource<long> Reached)> _waiters = [];
    private readonly Dictionary<string, string> _localStorage;
    private readonly Dictionary<string, string> _sessionStorage = new(StringComparer.Ordinal);
    private long _nextBatchId = 2; // blazor.web.js's RenderQueue starts at 2: RemoteRenderer's first batch id is 2.
    private long _nextCallId;
    private long _nextJsObjectId;
    private long _interopObjectId = -1;
    private string? _failure;
    private bool _disposing;
    private string _circuitSecret = "";

    private BlazorCircuit(HttpClient http, HubConnection connection, string baseUri, string uri, Dictionary<string, string> localStorage)
    {
        _http = http;
        _connection = connection;
        BaseUri = baseUri;
        Uri = uri;
        _localStorage = localStorage;
    }

    public string BaseUri { get; }
    public string Uri { get; private set; }
    public DomModel Dom { get; } = new();

    private readonly TaskCompletionSource<string> _forceLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the server asks for a navigation with forceLoad or out of the app (a full page load:
    /// new GET, new circuit), with the absolute URL.</summary>
    public Task<string> ForceLoad => _forceLoad.Task;

    /// <summary>Opens <paramref name="path"/> as a fresh page load. <paramref name="localStorage"/> is the origin's
    /// local storage, shared by the circuits of one participant (as a browser profile's).</summary>
    public static async Task<BlazorCircuit> OpenAsync(HttpClient http, CookieContainer cookies, string baseUrl, string path, Dictionary<string, string> localStorage)
    {
        var baseUri = baseUrl.TrimEnd('/') + "/"; // document.baseURI with <base href="/">
        var uri = new Uri(new Uri(baseUri), path.TrimStart('/')).AbsoluteUri;
        var html = await http.GetStringAsync(uri);

        // WebRootComponentManager's markers: <!--Blazor:{"type":"server","prerenderId":..,"key":..,"sequence":..,"descriptor":..}-->
        // opens a prerendered component, <!--Blazor:{"prerenderId":..}--> closes it; blazor.web.js registers the
        // opening ones in document order and numbers them from 1 (ssrComponentId).
        var markers = Marker().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups["json"].Value)!.AsObject())
            .Where(m => (string?)m["type"] == "server")
            .ToList();
        if (markers.Count == 0) throw new ProtocolClientException($"GET {uri}: no server component markers in the page");
        var state = ServerState().Match(html) is { Success: true } s ? s.Groups["state"].Value : "";

        var builder = new HubConnectionBuilder()
            .WithUrl(baseUri + "_blazor", HttpTransportType.WebSockets, o => o.Cookies = cookies);
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackHubProtocol()); // the last registration wins over JSON
        var connection = builder.Build();
        var circuit = new BlazorCircuit(http, connection, baseUri, uri, localStorage);
        circuit.RegisterHandlers();
        await connection.StartAsync();

        var secret = await connection.InvokeAsync<string?>("StartCircuit", baseUri, uri, "[]", state);
        if (string.IsNullOrEmpty(secret))
            throw new ProtocolClientException($"StartCircuit for {uri} returned no circuit id ({circuit._failure ?? "no error reported"})");
        circuit._circuitSecret = secret;

        // blazor.web.js (WebRootComponentManager.updateRootComponents): the first batch of operations carries the
        // page's persisted component state; each marker is the descriptor without its DOM nodes, plus uniqueId.
        var operations = new JsonArray();
        for (var i = 0; i < markers.Count; i++)
        {
            var marker = markers[i];
            marker["uniqueId"] = i;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker });
        }
        var batch = new JsonObject { ["batchId"] = 1, ["operations"] = operations };
        await connection.SendAsync("UpdateRootComponents", batch.ToJsonString(), state);
        return circuit;
    }

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(?<state>[a-zA-Z0-9+/=]+)-->")]
    private static partial Regex ServerState();

    private void RegisterHandlers()
    {
        _connection.Closed += e =>
        {
            if (!_disposing) Fail("connection closed" + (e is null ? "" : ": " + e.Message));
            return Task.CompletedTask;
        };
        _connection.On<int, string>("JS.AttachComponent", (componentId, _) =>
        {
            lock (_sync) Dom.AttachRootComponent(componentId);
        });
        _connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        _connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJSAsync);
        _connection.On<string, bool, string>("JS.EndInvokeDotNet", (callId, succeeded, result) =>
        {
            if (!succeeded) Fail($"call {callId} into .NET failed: {result}");
        });
        _connection.On<string>("JS.Error", error => Fail("JS.Error: " + error));
        _connection.On<long>("JS.EndUpdateRootComponents", _ => { });
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] data)
    {
        string? error = null;
        try
        {
            var batch = RenderBatchReader.Read(data);
            lock (_sync)
            {
                if (batchId == _nextBatchId)
                {
                    Dom.Apply(batch);
                    _nextBatchId++;
                    var now = Stopwatch.GetTimestamp();
                    for (var i = _waiters.Count - 1; i >= 0; i--)
                        if (_waiters[i].Condition(Dom))
                        {
                            _waiters[i].Reached.TrySetResult(now);
                            _waiters.RemoveAt(i);
                        }
                }
                else if (batchId > _nextBatchId)
                    error = $"received batch {batchId}, expected {_nextBatchId}";
                // An earlier id is a batch resent after a reconnection: acknowledge it again, as blazor.web.js does.
            }
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        if (error is not null) Fail($"render batch {batchId}: {error}");
        // blazor.web.js acknowledges each batch once it is applied (RenderQueue.completeBatch); until then
        // RemoteRenderer.UpdateDisplayAsync's task is pending and Blazor's render_diff timer runs.
        await _connection.SendAsync("OnRenderCompleted", batchId, error);
    }

    /// <summary>RemoteJSRuntime.BeginInvokeJS sends (asyncHandle, identifier, argsJson, resultType, targetInstanceId,
    /// callType); the answer is EndInvokeJSFromDotNet(asyncHandle, succeeded, "[asyncHandle, succeeded, result]")
    /// (DotNetDispatcher.EndInvokeJS). Storage is emulated per participant; navigation within the app is reported
    /// back as OnLocationChanged, as blazor.web.js does after its client-side navigation; everything else (MudBlazor's
    /// and the console's DOM helpers) gets the answer of a function that returns nothing, or a fresh JS object
    /// reference when one is expected.</summary>
    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        JsCalls.AddOrUpdate(targetInstanceId == 0 ? identifier : "(JS object)." + identifier, 1, (_, n) => n + 1);
        string result;
        string? navigateTo = null;
        try
        {
            var args = JsonNode.Parse(argsJson)?.AsArray() ?? [];
            result = identifier switch
            {
                "Blazor._internal.attachWebRendererInterop" => AttachInterop(args),
                "localStorage.getItem" => Get(_localStorage, args),
                "sessionStorage.getItem" => Get(_sessionStorage, args),
                "localStorage.setItem" => Set(_localStorage, args),
                "sessionStorage.setItem" => Set(_sessionStorage, args),
                "localStorage.removeItem" => Remove(_localStorage, args),
                "sessionStorage.removeItem" => Remove(_sessionStorage, args),
                "Blazor._internal.navigationManager.navigateTo" => Navigate(args, out navigateTo),
                // MudThemeProvider checks that MudBlazor's script is loaded; MudPopoverProvider counts the providers
                // on the page (one here). Both read the result as a value type, so null would not do.
                "window.hasOwnProperty" => "true",
                "mudpopoverHelper.countProviders" => "1",
                _ => resultType == 1 ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref _nextJsObjectId)}}}" : "null", // JSCallResultType.JSObjectReference
            };
        }
        catch (Exception e)
        {
            Fail($"answering {identifier}({argsJson}): {e.Message}");
            result = "null";
        }
        if (navigateTo is not null) await _connection.SendAsync("OnLocationChanged", navigateTo, null, false);
        if (asyncHandle != 0) await _connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle},true,{result}]");
    }

    private string AttachInterop(JsonArray args)
    {
        // WebRenderer.AttachWebRendererInterop: [rendererId, DotNetObjectReference<WebRendererInteropMethods>, ...];
        // events go to that object's DispatchEventAsync.
        _interopObjectId = (long)args[1]!["__dotNetObject"]!;
        return "null";
    }

    private string Get(Dictionary<string, string> storage, JsonArray args)
    {
        lock (storage) return storage.TryGetValue((string)args[0]!, out var value) ? JsonSerializer.Serialize(value) : "null";
    }

    private string Set(Dictionary<string, string> storage, JsonArray args)
    {
        lock (storage) storage[(string)args[0]!] = (string)args[1]!;
        return "null";
    }

    private string Remove(Dictionary<string, string> storage, JsonArray args)
    {
        lock (storage) storage.Remove((string)args[0]!);
        return "null";
    }

    private string Navigate(JsonArray args, out string? navigateTo)
    {
        var target = new Uri(new Uri(Uri), (string)args[0]!).AbsoluteUri;
        var forceLoad = args.Count > 1 && args[1]?["forceLoad"]?.GetValue<bool>() == true;
        if (forceLoad || !target.StartsWith(BaseUri, StringComparison.Ordinal))
        {
            _forceLoad.TrySetResult(target);
            navigateTo = null;
        }
        else
        {
            Uri = target;
            navigateTo = target;
        }
        return "null";
    }

    /// <summary>Dispatches a browser event to the handler the element has now for <paramref name="eventName"/>, as
    /// blazor.web.js's EventDispatcher does: DispatchEventAsync(eventDescriptor, eventArgs) on the renderer's interop
    /// object. <paramref name="fieldValue"/> is the input's new value (EventFieldInfo) for input/change events.</summary>
    public async Task DispatchAsync(string elementId, string eventName, object eventArgs, string? fieldValue = null)
    {
        ulong handlerId;
        int componentId;
        lock (_sync)
        {
            ThrowIfFailed();
            var element = Dom.FindById(elementId) ?? throw new ProtocolClientException($"#{elementId} is not in the document");
            if (!element.Handlers.TryGetValue(eventName, out handlerId))
                throw new ProtocolClientException($"#{elementId} has no {eventName} handler (it has: {string.Join(", ", element.Handlers.Keys)})");
            componentId = element.ComponentId;
        }
        if (_interopObjectId < 0) throw new ProtocolClientException("the renderer's interop object was never attached");
        var descriptor = new JsonObject
        {
            ["eventHandlerId"] = handlerId,
            ["eventName"] = eventName,
            ["eventFieldInfo"] = fieldValue is null ? null : new JsonObject { ["componentId"] = componentId, ["fieldValue"] = fieldValue },
        };
        var argsJson = new JsonArray(descriptor, JsonSerializer.SerializeToNode(eventArgs)).ToJsonString();
        var callId = Interlocked.Increment(ref _nextCallId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _connection.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", _interopObjectId, argsJson);
    }

    /// <summary>Waits until a render batch makes <paramref name="condition"/> true (or it already is); returns the
    /// Stopwatch timestamp taken right after applying that batch.</summary>
    public async Task<long> WaitForAsync(Func<DomModel, bool> condition, TimeSpan timeout, string what)
    {
        var reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = (condition, reached);
        lock (_sync)
        {
            ThrowIfFailed();
            if (condition(Dom)) return Stopwatch.GetTimestamp();
            _waiters.Add(waiter);
        }
        try
        {
            return await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_sync) _waiters.Remove(waiter);
            throw new ProtocolClientException($"{what}: not reached after {timeout.TotalSeconds:F0} s");
        }
    }

    /// <summary>Reads the model under the lock the render batches are applied under.</summary>
    public T Read<T>(Func<DomModel, T> read)
    {
        lock (_sync) return read(Dom);
    }

    private void Fail(string failure)
    {
        lock (_sync)
        {
            _failure ??= failure;
            foreach (var waiter in _waiters) waiter.Reached.TrySetException(new ProtocolClientException(failure));
            _waiters.Clear();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) throw new ProtocolClientException(_failure);
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        // blazor.web.js on pagehide: navigator.sendBeacon('_blazor/disconnect', FormData{circuitId}), so the server
        // ends the circuit now instead of keeping it as a disconnected circuit.
        if (_circuitSecret != "")
        {
            try
            {
                using var form = new MultipartFormDataContent { { new StringContent(_circuitSecret), "circuitId" } };
                using var _ = await _http.PostAsync(BaseUri + "_blazor/disconnect", form);
            }
            catch (HttpRequestException) { }
        }
        await _connection.DisposeAsync();
    }
}
