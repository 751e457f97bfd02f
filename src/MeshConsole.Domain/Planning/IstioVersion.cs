using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshConsole.Domain.Planning;

/// <summary>An Istio release as major.minor[.patch]; pre-release suffixes (1.22.0-beta.1) are accepted and ignored.</summary>
public readonly partial record struct IstioVersion(int Major, int Minor, int Patch) : IComparable<IstioVersion>
{
    public static bool TryParse(string? text, out IstioVersion version)
    {
        version = default;
        var match = VersionPattern().Match(text?.Trim() ?? "");
        if (!match.Success) return false;
        if (!int.TryParse(match.Groups["major"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ||
            !int.TryParse(match.Groups["minor"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            return false;
        var patch = 0;
        if (match.Groups["patch"].Success &&
            !int.TryParse(match.Groups["patch"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out patch))
            return false;
        version = new IstioVersion(major, minor, patch);
        return true;
    }

    public static IstioVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not an Istio version (expected X.Y or X.Y.Z).");

    public int CompareTo(IstioVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(IstioVersion a, IstioVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(IstioVersion a, IstioVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(IstioVersion a, IstioVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(IstioVersion a, IstioVersion b) => a.CompareTo(b) >= 0;

    public string MinorString => $"{Major}.{Minor}";
    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    [GeneratedRegex(@"^v?(?<major>\d{1,3})\.(?<minor>\d{1,3})(\.(?<patch>\d{1,4}))?(-[0-9A-Za-z.\-]+)?$")]
    private static partial Regex VersionPattern();
}
