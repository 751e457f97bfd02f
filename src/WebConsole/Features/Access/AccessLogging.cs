namespace WebConsole.Features.Access;

/// <summary>Logging: the categories that could carry user input (and so a secret) are kept out of the logs.</summary>
public static partial class AccessServices
{
    /// <summary>
    /// Log categories that print what users type: at Debug, SignalR logs every hub invocation with its arguments
    /// (form field values, so the LightStep access token). They are held at Information whatever the configuration
    /// says (these rules are more specific than Default, and registered after the configuration's, so they win;
    /// the Console provider gets its own copy because provider-specific configuration would beat a general rule).
    /// </summary>
    internal static readonly string[] CategoriesWithUserInput =
    [
        "Microsoft.AspNetCore.SignalR",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Components.Server",
    ];

    private static void KeepSecretsOutOfLogs(ILoggingBuilder logging)
    {
        foreach (var category in CategoriesWithUserInput)
        {
            logging.AddFilter(category, LogLevel.Information);
            logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(category, LogLevel.Information);
        }
    }
}
