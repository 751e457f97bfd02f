using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Tests.Validation;

public class NamespaceRulesTests
{
    public static TheoryData<string, string[]> ParseCases => new()
    {
        { "", [] },
        { " , \n,, ", [] },
        { "default", ["default"] },
        { "default,payments", ["default", "payments"] },
        { "default, payments\nshipping\tbilling", ["default", "payments", "shipping", "billing"] },
        { "b,a\r\nb", ["b", "a", "b"] },
        { "  ,default,\n", ["default"] },
    };

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parse_splits_on_commas_and_whitespace_keeping_order_and_duplicates(string text, string[] expected) =>
        Assert.Equal(expected, NamespaceRules.Parse(text));

    public static TheoryData<string[]> GoodLists =>
    [
        ["default"],
        ["default", "payments", "istio-demo"],
        ["a", "0", "a1-b2"],
        [new string('a', 63)],
    ];

    [Theory]
    [MemberData(nameof(GoodLists))]
    public void Accepts_dns_1123_labels(string[] namespaces) => Assert.Empty(NamespaceRules.Validate(namespaces));

    public static TheoryData<string[], string[]> BadLists => new()
    {
        { [], ["Namespaces.None"] },
        { ["Default"], ["Namespaces.InvalidName"] },
        { ["-payments"], ["Namespaces.InvalidName"] },
        { ["payments-"], ["Namespaces.InvalidName"] },
        { ["pay_ments"], ["Namespaces.InvalidName"] },
        { ["pay.ments"], ["Namespaces.InvalidName"] },
        { [""], ["Namespaces.InvalidName"] },
        { ["né"], ["Namespaces.InvalidName"] },
        { [new string('a', 64)], ["Namespaces.InvalidName"] },
        { ["default", "default"], ["Namespaces.Duplicate"] },
        { ["a", "b", "a", "a", "b"], ["Namespaces.Duplicate", "Namespaces.Duplicate"] },
        { ["Bad", "Bad"], ["Namespaces.InvalidName", "Namespaces.Duplicate"] },
    };

    [Theory]
    [MemberData(nameof(BadLists))]
    public void Reports_exactly_the_expected_codes(string[] namespaces, string[] expectedCodes)
    {
        var issues = NamespaceRules.Validate(namespaces);

        Assert.Equal(expectedCodes, issues.Select(i => i.Code));
        Assert.All(issues, i => Assert.Equal(WizardField.Namespaces, i.Field));
        Assert.All(issues, i => Assert.True(i.IsError));
    }

    [Fact]
    public void Arguments_name_the_offending_namespace_once()
    {
        var issues = NamespaceRules.Validate(["ok", "Bad", "dup", "dup", "dup"]);

        Assert.Equal(["Bad"], Assert.Single(issues, i => i.Code == "Namespaces.InvalidName").Args);
        Assert.Equal(["dup"], Assert.Single(issues, i => i.Code == "Namespaces.Duplicate").Args);
    }

    [Fact]
    public void Parse_output_feeds_validate()
    {
        var issues = NamespaceRules.Validate(NamespaceRules.Parse("default, payments\ndefault"));
        Assert.Equal(["default"], Assert.Single(issues).Args);
    }
}
