using System.Text;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Planning;
using MeshConsole.Domain.Validation;
using static MeshConsole.Domain.Tests.Planning.PlanningFixtures;

namespace MeshConsole.Domain.Tests.Planning;

public class PlanInputRulesTests
{
    private static EnteredPlanFields PublicFields() => new(
        Product: LightStepProduct.PublicTracing,
        AccessToken: Token,
        OnPremSatelliteAddress: null,
        Certificate: Ca,
        SkipCertificate: false,
        Namespaces: ["default", "bookinfo"],
        IstioVersion: "1.9",
        SamplingText: "100",
        Secure: true,
        CacertPath: "/etc/lightstep/cacert.pem");

    private static EnteredPlanFields OnPremFields() => PublicFields() with
    {
        Product = LightStepProduct.OnPremSatellites,
        OnPremSatelliteAddress = "lightstep-satellite.lightstep:9292",
    };

    [Fact]
    public void Valid_public_fields_become_a_plan_input_with_the_public_satellites()
    {
        var input = PlanInputRules.TryCreate(PublicFields(), out var issues);

        Assert.Empty(issues);
        Assert.NotNull(input);
        Assert.Equal(LightStepProduct.PublicTracing, input.Product);
        Assert.Equal(Token, input.AccessToken);
        Assert.Equal("collector-grpc.lightstep.com:443", input.SatelliteAddress);
        Assert.Equal(CaPem, input.CaCertificatePem);
        Assert.Equal(["default", "bookinfo"], input.Namespaces);
        Assert.Equal(new IstioVersion(1, 9, 0), input.IstioVersion);
        Assert.Equal(100m, input.SamplingPercent);
        Assert.True(input.Secure);
        Assert.Equal("/etc/lightstep/cacert.pem", input.CacertPath);
    }

    [Fact]
    public void Valid_on_prem_fields_keep_the_satellite_address()
    {
        var input = PlanInputRules.TryCreate(OnPremFields() with { IstioVersion = "v1.22.3", Secure = false }, out var issues);

        Assert.Empty(issues);
        Assert.NotNull(input);
        Assert.Equal(LightStepProduct.OnPremSatellites, input.Product);
        Assert.Equal("lightstep-satellite.lightstep:9292", input.SatelliteAddress);
        Assert.Equal(new IstioVersion(1, 22, 3), input.IstioVersion);
        Assert.False(input.Secure);
        Assert.Equal(CaPem, input.CaCertificatePem); // an uploaded CA is still used without TLS
    }

    [Theory]
    [InlineData(LightStepProduct.PublicTracing)]
    [InlineData(LightStepProduct.OnPremSatellites)]
    public void Without_tls_no_certificate_is_needed(LightStepProduct product)
    {
        var fields = (product == LightStepProduct.PublicTracing ? PublicFields() : OnPremFields()) with { Secure = false, Certificate = null };

        var input = PlanInputRules.TryCreate(fields, out var issues);

        Assert.Empty(issues);
        Assert.NotNull(input);
        Assert.False(input.Secure);
        Assert.Null(input.CaCertificatePem);
        var plan = PlanBuilder.Build(input);
        Assert.Empty(plan.SecretNamespaces());
        Assert.Contains(plan.Notes, n => n.Code == "Note.NoCaCertificate");
        Assert.Contains(plan.Notes, n => n.Code == "Note.InsecureTransport");
    }

    [Theory]
    [InlineData(LightStepProduct.PublicTracing, "CaCert.MissingOrSkip")]
    [InlineData(LightStepProduct.OnPremSatellites, "CaCert.Missing")]
    public void With_tls_a_missing_certificate_is_still_reported(LightStepProduct product, string code)
    {
        var fields = (product == LightStepProduct.PublicTracing ? PublicFields() : OnPremFields()) with { Secure = true, Certificate = null };

        var issue = Assert.Single(PlanInputRules.Validate(fields));

        Assert.Equal((WizardField.CaCertificate, code, IssueSeverity.Error), (issue.Field, issue.Code, issue.Severity));
    }

    [Fact]
    public void Public_product_ignores_whatever_is_left_in_the_on_prem_address_field()
    {
        var input = PlanInputRules.TryCreate(PublicFields() with { OnPremSatelliteAddress = "not an address" }, out var issues);

        Assert.DoesNotContain(issues, i => i.Field == WizardField.SatelliteAddress);
        Assert.Equal(PlanInput.PublicSatelliteAddress, input?.SatelliteAddress);
    }

    [Fact]
    public void Public_product_may_skip_the_ca_certificate_from_1_16()
    {
        var input = PlanInputRules.TryCreate(PublicFields() with { Certificate = null, SkipCertificate = true, IstioVersion = "1.20" }, out var issues);

        Assert.Empty(issues);
        Assert.NotNull(input);
        Assert.Null(input.CaCertificatePem);
    }

    [Fact]
    public void Skipping_wins_over_a_certificate_that_was_uploaded_before()
    {
        var input = PlanInputRules.TryCreate(PublicFields() with { SkipCertificate = true }, out _);

        Assert.Null(input?.CaCertificatePem);
    }

    [Fact]
    public void On_prem_product_cannot_skip_the_ca_certificate()
    {
        var input = PlanInputRules.TryCreate(OnPremFields() with { Certificate = null, SkipCertificate = true }, out var issues);

        Assert.Null(input);
        var issue = Assert.Single(issues);
        Assert.Equal((WizardField.CaCertificate, "CaCert.RequiredForOnPrem", IssueSeverity.Error), (issue.Field, issue.Code, issue.Severity));
    }

    [Fact]
    public void Public_product_without_a_certificate_must_upload_or_skip()
    {
        var input = PlanInputRules.TryCreate(PublicFields() with { Certificate = null }, out var issues);

        Assert.Null(input);
        var issue = Assert.Single(issues);
        Assert.Equal((WizardField.CaCertificate, "CaCert.MissingOrSkip", IssueSeverity.Error), (issue.Field, issue.Code, issue.Severity));
    }

    [Fact]
    public void On_prem_product_without_a_certificate_must_upload_one()
    {
        var issue = Assert.Single(PlanInputRules.Validate(OnPremFields() with { Certificate = null }));

        Assert.Equal((WizardField.CaCertificate, "CaCert.Missing"), (issue.Field, issue.Code));
    }

    [Fact]
    public void Certificate_inspection_issues_are_reported_on_the_certificate_field()
    {
        var unreadable = CaCertificateInspector.Inspect(Encoding.UTF8.GetBytes("not a certificate"), InspectionTime);

        var input = PlanInputRules.TryCreate(PublicFields() with { Certificate = unreadable }, out var issues);

        Assert.Null(input);
        var issue = Assert.Single(issues);
        Assert.Equal((WizardField.CaCertificate, "CaCert.NotACertificate"), (issue.Field, issue.Code));
    }

    public static TheoryData<string, WizardField, string> InvalidFields => new()
    {
        { "empty token", WizardField.AccessToken, "Token.Empty" },
        { "short token", WizardField.AccessToken, "Token.TooShort" },
        { "satellite without port", WizardField.SatelliteAddress, "Satellite.MissingPort" },
        { "satellite with scheme", WizardField.SatelliteAddress, "Satellite.HasScheme" },
        { "no namespaces", WizardField.Namespaces, "Namespaces.None" },
        { "invalid namespace", WizardField.Namespaces, "Namespaces.InvalidName" },
        { "duplicate namespace", WizardField.Namespaces, "Namespaces.Duplicate" },
        { "unparsable version", WizardField.IstioVersion, "IstioVersion.Invalid" },
        { "too old version", WizardField.IstioVersion, "IstioVersion.Unsupported" },
        { "missing version", WizardField.IstioVersion, "IstioVersion.Empty" },
        { "missing sampling", WizardField.SamplingPercent, "Sampling.Missing" },
        { "sampling above 100", WizardField.SamplingPercent, "Sampling.OutOfRange" },
        { "sampling with an exponent", WizardField.SamplingPercent, "Sampling.NotANumber" },
        { "relative cacert path", WizardField.CacertPath, "CacertPath.NotAbsolute" },
        { "empty cacert path", WizardField.CacertPath, "CacertPath.Empty" },
    };

    private static EnteredPlanFields Break(string what) => what switch
    {
        "empty token" => OnPremFields() with { AccessToken = "" },
        "short token" => OnPremFields() with { AccessToken = "abc" },
        "satellite without port" => OnPremFields() with { OnPremSatelliteAddress = "satellites.example.com" },
        "satellite with scheme" => OnPremFields() with { OnPremSatelliteAddress = "https://satellites.example.com:8443" },
        "no namespaces" => OnPremFields() with { Namespaces = [] },
        "invalid namespace" => OnPremFields() with { Namespaces = ["Book_Info"] },
        "duplicate namespace" => OnPremFields() with { Namespaces = ["default", "default"] },
        "unparsable version" => OnPremFields() with { IstioVersion = "latest" },
        "too old version" => OnPremFields() with { IstioVersion = "1.3" },
        "missing version" => OnPremFields() with { IstioVersion = " " },
        "missing sampling" => OnPremFields() with { SamplingText = null },
        "sampling above 100" => OnPremFields() with { SamplingText = "101" },
        "sampling with an exponent" => OnPremFields() with { SamplingText = "1e2" },
        "relative cacert path" => OnPremFields() with { CacertPath = "etc/lightstep/cacert.pem" },
        "empty cacert path" => OnPremFields() with { CacertPath = null },
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public void Each_invalid_field_is_reported_on_that_field_and_blocks_the_plan(string what, WizardField field, string code)
    {
        var input = PlanInputRules.TryCreate(Break(what), out var issues);

        Assert.Null(input);
        Assert.Contains(issues, i => i.Field == field && i.Code == code && i.IsError);
        Assert.All(issues, i => Assert.Equal(field, i.Field));
    }

    [Fact]
    public void Issues_from_several_fields_are_all_reported_together()
    {
        var fields = OnPremFields() with
        {
            AccessToken = "",
            OnPremSatelliteAddress = "",
            Certificate = null,
            Namespaces = [],
            IstioVersion = "",
            SamplingText = null,
            CacertPath = "",
        };

        var issues = PlanInputRules.Validate(fields);

        Assert.Equal(
            [WizardField.AccessToken, WizardField.SatelliteAddress, WizardField.CaCertificate, WizardField.Namespaces,
             WizardField.IstioVersion, WizardField.SamplingPercent, WizardField.CacertPath],
            issues.Select(i => i.Field).Distinct());
    }

    [Fact]
    public void Warnings_do_not_block_the_plan()
    {
        var input = PlanInputRules.TryCreate(OnPremFields() with { SamplingText = "25.5", CacertPath = "/etc/lightstep/ca.pem" }, out var issues);

        Assert.NotNull(input);
        Assert.Equal(25.5m, input.SamplingPercent);
        Assert.Equal("/etc/lightstep/ca.pem", input.CacertPath);
        Assert.Contains(issues, i => i is { Field: WizardField.SamplingPercent, Code: "Sampling.BelowRecommended", Severity: IssueSeverity.Warning });
        Assert.Contains(issues, i => i is { Field: WizardField.CacertPath, Code: "CacertPath.OutsideSecretMount", Severity: IssueSeverity.Warning });
    }

    [Fact]
    public void Validate_reports_the_same_issues_as_TryCreate()
    {
        var fields = OnPremFields() with { AccessToken = "abc", SamplingText = "50" };

        PlanInputRules.TryCreate(fields, out var issues);

        Assert.Equal(issues.Select(Describe), PlanInputRules.Validate(fields).Select(Describe));
    }

    private static string Describe(ValidationIssue issue) =>
        $"{issue.Field} {issue.Code} {issue.Severity} [{string.Join(", ", issue.Args)}] {issue.SuggestedValue}";

    [Fact]
    public void Issues_never_carry_the_token()
    {
        var fields = OnPremFields() with { AccessToken = "  \"Bearer lsTOKEN-0123456789abcdef\"  " };

        var issues = PlanInputRules.Validate(fields);

        Assert.NotEmpty(issues);
        Assert.All(issues.SelectMany(i => i.Args.Append(i.SuggestedValue ?? "")), a => Assert.DoesNotContain("0123456789", a.ToString()));
    }

    [Fact]
    public void A_created_input_builds_a_plan_for_its_version()
    {
        var input = PlanInputRules.TryCreate(OnPremFields() with { IstioVersion = "1.26.1", Route = SpanRoute.Direct }, out _)!;

        var plan = PlanBuilder.Build(input);

        Assert.Equal(IstioForm.LightStepExtensionProvider, plan.Form);
        // One Secret per namespace entered, plus istio-system for the ingress gateway (on-prem, secure, with a CA).
        Assert.Equal(["default", "bookinfo", "istio-system"], plan.SecretNamespaces());
        Assert.Contains(plan.Notes, n => n.Code == "Note.GatewayCaMount");
    }
}
