using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Validation;

public class SatelliteAddressRulesTests
{
    private static readonly string Label63 = new('a', 63);

    public static TheoryData<string, string, int> GoodAddresses => new()
    {
        { "collector-grpc.lightstep.com:443", "collector-grpc.lightstep.com", 443 },
        { "localhost:8080", "localhost", 8080 },
        { "satellite:1", "satellite", 1 },
        { "Satellite.Example.COM:65535", "Satellite.Example.COM", 65535 },
        { "10.0.0.1:8184", "10.0.0.1", 8184 },
        { "0.0.0.0:443", "0.0.0.0", 443 },
        { "255.255.255.255:443", "255.255.255.255", 443 },
        { "1.2.3.example.com:443", "1.2.3.example.com", 443 },
        { "[::1]:443", "[::1]", 443 },
        { "[2001:db8::1]:8443", "[2001:db8::1]", 8443 },
        { "[::ffff:10.0.0.1]:443", "[::ffff:10.0.0.1]", 443 },
        { $"{Label63}.example.com:443", $"{Label63}.example.com", 443 },
        { "a-b.c-d:443", "a-b.c-d", 443 },
    };

    [Theory]
    [MemberData(nameof(GoodAddresses))]
    public void Accepts_host_and_port(string address, string expectedHost, int expectedPort)
    {
        var check = SatelliteAddressRules.Validate(address);

        Assert.Empty(check.Issues);
        Assert.True(check.IsValid);
        Assert.Equal(expectedHost, check.Host);
        Assert.Equal(expectedPort, check.Port);
        Assert.Null(check.SuggestedValue);
    }

    public static TheoryData<string?, string[], string?> BadAddresses => new()
    {
        { null, ["Satellite.Empty"], null },
        { "", ["Satellite.Empty"], null },
        { "  ", ["Satellite.Empty"], null },
        { " collector.lightstep.com:443", ["Satellite.Whitespace"], "collector.lightstep.com:443" },
        { "collector.lightstep.com:443\n", ["Satellite.Whitespace"], "collector.lightstep.com:443" },
        { " collector.lightstep.com ", ["Satellite.Whitespace", "Satellite.MissingPort"], "collector.lightstep.com:443" },
        { "collector.lightstep.com :443", ["Satellite.Whitespace"], null },
        { "https://collector.lightstep.com", ["Satellite.HasScheme"], "collector.lightstep.com:443" },
        { "HTTPS://collector.lightstep.com/", ["Satellite.HasScheme"], "collector.lightstep.com:443" },
        { "grpcs://collector.lightstep.com", ["Satellite.HasScheme"], "collector.lightstep.com:443" },
        { "https://collector.lightstep.com:8443/api/v2/reports?x=1", ["Satellite.HasScheme"], "collector.lightstep.com:8443" },
        { "http://satellite", ["Satellite.HasScheme"], "satellite:80" },
        { "http://satellite:8184/", ["Satellite.HasScheme"], "satellite:8184" },
        { "grpc://satellite:8184", ["Satellite.HasScheme"], "satellite:8184" },
        { "https://[::1]", ["Satellite.HasScheme"], "[::1]:443" },
        { "https://satellite:99999", ["Satellite.HasScheme", "Satellite.InvalidPort"], null },
        { "https://", ["Satellite.HasScheme", "Satellite.Empty"], null },
        { "satellite:8184/", ["Satellite.HasPath"], "satellite:8184" },
        { "satellite:8184/api/v2/reports", ["Satellite.HasPath"], "satellite:8184" },
        { "satellite/api", ["Satellite.HasPath", "Satellite.MissingPort"], "satellite:443" },
        { "satellite", ["Satellite.MissingPort"], "satellite:443" },
        { "10.1.2.3", ["Satellite.MissingPort"], "10.1.2.3:443" },
        { "[::1]", ["Satellite.MissingPort"], "[::1]:443" },
        { "satellite:", ["Satellite.InvalidPort"], null },
        { "satellite:0", ["Satellite.InvalidPort"], null },
        { "satellite:65536", ["Satellite.InvalidPort"], null },
        { "satellite:123456", ["Satellite.InvalidPort"], null },
        { "satellite:abc", ["Satellite.InvalidPort"], null },
        { "satellite:-1", ["Satellite.InvalidPort"], null },
        { "satellite:+443", ["Satellite.InvalidPort"], null },
        { "satellite:0443", ["Satellite.InvalidPort"], null },
        { "satellite:٤٤٣", ["Satellite.InvalidPort"], null },
        { "[::1]443", ["Satellite.InvalidPort"], null },
        { "-satellite:443", ["Satellite.InvalidHost"], null },
        { "satellite-:443", ["Satellite.InvalidHost"], null },
        { "sat_ellite:443", ["Satellite.InvalidHost"], null },
        { "satellite.:443", ["Satellite.InvalidHost"], null },
        { ".satellite:443", ["Satellite.InvalidHost"], null },
        { "a..b:443", ["Satellite.InvalidHost"], null },
        { "sätellite:443", ["Satellite.InvalidHost"], null },
        { "user@satellite:443", ["Satellite.InvalidHost"], null },
        { $"{Label63}a.example.com:443", ["Satellite.InvalidHost"], null },
        { string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ":443", ["Satellite.InvalidHost"], null },
        { "256.1.1.1:443", ["Satellite.InvalidHost"], null },
        { "010.0.0.1:443", ["Satellite.InvalidHost"], null },
        { "1.2.3:443", ["Satellite.InvalidHost"], null },
        { "1.2.3.4.5:443", ["Satellite.InvalidHost"], null },
        { ":443", ["Satellite.InvalidHost"], null },
        { "-bad", ["Satellite.InvalidHost"], null },
        { "-bad:0", ["Satellite.InvalidHost", "Satellite.InvalidPort"], null },
        { "[fe80::1%eth0]:443", ["Satellite.InvalidHost"], null },
        { "[not-an-ip]:443", ["Satellite.InvalidHost"], null },
        { "[10.0.0.1]:443", ["Satellite.InvalidHost"], null },
        { "[::1", ["Satellite.InvalidHost"], null },
        { "satellite:443:443", ["Satellite.InvalidHost"], null },
        { "::1:443", ["Satellite.Ipv6NeedsBrackets"], "[::1]:443" },
        { "2001:db8::1:8443", ["Satellite.Ipv6NeedsBrackets"], "[2001:db8::1]:8443" },
        { "2001:db8:0:0:0:0:0:1:443", ["Satellite.Ipv6NeedsBrackets"], "[2001:db8:0:0:0:0:0:1]:443" },
        { "fe80::1", ["Satellite.Ipv6NeedsBrackets"], null },
        { "::1", ["Satellite.Ipv6NeedsBrackets"], null },
        { "2001:db8::", ["Satellite.Ipv6NeedsBrackets"], null },
    };

    [Theory]
    [MemberData(nameof(BadAddresses))]
    public void Reports_exactly_the_expected_codes_and_suggestion(string? address, string[] expectedCodes, string? expectedSuggestion)
    {
        var check = SatelliteAddressRules.Validate(address);

        Assert.Equal(expectedCodes, check.Issues.Select(i => i.Code));
        Assert.Equal(expectedSuggestion, check.SuggestedValue);
        Assert.Equal(expectedSuggestion, check.Issues[0].SuggestedValue);
        Assert.False(check.IsValid);
        Assert.Null(check.Host);
        Assert.Null(check.Port);
        Assert.All(check.Issues, i => Assert.Equal(WizardField.SatelliteAddress, i.Field));
    }

    [Theory]
    [MemberData(nameof(BadAddresses))]
    public void Every_suggestion_validates_cleanly(string? address, string[] _, string? expectedSuggestion)
    {
        var check = SatelliteAddressRules.Validate(address);
        var suggestions = check.Issues.Select(i => i.SuggestedValue).Append(check.SuggestedValue).Append(expectedSuggestion).OfType<string>();

        Assert.All(suggestions, suggestion =>
        {
            var revalidated = SatelliteAddressRules.Validate(suggestion);
            Assert.Empty(revalidated.Issues);
            Assert.Equal(suggestion, $"{revalidated.Host}:{revalidated.Port}");
        });
    }

    [Theory]
    [InlineData("satellite", "Satellite.MissingPort", "satellite")]
    [InlineData("satellite:99999", "Satellite.InvalidPort", "99999")]
    [InlineData("[::1]443", "Satellite.InvalidPort", "443")]
    [InlineData("sat_ellite:443", "Satellite.InvalidHost", "sat_ellite")]
    [InlineData("[fe80::1%eth0]:443", "Satellite.InvalidHost", "[fe80::1%eth0]")]
    [InlineData("fe80::1", "Satellite.Ipv6NeedsBrackets", "fe80::1")]
    public void Arguments_name_the_offending_part(string address, string code, string argument)
    {
        var issue = Assert.Single(SatelliteAddressRules.Validate(address).Issues);
        Assert.Equal(code, issue.Code);
        Assert.Equal([argument], issue.Args);
    }
}
