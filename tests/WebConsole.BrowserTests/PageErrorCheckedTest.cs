using Microsoft.Playwright;

namespace WebConsole.BrowserTests;

/// <summary>
/// Every browser test fails when a page it opened reported an uncaught exception or a console error, checked after the
/// test body (xUnit runs <see cref="DisposeAsync"/> after each test and fails the test when it throws). Pages earlier
/// tests opened on the shared fixture are not this test's; a test's own browser contexts are closed afterwards.
/// </summary>
public abstract class PageErrorCheckedTest(ConsoleServerFixture server) : IAsyncLifetime
{
    private IReadOnlyCollection<IPage> _earlierPages = [];

    public Task InitializeAsync()
    {
        _earlierPages = server.Pages.ToHashSet();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        try
        {
            server.AssertNoPageErrors(_earlierPages);
        }
        finally
        {
            foreach (var context in server.Pages.Except(_earlierPages).Select(p => p.Context).Distinct())
                await context.CloseAsync();
        }
    }
}
