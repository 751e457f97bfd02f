using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Tests.Traffic;

public class SpanDestinationTests
{
    private static PlanInput Public(string version) => new() { AccessToken = "t", IstioVersion = IstioVersion.Parse(version) };

    private static PlanInput OnPrem(string version, bool secure) => new()
    {
        Product = LightStepProduct.OnPremSatellites, SatelliteAddress = "sat.example:8184", AccessToken = "t",
        IstioVersion = IstioVersion.Parse(version), Secure = secure,
    };

    [Theory]
    [InlineData("1.9", "collector-grpc.lightstep.com:443", SpanTransport.LightStepCollector)]
    [InlineData("1.14", "collector-grpc.lightstep.com:443", SpanTransport.LightStepCollector)]
    [InlineData("1.20", "ingest.lightstep.com:443", SpanTransport.OtlpGrpc)]
    [InlineData("1.28", "ingest.lightstep.com:443", SpanTransport.OtlpGrpc)]
    public void The_public_product_gets_the_address_and_protocol_the_mesh_uses(string version, string address, SpanTransport transport)
    {
        var input = Public(version);
        var destination = SpanDestination.For(input, IstioFormChoice.For(input.IstioVersion).Form);

        Assert.Equal(address, destination.Address);
        Assert.Equal(transport, destination.Transport);
        Assert.True(destination.Secure);
    }

    [Theory]
    [InlineData("1.9", false)]
    [InlineData("1.20", true)]
    public void On_premises_satellites_keep_their_address_and_the_users_tls_choice(string version, bool secure)
    {
        var input = OnPrem(version, secure);
        var destination = SpanDestination.For(input, IstioFormChoice.For(input.IstioVersion).Form);

        Assert.Equal("sat.example:8184", destination.Address);
        Assert.Equal(secure, destination.Secure);
    }

    [Fact]
    public void An_override_replaces_only_the_address()
    {
        var planned = SpanDestination.For(OnPrem("1.20", true), IstioForm.LightStepExtensionProvider);

        var (destination, issues) = SpanDestination.WithOverride(planned, "127.0.0.1:18184");

        Assert.Empty(issues);
        Assert.Equal("127.0.0.1:18184", destination!.Address);
        Assert.Equal(SpanTransport.OtlpGrpc, destination.Transport);
        Assert.Equal("SpanDestination.UserOverride", destination.ReasonCode);
    }

    [Fact]
    public void An_invalid_override_is_refused_with_the_satellite_rules_and_a_suggestion()
    {
        var planned = SpanDestination.For(Public("1.20"), IstioForm.OpenTelemetry);

        var (destination, issues) = SpanDestination.WithOverride(planned, "https://sat.internal/");

        Assert.Null(destination);
        Assert.Contains(issues, i => i.Code == "Satellite.HasScheme" && i.SuggestedValue == "sat.internal:443");
    }

    [Fact]
    public void An_empty_override_keeps_the_planned_destination()
    {
        var planned = SpanDestination.For(Public("1.9"), IstioForm.InstallValues);
        Assert.Same(planned, SpanDestination.WithOverride(planned, "  ").Destination);
    }
}
