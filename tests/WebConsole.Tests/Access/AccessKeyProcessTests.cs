using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebConsole.Tests.Access;

/// <summary>The program with sign-in by a generated key, as an operator starts it, with JSON console logging.</summary>
public sealed partial class AccessKeyProcessTests
{
    [Fact]
    public async Task A_generated_key_is_printed_once_outside_the_json_logs_and_signs_in()
    {
        HttpResponseMessage? signIn = null;
        var run = await BindingRulesTests.RunProgramAsync(["--urls", "http://127.0.0.1:0"], new()
            {
                ["Console__Access__Mode"] = "AccessKey",
                ["Logging__Console__FormatterName"] = "json",
            },
            readyWhen: stdout => KeyPattern().IsMatch(stdout) && ListeningPattern().IsMatch(stdout) && stdout.Contains("Application started", StringComparison.Ordinal),
            whileRunning: async stdout =>
            {
                using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
                {
                    BaseAddress = new Uri(ListeningPattern().Match(stdout).Groups[1].Value),
                };
                signIn = await AccessKeySignInTests.SignInAsync(client, KeyPattern().Match(stdout).Groups[1].Value);
            });

        var key = Assert.Single(KeyPattern().Matches(run.Stdout).Select(m => m.Groups[1].Value));
        Assert.Equal(43, key.Length); // 32 bytes, base64url without padding
        var json = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(json);
        foreach (var line in json)
        {
            using var document = JsonDocument.Parse(line); // every log event is one JSON object
            Assert.True(document.RootElement.TryGetProperty("Category", out _));
            Assert.DoesNotContain(key, line);
        }
        Assert.DoesNotContain(key, run.Stderr);
        Assert.NotNull(signIn);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Single(AccessKeySignInTests.SessionCookies(signIn));
    }

    [GeneratedRegex(@"/signin#key=([A-Za-z0-9_-]+)")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();
}
