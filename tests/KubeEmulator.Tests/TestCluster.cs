using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace KubeEmulator.Tests;

/// <summary>An emulator plus a real KubernetesClient configured from the kubeconfig the emulator writes.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly string _directory;

    private TestCluster(KubeApiEmulator emulator, Kubernetes client, string directory, string kubeconfigPath)
    {
        Emulator = emulator;
        Client = client;
        _directory = directory;
        KubeconfigPath = kubeconfigPath;
    }

    public KubeApiEmulator Emulator { get; }

    public Kubernetes Client { get; }

    public string KubeconfigPath { get; }

    public static async Task<TestCluster> StartAsync(ClusterFixture fixture = ClusterFixture.NoIstio)
    {
        var emulator = await KubeApiEmulator.StartAsync(fixture);
        var directory = Directory.CreateTempSubdirectory("kube-emulator-").FullName;
        var kubeconfig = emulator.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        return new TestCluster(emulator, client, directory, kubeconfig);
    }

    /// <summary>A plain HTTP request to the emulator (bearer token included unless <paramref name="token"/> says otherwise).</summary>
    public async Task<RawResponse> RawAsync(HttpMethod method, string path, string? body = null,
        string contentType = "application/json", string? token = KubeApiEmulator.Token, string? accept = null)
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new RawResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, response.Headers.RetryAfter?.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

internal sealed record RawResponse(HttpStatusCode Code, string? MediaType, string Body, string? RetryAfter = null)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

internal static class Assertions
{
    /// <summary>Runs a call that must fail with an HTTP error; returns the status code and the parsed Status body.</summary>
    public static async Task<(HttpStatusCode Code, JsonObject Status)> FailsWith(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = JsonNode.Parse(error.Response.Content) as JsonObject;
        Assert.NotNull(status);
        return (error.Response.StatusCode, status!);
    }

    public static JsonObject ToJson(object value) =>
        JsonNode.Parse(value is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(value))!.AsObject();

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compact JSON without \u0022-style escaping (how the emulator writes it).</summary>
    public static string Wire(JsonNode? node) => node?.ToJsonString(Relaxed) ?? "null";

    public static string? Rv(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>();
}
