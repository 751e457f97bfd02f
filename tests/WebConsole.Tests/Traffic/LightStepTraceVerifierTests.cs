using System.Diagnostics;
using System.Net;
using System.Text;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using TrafficStandIns;
using WebConsole.Features;
using WebConsole.Features.Traffic;

namespace WebConsole.Tests.Traffic;

/// <summary>
/// Verification through LightStep's public API, against the API stand-in that answers from what the collector
/// stand-in received: traffic goes out for real, then every row is looked up by its root span id.
/// </summary>
public sealed class LightStepTraceVerifierTests
{
    private const string Token = "verifier-access-token-5d1e";
    private const string ApiKey = "api-key-0f4e2b9a7c61d3e8";

    private static readonly TrafficRunOptions FastOptions = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5),
        ExportTimeout = TimeSpan.FromSeconds(5),
        FlushTimeout = TimeSpan.FromSeconds(10),
        ExportDelay = TimeSpan.FromMilliseconds(100),
    };

    private sealed record Rig(GatewayStandIn Gateway, CollectorStandIn Collector, LightStepApiStandIn Api) : IAsyncDisposable
    {
        public TraceVerificationSettings Settings(string key = ApiKey) => new(key, Api.Organization, Api.Project, Api.BaseUrl);

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            await Collector.DisposeAsync();
            await Gateway.DisposeAsync();
        }
    }

    /// <summary>A gateway that reports its own span too, so a trace holds the console's root and the gateway's child.</summary>
    private static async Task<Rig> StartAsync()
    {
        var gateway = await GatewayStandIn.StartAsync();
        var collector = await CollectorStandIn.StartAsync(Token);
        gateway.ReportSpansTo(collector);
        var api = await LightStepApiStandIn.StartAsync(collector, ApiKey);
        return new Rig(gateway, collector, api);
    }

    private static async Task<TrafficRow[]> SendTrafficAsync(Rig rig, int requests)
    {
        var target = new TrafficTarget(rig.Gateway.BaseUrl, rig.Collector.OtlpHttpEndpoint, SpanProtocol.OtlpHttpProtobuf, Token, IstioForm.OpenTelemetry);
        var result = await new TrafficRunner(FastOptions).RunAsync(target, new TrafficSettings(requests, 4));
        Assert.Equal(SpanExportOutcome.Exported, result.Export.Outcome);
        return result.Rows.ToArray();
    }

    private static TrafficRow UnsentRow(int sequence = 1) =>
        new(sequence, DateTimeOffset.UtcNow, 200, 1_000, TraceId.NewRandom(), SpanId.NewRandom());

    private static async Task<TraceVerification[]> VerifyAllAsync(LightStepTraceVerifier verifier, TraceVerificationSettings settings, IReadOnlyList<TrafficRow> rows, int concurrency = 4)
    {
        var results = new TraceVerification[rows.Count];
        var reports = new int[rows.Count];
        await verifier.VerifyAllAsync(settings, rows, concurrency, new InlineProgress<(int Index, TraceVerification Result)>(r =>
        {
            results[r.Index] = r.Result;
            Interlocked.Increment(ref reports[r.Index]);
        }), CancellationToken.None);
        Assert.All(reports, n => Assert.Equal(1, n)); // every row reported exactly once
        return results;
    }

    [Fact]
    public async Task Every_row_of_a_run_arrives_with_the_spans_of_its_whole_trace()
    {
        await using var rig = await StartAsync();
        var rows = await SendTrafficAsync(rig, 24);
        using var http = new HttpClient();

        var results = await VerifyAllAsync(new LightStepTraceVerifier(http), rig.Settings(), rows);

        // The console's client span and the gateway's server span.
        Assert.All(results, r => Assert.Equal(TraceVerification.Arrived(2), r));
        Assert.Equal(24, rig.Api.Requests.Count);
        Assert.All(rig.Api.Requests, r => Assert.True(r.KeyAccepted));
        Assert.Equal(rows.Select(r => r.SpanIdHex).Order(), rig.Api.Requests.Select(r => r.SpanId).Order());
    }

    [Fact]
    public async Task A_trace_LightStep_does_not_have_yet_is_not_yet_and_so_is_an_empty_answer()
    {
        await using var rig = await StartAsync();
        using var http = new HttpClient();

        var result = await new LightStepTraceVerifier(http).VerifyAsync(rig.Settings(), UnsentRow(), CancellationToken.None);

        Assert.Equal(VerificationState.NotYet, result.State);
        Assert.Equal(404, Assert.Single(rig.Api.Requests).Status);

        using var empty = new HttpClient(new FixedAnswer(HttpStatusCode.OK, "{\"data\":[]}"));
        Assert.Equal(TraceVerification.NotYet, await new LightStepTraceVerifier(empty).VerifyAsync(rig.Settings(), UnsentRow(), CancellationToken.None));
        using var garbage = new HttpClient(new FixedAnswer(HttpStatusCode.OK, "<html>maintenance</html>"));
        Assert.Equal(TraceVerification.Failed(VerificationReasons.InvalidResponse),
            await new LightStepTraceVerifier(garbage).VerifyAsync(rig.Settings(), UnsentRow(), CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_key_stops_the_verification_and_fails_every_row_without_naming_the_key()
    {
        await using var rig = await StartAsync();
        var rows = Enumerable.Range(1, 40).Select(UnsentRow).ToArray();
        const string wrongKey = "wrong-api-key-9c8b7a6f5e4d";
        using var http = new HttpClient();

        var results = await VerifyAllAsync(new LightStepTraceVerifier(http), rig.Settings(wrongKey), rows, concurrency: 2);

        Assert.All(results, r => Assert.Equal(TraceVerification.Failed(VerificationReasons.ApiKeyRefused), r));
        Assert.InRange(rig.Api.Requests.Count, 1, 2); // stopped after the first refusal (one more may have been in flight)
        Assert.All(rig.Api.Requests, r => Assert.Equal(401, r.Status));
        Assert.All(results, r => Assert.DoesNotContain(wrongKey, r.Reason));
        Assert.All(results, r => Assert.DoesNotContain(wrongKey, r.ToString()));
    }

    [Fact]
    public async Task Too_many_requests_waits_for_retry_after_then_succeeds()
    {
        await using var rig = await StartAsync();
        var row = (await SendTrafficAsync(rig, 1))[0];
        rig.Api.AnswerTooManyRequests(1, TimeSpan.FromSeconds(1));
        using var http = new HttpClient();

        var clock = Stopwatch.StartNew();
        var result = await new LightStepTraceVerifier(http).VerifyAsync(rig.Settings(), row, CancellationToken.None);

        Assert.Equal(TraceVerification.Arrived(2), result);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {clock.Elapsed}");
        Assert.Equal([429, 200], rig.Api.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_rate_limit_pauses_every_worker_of_a_verification()
    {
        await using var rig = await StartAsync();
        var rows = await SendTrafficAsync(rig, 12);
        rig.Api.AnswerTooManyRequests(1, TimeSpan.FromSeconds(1));
        using var http = new HttpClient();

        var results = await VerifyAllAsync(new LightStepTraceVerifier(http), rig.Settings(), rows, concurrency: 4);

        Assert.All(results, r => Assert.Equal(TraceVerification.Arrived(2), r));
        var answered = rig.Api.Requests.ToList();
        Assert.Equal(1, answered.Count(r => r.Status == 429));
        Assert.Equal(12, answered.Count(r => r.Status == 200));
    }

    [Fact]
    public async Task Server_errors_an_unreachable_api_and_timeouts_fail_the_row_with_a_code_and_no_key()
    {
        await using var rig = await StartAsync();
        rig.Api.FailWith = _ => 502;
        using var http = new HttpClient();
        var verifier = new LightStepTraceVerifier(http);
        Assert.Equal(TraceVerification.Failed(VerificationReasons.ServerError), await verifier.VerifyAsync(rig.Settings(), UnsentRow(), CancellationToken.None));

        rig.Api.FailWith = _ => 400;
        Assert.Equal(TraceVerification.Failed(VerificationReasons.UnexpectedStatus), await verifier.VerifyAsync(rig.Settings(), UnsentRow(), CancellationToken.None));

        using var slow = new HttpClient(new FixedAnswer(HttpStatusCode.OK, "{}", TimeSpan.FromSeconds(10))) { Timeout = TimeSpan.FromMilliseconds(200) };
        Assert.Equal(TraceVerification.Failed(VerificationReasons.Timeout), await new LightStepTraceVerifier(slow).VerifyAsync(rig.Settings(), UnsentRow(), CancellationToken.None));

        await rig.Api.StopListeningAsync();
        var unreachable = await verifier.VerifyAsync(rig.Settings(), UnsentRow(), CancellationToken.None);
        Assert.Equal(TraceVerification.Failed(VerificationReasons.Unreachable), unreachable);
        Assert.DoesNotContain(ApiKey, unreachable.ToString());
    }

    [Fact]
    public async Task The_key_never_appears_in_ToString_or_in_the_exception_for_invalid_settings()
    {
        const string key = "secret-api-key-with a space";
        var settings = new TraceVerificationSettings(key, "my-org", "my-project");
        Assert.Equal(TraceVerificationSettings.DefaultApiBaseUrl, settings.ApiBaseUrl);
        Assert.DoesNotContain(key, settings.ToString());
        Assert.DoesNotContain("secret", settings.ToString());
        Assert.Contains("my-project", settings.ToString());

        using var http = new HttpClient(new FixedAnswer(HttpStatusCode.OK, "{}"));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new LightStepTraceVerifier(http).VerifyAsync(settings, UnsentRow(), CancellationToken.None));
        Assert.Contains("LightStepApi.KeyWhitespace", error.Message);
        Assert.DoesNotContain("secret", error.ToString());
    }

    [Fact]
    public void The_stored_traces_url_is_lightsteps_public_api_path_for_the_span()
    {
        var settings = new TraceVerificationSettings(ApiKey, "my org", "demo");
        Assert.Equal("https://api.lightstep.com/public/v0.2/my%20org/projects/demo/stored-traces?span-id=00000000000000ab",
            settings.StoredTracesUrl(new SpanId(0xab)).AbsoluteUri);
        var onPrem = settings with { ApiBaseUrl = new Uri("https://lightstep.example/api/") };
        Assert.Equal("https://lightstep.example/api/public/v0.2/my%20org/projects/demo/stored-traces?span-id=00000000000000ab",
            onPrem.StoredTracesUrl(new SpanId(0xab)).AbsoluteUri);
    }

    [Theory]
    [InlineData("", "org", "proj", "https://api.lightstep.com", "LightStepApi.KeyEmpty")]
    [InlineData("key with space", "org", "proj", "https://api.lightstep.com", "LightStepApi.KeyWhitespace")]
    [InlineData("Bearer abcdef", "org", "proj", "https://api.lightstep.com", "LightStepApi.KeyWhitespace")]
    [InlineData("key", " ", "proj", "https://api.lightstep.com", "LightStepApi.OrganizationEmpty")]
    [InlineData("key", "a/b", "proj", "https://api.lightstep.com", "LightStepApi.OrganizationInvalid")]
    [InlineData("key", "org", "", "https://api.lightstep.com", "LightStepProject.Empty")]
    [InlineData("key", "org", "a/b", "https://api.lightstep.com", "LightStepProject.Slash")]
    [InlineData("key", "org", "proj", "http://api.lightstep.com", "LightStepApi.UrlNotHttps")]
    [InlineData("key", "org", "proj", "ftp://api.lightstep.com", "LightStepApi.UrlNotAbsolute")]
    [InlineData("key", "org", "proj", "https://api.lightstep.com/?x=1", "LightStepApi.UrlNotBase")]
    public void Invalid_settings_name_the_problem(string key, string organization, string project, string url, string code)
    {
        var issues = new TraceVerificationSettings(key, organization, project, new Uri(url)).Validate();
        Assert.Contains(issues, i => i.Code == code && i.IsError);
        if (key.Length > 0) Assert.All(issues, i => Assert.All(i.Args, a => Assert.DoesNotContain(key, a.ToString())));
    }

    [Theory]
    [InlineData("https://api.lightstep.com")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://localhost:5080")]
    public void Https_or_a_loopback_http_url_is_accepted(string url) =>
        Assert.Empty(new TraceVerificationSettings("key", "org", "proj", new Uri(url)).Validate());

    /// <summary>Answers every request with the same status and body, after an optional delay.</summary>
    private sealed class FixedAnswer(HttpStatusCode status, string body, TimeSpan delay = default) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
