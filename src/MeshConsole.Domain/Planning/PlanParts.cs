namespace MeshConsole.Domain.Planning;

/// <summary>The objects, commands and notes a plan collects while its builders run, in install.sh order.</summary>
internal sealed class PlanParts
{
    public List<PlannedObject> Objects { get; } = [];
    public List<PlanCommand> Commands { get; } = [];
    public List<PlanNote> Notes { get; } = [];

    public void Note(string code, params object[] arguments) => Notes.Add(new PlanNote(code, arguments));
}
