using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using WebConsole.Features.Traffic;

namespace WebConsole.Tests.Traffic;

/// <summary>The console's root spans for a backend other than LightStep follow the backend's OTLP protocol and path.</summary>
public sealed class OtherBackendTrafficTargetTests
{
    [Theory]
    [InlineData(true, "https://otlp.example.com:4318/api/otlp/traces")]
    [InlineData(false, "http://otlp.example.com:4318/api/otlp/traces")]
    public void An_otlp_http_destination_posts_to_its_traces_url(bool secure, string expected)
    {
        var destination = new SpanDestination("otlp.example.com:4318", SpanTransport.OtlpHttp, secure, "SpanDestination.OtlpLikeTheMesh", "/api/otlp/traces");

        var target = TrafficTarget.For(new Uri("http://gateway.example"), destination, "", IstioForm.OpenTelemetry, null);

        Assert.Equal((SpanProtocol.OtlpHttpProtobuf, expected), (target.Protocol, target.ExporterEndpoint.AbsoluteUri));
    }

    [Fact]
    public void An_otlp_grpc_destination_stays_grpc_without_a_path()
    {
        var destination = new SpanDestination("api.honeycomb.io:443", SpanTransport.OtlpGrpc, true, "SpanDestination.OtlpLikeTheMesh");

        var target = TrafficTarget.For(new Uri("http://gateway.example"), destination, "", IstioForm.OpenTelemetryCollector, null);

        Assert.Equal((SpanProtocol.OtlpGrpc, "https://api.honeycomb.io/"), (target.Protocol, target.ExporterEndpoint.AbsoluteUri));
    }
}
