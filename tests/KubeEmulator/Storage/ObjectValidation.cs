using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeEmulator.Discovery;
using KubeEmulator.Errors;
using KubeEmulator.Json;

namespace KubeEmulator.Storage;

/// <summary>
/// The validation kube-apiserver applies that the console can run into: object names, label values,
/// Secret and ConfigMap keys, Secret data encoding, TLS secrets and immutable Secret types.
/// Errors are collected and reported as one 422 Invalid Status, like the real server.
/// </summary>
internal static partial class ObjectValidation
{
    public const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private const string ConfigKeyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    /// <summary>Validates an object about to be written; <paramref name="existing"/> is null on create.</summary>
    /// <exception cref="ApiException">422 Invalid listing every problem found.</exception>
    public static void Validate(ResourceType type, JsonObject obj, JsonObject? existing)
    {
        var name = JsonTools.GetString(JsonTools.GetObject(obj, "metadata"), "name") ?? string.Empty;
        var errors = new List<FieldError>();
        if (type.IsCustom && JsonTools.GetString(obj, "apiVersion") is { } apiVersion
            && type.Schemas.TryGetValue(ResourceType.SplitApiVersion(apiVersion).Version, out var schema))
        {
            var outcome = StructuralSchema.PruneAndCheck(schema, obj);
            errors.AddRange(outcome.Errors);
            FieldValidation.ReportUnknown(outcome.UnknownFields);
        }
        errors.AddRange(ValidateName(type, name));
        errors.AddRange(ValidateLabels(obj));

        if (type.Is(string.Empty, "secrets"))
        {
            errors.AddRange(ValidateSecret(obj, existing));
            errors.AddRange(ValidateTotalSize(obj, base64: true));
        }
        else if (type.Is(string.Empty, "configmaps"))
        {
            errors.AddRange(ValidateKeys(obj, "data"));
            errors.AddRange(ValidateKeys(obj, "binaryData"));
            errors.AddRange(ValidateTotalSize(obj, base64: false));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type.Group, type.Kind, name, errors);
        }
    }

    public static IEnumerable<FieldError> ValidateName(ResourceType type, string name)
    {
        const string field = "metadata.name";
        if (name.Length == 0)
        {
            yield return FieldError.Required(field, "name or generateName is required");
            yield break;
        }

        var (regex, maxLength, message) = type.NameRule switch
        {
            NameRule.Dns1123Label => (Dns1123Label(), 63, Dns1123LabelMessage),
            NameRule.Dns1035Label => (Dns1035Label(), 63, Dns1035LabelMessage),
            _ => (Dns1123Subdomain(), 253, Dns1123SubdomainMessage),
        };
        if (name.Length > maxLength)
        {
            yield return FieldError.Invalid(field, name, $"must be no more than {maxLength} characters");
        }

        if (!regex.IsMatch(name))
        {
            yield return FieldError.Invalid(field, name, message);
        }
    }

    private static IEnumerable<FieldError> ValidateLabels(JsonObject obj)
    {
        var labels = JsonTools.GetObject(JsonTools.GetObject(obj, "metadata"), "labels");
        foreach (var (key, value) in labels ?? new JsonObject())
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                yield return FieldError.Invalid($"metadata.labels[{key}]", value?.ToJsonString() ?? "null", "label values must be strings");
                continue;
            }

            var text = v.GetValue<string>();
            if (text.Length > 63)
            {
                yield return FieldError.Invalid("metadata.labels", text, "must be no more than 63 characters");
            }

            if (!LabelValue().IsMatch(text))
            {
                yield return FieldError.Invalid("metadata.labels", text, LabelValueMessage);
            }
        }
    }

    private static IEnumerable<FieldError> ValidateKeys(JsonObject obj, string property)
    {
        foreach (var (key, _) in JsonTools.GetObject(obj, property) ?? new JsonObject())
        {
            if (!ConfigKey().IsMatch(key))
            {
                yield return FieldError.Invalid($"{property}[{key}]", key, ConfigKeyMessage);
            }
        }
    }

    /// <summary>
    /// Secret data values must be base64. (Real kube-apiserver rejects undecodable data while decoding the
    /// request, with 400 BadRequest; the emulator reports it as a 422 field error on data[key] instead.)
    /// </summary>
    private static IEnumerable<FieldError> ValidateSecret(JsonObject obj, JsonObject? existing)
    {
        foreach (var error in ValidateKeys(obj, "data"))
        {
            yield return error;
        }

        var data = JsonTools.GetObject(obj, "data");
        foreach (var (key, value) in data ?? new JsonObject())
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || !IsBase64(v.GetValue<string>()))
            {
                yield return FieldError.Invalid($"data[{key}]", "<secret contents redacted>",
                    "illegal base64 data: secret data values must be base64-encoded");
            }
        }

        var type = JsonTools.GetString(obj, "type") ?? "Opaque";
        if (type == "kubernetes.io/tls")
        {
            foreach (var required in new[] { "tls.crt", "tls.key" })
            {
                if (data is null || !data.ContainsKey(required))
                {
                    yield return FieldError.Required($"data[{required}]", string.Empty);
                }
            }
        }

        if (existing is not null && (JsonTools.GetString(existing, "type") ?? "Opaque") != type)
        {
            yield return FieldError.Invalid("type", type, "field is immutable");
        }
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    /// <summary>kube-apiserver's MaxSecretSize (1 MiB), for ConfigMaps and Secrets alike: keys plus values (Secret values decoded).</summary>
    public const int MaxDataBytes = 1024 * 1024;

    private static IEnumerable<FieldError> ValidateTotalSize(JsonObject obj, bool base64)
    {
        long total = 0;
        foreach (var field in new[] { "data", "binaryData" })
        {
            foreach (var (key, value) in JsonTools.GetObject(obj, field) ?? new JsonObject())
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var str) ? str : string.Empty;
                total += System.Text.Encoding.UTF8.GetByteCount(key);
                total += base64 || field == "binaryData" ? DecodedLength(text) : System.Text.Encoding.UTF8.GetByteCount(text);
            }
        }

        if (total > MaxDataBytes)
        {
            yield return new FieldError("FieldValueTooLong", "data", $"Too long: must have at most {MaxDataBytes} bytes");
        }
    }

    private static long DecodedLength(string base64) =>
        base64.Length / 4 * 3 - (base64.EndsWith("==", StringComparison.Ordinal) ? 2 : base64.EndsWith('=') ? 1 : 0);
}
