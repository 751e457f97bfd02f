using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using MeshConsole.Domain.Validation;
using OpenTelemetry.Trace;

namespace WebConsole.Features.Traffic;

/// <summary>What the satellite check connects to, with what, and what it trusts.</summary>
/// <param name="Destination">Where the mesh's (and the console's) spans go; its transport picks the test span's protocol.</param>
/// <param name="TrustedCaPem">The uploaded CA certificate(s): the only trust anchor; null for the system's roots.</param>
public sealed record SatelliteCheckTarget(SpanDestination Destination, string AccessToken, IstioForm Form, string? TrustedCaPem)
{
    /// <summary>
    /// The destination for the entered settings. Before the Istio version is known the test span goes as Istio 1.16+
    /// sends it (OTLP/gRPC; for the public product to LightStep's OTLP ingest).
    /// </summary>
    public static SatelliteCheckTarget For(LightStepProduct product, string satelliteAddress, bool secure, IstioVersion? version, string accessToken, string? trustedCaPem)
    {
        var assumed = version ?? IstioFormChoice.FirstWithoutLightStepProvider;
        var form = IstioFormChoice.For(assumed).Form;
        var input = new PlanInput { Product = product, SatelliteAddress = satelliteAddress, Secure = secure, AccessToken = accessToken, IstioVersion = assumed };
        return new SatelliteCheckTarget(SpanDestination.For(input, form), accessToken, form, trustedCaPem);
    }

    /// <summary>
    /// The headers a backend other than LightStep needs, sent with the test span instead of the access token (their
    /// values are secrets like the token); null for LightStep.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExportHeaders { get; init; }

    /// <summary>What never appears in a finding: the access token and the header values.</summary>
    public MeshConsole.Domain.Security.SensitiveValues Sensitive =>
        MeshConsole.Domain.Security.SensitiveValues.Of([AccessToken, .. ExportHeaders?.Select(h => h.Value) ?? []]);

    /// <summary>
    /// The destination of a backend other than LightStep as entered (its endpoint, protocol, TLS and headers), or null
    /// while the endpoint, the path or a header is not valid. The test span goes in the entered protocol, as the mesh's
    /// spans reach the backend on either route: OTLP/gRPC, or OTLP/HTTP with protobuf POSTed to the path (the OTLP default
    /// /v1/traces when none is given). <paramref name="trustedCaPem"/> is the uploaded CA, null for the system's roots.
    /// </summary>
    public static SatelliteCheckTarget? ForOtherBackend(EnteredOtlpDestination entered, IstioVersion? version, string? trustedCaPem)
    {
        ArgumentNullException.ThrowIfNull(entered);
        if (OtlpDestinationRules.Validate(entered).HasErrors()) return null;
        var address = SatelliteAddressRules.Validate(entered.Endpoint);
        var form = IstioFormChoice.For(version ?? IstioFormChoice.FirstWithoutLightStepProvider).Form;
        var destination = SpanDestination.OtlpLikeTheMesh($"{address.Host}:{address.Port}", entered.Transport, entered.Secure,
            string.IsNullOrWhiteSpace(entered.HttpPath) ? null : entered.HttpPath.Trim());
        return new SatelliteCheckTarget(destination, "", form, entered.Secure ? trustedCaPem : null)
        {
            ExportHeaders = entered.Headers.Select(h => new KeyValuePair<string, string>(h.Key.Trim(), h.Value ?? "")).ToList(),
        };
    }

    /// <summary>
    /// The host of <paramref name="endpoint"/> when it is a name of the cluster's own DNS (a Service's
    /// name.namespace.svc[.cluster.local]): it resolves only inside the cluster, so from a console outside it the check
    /// can only report it unreachable. Null for any other host.
    /// </summary>
    public static string? ClusterInternalHost(string? endpoint) =>
        SatelliteAddressRules.Validate(endpoint) is { IsValid: true, Host: { } host }
        && (host.EndsWith(".svc", StringComparison.OrdinalIgnoreCase) || host.Contains(".svc.", StringComparison.OrdinalIgnoreCase))
            ? host : null;

    /// <summary>Whether this checks a backend other than LightStep (its endpoint, worded as such).</summary>
    public bool IsOtherBackend => ExportHeaders is not null;

    /// <summary>
    /// The resource key that words a finding (a "SatelliteCheck.*" code) for this target: LightStep's satellite wording,
    /// or the endpoint wording of another backend, whose test span findings name the protocol it went over.
    /// </summary>
    public string WordingOf(string code)
    {
        if (!IsOtherBackend) return code;
        var key = "EndpointCheck." + code["SatelliteCheck.".Length..];
        return Destination.Transport == SpanTransport.OtlpHttp && key is "EndpointCheck.Span.Accepted" or "EndpointCheck.Span.NotDelivered" ? key + "Http" : key;
    }

    /// <summary>Never prints the token nor the header values.</summary>
    public override string ToString() =>
        $"SatelliteCheckTarget {{ Destination = {Destination}, Form = {Form}, AccessToken = ••••, Headers = {string.Join(", ", ExportHeaders?.Select(h => h.Key) ?? [])} }}";
}

/// <summary>
/// The satellite check's I/O: a TLS handshake with the span destination that trusts only the uploaded CA (X509Chain
/// with <see cref="X509ChainTrustMode.CustomRootTrust"/>, as the sidecars do with cacertPath) or the system's roots, then,
/// when the handshake holds, one test span with the access token through the traffic run's own span pipeline.
/// <see cref="SatelliteCheck.Interpret"/> judges what was observed.
/// </summary>
public sealed class SatelliteProbe(TrafficRunOptions options, TimeProvider clock)
{
    public const string TestSpanName = "satellite check";

    public async Task<SatelliteCheckResult> CheckAsync(SatelliteCheckTarget target, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var handshake = target.Destination.Secure
            ? await HandshakeAsync(target.Destination.Address, target.TrustedCaPem, ct).ConfigureAwait(false)
            : await ConnectPlaintextAsync(target.Destination.Address, ct).ConfigureAwait(false);
        var judged = SatelliteCheck.Interpret(handshake, clock.GetUtcNow());
        if (!judged.HandshakeVerified) return judged;
        var (span, detail) = await SendTestSpanAsync(target, ct).ConfigureAwait(false);
        return SatelliteCheck.Interpret(handshake, clock.GetUtcNow(), span, detail);
    }

    /// <summary>
    /// For a destination entered without TLS: only whether a TCP connection opens within <see cref="SatelliteCheck.Timeout"/>
    /// (there is no certificate to judge); the test span then shows whether it speaks OTLP.
    /// </summary>
    public static async Task<TlsHandshakeObservation> ConnectPlaintextAsync(string address, CancellationToken ct)
    {
        var parsed = SatelliteAddressRules.Validate(address);
        if (!parsed.IsValid) throw new ArgumentException("Not a host:port address.", nameof(address));
        var (host, port) = (parsed.Host!.Trim('[', ']'), parsed.Port!.Value);
        TlsHandshakeObservation Observed(HandshakeOutcome outcome, string? detail) =>
            new(address, host, TrustAnchor.SystemRoots, [], outcome, null, [], false, false, detail);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(SatelliteCheck.Timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return Observed(HandshakeOutcome.Plaintext, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Observed(HandshakeOutcome.TimedOut, null);
        }
        catch (SocketException e)
        {
            return Observed(HandshakeOutcome.Unreachable, e.Message);
        }
    }

    /// <summary>Connects and completes a TLS handshake within <see cref="SatelliteCheck.Timeout"/>, accepting any certificate so the served chain can be shown and judged.</summary>
    public static async Task<TlsHandshakeObservation> HandshakeAsync(string address, string? trustedCaPem, CancellationToken ct)
    {
        var parsed = SatelliteAddressRules.Validate(address);
        if (!parsed.IsValid) throw new ArgumentException("Not a host:port address.", nameof(address));
        var (host, port) = (parsed.Host!.Trim('[', ']'), parsed.Port!.Value);
        var anchor = string.IsNullOrWhiteSpace(trustedCaPem) ? TrustAnchor.SystemRoots : TrustAnchor.UploadedCa;
        var roots = new X509Certificate2Collection();
        if (anchor == TrustAnchor.UploadedCa) roots.ImportFromPem(trustedCaPem);
        try
        {
            var subjects = roots.Select(r => r.Subject).ToList();
            TlsHandshakeObservation Failed(HandshakeOutcome outcome, string? detail) => new(address, host, anchor, subjects, outcome, null, [], false, false, detail);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(SatelliteCheck.Timeout);
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return Failed(HandshakeOutcome.TimedOut, null);
            }
            catch (SocketException e)
            {
                return Failed(HandshakeOutcome.Unreachable, e.Message);
            }

            X509Certificate2? leaf = null;
            var intermediates = new X509Certificate2Collection();
            using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                    {
                        // Observe, do not decide here: the chain is judged below against the chosen anchor only.
                        if (certificate is not null) leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                        foreach (var extra in chain?.ChainPolicy.ExtraStore ?? [])
                            if (!extra.RawDataMemory.Span.SequenceEqual(certificate?.GetRawCertData() ?? []))
                                intermediates.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
                        return true;
                    },
                }, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return Failed(HandshakeOutcome.TimedOut, null);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                return Failed(HandshakeOutcome.NotTls, e.Message);
            }
            using var __ = leaf;
            if (leaf is null) return new(address, host, anchor, subjects, HandshakeOutcome.Completed, Version(ssl.SslProtocol), [], false, false, null);

            var served = new List<ServedCertificate> { Describe(leaf) };
            served.AddRange(intermediates.Select(Describe));
            return new TlsHandshakeObservation(address, host, anchor, subjects, HandshakeOutcome.Completed, Version(ssl.SslProtocol), served,
                ChainsTo(leaf, intermediates, anchor, roots), leaf.MatchesHostname(host), null);
        }
        finally
        {
            foreach (var root in roots) root.Dispose();
        }
    }

    /// <summary>Whether the leaf chains to the anchor; validity dates are judged separately, so they are ignored here.</summary>
    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2Collection intermediates, TrustAnchor anchor, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Only what was served and what was uploaded: no fetching of missing issuers from the network.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        if (anchor == TrustAnchor.UploadedCa)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }
        return chain.Build(leaf);
    }

    private static ServedCertificate Describe(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames());
            names.AddRange(extension.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }
        return new ServedCertificate(certificate.Subject, certificate.Issuer,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), names);
    }

    private static string Version(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
#pragma warning disable SYSLIB0039 // Named only to report an old server as such.
        SslProtocols.Tls11 => "TLS 1.1",
        SslProtocols.Tls => "TLS 1.0",
#pragma warning restore SYSLIB0039
        _ => protocol.ToString(),
    };

    /// <summary>One root span with the token (another backend: its headers), exported like a traffic run's spans (same exporters, same TLS trust).</summary>
    private async Task<(TestSpanOutcome, string)> SendTestSpanAsync(SatelliteCheckTarget target, CancellationToken ct)
    {
        using var source = new ActivitySource($"{TrafficRunner.ActivitySourceName}.{Guid.NewGuid():N}");
        var status = new SpanExportStatus(target.AccessToken);
        using var exportHandler = new ExportStatusHandler(status) { InnerHandler = SpanExportTls.Handler(target.TrustedCaPem) };
        // No request goes to a gateway: the target carries only the export settings (the gateway URL is never used).
        var traffic = TrafficTarget.For(new Uri("http://" + target.Destination.Address), target.Destination, target.AccessToken, target.Form, target.TrustedCaPem) with
        {
            ExportHeaders = target.ExportHeaders,
            Sensitive = target.Sensitive,
        };
        var provider = new TrafficRunner(options).BuildProvider(source.Name, traffic, 1, status, exportHandler);
        var flushed = await Task.Run(() =>
        {
            var previous = Activity.Current;
            Activity.Current = null;
            using (var span = source.StartActivity(TestSpanName, ActivityKind.Client))
                span?.SetTag("lightstep.console.check", true);
            Activity.Current = previous;
            var done = provider.ForceFlush((int)options.ExportTimeout.TotalMilliseconds);
            provider.Dispose();
            return done;
        }, ct).ConfigureAwait(false);
        var report = status.Report(flushed);
        return (report.Outcome switch
        {
            SpanExportOutcome.Exported => TestSpanOutcome.Accepted,
            SpanExportOutcome.TokenRefused => TestSpanOutcome.TokenRefused,
            SpanExportOutcome.Rejected => TestSpanOutcome.Rejected,
            _ => TestSpanOutcome.NotDelivered,
        }, target.Sensitive.Mask(report.Message));
    }
}
