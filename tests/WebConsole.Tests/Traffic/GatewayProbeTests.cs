using System.Net;
using System.Net.Sockets;
using TrafficStandIns;
using WebConsole.Features.Traffic;
using WebConsole.Features.Bookinfo;

namespace WebConsole.Tests.Traffic;

/// <summary>The gateway check before a run, against the gateway stand-in on loopback and a port nothing listens on.</summary>
public sealed class GatewayProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_product_page_behind_the_gateway_passes_with_one_request()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        var check = await new GatewayProbe().CheckAsync(gateway.BaseUrl, Timeout, CancellationToken.None);

        Assert.Equal(200, check.Status);
        Assert.True(check.LooksLikeProductPage);
        Assert.Null(check.Error);
        Assert.True(check.Succeeded);
        Assert.InRange(check.Latency, TimeSpan.FromTicks(1), Timeout);
        Assert.Equal(1, gateway.Arrivals);
    }

    [Theory]
    [InlineData(404, "NotFound", "no route for /productpage")]
    [InlineData(503, "Unavailable", "no ready pod")]
    [InlineData(500, "ServerError", "HTTP 500")]
    [InlineData(401, "UnexpectedStatus", "HTTP 401")]
    public async Task Error_statuses_say_what_is_missing(int status, string code, string explanation)
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        gateway.FailWith = _ => status;
        var check = await new GatewayProbe().CheckAsync(gateway.BaseUrl, Timeout, CancellationToken.None);

        Assert.Equal(status, check.Status);
        Assert.False(check.LooksLikeProductPage);
        Assert.Equal(code, check.Error?.Code);
        Assert.Contains(explanation, check.Error!.Message);
    }

    [Fact]
    public async Task Another_application_answering_200_is_not_taken_for_bookinfo()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        gateway.PageHtml = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>It works</body></html>";
        var check = await new GatewayProbe().CheckAsync(gateway.BaseUrl, Timeout, CancellationToken.None);

        Assert.Equal(200, check.Status);
        Assert.False(check.LooksLikeProductPage);
        Assert.Equal("NotProductPage", check.Error?.Code);
    }

    [Fact]
    public async Task A_gateway_slower_than_the_timeout_is_a_timeout_without_a_status()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        gateway.DelayFor = _ => TimeSpan.FromSeconds(10);
        var check = await new GatewayProbe().CheckAsync(gateway.BaseUrl, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Null(check.Status);
        Assert.Equal("Timeout", check.Error?.Code);
        Assert.Contains("did not answer within 0.3 s", check.Error!.Message);
        Assert.InRange(check.Latency, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_closed_port_is_connection_refused_naming_the_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var check = await new GatewayProbe().CheckAsync(new Uri($"http://127.0.0.1:{port}"), Timeout, CancellationToken.None);

        Assert.Null(check.Status);
        Assert.False(check.LooksLikeProductPage);
        Assert.Equal("ConnectionRefused", check.Error?.Code);
        Assert.Contains($"127.0.0.1:{port}", check.Error!.Message);
    }

    [Fact]
    public async Task Canceling_the_check_is_not_reported_as_a_gateway_problem()
    {
        await using var gateway = await GatewayStandIn.StartAsync();
        gateway.DelayFor = _ => TimeSpan.FromSeconds(10);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new GatewayProbe().CheckAsync(gateway.BaseUrl, Timeout, cancel.Token));
    }
}
