using System.Text.Json;

namespace WebConsole.Features.Access;

/// <summary>
/// Reads the identity provider's discovery document once at start, so a wrong authority, an unreachable provider or
/// a broken document stops the console with a clear message instead of failing at the first sign-in.
/// </summary>
public sealed class OidcDiscovery(OidcSettings settings, HttpMessageHandler? handler = null)
{
    /// <summary>The provider's end-session endpoint, when it has one (sign-out then also ends the provider's session).</summary>
    public Uri? EndSessionEndpoint { get; private set; }
    public Uri? AuthorizationEndpoint { get; private set; }

    public async Task CheckAsync(CancellationToken ct)
    {
        var url = settings.DiscoveryDocument;
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.DiscoveryTimeout);

        string body;
        try
        {
            using var response = await client.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw Refuse($"it answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase ?? response.StatusCode.ToString()})");
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Refuse($"it did not answer within {settings.DiscoveryTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            throw Refuse($"it cannot be reached ({e.HttpRequestError}: {e.Message})");
        }

        JsonElement document;
        try
        {
            document = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw Refuse("its answer is not JSON, so not a discovery document");
        }
        if (document.ValueKind != JsonValueKind.Object)
            throw Refuse("its answer is not a JSON object, so not a discovery document");

        var missing = new[] { "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri" }
            .Where(name => !document.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            .ToList();
        if (missing.Count > 0)
            throw Refuse("the discovery document lacks " + string.Join(", ", missing));

        AuthorizationEndpoint = Absolute(document, "authorization_endpoint") ?? throw Refuse("its authorization_endpoint is not an absolute URL");
        EndSessionEndpoint = Absolute(document, "end_session_endpoint");
    }

    private static Uri? Absolute(JsonElement document, string name) =>
        document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
        Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) ? uri : null;

    private StartupRefusedException Refuse(string why) => new(
        $"Refusing to start: OpenID Connect authority {settings.Authority} is not usable: reading {settings.DiscoveryDocument} failed because {why}. " +
        "Check Console__Access__Oidc__Authority (the issuer URL, without /.well-known/openid-configuration) and that this machine can reach it.");
}
