using System.CommandLine;
using MeshConsole.Domain.Cluster;
using MeshConsole.Domain.Validation;
using WebConsole.Features.Localization;

namespace WebConsole.Cli;

/// <summary>
/// <c>rbac</c>: prints the Roles and RoleBindings that give the in-cluster console's ServiceAccount exactly the
/// permissions preflight checks for the given workload namespaces (deploy/kubernetes/rbac.yaml is its output).
/// </summary>
public static class RbacCommand
{
    public static Command Verb(ConsoleText text, TextWriter stdout, TextWriter stderr)
    {
        var namespaces = new Option<string[]>("--namespace") { Description = "Workload namespace the console may configure (repeatable; default: default)." };
        var consoleNamespace = new Option<string>("--console-namespace") { Description = $"Namespace of the console's ServiceAccount (default {InClusterRbac.ConsoleNamespace})." };
        var teamSessions = new Option<bool>("--team-sessions")
        {
            Description = "Also grant what team sessions need: their store in the console's namespace, and participants' namespaces, " +
                          "Bookinfo and Secrets in every namespace (participant namespaces are named only when people join).",
        };
        var command = new Command("rbac", "Print the RBAC objects (YAML) for running the console inside a cluster with least privilege.")
        {
            namespaces,
            consoleNamespace,
            teamSessions,
        };
        command.SetAction(result =>
        {
            var workload = result.GetValue(namespaces) is { Length: > 0 } given ? given : [.. InClusterRbac.DefaultWorkloadNamespaces];
            var home = result.GetValue(consoleNamespace) ?? InClusterRbac.ConsoleNamespace;
            var problems = NamespaceRules.Validate(workload).Select(issue => "--namespace: " + text.Issue(issue)).ToList();
            if (!NamespaceRules.IsDns1123Label(home))
                problems.Add("--console-namespace: " + text.Issue(ValidationIssue.Error(WizardField.Namespaces, "Namespaces.InvalidName", home)));
            foreach (var problem in problems)
                stderr.WriteLine(problem);
            if (problems.Count > 0) return CommandLine.InvalidInput;
            stdout.Write(InClusterRbac.Yaml(workload, home, result.GetValue(teamSessions)));
            return 0;
        });
        return command;
    }
}
