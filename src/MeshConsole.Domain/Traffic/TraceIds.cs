using System.Globalization;
using System.Security.Cryptography;

namespace MeshConsole.Domain.Traffic;

/// <summary>A 128-bit trace id as two ulongs (16 bytes instead of a 32-character string).</summary>
public readonly record struct TraceId(ulong High, ulong Low)
{
    public bool IsValid => High != 0 || Low != 0;

    /// <summary>A random non-zero id (W3C trace-context: all-zero is invalid).</summary>
    public static TraceId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[16];
        TraceId id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = new(BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..]));
        } while (!id.IsValid);
        return id;
    }

    /// <summary>32 lowercase hex digits.</summary>
    public override string ToString() => High.ToString("x16", CultureInfo.InvariantCulture) + Low.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The right-most 64 bits as 16 hex digits: what 64-bit tracers (LightStep's own, B3 64-bit) carry.</summary>
    public string LowHex => Low.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Exactly 32 hex digits (either case), not all zero.</summary>
    public static bool TryParse(string? hex, out TraceId id)
    {
        id = default;
        if (hex is not { Length: 32 }
            || !ulong.TryParse(hex.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !ulong.TryParse(hex.AsSpan(16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
            return false;
        id = new(high, low);
        return id.IsValid;
    }

    public static TraceId Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException("A trace id is 32 hex digits, not all zero.");
}

/// <summary>A 64-bit span id as one ulong.</summary>
public readonly record struct SpanId(ulong Value)
{
    public bool IsValid => Value != 0;

    public static SpanId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BitConverter.ToUInt64(bytes);
        } while (value == 0);
        return new(value);
    }

    /// <summary>16 lowercase hex digits.</summary>
    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);

    public static bool TryParse(string? hex, out SpanId id)
    {
        id = default;
        if (hex is not { Length: 16 }
            || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            return false;
        id = new(value);
        return id.IsValid;
    }

    public static SpanId Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException("A span id is 16 hex digits, not all zero.");
}

/// <summary>
/// What a trace link is made of: the root span's trace id (32 hex), span id (16 hex) and start time (Unix microseconds).
/// The hex forms are validated and normalized to lowercase.
/// </summary>
public sealed record TraceIdentity
{
    public TraceIdentity(string TraceIdHex, string SpanIdHex, long StartMicros)
    {
        if (!TraceId.TryParse(TraceIdHex, out var trace))
            throw new ArgumentException("A trace id is 32 hex digits, not all zero.", nameof(TraceIdHex));
        if (!SpanId.TryParse(SpanIdHex, out var span))
            throw new ArgumentException("A span id is 16 hex digits, not all zero.", nameof(SpanIdHex));
        ArgumentOutOfRangeException.ThrowIfNegative(StartMicros);
        TraceId = trace;
        SpanId = span;
        this.StartMicros = StartMicros;
    }

    /// <summary>From ids already held as integers (no hex round trip: a traffic run builds one per request).</summary>
    public TraceIdentity(TraceId traceId, SpanId spanId, long startMicros)
    {
        if (!traceId.IsValid) throw new ArgumentException("A trace id is 32 hex digits, not all zero.", nameof(traceId));
        if (!spanId.IsValid) throw new ArgumentException("A span id is 16 hex digits, not all zero.", nameof(spanId));
        ArgumentOutOfRangeException.ThrowIfNegative(startMicros);
        TraceId = traceId;
        SpanId = spanId;
        StartMicros = startMicros;
    }

    public TraceId TraceId { get; }
    public SpanId SpanId { get; }
    public string TraceIdHex => TraceId.ToString();
    public string SpanIdHex => SpanId.ToString();
    public long StartMicros { get; }

    public DateTimeOffset StartedAt => DateTimeOffset.UnixEpoch.AddTicks(StartMicros * 10);

    public static long ToUnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public void Deconstruct(out string TraceIdHex, out string SpanIdHex, out long StartMicros)
    {
        TraceIdHex = this.TraceIdHex;
        SpanIdHex = this.SpanIdHex;
        StartMicros = this.StartMicros;
    }
}

/// <summary>
/// Random trace ids and x-request-id UUIDs for one worker of a traffic run, cut from one cryptographic fill of 4 KiB
/// per 128 requests. Each fill is a call into the OS: 2.0–2.7 µs for 16 bytes and 1.0–1.8 µs for a
/// <see cref="Guid.NewGuid"/> on the benchmark machine, against 0.01–0.03 µs per 16 bytes of a 4 KiB fill (bench/README.md),
/// and a request needs two ids. The bytes are as random as <see cref="TraceId.NewRandom"/>'s. Not thread-safe: one per
/// worker.
/// </summary>
public sealed class RandomTraceIds
{
    private readonly byte[] _bytes = new byte[4096];
    private int _next = 4096;

    /// <summary>A random non-zero trace id.</summary>
    public TraceId NextTraceId()
    {
        TraceId id;
        do
        {
            var bytes = Take();
            id = new(BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..]));
        } while (!id.IsValid);
        return id;
    }

    /// <summary>A random version-4 UUID (RFC 9562 section 5.4), as <see cref="Guid.NewGuid"/> makes on Linux.</summary>
    public Guid NextRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Take().CopyTo(bytes);
        // Guid(ReadOnlySpan<byte>) reads bytes 6-7 as the little-endian third field, whose top nibble is the version, and
        // byte 8's top two bits as the variant (10 = RFC 9562).
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private ReadOnlySpan<byte> Take()
    {
        if (_next == _bytes.Length)
        {
            RandomNumberGenerator.Fill(_bytes);
            _next = 0;
        }
        var taken = _bytes.AsSpan(_next, 16);
        _next += 16;
        return taken;
    }
}
