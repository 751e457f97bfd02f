using AngleSharp.Dom;
using Bunit;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Onboarding;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Traffic;
using Microsoft.Extensions.DependencyInjection;
using TrafficStandIns;
using WebConsole.Components.Pages;
using WebConsole.Drafts;
using WebConsole.Features.Onboarding;
using WebConsole.Features.Traffic;
using WebConsole.Features.Wizard.Steps;
using WebConsole.Tests.Onboarding;
using WebConsole.Tests.Support;

namespace WebConsole.Tests.Components;

/// <summary>
/// The wizard with a backend other than LightStep (issue 13 item 4): the steps it shows, what comes back on switching
/// to LightStep, the link template following the preset, and what a team session gives its participants.
/// </summary>
public class BackendWizardStepsTests : ConsoleTestContext
{
    private const string ValidToken = "BackendWiz-token-0123456789-WXYZ";
    private const string HoneycombKey = "HcKey-Wizard-7e6d5c4b-ABCD";

    private IRenderedComponent<Wizard> RenderReadyWizard()
    {
        var cut = Render<Wizard>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#circuit-state").GetAttribute("data-interactive")));
        return cut;
    }

    private static List<string> StepTitles(IRenderedComponent<Wizard> cut) =>
        cut.FindAll("button.mud-step").Select(b => b.QuerySelector(".mud-step-label-content-title")!.TextContent.Trim()).ToList();

    private static string ActiveStep(IRenderedComponent<Wizard> cut) => cut.Find("#circuit-state").GetAttribute("data-step")!;

    private CaCertificateInspection Ca(SatellitePki pki) =>
        CaCertificateInspector.Inspect(System.Text.Encoding.ASCII.GetBytes(pki.Pem), Clock.GetUtcNow());

    [Fact]
    public void Jaeger_replaces_lightsteps_steps_with_the_destination_and_next_skips_to_the_namespaces()
    {
        var cut = RenderReadyWizard();
        Assert.Equal([Text("Step.Product"), Text("Step.Token"), Text("Step.Satellite"), Text("Step.Certificate")], StepTitles(cut).Take(4));

        cut.Find("#backend-select").Change("jaeger");

        // Jaeger's preset is plaintext inside the cluster: no token, no satellites, no certificate to verify.
        cut.WaitForAssertion(() => Assert.Equal([Text("Step.Destination"), Text("Step.Namespaces"), Text("Step.Istio")], StepTitles(cut).Take(3)));
        Assert.DoesNotContain(Text("Step.Token"), StepTitles(cut));
        Assert.Empty(cut.FindAll("#product-public"));
        var note = cut.Find("#backend-steps-note").TextContent;
        Assert.Contains(Text("Backend.StepsNote", "Jaeger"), note);
        Assert.Contains(Text("Backend.NoCertificateStep"), note);
        Assert.Equal("destination", cut.Find("#guide-product").GetAttribute("data-topic"));
        Assert.Contains("Send your spans to another backend", cut.Find("#guide-product").TextContent);

        cut.Find("#wizard-next").Click();

        cut.WaitForAssertion(() => Assert.Equal("Namespaces", ActiveStep(cut)));
        Assert.NotNull(cut.Find("#step-namespaces"));
        cut.Find("#wizard-back").Click();
        cut.WaitForAssertion(() => Assert.Equal("Product", ActiveStep(cut)));

        // Back to LightStep: its steps return in their places, not after the others.
        cut.Find("#backend-select").Change(BackendChoices.LightStep);
        cut.WaitForAssertion(() => Assert.Equal(
            Enum.GetValues<WizardStep>().Select(s => Text("Step." + s)), StepTitles(cut)));
    }

    [Fact]
    public void A_tls_endpoint_shows_the_certificate_step_as_optional_for_a_private_ca()
    {
        var cut = RenderReadyWizard();
        cut.Find("#backend-select").Change("honeycomb");

        cut.WaitForAssertion(() => Assert.Equal([Text("Step.Destination"), Text("Step.Certificate"), Text("Step.Namespaces")], StepTitles(cut).Take(3)));
        Assert.Contains(Text("Backend.CertificateStepOptional"), cut.Find("#backend-steps-note").TextContent);
        cut.Find(".otlp-header-value").Change(HoneycombKey);

        cut.Find("#wizard-next").Click();

        cut.WaitForAssertion(() => Assert.Equal("Certificate", ActiveStep(cut)));
        Assert.Equal(Text("Certificate.OptionalForOtherBackend", "api.honeycomb.io:443"), cut.Find("#certificate-optional").TextContent.Trim());
        Assert.Empty(cut.FindAll("#certificate-skip"));
        // Nothing uploaded is no error: the system's roots verify a public endpoint.
        Assert.False(State.HasErrors(WizardStep.Certificate));
        Assert.Equal(Text("EndpointCheck.Title"), cut.Find("#satellite-check h3").TextContent.Trim());
    }

    [Fact]
    public void Turning_tls_off_hides_the_certificate_step_and_sets_the_uploaded_ca_aside_until_tls_is_back()
    {
        using var endpointPki = new SatellitePki("Endpoint CA", Clock.GetUtcNow());
        var cut = RenderReadyWizard();
        State.SetIstioVersionText("1.26");
        State.SetBackend(BackendChoices.AnyOtlp);
        State.SetOtlpEndpoint("otel.example.com:4317");
        State.SetCertificate(Ca(endpointPki), "endpoint.pem");
        Assert.NotNull(State.Input?.CaCertificatePem);

        State.SetOtlpSecure(false);

        cut.WaitForAssertion(() => Assert.DoesNotContain(Text("Step.Certificate"), StepTitles(cut)));
        Assert.Null(State.Input?.CaCertificatePem);
        Assert.Equal("endpoint.pem", State.Draft.CertificateFileName);

        State.SetOtlpSecure(true);

        cut.WaitForAssertion(() => Assert.Equal([Text("Step.Destination"), Text("Step.Certificate")], StepTitles(cut).Take(2)));
        Assert.Equal(State.Draft.Certificate!.NormalizedPem, State.Input?.CaCertificatePem);
    }

    [Fact]
    public void Switching_back_to_lightstep_restores_every_entry_and_the_other_backends_entries_come_back_too()
    {
        using var satellitePki = new SatellitePki("Satellite Pool", Clock.GetUtcNow());
        using var endpointPki = new SatellitePki("Endpoint CA", Clock.GetUtcNow());
        AttachFreshDraft();
        State.SetProduct(LightStepProduct.OnPremSatellites);
        State.SetAccessToken(ValidToken);
        State.SetOnPremSatelliteAddress("satellite.internal:9292");
        State.SetCertificate(Ca(satellitePki), "satellites.pem");

        State.SetBackend("honeycomb");
        Assert.Null(State.Draft.Certificate);
        State.SetOtlpHeaderValue(0, HoneycombKey);
        State.SetOtlpEndpoint("api.eu1.honeycomb.io:443");
        State.SetCertificate(Ca(endpointPki), "endpoint.pem");

        State.SetBackend(BackendChoices.LightStep);

        Assert.Equal((LightStepProduct.OnPremSatellites, ValidToken, "satellite.internal:9292", "satellites.pem"),
            (State.Draft.Product, State.Draft.AccessToken, State.Draft.OnPremSatelliteAddress, State.Draft.CertificateFileName));
        Assert.Equal(satellitePki.Subject, State.Draft.Certificate!.Certificates.Single().Subject);
        Assert.True(State.IsStepShown(WizardStep.Token) && State.IsStepShown(WizardStep.Satellite));
        Assert.Null(State.Input?.OtlpDestination);
        Assert.Contains(HoneycombKey, State.SensitiveValues);
        Assert.Empty(State.AllIssues.Where(i => i.Severity == MeshConsole.Domain.Validation.IssueSeverity.Error && i.Field != MeshConsole.Domain.Validation.WizardField.IstioVersion));

        State.SetBackend("honeycomb");

        Assert.Equal("api.eu1.honeycomb.io:443", State.Draft.OtlpEndpoint);
        Assert.Equal(("x-honeycomb-team", HoneycombKey), (State.Draft.OtlpHeaders.Single().Name, State.Draft.OtlpHeaders.Single().Value));
        Assert.Equal("endpoint.pem", State.Draft.CertificateFileName);
    }

    [Fact]
    public void The_link_template_follows_the_backends_preset_until_the_user_edits_it()
    {
        AttachFreshDraft();
        Assert.Equal(LightStepTraceLinks.DefaultTemplate, State.Draft.TraceLinkTemplate);

        State.SetBackend("jaeger");
        Assert.Equal(TraceBackends.For(TraceBackendKind.Jaeger).DefaultLinkTemplate, State.Draft.TraceLinkTemplate);
        State.SetBackend("tempo");
        Assert.Equal(TraceBackends.For(TraceBackendKind.GrafanaTempo).DefaultLinkTemplate, State.Draft.TraceLinkTemplate);

        const string mine = "https://grafana.example.com/explore?trace={traceId}";
        State.SetTraceLinkTemplate(mine);
        State.SetBackend("jaeger");
        State.SetBackend(BackendChoices.LightStep);

        Assert.Equal(mine, State.Draft.TraceLinkTemplate);
    }

    [Fact]
    public void The_traffic_steps_link_field_shows_the_chosen_backends_template()
    {
        AttachFreshDraft();
        State.SetBackend("jaeger");

        var cut = Render<TrafficStep>();

        Assert.Equal("http://localhost:16686/trace/{traceId}", cut.Find("#link-template").GetAttribute("value"));
        Assert.Empty(cut.FindAll("#links-hidden"));
    }

    [Fact]
    public async Task A_team_session_carries_the_backend_and_the_facilitators_header_values_into_a_participants_draft()
    {
        AttachFreshDraft();
        State.SetIstioVersionText("1.26");
        State.SetBackend("honeycomb");
        State.SetOtlpHeaderValue(0, HoneycombKey);
        var shared = State.SharedSettingsFromDraft();
        Assert.NotNull(shared);
        Assert.DoesNotContain(HoneycombKey, shared.ToString());

        await using var cluster = await OnboardingCluster.StartAsync();
        var created = await cluster.Store().CreateSessionAsync("Platform team", "kind-workshop", "Fran", shared);
        Assert.True(created.Succeeded, created.Failure?.ToString());
        // Read back by another console instance: what participants get is what the session's Secret holds.
        var record = (await cluster.Store().GetSessionAsync(created.Value!.Session.Id)).Value!;
        var joined = (await cluster.Store().JoinAsync(record.Session.Id, "Ann")).Value!.Participant!;
        var participant = new WizardState(Services.GetRequiredService<WizardDraftStore>());
        participant.Attach(null, "participant-ann");

        participant.JoinSession(record, joined, Clock.GetUtcNow());

        Assert.Equal("honeycomb", participant.Draft.Backend);
        Assert.Equal("api.honeycomb.io:443", participant.Draft.OtlpEndpoint);
        Assert.Equal(("x-honeycomb-team", HoneycombKey), (participant.Draft.OtlpHeaders.Single().Name, participant.Draft.OtlpHeaders.Single().Value));
        Assert.False(participant.IsStepShown(WizardStep.Token));
        Assert.Equal("api.honeycomb.io:443", participant.Input?.OtlpDestination?.Address);
        Assert.Equal(TraceBackends.For(TraceBackendKind.Honeycomb).DefaultLinkTemplate, participant.Draft.TraceLinkTemplate);
        Assert.Contains(HoneycombKey, participant.SensitiveValues);
        participant.SetBackend(BackendChoices.LightStep);
        Assert.Equal("honeycomb", participant.Draft.Backend);
    }

    [Fact]
    public async Task A_team_session_carries_an_otlp_http_endpoint_and_its_path_into_a_participants_draft()
    {
        AttachFreshDraft();
        State.SetIstioVersionText("1.26");
        State.SetBackend(BackendChoices.AnyOtlp);
        State.SetOtlpEndpoint("otel.example.com:4318");
        State.SetOtlpTransport(OtlpTransport.HttpProtobuf);
        State.SetOtlpHttpPath("/otlp/v1/traces");
        var shared = State.SharedSettingsFromDraft();
        Assert.NotNull(shared);

        await using var cluster = await OnboardingCluster.StartAsync();
        var created = await cluster.Store().CreateSessionAsync("Platform team", "kind-workshop", "Fran", shared);
        Assert.True(created.Succeeded, created.Failure?.ToString());
        var record = (await cluster.Store().GetSessionAsync(created.Value!.Session.Id)).Value!;
        var joined = (await cluster.Store().JoinAsync(record.Session.Id, "Ann")).Value!.Participant!;
        var participant = new WizardState(Services.GetRequiredService<WizardDraftStore>());
        participant.Attach(null, "participant-ann");

        participant.JoinSession(record, joined, Clock.GetUtcNow());

        Assert.Equal((OtlpTransport.HttpProtobuf, "/otlp/v1/traces"), (participant.Draft.OtlpTransport, participant.Draft.OtlpHttpPath));
        Assert.Equal((OtlpTransport.HttpProtobuf, "/otlp/v1/traces"),
            (participant.Input?.OtlpDestination?.Endpoint.Transport, participant.Input?.OtlpDestination?.Endpoint.Path));
    }

    [Fact]
    public void A_participant_sees_the_backend_and_its_header_names_read_only_never_the_values()
    {
        AttachFreshDraft();
        var settings = new SharedSettings(LightStepProduct.PublicTracing, PlanInput.PublicSatelliteAddress, null, "", "", IstioVersion.Parse("1.26"), 100m)
        {
            Backend = new SharedBackend("honeycomb", "api.honeycomb.io:443", true, [new("x-honeycomb-team", HoneycombKey)]),
        };
        var session = new OnboardingSession("s1", "Team", "ctx", "Fran", Clock.GetUtcNow(), OnboardingSession.DefaultNamespacePattern, null);
        var me = new ParticipantProgress("Ann", "bookinfo-ann", Clock.GetUtcNow(), ParticipantProgress.JoinedStep, 0, 0, 0, 0, null, Clock.GetUtcNow());
        State.JoinSession(new SessionRecord(session, settings, []), me, Clock.GetUtcNow());

        var cut = Render<SharedStepView>(p => p.Add(v => v.Step, WizardStep.Product));

        Assert.Equal("Honeycomb", cut.Find("#shared-backend").TextContent.Trim());
        Assert.Equal("api.honeycomb.io:443", cut.Find("#shared-endpoint").TextContent.Trim());
        Assert.Contains("x-honeycomb-team", cut.Find("tr.shared-header").TextContent);
        Assert.DoesNotContain(HoneycombKey, cut.Markup);
    }

    [Fact]
    public void Sessions_stored_before_other_backends_read_as_lightstep_and_the_backend_round_trips_without_printing_values()
    {
        var settings = new SharedSettings(LightStepProduct.PublicTracing, PlanInput.PublicSatelliteAddress, null, ValidToken, "proj", IstioVersion.Parse("1.26"), 50m)
        {
            Backend = new SharedBackend("otlp", "otel.example.com:4317", false, [new("x-key", HoneycombKey)]),
        };
        var json = OnboardingJson.Serialize(settings);
        var read = OnboardingJson.DeserializeSettings(json);
        Assert.Equal(("otlp", "otel.example.com:4317", false), (read.Backend!.Name, read.Backend.Endpoint, read.Backend.Secure));
        Assert.Equal([new KeyValuePair<string, string>("x-key", HoneycombKey)], read.Backend.Headers);
        Assert.DoesNotContain(HoneycombKey, read.ToString());

        var old = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        old.Remove("backend");
        Assert.Null(OnboardingJson.DeserializeSettings(old.ToJsonString()).Backend);
    }
}

/// <summary>The endpoint check of a backend other than LightStep, against an OTLP/gRPC collector stand-in on loopback.</summary>
public sealed class EndpointCheckPanelTests : ConsoleTestContext
{
    private const string TeamKey = "team-key-5b0c9e1d-LMNO";
    private const string HeaderName = "x-team-key";
    private readonly SatellitePki _pki;
    private readonly SatellitePki _other;
    private CollectorStandIn _collector = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _served = null!;

    public EndpointCheckPanelTests()
    {
        AttachFreshDraft();
        _pki = new SatellitePki("Private Endpoint CA", Clock.GetUtcNow().AddDays(-2), DateTimeOffset.UtcNow.AddYears(1));
        _other = new SatellitePki("Someone Else", Clock.GetUtcNow().AddDays(-2), DateTimeOffset.UtcNow.AddYears(1));
    }

    protected override async Task InitializeTestAsync()
    {
        _served = _pki.Issue("localhost", Clock.GetUtcNow().AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _collector = await CollectorStandIn.StartAsync(_served, TeamKey);
        _collector.TokenHeader = HeaderName;
    }

    protected override async Task DisposeTestAsync()
    {
        await _collector.DisposeAsync();
        _served.Dispose();
        _pki.Dispose();
        _other.Dispose();
    }

    private void EnterEndpoint(Uri url, bool secure, string headerValue)
    {
        State.SetBackend(BackendChoices.AnyOtlp);
        State.SetOtlpEndpoint($"{url.Host}:{url.Port}");
        State.SetOtlpSecure(secure);
        State.AddOtlpHeader();
        State.SetOtlpHeaderName(0, HeaderName);
        State.SetOtlpHeaderValue(0, headerValue);
    }

    private static IReadOnlyList<IElement> Findings(IRenderedComponent<SatelliteCheckPanel> cut) => cut.FindAll("li.satellite-finding");

    private IRenderedComponent<SatelliteCheckPanel> RunCheck(string expectedVerdictKey)
    {
        var cut = Render<SatelliteCheckPanel>();
        cut.Find("#satellite-check-run").Click();
        cut.WaitForAssertion(() => Assert.Equal(Text(expectedVerdictKey), cut.Find("#satellite-check-verdict").TextContent.Trim()), TimeSpan.FromSeconds(20));
        return cut;
    }

    [Fact]
    public void A_plaintext_endpoint_is_connected_to_and_accepts_a_test_span_with_the_headers()
    {
        EnterEndpoint(_collector.GrpcUrl, secure: false, TeamKey);

        var cut = RunCheck("EndpointCheck.Passed");

        Assert.Equal(Text("EndpointCheck.HeadingPlaintext", $"{_collector.GrpcUrl.Host}:{_collector.GrpcUrl.Port}"), cut.Find("#satellite-check-heading").TextContent.Trim());
        Assert.Equal(["SatelliteCheck.PlaintextConnected", "SatelliteCheck.Span.Accepted"], Findings(cut).Select(f => f.GetAttribute("data-code")));
        Assert.Equal(Text("EndpointCheck.Span.Accepted"), Findings(cut)[1].TextContent.Trim());
        Assert.Single(_collector.Received);
        Assert.DoesNotContain(TeamKey, cut.Markup);
    }

    [Fact]
    public void A_wrong_header_value_is_reported_as_refused_without_showing_it()
    {
        const string wrong = "not-the-team-key-9f8e7d";
        EnterEndpoint(_collector.GrpcUrl, secure: false, wrong);

        var cut = RunCheck("SatelliteCheck.FailedNotBlocking");

        var refused = Findings(cut).Single(f => f.GetAttribute("data-code") == "SatelliteCheck.Span.TokenRefused");
        Assert.Equal("false", refused.GetAttribute("data-passed"));
        Assert.StartsWith(Text("EndpointCheck.Span.TokenRefused", "").TrimEnd(), refused.TextContent.Trim());
        Assert.Empty(_collector.Received);
        Assert.DoesNotContain(wrong, cut.Markup);
    }

    [Fact]
    public void A_tls_endpoint_is_checked_against_the_uploaded_private_ca_and_a_wrong_ca_names_the_real_issuer()
    {
        EnterEndpoint(_collector.TlsUrl!, secure: true, TeamKey);
        State.SetCertificate(CaCertificateInspector.Inspect(System.Text.Encoding.ASCII.GetBytes(_pki.Pem), Clock.GetUtcNow()), "private-ca.pem");

        var cut = RunCheck("EndpointCheck.Passed");

        Assert.Contains("CN=localhost", Assert.Single(cut.FindAll("tr.satellite-served")).TextContent);
        Assert.Contains(Findings(cut), f => f.GetAttribute("data-code") == "SatelliteCheck.IssuedByCa");
        Assert.Contains(Findings(cut), f => f.GetAttribute("data-code") == "SatelliteCheck.NameMatches");
        Assert.Contains(Findings(cut), f => f.GetAttribute("data-code") == "SatelliteCheck.TlsVersion");

        State.SetCertificate(CaCertificateInspector.Inspect(System.Text.Encoding.ASCII.GetBytes(_other.Pem), Clock.GetUtcNow()), "other.pem");
        var spansBefore = _collector.Received.Count;
        var wrong = RunCheck("SatelliteCheck.FailedNotBlocking");

        var notIssued = Findings(wrong).Single(f => f.GetAttribute("data-code") == "SatelliteCheck.NotIssuedByCa");
        Assert.Contains(_pki.Subject, notIssued.TextContent);
        Assert.Contains("endpoint", notIssued.TextContent, StringComparison.Ordinal);
        // The handshake failed: no test span was sent.
        Assert.Equal(spansBefore, _collector.Received.Count);
    }

    [Fact]
    public void An_otlp_http_endpoint_gets_the_test_span_posted_to_its_path_and_the_finding_names_the_protocol()
    {
        EnterEndpoint(_collector.BaseUrl, secure: false, TeamKey);
        State.SetOtlpTransport(OtlpTransport.HttpProtobuf);

        var cut = RunCheck("EndpointCheck.Passed");

        Assert.Equal(["SatelliteCheck.PlaintextConnected", "SatelliteCheck.Span.Accepted"], Findings(cut).Select(f => f.GetAttribute("data-code")));
        Assert.Equal(Text("EndpointCheck.Span.AcceptedHttp"), Findings(cut)[1].TextContent.Trim());
        Assert.Equal("otlp-http", Assert.Single(_collector.Received).Protocol);
        Assert.DoesNotContain(TeamKey, cut.Markup);
    }

    [Fact]
    public void An_otlp_http_path_the_endpoint_does_not_serve_is_reported_and_a_changed_path_hides_the_old_result()
    {
        EnterEndpoint(_collector.BaseUrl, secure: false, TeamKey);
        State.SetOtlpTransport(OtlpTransport.HttpProtobuf);
        State.SetOtlpHttpPath("/not/traces");

        var cut = RunCheck("SatelliteCheck.FailedNotBlocking");

        var span = Findings(cut).Single(f => f.GetAttribute("data-code") == "SatelliteCheck.Span.Rejected");
        Assert.Equal("false", span.GetAttribute("data-passed"));
        Assert.Contains("HTTP 404", span.TextContent);
        Assert.Empty(_collector.Received);

        State.SetOtlpHttpPath("/v1/traces");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#satellite-check-verdict")));
    }

    [Fact]
    public void An_in_cluster_name_says_it_can_only_be_checked_from_inside_the_cluster_and_missing_header_values_block_the_check()
    {
        State.SetBackend("jaeger");
        var cut = Render<SatelliteCheckPanel>();

        Assert.Equal(Text("EndpointCheck.InClusterName", "jaeger-collector.istio-system.svc.cluster.local"), cut.Find("#endpoint-check-in-cluster").TextContent.Trim());
        Assert.Contains("jaeger-collector.istio-system.svc.cluster.local:4317", cut.Find("#satellite-check-run").TextContent);

        State.SetBackend("honeycomb");
        cut.WaitForAssertion(() => Assert.Equal(Text("EndpointCheck.NeedsHeaders"), cut.Find("#satellite-check-unavailable").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#endpoint-check-in-cluster"));
    }
}
