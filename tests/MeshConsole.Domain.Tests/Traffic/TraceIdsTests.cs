using MeshConsole.Domain.Traffic;

namespace MeshConsole.Domain.Tests.Traffic;

public class TraceIdsTests
{
    [Theory]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", 0x4bf92f3577b34da6UL, 0xa3ce929d0e0e4736UL)]
    [InlineData("4BF92F3577B34DA6A3CE929D0E0E4736", 0x4bf92f3577b34da6UL, 0xa3ce929d0e0e4736UL)]
    [InlineData("00000000000000000000000000000001", 0UL, 1UL)]
    [InlineData("ffffffffffffffffffffffffffffffff", ulong.MaxValue, ulong.MaxValue)]
    public void Trace_id_round_trips_as_32_lowercase_hex(string hex, ulong high, ulong low)
    {
        Assert.True(TraceId.TryParse(hex, out var id));
        Assert.Equal(new TraceId(high, low), id);
        Assert.Equal(hex.ToLowerInvariant(), id.ToString());
        Assert.Equal(hex[16..].ToLowerInvariant(), id.LowHex);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e47360")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473g")]
    [InlineData("+bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData(" 4bf92f3577b34da6a3ce929d0e0e473")]
    public void Trace_id_refuses_anything_but_32_hex_not_all_zero(string? hex)
    {
        Assert.False(TraceId.TryParse(hex, out _));
        Assert.Throws<FormatException>(() => TraceId.Parse(hex!));
    }

    [Theory]
    [InlineData("00f067aa0ba902b7", 0x00f067aa0ba902b7UL)]
    [InlineData("00F067AA0BA902B7", 0x00f067aa0ba902b7UL)]
    [InlineData("0000000000000001", 1UL)]
    public void Span_id_round_trips_as_16_lowercase_hex_with_leading_zeros(string hex, ulong value)
    {
        Assert.True(SpanId.TryParse(hex, out var id));
        Assert.Equal(value, id.Value);
        Assert.Equal(hex.ToLowerInvariant(), id.ToString());
    }

    [Theory]
    [InlineData("0000000000000000")]
    [InlineData("f067aa0ba902b7")]
    [InlineData("00f067aa0ba902b7a")]
    [InlineData("00f067aa0ba902bz")]
    public void Span_id_refuses_anything_but_16_hex_not_zero(string hex) => Assert.False(SpanId.TryParse(hex, out _));

    [Fact]
    public void Random_ids_are_valid_and_differ()
    {
        var traces = Enumerable.Range(0, 100).Select(_ => TraceId.NewRandom()).ToHashSet();
        var spans = Enumerable.Range(0, 100).Select(_ => SpanId.NewRandom()).ToHashSet();

        Assert.Equal(100, traces.Count);
        Assert.Equal(100, spans.Count);
        Assert.All(traces, t => Assert.True(t.IsValid));
        Assert.All(spans, s => Assert.True(s.IsValid));
    }

    [Fact]
    public void Identity_normalizes_to_lowercase_and_keeps_the_integers()
    {
        var id = new TraceIdentity("4BF92F3577B34DA6A3CE929D0E0E4736", "00F067AA0BA902B7", 1_893_499_200_123_456);

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", id.TraceIdHex);
        Assert.Equal("00f067aa0ba902b7", id.SpanIdHex);
        Assert.Equal(new SpanId(0x00f067aa0ba902b7UL), id.SpanId);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), id.StartedAt);
        var (trace, span, micros) = id;
        Assert.Equal(("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1_893_499_200_123_456L), (trace, span, micros));
        Assert.Equal(id, new TraceIdentity(new TraceId(0x4bf92f3577b34da6UL, 0xa3ce929d0e0e4736UL), new SpanId(0x00f067aa0ba902b7UL), 1_893_499_200_123_456));
    }

    [Theory]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473", "00f067aa0ba902b7", 0, "TraceIdHex")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b", 0, "SpanIdHex")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", "0000000000000000", 0, "SpanIdHex")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", -1, "StartMicros")]
    public void Identity_refuses_malformed_parts(string trace, string span, long micros, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new TraceIdentity(trace, span, micros));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Unix_micros_of_a_time_are_exact()
    {
        var time = new DateTimeOffset(2030, 1, 1, 13, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);

        Assert.Equal(1_893_499_200_123_456L, TraceIdentity.ToUnixMicros(time));
    }

    [Fact]
    public void A_workers_ids_are_distinct_random_trace_ids_and_version_4_request_ids_across_refills()
    {
        var ids = new RandomTraceIds();

        // 1,000 of each: more than the 128 requests one fill of the buffer serves.
        var traceIds = Enumerable.Range(0, 1000).Select(_ => ids.NextTraceId()).ToList();
        var requestIds = Enumerable.Range(0, 1000).Select(_ => ids.NextRequestId()).ToList();

        Assert.All(traceIds, id => Assert.True(id.IsValid));
        Assert.Equal(1000, traceIds.Distinct().Count());
        Assert.Equal(1000, requestIds.Distinct().Count());
        Assert.All(requestIds, id =>
        {
            Assert.Equal(4, id.Version);
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id.ToString("D"));
        });
        // Not all the same high or low half: the bytes are spread over both halves, not left zero.
        Assert.True(traceIds.Select(id => id.High).Distinct().Count() > 990 && traceIds.Select(id => id.Low).Distinct().Count() > 990);
    }
}
