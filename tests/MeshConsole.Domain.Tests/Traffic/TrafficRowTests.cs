using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Traffic;

public class TrafficRowTests
{
    internal static readonly DateTimeOffset Start = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
    internal static readonly TraceId Trace = TraceId.Parse("4bf92f3577b34da6a3ce929d0e0e4736");
    internal static readonly SpanId Span = SpanId.Parse("00f067aa0ba902b7");

    [Fact]
    public void Row_exposes_what_it_was_built_from()
    {
        var row = new TrafficRow(7, Start.ToOffset(TimeSpan.FromHours(8)), 200, 12_345, Trace, Span);

        Assert.Equal(7, row.Sequence);
        Assert.Equal(Start, row.StartedAt);
        Assert.Equal(TimeSpan.Zero, row.StartedAt.Offset);
        Assert.Equal(200, row.Status);
        Assert.Equal(12_345, row.LatencyMicros);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", row.TraceIdHex);
        Assert.Equal("00f067aa0ba902b7", row.SpanIdHex);
        Assert.Null(row.Error);
        Assert.Equal(VerificationState.NotChecked, row.Verification.State);
        Assert.True(row.Succeeded);
        Assert.Equal(new TraceIdentity("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1_893_499_200_123_456), row.Identity);
    }

    [Theory]
    [InlineData(200, false, true)]
    [InlineData(302, false, true)]
    [InlineData(404, false, false)]
    [InlineData(503, true, false)]
    [InlineData(null, true, false)]
    public void Succeeded_means_a_2xx_or_3xx_without_error(int? status, bool error, bool succeeded)
    {
        var row = new TrafficRow(1, Start, status, 1, Trace, Span, error ? TrafficError.Timeout : null);

        Assert.Equal(succeeded, row.Succeeded);
        Assert.Equal(status, row.Status);
    }

    [Theory]
    [InlineData(0, 200, 0)]
    [InlineData(1, 99, 0)]
    [InlineData(1, 1000, 0)]
    [InlineData(1, 200, -1)]
    public void Row_refuses_impossible_values(int sequence, int status, long latency) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new TrafficRow(sequence, Start, status, latency, Trace, Span));

    [Fact]
    public void Verification_is_replaced_without_touching_the_rest()
    {
        var row = new TrafficRow(3, Start, 200, 10, Trace, Span);

        var arrived = row.WithVerification(TraceVerification.Arrived(9));

        Assert.Equal((VerificationState.Arrived, 9, (string?)null), (arrived.Verification.State, arrived.Verification.SpanCount, arrived.Verification.Reason));
        Assert.Equal((row.Sequence, row.TraceId, row.SpanId, row.StartedAt), (arrived.Sequence, arrived.TraceId, arrived.SpanId, arrived.StartedAt));
        Assert.Equal(VerificationState.NotChecked, row.Verification.State);
        Assert.NotEqual(row, arrived);
        Assert.Equal(arrived, row.WithVerification(TraceVerification.Arrived(9)));
    }

    [Fact]
    public void Verification_states_carry_only_their_own_data()
    {
        Assert.Equal((VerificationState.NotYet, 0, (string?)null), (TraceVerification.NotYet.State, TraceVerification.NotYet.SpanCount, TraceVerification.NotYet.Reason));
        var failed = TraceVerification.Failed("Unauthorized");
        Assert.Equal((VerificationState.Failed, 0, "Unauthorized"), (failed.State, failed.SpanCount, failed.Reason));
        Assert.Throws<ArgumentOutOfRangeException>(() => TraceVerification.Arrived(0));
        Assert.ThrowsAny<ArgumentException>(() => TraceVerification.Failed(" "));
    }

    /// <summary>
    /// The issue's budget: the console holds a 10,000-row table in under 20 MB. Measured as bytes allocated on this
    /// thread while building the table (every row, one in ten with an error and a failed verification, the list
    /// itself), which bounds what the table retains.
    /// </summary>
    [Fact]
    public void Ten_thousand_rows_take_well_under_20_MB()
    {
        const int count = 10_000;
        var errors = new[] { new TrafficError("ConnectionRefused", "Connection refused (192.0.2.10:80)"), TrafficError.Timeout };
        var traces = Enumerable.Range(0, count).Select(_ => TraceId.NewRandom()).ToArray();
        var spans = Enumerable.Range(0, count).Select(_ => SpanId.NewRandom()).ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var table = new List<TrafficRow>();
        for (var i = 0; i < count; i++)
        {
            var failed = i % 10 == 0;
            var row = new TrafficRow(i + 1, Start.AddMilliseconds(i), failed ? null : 200, 1_000 + i, traces[i], spans[i],
                failed ? new TrafficError(errors[i % 2].Code, $"{errors[i % 2].Message} #{i}") : null);
            table.Add(row.WithVerification(failed ? TraceVerification.Failed("NotFound") : TraceVerification.Arrived(7)));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(count, table.Count);
        Assert.True(allocated < 20 * 1024 * 1024, $"{allocated:N0} bytes for {count} rows");
        // The design, far inside the budget: 72 bytes a row held, plus the failures' messages; about 2.6 MB allocated in
        // all, most of it the list's discarded growth copies. Ids held as strings (88 + 56 bytes a row) would add ~1.4 MB and cross this line.
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated:N0} bytes for {count} rows ({allocated / count} a row)");
        Assert.True(Unsafe.SizeOf<TrafficRow>() <= 72, $"TrafficRow is {Unsafe.SizeOf<TrafficRow>()} bytes");
        GC.KeepAlive(table);
    }
}

public class TrafficErrorTests
{
    public static TheoryData<Exception, string> Exceptions => new()
    {
        { new TimeoutException("timed out"), "Timeout" },
        { new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException()), "Timeout" },
        { new OperationCanceledException(), "Canceled" },
        { new HttpRequestException("Connection refused (192.0.2.10:80)", new SocketException((int)SocketError.ConnectionRefused)), "ConnectionRefused" },
        { new HttpRequestException("No route to host", new SocketException((int)SocketError.HostUnreachable)), "Unreachable" },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (nope.invalid:80)"), "NameResolution" },
        { new HttpRequestException(HttpRequestError.ConnectionError, "reset"), "ConnectionFailed" },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "ended"), "ResponseEnded" },
        { new HttpRequestException("Response status code does not indicate success: 502"), "RequestFailed" },
        { new InvalidOperationException("odd"), "Failed" },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Exceptions_become_short_codes(Exception exception, string code) =>
        Assert.Equal(code, TrafficError.FromException(exception).Code);

    [Fact]
    public void Message_is_one_line_capped_and_free_of_the_named_secrets()
    {
        var exception = new HttpRequestException($"failed\r\nwith token lsTOKEN-0123456789abcdef and key API-KEY-42\t{new string('x', 300)}");

        var error = TrafficError.FromException(exception, ["lsTOKEN-0123456789abcdef", "API-KEY-42", ""]);

        Assert.DoesNotContain("lsTOKEN-0123456789abcdef", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("API-KEY-42", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\t', error.Message);
        Assert.StartsWith("failed with token •••• and key ••••", error.Message, StringComparison.Ordinal);
        Assert.Equal(TrafficError.MaxMessageLength, error.Message.Length);
        Assert.EndsWith("…", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, null)]
    [InlineData(404, null)]
    [InlineData(499, null)]
    [InlineData(500, "HTTP 500 InternalServerError")]
    [InlineData(503, "HTTP 503 ServiceUnavailable")]
    [InlineData(599, "HTTP 599")]
    public void Server_errors_are_errors(int status, string? message)
    {
        var error = TrafficError.ForStatus(status);

        Assert.Equal(message, error?.Message);
        if (message is not null) Assert.Equal("ServerError", error!.Code);
    }
}

public class TrafficSettingsTests
{
    public static TheoryData<int, int, string[]> Cases => new()
    {
        { 1, 1, [] },
        { 20, 4, [] },
        { 10_000, 64, [] },
        { 0, 4, ["Traffic.RequestsOutOfRange"] },
        { -5, 4, ["Traffic.RequestsOutOfRange"] },
        { 10_001, 4, ["Traffic.RequestsOutOfRange"] },
        { 100, 0, ["Traffic.ConcurrencyOutOfRange"] },
        { 100, 65, ["Traffic.ConcurrencyOutOfRange"] },
        { 0, 65, ["Traffic.RequestsOutOfRange", "Traffic.ConcurrencyOutOfRange"] },
        { 10, 20, ["Traffic.ConcurrencyAboveRequests"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Requests_1_to_10000_and_concurrency_1_to_64(int requests, int concurrency, string[] codes)
    {
        var issues = new TrafficSettings(requests, concurrency).Validate();

        Assert.Equal(codes, issues.Select(i => i.Code));
    }

    [Fact]
    public void Out_of_range_issues_name_the_field_the_bounds_and_the_value()
    {
        var issues = new TrafficSettings(10_001, 65).Validate();

        Assert.Equal((WizardField.TrafficRequestCount, IssueSeverity.Error), (issues[0].Field, issues[0].Severity));
        Assert.Equal([1, 10_000, 10_001], issues[0].Args);
        Assert.Equal((WizardField.TrafficConcurrency, IssueSeverity.Error), (issues[1].Field, issues[1].Severity));
        Assert.Equal([1, 64, 65], issues[1].Args);
    }

    [Fact]
    public void More_concurrency_than_requests_is_only_a_warning()
    {
        var issue = Assert.Single(new TrafficSettings(3, 8).Validate());

        Assert.False(issue.IsError);
        Assert.Equal([8, 3], issue.Args);
    }
}
