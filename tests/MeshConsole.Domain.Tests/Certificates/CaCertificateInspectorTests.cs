using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using MeshConsole.Domain.Certificates;
using MeshConsole.Domain.Validation;
using static MeshConsole.Domain.Tests.Certificates.TestCertificates;

namespace MeshConsole.Domain.Tests.Certificates;

public class CaCertificateInspectorTests
{
    private static CaCertificateInspection Inspect(byte[] file) => CaCertificateInspector.Inspect(file, Now);

    private static CaCertificateInspection Inspect(string text) => Inspect(Utf8(text));

    private static void AssertCodes(CaCertificateInspection inspection, params string[] expected)
    {
        Assert.Equal(expected, inspection.Issues.Select(i => i.Code));
        Assert.All(inspection.Issues, i => Assert.Equal(WizardField.CaCertificate, i.Field));
    }

    [Fact]
    public void A_ca_certificate_in_pem_is_summarized_without_issues()
    {
        var inspection = Inspect(Pem(Ca));

        AssertCodes(inspection);
        Assert.True(inspection.IsUsable);
        var summary = Assert.Single(inspection.Certificates);
        Assert.Equal(1, summary.Index);
        Assert.Equal("CN=Test Root CA, O=Mesh Console Tests", summary.Subject);
        Assert.Equal(summary.Subject, summary.Issuer);
        Assert.Equal(Ca.SerialNumber, summary.SerialNumber);
        Assert.Equal(Now.AddDays(-30), summary.NotBefore);
        Assert.Equal(Now.AddDays(3650), summary.NotAfter);
        Assert.True(summary.IsCertificateAuthority);
        Assert.True(summary.IsSelfSigned);
        Assert.Equal(ExpectedNormalizedPem(Ca), inspection.NormalizedPem);
    }

    [Fact]
    public void Fingerprint_is_colon_separated_uppercase_sha256()
    {
        var summary = Assert.Single(Inspect(Pem(Ca)).Certificates);

        Assert.Matches(new Regex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"), summary.Sha256Fingerprint);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Ca.RawData)), summary.Sha256Fingerprint.Replace(":", ""));
    }

    [Fact]
    public void An_rsa_ca_is_accepted_too()
    {
        var inspection = Inspect(Pem(RsaCa));

        AssertCodes(inspection);
        Assert.Equal("CN=RSA Root", Assert.Single(inspection.Certificates).Subject);
    }

    [Fact]
    public void A_der_certificate_is_accepted_and_normalized_to_pem()
    {
        var inspection = Inspect(Ca.RawData);

        AssertCodes(inspection);
        Assert.Equal(1, Assert.Single(inspection.Certificates).Index);
        Assert.Equal(ExpectedNormalizedPem(Ca), inspection.NormalizedPem);
    }

    [Fact]
    public void A_leaf_certificate_warns_that_it_is_not_a_ca()
    {
        var inspection = Inspect(Pem(Leaf));

        AssertCodes(inspection, "CaCert.NotCa");
        Assert.Equal(IssueSeverity.Warning, inspection.Issues[0].Severity);
        Assert.Equal([1], inspection.Issues[0].Args);
        var summary = Assert.Single(inspection.Certificates);
        Assert.False(summary.IsCertificateAuthority);
        Assert.False(summary.IsSelfSigned);
        Assert.Equal("CN=satellite.example.com", summary.Subject);
        Assert.Equal(Ca.Subject, summary.Issuer);
        Assert.True(inspection.IsUsable);
    }

    [Fact]
    public void A_certificate_without_basic_constraints_is_not_a_ca()
    {
        var inspection = Inspect(Pem(LeafWithoutBasicConstraints));

        AssertCodes(inspection, "CaCert.NotCa");
        Assert.False(Assert.Single(inspection.Certificates).IsCertificateAuthority);
    }

    [Fact]
    public void An_expired_certificate_is_an_error_naming_index_and_date()
    {
        var inspection = Inspect(Pem(ExpiredCa));

        AssertCodes(inspection, "CaCert.Expired");
        Assert.True(inspection.Issues[0].IsError);
        Assert.Equal([1, Now.AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)], inspection.Issues[0].Args);
        Assert.False(inspection.IsUsable);
    }

    [Fact]
    public void A_not_yet_valid_certificate_is_an_error_naming_index_and_date()
    {
        var inspection = Inspect(Pem(NotYetValidCa));

        AssertCodes(inspection, "CaCert.NotYetValid");
        Assert.True(inspection.Issues[0].IsError);
        Assert.Equal([1, "2025-06-11"], inspection.Issues[0].Args);
    }

    [Fact]
    public void A_certificate_expiring_within_thirty_days_warns_with_days_left()
    {
        var inspection = Inspect(Pem(ExpiringInTenDaysCa));

        AssertCodes(inspection, "CaCert.ExpiresSoon");
        Assert.Equal(IssueSeverity.Warning, inspection.Issues[0].Severity);
        Assert.Equal([1, 10], inspection.Issues[0].Args);
        Assert.True(inspection.IsUsable);
    }

    [Theory]
    [InlineData(-21, false)]
    [InlineData(-20, true)]
    [InlineData(-19, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Expiry_warning_covers_the_last_thirty_days_before_not_after(int nowOffsetDays, bool expectWarning)
    {
        var inspection = CaCertificateInspector.Inspect(Utf8(Pem(ExpiringInTenDaysCa)), Now.AddDays(nowOffsetDays));

        Assert.Equal(expectWarning, inspection.Issues.Any(i => i.Code == "CaCert.ExpiresSoon"));
    }

    [Fact]
    public void A_bundle_keeps_input_order_tolerating_crlf_and_text_between_blocks()
    {
        var bundle = "\uFEFF# LightStep satellite CA bundle\r\n" +
                     "subject=/CN=Test Root CA\r\n" + Pem(Ca).Replace("\n", "\r\n") +
                     "\r\n# intermediate\r\n\r\n" + Pem(Leaf).Replace("\n", "\r\n") + "trailing text";

        var inspection = Inspect(bundle);

        AssertCodes(inspection, "CaCert.NotCa");
        Assert.Equal([2], inspection.Issues[0].Args);
        Assert.Equal([1, 2], inspection.Certificates.Select(c => c.Index));
        Assert.Equal([Ca.Subject, Leaf.Subject], inspection.Certificates.Select(c => c.Subject));
        Assert.Equal(ExpectedNormalizedPem(Ca, Leaf), inspection.NormalizedPem);
        Assert.DoesNotContain('\r', inspection.NormalizedPem!);
    }

    [Fact]
    public void Pem_with_unusual_line_lengths_is_normalized_to_64_character_lines()
    {
        var base64 = Convert.ToBase64String(Ca.RawData);
        var oddLines = string.Join("\n", base64.Chunk(76).Select(c => new string(c)));
        var inspection = Inspect($"-----BEGIN CERTIFICATE-----\n{oddLines}\n-----END CERTIFICATE-----");

        AssertCodes(inspection);
        Assert.Equal(ExpectedNormalizedPem(Ca), inspection.NormalizedPem);
    }

    [Fact]
    public void Each_certificate_in_a_bundle_is_checked_with_its_own_index()
    {
        var inspection = Inspect(Pem(Ca) + Pem(ExpiredCa) + Pem(ExpiringInTenDaysCa));

        AssertCodes(inspection, "CaCert.Expired", "CaCert.ExpiresSoon");
        Assert.Equal(2, inspection.Issues[0].Args[0]);
        Assert.Equal(3, inspection.Issues[1].Args[0]);
        Assert.Equal(3, inspection.Certificates.Count);
    }

    public static TheoryData<string, string> PrivateKeyFiles => new()
    {
        { "PKCS#8 alone", Pkcs8PrivateKeyPem() },
        { "EC alone", EcPrivateKeyPem() },
        { "RSA alone", RsaPrivateKeyPem() },
        { "encrypted PKCS#8 alone", EncryptedPrivateKeyPem() },
        { "certificate then key", Pem(Ca) + Pkcs8PrivateKeyPem() },
        { "key then certificate", RsaPrivateKeyPem() + "\n" + Pem(Ca) },
        { "truncated key", string.Join('\n', Pkcs8PrivateKeyPem().Split('\n')[..3]) },
        { "key footer only", Pem(Ca) + string.Join('\n', Pkcs8PrivateKeyPem().Split('\n')[1..]) },
    };

    [Theory]
    [MemberData(nameof(PrivateKeyFiles))]
    public void Private_keys_reject_the_whole_file(string description, string file)
    {
        var inspection = Inspect(file);

        AssertCodes(inspection, "CaCert.PrivateKey");
        Assert.True(inspection.Issues[0].IsError);
        Assert.Empty(inspection.Issues[0].Args);
        Assert.Empty(inspection.Certificates);
        Assert.Null(inspection.NormalizedPem);
        Assert.False(inspection.IsUsable, description);
    }

    public static TheoryData<string, byte[]> NotCertificates => new()
    {
        { "garbage text", Utf8("this is not a certificate\nat all\n") },
        { "random binary", RandomBytes(2048) },
        { "truncated DER", Ca.RawData[..^10] },
        { "bare base64 without armor", Utf8(Convert.ToBase64String(Ca.RawData)) },
        { "public key block only", Utf8(PublicKeyPem()) },
        { "lone END line", Utf8("-----END CERTIFICATE-----\n") },
    };

    [Theory]
    [MemberData(nameof(NotCertificates))]
    public void Input_without_any_certificate_is_not_a_certificate(string description, byte[] file)
    {
        var inspection = Inspect(file);

        AssertCodes(inspection, "CaCert.NotACertificate");
        Assert.Empty(inspection.Certificates);
        Assert.Null(inspection.NormalizedPem);
        Assert.False(inspection.IsUsable, description);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t")]
    public void Empty_input_is_reported_as_empty(string text) => AssertCodes(Inspect(text), "CaCert.Empty");

    [Fact]
    public void Input_over_64_kib_is_rejected_without_parsing()
    {
        var padding = new string('#', CaCertificateInspector.MaxFileBytes) + "\n";
        var inspection = Inspect(padding + Pem(Ca));

        AssertCodes(inspection, "CaCert.TooLarge");
        Assert.Equal([CaCertificateInspector.MaxFileBytes + 1 + Pem(Ca).Length, 65536], inspection.Issues[0].Args);
        Assert.Empty(inspection.Certificates);
        Assert.Null(inspection.NormalizedPem);
    }

    [Fact]
    public void Input_of_exactly_64_kib_is_parsed()
    {
        var pem = Pem(Ca);
        var file = new string('#', CaCertificateInspector.MaxFileBytes - pem.Length - 1) + "\n" + pem;
        Assert.Equal(65536, Utf8(file).Length);

        var inspection = Inspect(file);

        AssertCodes(inspection);
        Assert.Single(inspection.Certificates);
    }

    public static TheoryData<string, string, int> UnreadableBlocks => new()
    {
        { "invalid base64", Pem(Ca) + "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n", 2 },
        { "base64 of random bytes", "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(RandomBytes(300)) + "\n-----END CERTIFICATE-----\n" + Pem(Ca), 1 },
        { "truncated base64", Pem(Ca) + Pem(Leaf).Remove(Pem(Leaf).Length - 80, 40), 2 },
        { "missing END line", Pem(Ca) + Pem(Leaf).Replace("-----END CERTIFICATE-----", ""), 2 },
        { "mismatched END label", Pem(Leaf).Replace("END CERTIFICATE", "END X509 CRL") + Pem(Ca), 1 },
        { "empty block", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n" + Pem(Ca), 1 },
    };

    [Theory]
    [MemberData(nameof(UnreadableBlocks))]
    public void An_unreadable_certificate_block_is_reported_by_position(string description, string file, int badBlock)
    {
        var inspection = Inspect(file);

        var issue = Assert.Single(inspection.Issues, i => i.Code == "CaCert.BlockUnreadable");
        Assert.True(issue.IsError, description);
        Assert.Equal([badBlock], issue.Args);
        var readable = Assert.Single(inspection.Certificates, c => c.Subject == Ca.Subject);
        Assert.Equal(badBlock == 1 ? 2 : 1, readable.Index);
        Assert.Equal(ExpectedNormalizedPem(Ca), inspection.NormalizedPem);
        Assert.False(inspection.IsUsable);
    }

    [Fact]
    public void A_file_whose_only_certificate_block_is_unreadable_has_no_pem()
    {
        var inspection = Inspect("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        AssertCodes(inspection, "CaCert.BlockUnreadable");
        Assert.Empty(inspection.Certificates);
        Assert.Null(inspection.NormalizedPem);
    }

    [Fact]
    public void Other_pem_blocks_are_skipped_without_shifting_certificate_indexes()
    {
        var inspection = Inspect(PublicKeyPem() + "\n" + Pem(Leaf) + Pem(Ca));

        AssertCodes(inspection, "CaCert.NotCa");
        Assert.Equal([1], inspection.Issues[0].Args);
        Assert.Equal(ExpectedNormalizedPem(Leaf, Ca), inspection.NormalizedPem);
    }

    public static TheoryData<string, byte[]> AllKindsOfInput => new()
    {
        { "bundle", Utf8(Pem(Ca) + Pem(Leaf) + Pem(ExpiredCa) + Pem(NotYetValidCa) + Pem(ExpiringInTenDaysCa)) },
        { "unreadable", Utf8(Pem(Ca) + "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n") },
        { "key", Utf8(Pem(Ca) + Pkcs8PrivateKeyPem()) },
        { "der", Leaf.RawData },
        { "garbage", RandomBytes(100) },
    };

    [Theory]
    [MemberData(nameof(AllKindsOfInput))]
    public void Issue_arguments_are_only_indexes_sizes_and_dates(string description, byte[] file)
    {
        var inspection = Inspect(file);

        Assert.NotEmpty(inspection.Issues);
        Assert.All(inspection.Issues.SelectMany(i => i.Args), argument =>
            Assert.True(argument is int || argument is string s && Regex.IsMatch(s, @"^\d{4}-\d{2}-\d{2}$"), description));
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }
}
