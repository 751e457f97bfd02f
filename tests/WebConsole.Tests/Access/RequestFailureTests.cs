using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using WebConsole.Features.Access;

namespace WebConsole.Tests.Access;

/// <summary>
/// What a client sees when its request fails: 413 with a short page for a body over the limit, and the developer
/// exception page (stack trace, source paths) only for the operator: signed in (or sign-in off) on this machine.
/// </summary>
public sealed class RequestFailureTests
{
    private const string Key = "failure-access-key-0123456789abcdef";

    /// <summary>A readiness probe that fails inside the pipeline, the way any unexpected exception would.</summary>
    private sealed class FailingHealthChecks : HealthCheckService
    {
        public const string Message = "readiness exploded on purpose";

        public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Message);
    }

    private static void FailReadiness(IServiceCollection services) => services.AddSingleton<HealthCheckService, FailingHealthChecks>();

    private static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain(".cs:line", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("/work/", body);
        Assert.DoesNotContain(FailingHealthChecks.Message, body);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_sign_in_form_over_8_KiB_gets_413_and_a_short_page_in_every_environment(string environment)
    {
        using var factory = new ConsoleAppFactory(ConsoleAppFactory.AccessKeyMode(Key), listenOnAnyAddress: true, environment: environment);
        using var client = factory.NewClient();
        var form = await (await client.GetAsync("/signin")).Content.ReadAsStringAsync();

        var response = await client.SendAsync(Html.Navigation(HttpMethod.Post, "/signin", Html.Form(
            ("__RequestVerificationToken", Html.AntiforgeryToken(form, "signin-form")), ("key", new string('k', 9 * 1024)), ("returnUrl", "/"))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("This request is larger than the console accepts. Go back and try again with less data.", body);
        AssertNoInternals(body);
        Assert.DoesNotContain(factory.Logs.Events, e => e.Level >= LogLevel.Error);
        Assert.Contains(factory.Logs.Events, e => e.EventId.Id == 9210 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task A_failure_shows_no_developer_page_to_a_client_that_is_not_signed_in()
    {
        using var factory = new ConsoleAppFactory(ConsoleAppFactory.AccessKeyMode(Key), listenOnAnyAddress: true, services: FailReadiness,
            environment: "Development");
        using var client = factory.NewClient();

        var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Something went wrong on the console's side. The console's log has the details.", body);
        AssertNoInternals(body);
        // The operator still finds the failure in the log.
        Assert.Contains(factory.Logs.Events, e => e.EventId.Id == 9211 && e.Exception!.Contains(FailingHealthChecks.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_signed_in_operator_on_this_machine_still_gets_the_developer_page()
    {
        using var factory = new ConsoleAppFactory(ConsoleAppFactory.AccessKeyMode(Key), listenOnAnyAddress: true, services: FailReadiness,
            environment: "Development");
        using var client = factory.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await AccessKeySignInTests.SignInAsync(client, Key)).StatusCode);

        var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(FailingHealthChecks.Message, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, bool, bool, bool> Clients => new()
    {
        // remote address, sign-in on, signed in, may see details
        { "127.0.0.1", false, false, true },
        { "::1", true, true, true },
        { "::ffff:127.0.0.1", true, true, true },
        { "127.0.0.1", true, false, false },
        { "10.1.2.3", true, true, false },
        { "192.168.0.7", true, false, false },
    };

    [Theory]
    [MemberData(nameof(Clients))]
    public void Details_go_only_to_a_signed_in_client_on_loopback(string remote, bool signInOn, bool signedIn, bool expected)
    {
        var settings = AccessSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(
            signInOn ? ConsoleAppFactory.AccessKeyMode(Key) : new Dictionary<string, string?>()).Build());
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (signedIn) context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SessionClaims.UserName, "someone")], "test"));

        Assert.Equal(expected, FailureAnswers.MayShowDetails(context, settings));
    }
}
