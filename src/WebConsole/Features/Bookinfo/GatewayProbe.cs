using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MeshConsole.Domain.Bookinfo;
using MeshConsole.Domain.Traffic;

namespace WebConsole.Features.Bookinfo;

/// <summary>What one GET {gateway}/productpage showed, before a traffic run.</summary>
/// <param name="Status">The HTTP status; null when no response arrived.</param>
/// <param name="Latency">From sending the request to the end of the response body (or to the failure).</param>
/// <param name="Error">Why the gateway is not ready for traffic; null when it served Bookinfo's product page.</param>
/// <param name="LooksLikeProductPage">A 200 whose HTML carries Bookinfo's product page title.</param>
public sealed record GatewayCheck(int? Status, TimeSpan Latency, TrafficError? Error, bool LooksLikeProductPage)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Asks the ingress gateway for Bookinfo's product page once, the way a traffic run will, and says what is wrong
/// when it is not served: nothing listening, no answer in time, no route (404), no healthy upstream (503), another
/// error status, or a 200 from some other application.
/// </summary>
public sealed partial class GatewayProbe(HttpMessageHandler? handler = null)
{
    // Enough for the product page (about 11 KB rendered); a larger body is not read further.
    private const int MaxBodyChars = 256 * 1024;

    /// <summary>GETs {gatewayUrl}/productpage once.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled (a timeout is an Error instead).</exception>
    public async Task<GatewayCheck> CheckAsync(Uri gatewayUrl, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(gatewayUrl);
        if (!gatewayUrl.IsAbsoluteUri) throw new ArgumentException("The gateway URL must be absolute (http://host:port).", nameof(gatewayUrl));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);

        var url = new Uri(gatewayUrl, BookinfoSample.ProductPagePath);
        using var client = new HttpClient(handler ?? DefaultHandler(timeout), disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var begin = Stopwatch.GetTimestamp();
        int? status = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            var body = await ReadBodyAsync(response.Content, deadline.Token).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(begin);
            var looksLikeProductPage = response.StatusCode == HttpStatusCode.OK && LooksLikeProductPage(body);
            return new GatewayCheck(status, latency, ErrorFor(status.Value, looksLikeProductPage, url), looksLikeProductPage);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new GatewayCheck(status, Stopwatch.GetElapsedTime(begin),
                new TrafficError(TrafficError.Timeout.Code, string.Create(CultureInfo.InvariantCulture, $"{url} did not answer within {timeout.TotalSeconds:0.###} s.")), false);
        }
        catch (HttpRequestException exception)
        {
            var error = TrafficError.FromException(exception);
            var message = error.Code switch
            {
                "ConnectionRefused" => $"Nothing accepts connections at {url.Authority}: check the gateway address and port (and any port-forward).",
                "NameResolution" => $"The host name {url.Host} could not be resolved.",
                _ => $"{url} could not be reached: {error.Message}",
            };
            return new GatewayCheck(status, Stopwatch.GetElapsedTime(begin), new TrafficError(error.Code, message), false);
        }
    }

    /// <summary>Bookinfo's productpage template sets the title "Simple Bookstore App" in every release
    /// (istio/istio samples/bookinfo/src/productpage/templates/productpage.html).</summary>
    internal static bool LooksLikeProductPage(string html) => ProductPageTitle().IsMatch(html);

    private static TrafficError? ErrorFor(int status, bool looksLikeProductPage, Uri url) => status switch
    {
        200 when looksLikeProductPage => null,
        200 => new("NotProductPage", $"{url} answered 200, but not with Bookinfo's product page: the address may belong to another application."),
        // Envoy answers 404 with an empty body when no route matches the host and path.
        404 => new("NotFound", $"The gateway has no route for {url.AbsolutePath} (404): apply Bookinfo's Gateway and VirtualService, and check the host."),
        // Envoy answers 503 "no healthy upstream" / "upstream connect error…" when productpage has no ready endpoint.
        503 => new("Unavailable", "The gateway answered 503: productpage has no ready pod behind it yet (or its sidecar is not ready)."),
        _ => TrafficError.ForStatus(status) ?? new("UnexpectedStatus", $"{url} answered HTTP {status} instead of the product page."),
    };

    private static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxBodyChars];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }

    private static SocketsHttpHandler DefaultHandler(TimeSpan timeout) => new()
    {
        ConnectTimeout = timeout,
        AllowAutoRedirect = false,
        UseCookies = false,
        ActivityHeadersPropagator = null,
    };

    [GeneratedRegex(@"<title>\s*Simple Bookstore App\s*</title>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProductPageTitle();
}
