using WebConsole;
using WebConsole.Cli;
using WebConsole.Features.Access;

if (CommandLine.IsCommand(args))
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddMeshConsoleServices();

    var app = builder.Build();
    app.UseMeshConsole();
    await app.RunAsync();
    return 0;
}
catch (StartupRefusedException refused)
{
    // A configuration the console will not run with (e.g. listening beyond loopback without sign-in): one line
    // saying what to change, no stack trace.
    Console.Error.WriteLine(refused.Message);
    return 1;
}
