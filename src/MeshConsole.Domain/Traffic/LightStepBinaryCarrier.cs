using System.Buffers.Binary;

namespace MeshConsole.Domain.Traffic;

/// <summary>
/// LightStep's binary span context, the value of Envoy's x-ot-span-context header once base64-decoded. The message is
/// lightstep-tracer-common's lightstep_carrier.proto (as vendored by lightstep-tracer-cpp):
/// <c>BinaryCarrier { repeated bytes deprecated_text_ctx = 1; BasicTracerCarrier basic_ctx = 2; }</c> and
/// <c>BasicTracerCarrier { fixed64 trace_id = 1; fixed64 span_id = 2; bool sampled = 3; map&lt;string,string&gt; baggage_items = 4; }</c>.
/// lightstep-tracer-cpp's EnvoyPropagator serializes it with protobuf and base64-encodes it with padding
/// (src/tracer/propagation/envoy_propagator.cpp, binary_propagation.cpp). Written by hand because the Domain has no
/// protobuf dependency; the tests compare it byte for byte with the message generated from that proto.
/// </summary>
public static class LightStepBinaryCarrier
{
    // Protobuf wire format: tag = field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited).
    private const byte BasicContextTag = 2 << 3 | 2;
    private const byte TraceIdTag = 1 << 3 | 1;
    private const byte SpanIdTag = 2 << 3 | 1;
    private const byte SampledTag = 3 << 3 | 0;

    /// <summary>The longest serialized carrier: both ids and sampled (2 + 9 + 9 + 2 bytes).</summary>
    public const int MaxLength = 22;

    /// <summary>Characters of the longest carrier in padded base64.</summary>
    public const int MaxBase64Length = (MaxLength + 2) / 3 * 4;

    /// <summary>The serialized BinaryCarrier with no baggage. Proto3 leaves out fields at their default (0, false).</summary>
    public static byte[] Serialize(ulong traceId, ulong spanId, bool sampled)
    {
        Span<byte> bytes = stackalloc byte[MaxLength];
        return bytes[..Write(traceId, spanId, sampled, bytes)].ToArray();
    }

    /// <summary><see cref="Serialize"/> into <paramref name="bytes"/> (at least <see cref="MaxLength"/>); returns the length written.</summary>
    public static int Write(ulong traceId, ulong spanId, bool sampled, Span<byte> bytes)
    {
        var inner = (traceId != 0 ? 9 : 0) + (spanId != 0 ? 9 : 0) + (sampled ? 2 : 0);
        bytes[0] = BasicContextTag;
        bytes[1] = (byte)inner; // at most 20: a one-byte varint length
        var at = 2;
        if (traceId != 0)
        {
            bytes[at++] = TraceIdTag;
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[at..], traceId);
            at += 8;
        }
        if (spanId != 0)
        {
            bytes[at++] = SpanIdTag;
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[at..], spanId);
            at += 8;
        }
        if (sampled)
        {
            bytes[at++] = SampledTag;
            bytes[at++] = 1;
        }
        return at;
    }

    /// <summary>The x-ot-span-context value: standard base64 with padding of <see cref="Serialize"/>.</summary>
    public static string ToBase64(ulong traceId, ulong spanId, bool sampled) => Convert.ToBase64String(Serialize(traceId, spanId, sampled));
}
