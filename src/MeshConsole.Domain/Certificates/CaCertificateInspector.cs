using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MeshConsole.Domain.Validation;

namespace MeshConsole.Domain.Certificates;

public static class CaCertificateInspector
{
    public const int MaxFileBytes = 64 * 1024;
    public const int ExpiryWarningDays = 30;

    private const int MaxLabelLength = 64;
    private static readonly string[] CertificateLabels = ["CERTIFICATE", "X509 CERTIFICATE", "X.509 CERTIFICATE"];

    /// <summary>Never throws for any input and never puts certificate or key material into issue arguments.</summary>
    public static CaCertificateInspection Inspect(ReadOnlySpan<byte> file, DateTimeOffset now)
    {
        if (file.Length > MaxFileBytes) return Rejected(Error("CaCert.TooLarge", file.Length, MaxFileBytes));
        if (file.Trim(" \t\r\n\f\v"u8).IsEmpty) return Rejected(Error("CaCert.Empty"));
        if (ContainsPrivateKeyMarker(file)) return Rejected(Error("CaCert.PrivateKey"));

        var issues = new List<ValidationIssue>();
        var certificates = new List<X509Certificate2>();
        var indexes = new List<int>();
        try
        {
            if (file.IndexOf("-----BEGIN"u8) >= 0)
            {
                ReadPemCertificates(file, certificates, indexes, issues);
                if (certificates.Count == 0 && issues.Count == 0) return Rejected(Error("CaCert.NotACertificate"));
            }
            else if (TryLoad(file) is { } certificate)
            {
                certificates.Add(certificate);
                indexes.Add(1);
            }
            else
            {
                return Rejected(Error("CaCert.NotACertificate"));
            }

            var summaries = certificates.Select((certificate, i) => Summarize(indexes[i], certificate)).ToList();
            foreach (var summary in summaries) AddValidityIssues(summary, now, issues);
            return new(summaries, issues, certificates.Count == 0 ? null : ToPem(certificates));
        }
        finally
        {
            foreach (var certificate in certificates) certificate.Dispose();
        }
    }

    private static void ReadPemCertificates(
        ReadOnlySpan<byte> file, List<X509Certificate2> certificates, List<int> indexes, List<ValidationIssue> issues)
    {
        var blockIndex = 0;
        var position = 0;
        while (position < file.Length)
        {
            var found = file[position..].IndexOf("-----BEGIN "u8);
            if (found < 0) break;
            var labelStart = position + found + "-----BEGIN ".Length;
            var label = ReadLabel(file[labelStart..], out var labelLength, out var closed);
            var contentStart = labelStart + labelLength + (closed ? "-----".Length : 0);
            var contentLength = file[contentStart..].IndexOf("-----"u8);
            var contentEnd = contentLength < 0 ? file.Length : contentStart + contentLength;

            var endMarker = Encoding.ASCII.GetBytes($"-----END {label}-----");
            var terminated = closed && file[contentEnd..].StartsWith(endMarker);
            position = terminated ? contentEnd + endMarker.Length : Math.Max(contentEnd, labelStart);

            var isCertificateBlock = CertificateLabels.Contains(label) || (!closed && label.StartsWith("CERTIFICATE", StringComparison.Ordinal));
            if (!isCertificateBlock) continue;

            blockIndex++;
            var certificate = terminated ? TryDecodeAndLoad(file[contentStart..contentEnd]) : null;
            if (certificate is null)
            {
                issues.Add(Error("CaCert.BlockUnreadable", blockIndex));
                continue;
            }
            certificates.Add(certificate);
            indexes.Add(blockIndex);
        }
    }

    /// <summary>Reads a PEM label up to its closing "-----" or the end of the line; labels are not secret.</summary>
    private static string ReadLabel(ReadOnlySpan<byte> afterKeyword, out int length, out bool closed)
    {
        var limit = Math.Min(afterKeyword.Length, MaxLabelLength + "-----".Length);
        for (length = 0; length < limit; length++)
        {
            if (afterKeyword[length..].StartsWith("-----"u8)) { closed = true; return Ascii(afterKeyword[..length]); }
            if (afterKeyword[length] is (byte)'\r' or (byte)'\n') break;
        }
        closed = false;
        return Ascii(afterKeyword[..length]);
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
        return new string(chars);
    }

    private static bool ContainsPrivateKeyMarker(ReadOnlySpan<byte> file)
    {
        var position = 0;
        while (position < file.Length)
        {
            var found = file[position..].IndexOf("-----"u8);
            if (found < 0) return false;
            var keywordStart = position + found + "-----".Length;
            var rest = file[keywordStart..];
            var keywordLength = rest.StartsWith("BEGIN "u8) ? "BEGIN ".Length : rest.StartsWith("END "u8) ? "END ".Length : 0;
            if (keywordLength > 0)
            {
                var label = ReadLabel(rest[keywordLength..], out _, out _);
                if (label.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase)) return true;
            }
            position = keywordStart;
        }
        return false;
    }

    private static X509Certificate2? TryDecodeAndLoad(ReadOnlySpan<byte> base64WithWhitespace)
    {
        var base64 = new byte[base64WithWhitespace.Length];
        var der = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        try
        {
            var length = 0;
            foreach (var b in base64WithWhitespace)
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f' or (byte)'\v'))
                    base64[length++] = b;

            var status = Base64.DecodeFromUtf8(base64.AsSpan(0, length), der, out _, out var written);
            return status == System.Buffers.OperationStatus.Done && written > 0 ? TryLoad(der.AsSpan(0, written)) : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(base64);
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static X509Certificate2? TryLoad(ReadOnlySpan<byte> der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static CertificateSummary Summarize(int index, X509Certificate2 certificate) => new(
        index,
        certificate.Subject,
        certificate.Issuer,
        certificate.SerialNumber,
        new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
        new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority ?? false,
        string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(pair => new string(pair))),
        IsSelfSigned(certificate));

    // Self-issued (subject == issuer) and, when both key identifiers are present, signed by its own key.
    // The signature itself is not verified: that needs chain building, which may touch the system store.
    private static bool IsSelfSigned(X509Certificate2 certificate)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)) return false;
        try
        {
            var subjectKeyId = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
            var authorityKeyId = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault();
            if (subjectKeyId is null || authorityKeyId?.KeyIdentifier is not { } authorityKey) return true;
            return authorityKey.Span.SequenceEqual(subjectKeyId.SubjectKeyIdentifierBytes.Span);
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    private static void AddValidityIssues(CertificateSummary summary, DateTimeOffset now, List<ValidationIssue> issues)
    {
        if (now > summary.NotAfter)
            issues.Add(Error("CaCert.Expired", summary.Index, IsoDate(summary.NotAfter)));
        if (now < summary.NotBefore)
            issues.Add(Error("CaCert.NotYetValid", summary.Index, IsoDate(summary.NotBefore)));
        if (!summary.IsCertificateAuthority)
            issues.Add(Warning("CaCert.NotCa", summary.Index));
        var remaining = summary.NotAfter - now;
        if (remaining >= TimeSpan.Zero && remaining <= TimeSpan.FromDays(ExpiryWarningDays))
            issues.Add(Warning("CaCert.ExpiresSoon", summary.Index, (int)Math.Floor(remaining.TotalDays)));
    }

    private static string IsoDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string ToPem(IEnumerable<X509Certificate2> certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
            pem.Append(PemEncoding.Write("CERTIFICATE", certificate.RawData)).Append('\n');
        return pem.ToString();
    }

    private static CaCertificateInspection Rejected(ValidationIssue issue) => new([], [issue], null);

    private static ValidationIssue Error(string code, params object[] args) =>
        ValidationIssue.Error(WizardField.CaCertificate, code, args);

    private static ValidationIssue Warning(string code, params object[] args) =>
        ValidationIssue.Warning(WizardField.CaCertificate, code, args);
}
