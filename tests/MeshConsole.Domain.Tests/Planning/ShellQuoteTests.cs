using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>Whatever ShellQuote returns, bash must read back as exactly the original value.</summary>
public class ShellQuoteTests
{
    [Theory]
    [InlineData("it's")]
    [InlineData("'")]
    [InlineData("''")]
    [InlineData("'leading and trailing'")]
    [InlineData("$HOME")]
    [InlineData("${PATH}")]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("a b  c")]
    [InlineData(" ")]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    [InlineData("back\\slash\\")]
    [InlineData("\"double\"")]
    [InlineData("semi;colon && pipe | amp & lt < gt >")]
    [InlineData("glob * ? [a-z]")]
    [InlineData("!history")]
    [InlineData("~tilde")]
    [InlineData("#comment")]
    [InlineData("-n")]
    [InlineData("--")]
    [InlineData("%s%d")]
    [InlineData("brace{a,b}")]
    [InlineData("ünïcødé ✓")]
    [InlineData("lsTOKEN'$`\\\" mix")]
    [InlineData("collector-grpc.lightstep.com:443")]
    [InlineData("/etc/lightstep/cacert.pem")]
    public void Bash_reads_the_quoted_value_back_unchanged(string value)
    {
        var quoted = PlanBuilder.ShellQuote(value);

        var result = Bash.Run(["-c", "printf %s " + quoted]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(value, result.StandardOutput);
    }

    [Theory]
    [InlineData("collector-grpc.lightstep.com:443")]
    [InlineData("/etc/lightstep/cacert.pem")]
    [InlineData("lsTOKEN-0123456789abcdef")]
    [InlineData("100")]
    [InlineData("25.5")]
    [InlineData("a+b=c,d@e%f")]
    public void Plain_values_are_left_readable(string value) => Assert.Equal(value, PlanBuilder.ShellQuote(value));

    [Theory]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$x", "'$x'")]
    public void Other_values_are_single_quoted(string value, string expected) => Assert.Equal(expected, PlanBuilder.ShellQuote(value));

    [Fact]
    public void A_quoted_value_stays_one_argument()
    {
        var result = Bash.Run(["-c", "printf '<%s>' " + PlanBuilder.ShellQuote("two words") + " " + PlanBuilder.ShellQuote("")]);

        Assert.Equal("<two words><>", result.StandardOutput);
    }
}
