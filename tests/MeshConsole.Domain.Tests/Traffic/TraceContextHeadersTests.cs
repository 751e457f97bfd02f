using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Tests.Traffic;

public class TraceContextHeadersTests
{
    private static readonly TraceIdentity Id = new("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1_893_499_200_123_456);
    private static readonly Guid RequestId = Guid.Parse("6f1c1a9e-2b3d-4c5e-8f70-1a2b3c4d5e6f");

    private static readonly string[] Common =
    [
        "x-request-id: 6f1c1a9e-2b3d-4c5e-8f70-1a2b3c4d5e6f",
        "x-client-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736",
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "x-b3-traceid: 4bf92f3577b34da6a3ce929d0e0e4736",
        "x-b3-spanid: 00f067aa0ba902b7",
        "x-b3-sampled: 1",
    ];

    // base64 of 12 14 | 09 <trace id low, little-endian> | 11 <span id, little-endian> | 18 01: BinaryCarrier.basic_ctx
    // (field 2, 20 bytes) with trace_id (fixed64 field 1), span_id (fixed64 field 2) and sampled (bool field 3).
    private static readonly string[] LightStep =
    [
        "x-ot-span-context: EhQJNkcODp2SzqMRtwKpC6pn8AAYAQ==",
        "ot-tracer-traceid: a3ce929d0e0e4736",
        "ot-tracer-spanid: 00f067aa0ba902b7",
        "ot-tracer-sampled: true",
    ];

    public static TheoryData<IstioForm, bool> Forms => new()
    {
        { IstioForm.InstallValues, true },
        { IstioForm.MeshConfigProxyTracing, true },
        { IstioForm.LightStepExtensionProvider, false },
        { IstioForm.OpenTelemetry, false },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Sends_w3c_b3_and_request_id_always_and_lightstep_text_map_for_envoys_native_tracer(IstioForm form, bool lightStep)
    {
        var headers = TraceContextHeaders.For(form, Id, RequestId);

        Assert.Equal(lightStep ? [.. Common, .. LightStep] : Common, headers.Select(h => $"{h.Name}: {h.Value}"));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Writing_a_requests_headers_hands_over_the_same_headers_and_allocates_nothing(IstioForm form, bool lightStep)
    {
        var check = new ComparingSink(lightStep ? [.. Common, .. LightStep] : Common);
        TraceContextHeaders.Write(form, Id.TraceId, Id.SpanId, RequestId, ref check);
        Assert.Equal(check.Expected.Length, check.Seen);

        // A traffic run writes the headers for each of up to 10,000 requests: the values are formatted on the stack.
        var count = new CountingSink();
        TraceContextHeaders.Write(form, Id.TraceId, Id.SpanId, RequestId, ref count);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) TraceContextHeaders.Write(form, Id.TraceId, Id.SpanId, RequestId, ref count);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1001 * check.Expected.Length, count.Headers);
    }

    private struct ComparingSink(string[] expected) : IPropagationHeaderSink
    {
        public readonly string[] Expected => expected;
        public int Seen { get; private set; }
        public void Add(string name, scoped ReadOnlySpan<char> value, PropagationFormat format) => Assert.Equal(expected[Seen++], $"{name}: {value}");
        public void AddConstant(string name, string value, PropagationFormat format) => Assert.Equal(expected[Seen++], $"{name}: {value}");
    }

    private struct CountingSink : IPropagationHeaderSink
    {
        public int Headers;
        public int Characters;
        public void Add(string name, scoped ReadOnlySpan<char> value, PropagationFormat format) { Headers++; Characters += value.Length; }
        public void AddConstant(string name, string value, PropagationFormat format) { Headers++; Characters += value.Length; }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Request_id_is_a_fresh_random_uuid_v4(IstioForm form, bool _)
    {
        var ids = Enumerable.Range(0, 50).Select(_ => TraceContextHeaders.For(form, Id).Single(h => h.Name == "x-request-id").Value).ToList();

        Assert.Equal(50, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            // Envoy reads the 15th character as the trace reason; '4' means "not yet decided", so sampling proceeds.
            Assert.Equal('4', id[14]);
        });
    }

    [Fact]
    public void Request_id_that_is_not_uuid_v4_is_refused()
    {
        var v7 = Guid.CreateVersion7();

        Assert.Throws<ArgumentException>(() => TraceContextHeaders.For(IstioForm.OpenTelemetry, Id, v7));
    }

    [Fact]
    public void Traceparent_is_the_55_character_sampled_form_envoys_extractor_accepts()
    {
        var traceparent = TraceContextHeaders.For(IstioForm.OpenTelemetry, Id, RequestId).Single(h => h.Name == "traceparent").Value;

        Assert.Equal(55, traceparent.Length);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", traceparent);
    }

    [Fact]
    public void Every_header_says_its_format()
    {
        var formats = TraceContextHeaders.For(IstioForm.MeshConfigProxyTracing, Id, RequestId).ToDictionary(h => h.Name, h => h.Format);

        Assert.Equal(PropagationFormat.W3CTraceContext, formats["traceparent"]);
        Assert.Equal(PropagationFormat.B3Multi, formats["x-b3-sampled"]);
        Assert.Equal(PropagationFormat.LightStepTextMap, formats["ot-tracer-traceid"]);
        Assert.Equal(PropagationFormat.LightStepSingleHeader, formats["x-ot-span-context"]);
        Assert.Equal(PropagationFormat.EnvoyRequestId, formats["x-request-id"]);
    }

    [Theory]
    [InlineData(IstioForm.InstallValues, "0000000000000000a3ce929d0e0e4736")]
    [InlineData(IstioForm.MeshConfigProxyTracing, "0000000000000000a3ce929d0e0e4736")]
    [InlineData(IstioForm.LightStepExtensionProvider, "4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData(IstioForm.OpenTelemetry, "4bf92f3577b34da6a3ce929d0e0e4736")]
    public void Continued_trace_id_is_64_bit_for_envoys_lightstep_tracer(IstioForm form, string expected) =>
        Assert.Equal(expected, TraceContextHeaders.ContinuedTraceId(form, Id.TraceId).ToString());

    [Fact]
    public void Binary_carrier_is_the_protobuf_wire_form_with_defaults_left_out()
    {
        Assert.Equal("12140936470e0e9d92cea311b702a90baa67f0001801",
            Convert.ToHexStringLower(LightStepBinaryCarrier.Serialize(0xa3ce929d0e0e4736, 0x00f067aa0ba902b7, sampled: true)));
        // proto3 writes no field at its default: an unsampled context has no sampled field, a zero id no id field.
        Assert.Equal("1212093647", Convert.ToHexStringLower(LightStepBinaryCarrier.Serialize(0xa3ce929d0e0e4736, 0x00f067aa0ba902b7, sampled: false))[..10]);
        Assert.Equal(20, LightStepBinaryCarrier.Serialize(1, 2, sampled: false).Length);
        Assert.Equal("120b11b702a90baa67f0001801", Convert.ToHexStringLower(LightStepBinaryCarrier.Serialize(0, 0x00f067aa0ba902b7, sampled: true)));
    }
}
