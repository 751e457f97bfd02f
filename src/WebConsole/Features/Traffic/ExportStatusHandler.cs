using System.Net;
using System.Text;

namespace WebConsole.Features.Traffic;

/// <summary>
/// Sits in the OTLP exporter's HttpClient (OtlpExporterOptions.HttpClientFactory) and records how the collector
/// answered each export call, so a run can say "the collector refused the access token" instead of dropping spans
/// silently. The exporter uses both the synchronous and the asynchronous path, so both are overridden.
/// </summary>
internal sealed class ExportStatusHandler(SpanExportStatus status) : DelegatingHandler
{
    private const int MaxBodyChars = 2048;

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        status.CountCall();
        try
        {
            var response = base.Send(request, cancellationToken);
            string? body = null;
            if (!response.IsSuccessStatusCode) body = ReadBody(response.Content.ReadAsStream(cancellationToken));
            Inspect(response, body);
            return response;
        }
        catch (Exception exception)
        {
            status.Record(SpanExportOutcome.Unreachable, null, exception.Message);
            throw;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        status.CountCall();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string? body = null;
            if (!response.IsSuccessStatusCode)
                body = ReadBody(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            Inspect(response, body);
            return response;
        }
        catch (Exception exception)
        {
            status.Record(SpanExportOutcome.Unreachable, null, exception.Message);
            throw;
        }
    }

    private void Inspect(HttpResponseMessage response, string? body)
    {
        var code = (int)response.StatusCode;
        if (body is null)
        {
            // gRPC answers 200 and puts an immediate failure ("trailers-only") in the headers.
            if (response.Headers.TryGetValues("grpc-status", out var values) && values.FirstOrDefault() is { } grpc && grpc != "0")
                status.Record(grpc is "16" or "7" ? SpanExportOutcome.TokenRefused : SpanExportOutcome.Rejected, code, $"gRPC status {grpc}");
            return;
        }
        // The body was read to classify the failure; hand the exporter an equivalent one.
        var copy = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        foreach (var header in response.Content.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = copy;
        // 401/403, or a 4xx that names the token (LightStep answers 400 "access token corresponds to a private project…").
        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || (code is >= 400 and < 500 && body.Contains("access token", StringComparison.OrdinalIgnoreCase));
        status.Record(refused ? SpanExportOutcome.TokenRefused : SpanExportOutcome.Rejected, code,
            string.IsNullOrWhiteSpace(body) ? $"HTTP {code}" : $"HTTP {code}: {body}");
    }

    private static string ReadBody(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxBodyChars];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read);
    }
}
