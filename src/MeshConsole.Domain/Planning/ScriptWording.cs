namespace MeshConsole.Domain.Planning;

/// <summary>
/// The words of install.sh and uninstall.sh: each command's purpose and each fixed line, named by a resource code the
/// web app localizes (the domain carries no prose). <see cref="Codes"/> writes the codes themselves, with their arguments.
/// </summary>
public sealed class ScriptWording(Func<PlanCommand, string> describe, Func<string, object[], string> say)
{
    public static ScriptWording Codes { get; } = new(c => c.Code, (code, args) => args.Length == 0 ? code : $"{code}({string.Join(", ", args)})");

    /// <summary>The codes for the fixed lines, <paramref name="describe"/> for the commands (the existing callers' form).</summary>
    public static ScriptWording Describing(Func<PlanCommand, string>? describe) =>
        describe is null ? Codes : new(describe, Codes.Say);

    /// <summary>One line: the text becomes a shell comment or a heredoc line, where a newline would end it early.</summary>
    public string Describe(PlanCommand command) => OneLine(describe(command));

    public string Say(string code, params object[] args) => OneLine(say(code, args));

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
