using WebConsole;
using WebConsole.Cli;
using WebConsole.Features.Access;
using WebConsole.Hosting;

if (CommandLine.IsCommand(args))
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddMeshConsoleServices();

    var app = builder.Build();
    app.UseMeshConsole();
    var shutdown = app.Services.GetRequiredService<ConsoleShutdown>();
    try
    {
        await app.StartAsync();
        await app.WaitForShutdownAsync();
    }
    finally
    {
        // Stopping is bounded (HostOptions.ShutdownTimeout), and so is disposing what open circuits hold.
        await shutdown.DisposeWithinAsync(app);
    }
    return 0;
}
catch (StartupRefusedException refused)
{
    // A configuration the console will not run with (e.g. listening beyond loopback without sign-in): one line
    // saying what to change, no stack trace.
    Console.Error.WriteLine(refused.Message);
    return 1;
}
