using System.Diagnostics;
using System.Net;
using OnboardingBenchmark.BlazorProtocol;

namespace OnboardingBenchmark;

/// <summary>
/// A participant without a browser: one <see cref="BlazorCircuit"/> (its own cookies, storage, WebSocket) spoken to
/// with SignalR's .NET client. Joins and walks like <see cref="Participant"/>; a click is measured from sending
/// DispatchEventAsync to receiving (and applying to the model) the render batch that sets #circuit-state's
/// data-step to the expected step. No DOM work, layout or JS runs on this side.
/// </summary>
public sealed class ProtocolParticipant : IParticipant
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // blazor.web.js's MouseEventArgs for a click (the fields MouseEventArgsReader accepts), as a plain left click.
    private static readonly Dictionary<string, object> Click = new()
    {
        ["detail"] = 1, ["screenX"] = 0, ["screenY"] = 0, ["clientX"] = 0, ["clientY"] = 0, ["offsetX"] = 0, ["offsetY"] = 0,
        ["pageX"] = 0, ["pageY"] = 0, ["movementX"] = 0, ["movementY"] = 0, ["button"] = 0, ["buttons"] = 0,
        ["ctrlKey"] = false, ["shiftKey"] = false, ["altKey"] = false, ["metaKey"] = false, ["type"] = "click",
    };

    private readonly HttpClient _http;
    private readonly CookieContainer _cookies;
    private readonly Dictionary<string, string> _localStorage = new(StringComparer.Ordinal);
    private BlazorCircuit? _circuit;
    private RouteWalk _walk = new([]);

    private ProtocolParticipant(string name)
    {
        Name = name;
        _cookies = new CookieContainer();
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true });
    }

    public string Name { get; }

    private BlazorCircuit Circuit => _circuit ?? throw new ProtocolClientException("no circuit");

    /// <summary>Joins a team session at /join/{id} as <see cref="Participant.JoinAsync"/> does: the name into
    /// #join-name, a click on #join-submit; JoinPage then navigates to / (client-side, same circuit) and the wizard
    /// shows step Bookinfo in participant mode.</summary>
    public static async Task<ProtocolParticipant> JoinAsync(string baseUrl, string sessionId, string name)
    {
        var participant = new ProtocolParticipant(name);
        try
        {
            await participant.JoinCoreAsync(baseUrl, sessionId, name);
            return participant;
        }
        catch
        {
            await participant.DisposeAsync();
            throw;
        }
    }

    private async Task JoinCoreAsync(string baseUrl, string sessionId, string name)
    {
        _circuit = await BlazorCircuit.OpenAsync(_http, _cookies, baseUrl, $"/join/{sessionId}", _localStorage);
        // JoinPage shows the name field once its OnAfterRenderAsync has attached the tab's draft (session storage).
        await Circuit.WaitForAsync(dom => dom.FindById("join-name") is { Handlers.Count: > 0 } && dom.FindById("join-submit") is not null,
            Timeout, $"{Name}: #join-name interactive");
        // Playwright's FillAsync fires input (MudTextField with Immediate binds on it), the Tab press then change.
        foreach (var eventName in new[] { "input", "change" })
            if (Circuit.Read(dom => dom.FindById("join-name")!.Handlers.ContainsKey(eventName)))
                await Circuit.DispatchAsync("join-name", eventName, new Dictionary<string, object> { ["value"] = name }, name);
        await Circuit.DispatchAsync("join-submit", "click", Click);

        var wizard = Circuit.WaitForAsync(dom => dom.FindById("circuit-state") is { } s && s.Attribute("data-interactive") == "true" && s.Attribute("data-step") == "Bookinfo",
            Timeout, $"{Name}: wizard at Bookinfo after joining");
        if (await Task.WhenAny(wizard, Circuit.ForceLoad) == Circuit.ForceLoad)
        {
            var target = await Circuit.ForceLoad;
            // A navigation with forceLoad is a new page load: new GET, new circuit (same cookies and local storage).
            await Circuit.DisposeAsync();
            _circuit = await BlazorCircuit.OpenAsync(_http, _cookies, baseUrl, new Uri(target).PathAndQuery, _localStorage);
            wizard = Circuit.WaitForAsync(dom => dom.FindById("circuit-state") is { } s && s.Attribute("data-interactive") == "true" && s.Attribute("data-step") == "Bookinfo",
                Timeout, $"{Name}: wizard at Bookinfo after joining");
        }
        await wizard;
        _walk = RouteWalk.TeamParticipant();
    }

    public async Task<ClickSample> ClickAsync(string selector, string expectedStep)
    {
        var reached = Circuit.WaitForAsync(dom => dom.FindById("circuit-state")?.Attribute("data-step") == expectedStep,
            Timeout, $"{Name}: step {expectedStep} after {selector}");
        var wall = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds; // Date.now(), compared with the dashboard page's
        var start = Stopwatch.GetTimestamp();
        await Circuit.DispatchAsync(selector.TrimStart('#'), "click", Click);
        var at = await reached;
        return new ClickSample(Name, expectedStep, Stopwatch.GetElapsedTime(start, at).TotalMilliseconds, wall);
    }

    public Task<List<ClickSample>> WalkAsync(int clicks, int thinkMinMs, int thinkMaxMs, Random random) =>
        _walk.WalkAsync((selector, step) => ClickAsync(selector, step), clicks, thinkMinMs, thinkMaxMs, random);

    /// <summary>tag#id of every element with an id in the model (for a check against a browser page).</summary>
    public List<string> ElementIds() => Circuit.Read(dom => dom.Elements().Where(e => e.Attributes.ContainsKey("id")).Select(e => $"{e.Name}#{e.Attributes["id"]}").ToList());

    public string Describe(string id) => Circuit.Read(dom => dom.FindById(id) is { } e
        ? $"<{e.Name} {string.Join(" ", e.Attributes.Select(a => $"{a.Key}=\"{a.Value}\""))}> handlers: {string.Join(", ", e.Handlers.Keys)}"
        : "missing");

    public async ValueTask DisposeAsync()
    {
        if (_circuit is not null) await _circuit.DisposeAsync();
        _http.Dispose();
    }
}
