using System.Text.RegularExpressions;
using MeshConsole.Domain.Planning;

namespace MeshConsole.Domain.Tests.Planning;

/// <summary>
/// install.sh starts with <c>#!/usr/bin/env bash</c> and <c>set -u</c>; on a stock Mac that is bash 3.2, where
/// expanding an empty array as <c>"${a[@]}"</c> aborts with "a[@]: unbound variable" (fixed only in bash 4.4).
/// The bash on the test machine cannot show that, so the script is checked for the portable idiom instead.
/// </summary>
public partial class InstallScriptPortabilityTests
{
    public static TheoryData<string> CaseNames => PlanGoldenTests.CaseNames;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Possibly_empty_arrays_are_expanded_in_a_way_bash_3_2_accepts_under_set_u(string name)
    {
        var script = PlanRenderer.InstallScript(PlanBuilder.Build(PlanGoldenTests.Cases[name]));
        Assert.Contains("set -euo pipefail", script);

        var unguarded = ArrayExpansion().Matches(script)
            .Where(m => !IsGuarded(script, m))
            .Select(m => script[..m.Index].Split('\n')[^1] + m.Value)
            .ToList();

        Assert.True(unguarded.Count == 0,
            "Empty array expansion fails on bash < 4.4 with set -u; use ${a[@]+\"${a[@]}\"} instead:\n" + string.Join("\n", unguarded));
    }

    /// <summary>True inside <c>${a[@]+"${a[@]}"}</c>, which expands to nothing when the array is empty.</summary>
    private static bool IsGuarded(string script, Match expansion)
    {
        var guard = "${" + expansion.Groups["name"].Value + "[@]+";
        return expansion.Index >= guard.Length && script.AsSpan(expansion.Index - guard.Length, guard.Length).SequenceEqual(guard);
    }

    [GeneratedRegex("\"\\$\\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\\[@\\]\\}\"")]
    private static partial Regex ArrayExpansion();
}
