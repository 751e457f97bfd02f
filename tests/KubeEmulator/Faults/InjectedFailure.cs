using System.Text.Json.Nodes;
using KubeEmulator.Errors;

namespace KubeEmulator.Faults;

/// <summary>Turns a <see cref="FaultInjector.Fail"/> rule into the Status error kube-apiserver would send for that code.</summary>
internal static class InjectedFailure
{
    public static ApiException ToError(FaultInjector.FaultRule rule)
    {
        var (reason, message) = rule.StatusCode switch
        {
            400 => ("BadRequest", "injected fault: bad request"),
            401 => ("Unauthorized", "Unauthorized"),
            403 => ("Forbidden", "injected fault: forbidden"),
            404 => ("NotFound", "the server could not find the requested resource"),
            405 => ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
            409 => ("Conflict", "injected fault: conflict"),
            410 => ("Expired", "injected fault: the resource version is too old"),
            422 => ("Invalid", "injected fault: invalid"),
            429 => ("TooManyRequests", "Too many requests, please try again later."),
            500 => ("InternalError", "Internal error occurred: injected fault"),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => ("Timeout", "Timeout: request did not complete within requested timeout - context deadline exceeded"),
            _ => ("Unknown", $"injected fault: HTTP {rule.StatusCode}"),
        };

        var details = new JsonObject();
        // 429 (Timeout/TooManyRequests) and 504 (ServerTimeout): "The server should set the Retry-After HTTP header and
        // return retryAfterSeconds in the details field" (kubernetes/community api-conventions.md, "Response Status Kind");
        // kube-apiserver's 503s carry it too. Any other 5xx carries it when the rule names a wait.
        var retry = rule.StatusCode is 429 or 503 or 504 || (rule.StatusCode is >= 500 and <= 599 && rule.RetryAfterSeconds is not null);
        if (retry)
        {
            details["retryAfterSeconds"] = rule.RetryAfterSeconds ?? 1;
        }

        var error = new ApiException(rule.StatusCode, rule.Reason ?? reason, rule.Message ?? message, details);
        if (retry)
        {
            error.Headers["Retry-After"] = (rule.RetryAfterSeconds ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return error;
    }
}
