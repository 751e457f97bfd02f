using WebConsole;
using WebConsole.Cli;

if (CommandLine.IsCommand(args))
    return await CommandLine.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddMeshConsoleServices();

var app = builder.Build();
app.UseMeshConsole();
await app.RunAsync();
return 0;
