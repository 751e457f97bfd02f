using Google.Protobuf;
using Lightstep;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;

namespace WebConsole.Tests.Traffic;

/// <summary>
/// x-ot-span-context against the message generated from LightStep's lightstep_carrier.proto (the file lightstep-tracer-cpp
/// compiles into the tracer Envoy runs): the console's hand-written bytes are exactly protobuf's serialization.
/// </summary>
public sealed class LightStepSingleHeaderTests
{
    public static TheoryData<ulong, ulong, bool> Contexts => new()
    {
        { 0xa3ce929d0e0e4736, 0x00f067aa0ba902b7, true },
        { 1, ulong.MaxValue, true },
        { ulong.MaxValue, 1, false },
        { 0, 0x00f067aa0ba902b7, true },
        { 0x8000000000000000, 0x0000000000000080, false },
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Carrier_bytes_equal_protobufs_serialization_of_the_published_proto(ulong traceId, ulong spanId, bool sampled)
    {
        var expected = new BinaryCarrier { BasicCtx = new BasicTracerCarrier { TraceId = traceId, SpanId = spanId, Sampled = sampled } }.ToByteArray();

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(LightStepBinaryCarrier.Serialize(traceId, spanId, sampled)));
    }

    [Fact]
    public void Header_decodes_to_the_row_ids_as_envoys_tracer_parses_it()
    {
        var id = new TraceIdentity(TraceId.NewRandom(), SpanId.NewRandom(), 1_893_499_200_123_456);

        var value = TraceContextHeaders.For(IstioForm.InstallValues, id).Single(h => h.Name == "x-ot-span-context").Value;
        var carrier = BinaryCarrier.Parser.ParseFrom(Convert.FromBase64String(value));

        Assert.Equal(id.TraceId.Low, carrier.BasicCtx.TraceId);
        Assert.Equal(id.SpanId.Value, carrier.BasicCtx.SpanId);
        Assert.True(carrier.BasicCtx.Sampled);
        Assert.Empty(carrier.BasicCtx.BaggageItems);
        Assert.Empty(carrier.DeprecatedTextCtx);
    }
}
