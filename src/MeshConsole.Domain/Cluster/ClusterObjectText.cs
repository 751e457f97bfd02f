using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Cluster;

/// <summary>A live or planned object as stable YAML-like text for <see cref="ObjectDiff"/>, safe to show on screen.</summary>
public static partial class ClusterObjectText
{
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    private static readonly string[] ServerSetMetadata = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"];

    /// <summary>
    /// Without what the API server adds (status, managedFields, resourceVersion, uid, creationTimestamp, generation,
    /// selfLink, kubectl's last-applied annotation); keys sorted; Secret values described by size and hash; every
    /// sensitive value masked. Null (an object still to be created) gives empty text.
    /// </summary>
    public static string ForDiff(JsonObject? obj, IReadOnlyList<string> sensitiveValues)
    {
        if (obj is null) return "";
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerSetMetadata) metadata.Remove(field);
            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove(LastAppliedAnnotation);
                if (annotations.Count == 0) metadata.Remove("annotations");
            }
        }
        if (copy["kind"]?.GetValueKind() == JsonValueKind.String && copy["kind"]!.GetValue<string>() == "Secret")
            DescribeSecretData(copy);

        var masks = sensitiveValues.Where(v => v.Length > 0).Distinct().OrderByDescending(v => v.Length)
            .Select(v => (Value: v, Mask: AccessTokenRules.MaskForDisplay(v))).ToList();
        var text = new StringBuilder();
        WriteMapping(text, copy, 0, masks);
        return text.ToString();
    }

    /// <summary>
    /// stringData is write-only: the API server merges it into data, overwriting equal keys (Kubernetes Secret API), so a
    /// planned stringData and a live data entry compare as the same bytes.
    /// </summary>
    private static void DescribeSecretData(JsonObject secret)
    {
        var bytes = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (secret["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                var text = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString() ?? "";
                bytes[key] = TryFromBase64(text) ?? Encoding.UTF8.GetBytes(text);
            }
        }
        if (secret["stringData"] is JsonObject stringData)
        {
            foreach (var (key, value) in stringData)
                bytes[key] = Encoding.UTF8.GetBytes(value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString() ?? "");
            secret.Remove("stringData");
        }
        if (bytes.Count == 0) return;
        secret["data"] = new JsonObject(bytes.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)JsonValue.Create(Describe(b.Value)))));
    }

    public static string Describe(byte[] value) =>
        $"<{value.Length.ToString(CultureInfo.InvariantCulture)} bytes, sha256:{Convert.ToHexStringLower(SHA256.HashData(value))[..12]}>";

    private static byte[]? TryFromBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    /// <param name="continuesLine">The first key goes on the current line, after a list item's "- ".</param>
    private static void WriteMapping(StringBuilder text, JsonObject map, int indent, List<(string Value, string Mask)> masks, bool continuesLine = false)
    {
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!continuesLine) text.Append(' ', indent);
            continuesLine = false;
            text.Append(Scalar(Mask(key, masks))).Append(':');
            WriteValue(text, value, indent, masks);
        }
    }

    /// <summary>Writes what follows "key:" or "-": a scalar on the same line, a collection on the lines below.</summary>
    private static void WriteValue(StringBuilder text, JsonNode? value, int indent, List<(string Value, string Mask)> masks)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                text.Append(" {}\n");
                break;
            case JsonObject map:
                text.Append('\n');
                WriteMapping(text, map, indent + 2, masks);
                break;
            case JsonArray { Count: 0 }:
                text.Append(" []\n");
                break;
            case JsonArray list:
                text.Append('\n');
                foreach (var item in list)
                {
                    text.Append(' ', indent).Append('-');
                    if (item is JsonObject { Count: > 0 } entry)
                        WriteMapping(text.Append(' '), entry, indent + 2, masks, continuesLine: true);
                    else
                        WriteValue(text, item, indent + 2, masks);
                }
                break;
            case null:
                text.Append(" null\n");
                break;
            default:
                if (value.GetValueKind() == JsonValueKind.String)
                    WriteString(text, Mask(value.GetValue<string>(), masks), indent);
                else
                    text.Append(' ').Append(value.ToJsonString()).Append('\n');
                break;
        }
    }

    private static void WriteString(StringBuilder text, string value, int indent)
    {
        if (!value.Contains('\n'))
        {
            text.Append(' ').Append(Scalar(value)).Append('\n');
            return;
        }
        var body = value.Replace("\r\n", "\n", StringComparison.Ordinal);
        var chomping = body.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : body.EndsWith('\n') ? "" : "-";
        text.Append(" |").Append(chomping).Append('\n');
        var lines = body.Split('\n');
        foreach (var line in body.EndsWith('\n') ? lines[..^1] : lines)
        {
            if (line.Length > 0) text.Append(' ', indent + 2).Append(line);
            text.Append('\n');
        }
    }

    /// <summary>Plain when it reads back as the same string, JSON-quoted otherwise.</summary>
    private static string Scalar(string value) =>
        PlainSafe().IsMatch(value) && !LooksTyped().IsMatch(value) ? value : JsonSerializer.Serialize(value, QuotedString);

    private static readonly JsonSerializerOptions QuotedString = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Mask(string text, List<(string Value, string Mask)> masks)
    {
        foreach (var (value, mask) in masks)
            text = text.Replace(value, mask, StringComparison.Ordinal);
        return text;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./][A-Za-z0-9_./:@=+,()\-]*( [A-Za-z0-9_./:@=+,()\-]+)*$")]
    private static partial Regex PlainSafe();

    [GeneratedRegex(@"^([-+]?[0-9._]+([eE][-+]?[0-9]+)?|0[xXoObB][0-9a-fA-F_]+|~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|\.inf|\.nan)$")]
    private static partial Regex LooksTyped();
}
