using System.Text.Json.Nodes;
using KubeEmulator.Discovery;
using KubeEmulator.Errors;
using KubeEmulator.Json;
using KubeEmulator.Storage;
using Microsoft.AspNetCore.Http;

namespace KubeEmulator.Routing;

/// <summary>
/// The HTTP side of resource requests: resolves the resource and verb, checks <see cref="AccessRules"/>, reads
/// query options and bodies, and hands off to <see cref="ObjectOperations"/>.
/// </summary>
internal sealed class ResourceEndpoints(EmulatorStore store, AccessRules access)
{
    private const string ApplyPatchType = "application/apply-patch+yaml";

    private static readonly Dictionary<string, PatchFormat> PatchTypes = new(StringComparer.Ordinal)
    {
        ["application/merge-patch+json"] = PatchFormat.Merge,
        ["application/json-patch+json"] = PatchFormat.Json,
        ["application/strategic-merge-patch+json"] = PatchFormat.Strategic,
    };

    private readonly ObjectOperations _operations = new(store);

    public async Task HandleAsync(HttpContext context, ApiPath.Resource path)
    {
        var type = store.Catalog.Find(path.Group, path.Version, path.Plural);
        if (type is null || path.Subresource is not null || (!type.Namespaced && path.Namespace is not null)
            || (type.Namespaced && path.Namespace is null && path.Name is not null))
        {
            // Unknown group/version/resource, or a subresource: the emulator serves none (not even /status).
            throw ApiException.ResourceNotServed();
        }

        var request = context.Request;
        var verb = Verb(request, path);
        Authorize(verb, type, path);
        if (verb != "watch" && !type.Verbs.Contains(verb))
        {
            throw ApiException.MethodNotAllowed();
        }

        if (type.Is("authorization.k8s.io", "selfsubjectaccessreviews"))
        {
            await HttpJson.WriteAsync(context, 201, AccessReview(await ReadObjectAsync(request)));
            return;
        }

        if (type.Is("authorization.k8s.io", "selfsubjectrulesreviews"))
        {
            await HttpJson.WriteAsync(context, 201, RulesReview(await ReadObjectAsync(request)));
            return;
        }

        switch (verb)
        {
            case "get":
                await HttpJson.WriteAsync(context, 200, _operations.Get(type, path.Version, path.Namespace, path.Name!));
                break;

            case "list":
                await HttpJson.WriteAsync(context, 200, _operations.List(type, path.Version, path.Namespace,
                    LabelSelector.Parse(request.Query["labelSelector"]), FieldSelector.Parse(request.Query["fieldSelector"]),
                    ListChunk.Parse(request.Query["limit"], request.Query["continue"]),
                    ReadVersion.Parse(request.Query["resourceVersion"], request.Query["resourceVersionMatch"], !string.IsNullOrEmpty(request.Query["continue"]))));
                break;

            case "watch":
                await new WatchEndpoint(store).HandleAsync(context, type, path.Version, path.Namespace);
                break;

            case "create":
            {
                if (type.Namespaced && path.Namespace is null)
                {
                    throw ApiException.MethodNotAllowed();
                }

                RequireJsonBody(request);
                var options = WriteOptionsFor(request, "CreateOptions");
                var validation = FieldValidation.Begin(request.Query["fieldValidation"]);
                var result = _operations.Create(type, path.Version, path.Namespace, await ReadObjectAsync(request), options);
                await WriteWithWarningsAsync(context, result, validation);
                break;
            }

            case "update":
            {
                RequireJsonBody(request);
                var options = WriteOptionsFor(request, "UpdateOptions");
                var validation = FieldValidation.Begin(request.Query["fieldValidation"]);
                var result = _operations.Replace(type, path.Version, path.Namespace, path.Name!, await ReadObjectAsync(request), options);
                await WriteWithWarningsAsync(context, result, validation);
                break;
            }

            case "patch":
                await PatchAsync(context, type, path);
                break;

            case "delete":
            {
                var body = await HttpJson.ReadBodyAsync(request) as JsonObject;
                // DeleteOptions may come as query parameters too (?propagationPolicy=Foreground, as curl users send it).
                if (request.Query["propagationPolicy"] is { Count: > 0 } policy && body?["propagationPolicy"] is null)
                {
                    body ??= new JsonObject();
                    body["propagationPolicy"] = policy.ToString();
                }

                var dryRun = DryRun(request, "DeleteOptions") || BodyDryRun(body);
                var result = _operations.Delete(type, path.Version, path.Namespace, path.Name!, body, dryRun);
                await HttpJson.WriteAsync(context, result.StatusCode, result.Body);
                break;
            }

            case "deletecollection":
            {
                var body = await HttpJson.ReadBodyAsync(request) as JsonObject;
                var dryRun = DryRun(request, "DeleteOptions") || BodyDryRun(body);
                var result = _operations.DeleteCollection(type, path.Version, path.Namespace,
                    LabelSelector.Parse(request.Query["labelSelector"]), FieldSelector.Parse(request.Query["fieldSelector"]), dryRun);
                await HttpJson.WriteAsync(context, result.StatusCode, result.Body);
                break;
            }

            default:
                throw ApiException.MethodNotAllowed();
        }
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, ApiPath.Resource path)
    {
        var request = context.Request;
        var mediaType = HttpJson.MediaType(request);
        var isApply = mediaType == ApplyPatchType;
        if (!isApply && (mediaType is null || !PatchTypes.ContainsKey(mediaType) || (type.IsCustom && PatchTypes[mediaType] == PatchFormat.Strategic)))
        {
            var accepted = type.IsCustom
                ? new[] { "application/json-patch+json", "application/merge-patch+json", ApplyPatchType }
                : new[] { "application/json-patch+json", "application/merge-patch+json", ApplyPatchType, "application/strategic-merge-patch+json" };
            throw ApiException.UnsupportedMediaType(mediaType ?? string.Empty, accepted);
        }

        // PatchOptions validation, as in k8s.io/apimachinery/pkg/apis/meta/v1/validation.ValidatePatchOptions.
        var fieldManager = request.Query["fieldManager"].ToString();
        var forceText = request.Query["force"].ToString();
        var errors = new List<FieldError>();
        if (isApply && string.IsNullOrEmpty(fieldManager))
        {
            errors.Add(FieldError.Required("fieldManager", "is required for apply patch"));
        }

        if (!isApply && forceText.Length > 0)
        {
            errors.Add(FieldError.Forbidden("force", "may not be specified for non-apply patch"));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid("meta.k8s.io", "PatchOptions", string.Empty, errors);
        }

        var options = WriteOptionsFor(request, "PatchOptions");
        var validation = FieldValidation.Begin(request.Query["fieldValidation"]);
        OperationResult result;
        if (isApply)
        {
            var body = await HttpJson.ReadBodyAsync(request, notJson: _ => ApiException.UnsupportedMediaType(ApplyPatchType, [
                "JSON documents (the Kubernetes API emulator accepts application/apply-patch+yaml bodies only in their JSON form; JSON is valid YAML)",
            ]));
            if (body is not JsonObject config)
            {
                throw ApiException.BadRequest("the apply patch must be a JSON object");
            }

            var force = bool.TryParse(forceText, out var parsed) && parsed;
            // An apply that creates the object is authorized as create as well as patch (kube-apiserver's patch handler
            // re-checks the create verb when the object does not exist yet).
            bool exists;
            lock (store.Gate)
            {
                exists = store.Read(type, path.Namespace, path.Name!) is not null;
            }

            if (!exists)
            {
                Authorize("create", type, path);
            }

            result = _operations.Apply(type, path.Version, path.Namespace, path.Name!, config, options, force);
        }
        else
        {
            var patch = await HttpJson.ReadBodyAsync(request) ?? throw ApiException.BadRequest("the patch body is empty");
            result = _operations.Patch(type, path.Version, path.Namespace, path.Name!, PatchTypes[mediaType!], patch, options);
        }

        await WriteWithWarningsAsync(context, result, validation);
    }

    /// <summary>One <c>Warning: 299 - "…"</c> header per unknown field (RFC 7234 warn-code 299, as kube-apiserver sends).</summary>
    private static async Task WriteWithWarningsAsync(HttpContext context, OperationResult result, FieldValidation validation)
    {
        foreach (var warning in validation.Warnings.Distinct(StringComparer.Ordinal))
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        await HttpJson.WriteAsync(context, result.StatusCode, result.Body);
    }

    private static string Verb(HttpRequest request, ApiPath.Resource path)
    {
        var hasName = path.Name is not null;
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            var watch = request.Query["watch"].ToString();
            return hasName ? "get" : watch is "true" or "1" ? "watch" : "list";
        }

        if (HttpMethods.IsPost(method) && !hasName)
        {
            return "create";
        }

        if (HttpMethods.IsPut(method) && hasName)
        {
            return "update";
        }

        if (HttpMethods.IsPatch(method) && hasName)
        {
            return "patch";
        }

        if (HttpMethods.IsDelete(method))
        {
            return hasName ? "delete" : "deletecollection";
        }

        throw ApiException.MethodNotAllowed();
    }

    private void Authorize(string verb, ResourceType type, ApiPath.Resource path)
    {
        if (!access.IsAllowed(verb, type.Group, type.Plural, path.Subresource, path.Namespace, path.Name))
        {
            var named = verb is "get" or "update" or "patch" or "delete" ? path.Name : null;
            throw ApiException.Forbidden(type.Group, type.Plural, named,
                AccessRules.ForbiddenReason(verb, type.Group, type.Plural, path.Subresource, path.Namespace));
        }
    }

    /// <summary>SelfSubjectAccessReview: answers spec.resourceAttributes from the access rules.</summary>
    private JsonObject AccessReview(JsonObject review)
    {
        var spec = JsonTools.GetObject(review, "spec") ?? new JsonObject();
        var attributes = JsonTools.GetObject(spec, "resourceAttributes");
        var allowed = attributes is null || access.IsAllowed(
            JsonTools.GetString(attributes, "verb") ?? string.Empty,
            JsonTools.GetString(attributes, "group") ?? string.Empty,
            JsonTools.GetString(attributes, "resource") ?? string.Empty,
            JsonTools.GetString(attributes, "subresource"),
            JsonTools.GetString(attributes, "namespace") is { Length: > 0 } ns ? ns : null,
            JsonTools.GetString(attributes, "name") is { Length: > 0 } name ? name : null);
        return new JsonObject
        {
            ["kind"] = "SelfSubjectAccessReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject
            {
                ["allowed"] = allowed,
                ["reason"] = allowed ? "allowed by emulator access rules" : "denied by emulator access rules",
            },
        };
    }

    /// <summary>
    /// SelfSubjectRulesReview (authorization.k8s.io/v1): what the user may do in spec.namespace, as
    /// <c>kubectl auth can-i --list</c> asks. spec.namespace is required (422 otherwise), as in kube-apiserver.
    /// </summary>
    private JsonObject RulesReview(JsonObject review)
    {
        var spec = JsonTools.GetObject(review, "spec") ?? new JsonObject();
        var ns = JsonTools.GetString(spec, "namespace");
        if (string.IsNullOrEmpty(ns))
        {
            throw ApiException.Invalid("authorization.k8s.io", "SelfSubjectRulesReview", string.Empty,
                [new FieldError("FieldValueRequired", "spec.namespace", "Required value")]);
        }

        var types = store.Catalog.All().Select(t => (t.Group, t.Plural, t.Namespaced, (IReadOnlyList<string>)t.Verbs.ToList())).ToList();
        return new JsonObject
        {
            ["kind"] = "SelfSubjectRulesReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = access.RulesReview(ns, types),
        };
    }

    private static WriteOptions WriteOptionsFor(HttpRequest request, string optionsKind)
    {
        var dryRun = DryRun(request, optionsKind);
        var fieldManager = request.Query["fieldManager"].ToString();
        if (string.IsNullOrEmpty(fieldManager))
        {
            // kube-apiserver's default: the User-Agent up to the first '/', e.g. "kubernetes-csharp" or "kubectl".
            var userAgent = request.Headers.UserAgent.ToString();
            fieldManager = userAgent.Length == 0 ? "unknown" : userAgent.Split('/')[0];
        }

        if (fieldManager.Length > 128)
        {
            throw ApiException.Invalid("meta.k8s.io", optionsKind, string.Empty,
                [new FieldError("FieldValueTooLong", "fieldManager", "Too long: may not be more than 128 bytes")]);
        }

        return new WriteOptions(dryRun, fieldManager);
    }

    /// <summary>?dryRun=All (the only supported value, as in kube-apiserver).</summary>
    private static bool DryRun(HttpRequest request, string optionsKind)
    {
        var values = request.Query["dryRun"];
        foreach (var value in values)
        {
            if (value != "All")
            {
                throw ApiException.Invalid("meta.k8s.io", optionsKind, string.Empty,
                    [FieldError.NotSupported("dryRun", value ?? string.Empty, ["All"])]);
            }
        }

        return values.Count > 0;
    }

    private static bool BodyDryRun(JsonObject? deleteOptions) =>
        deleteOptions?["dryRun"] is JsonArray values && values.Any(v => v?.GetValue<string>() == "All");

    private static void RequireJsonBody(HttpRequest request)
    {
        var mediaType = HttpJson.MediaType(request);
        if (mediaType is not (null or "application/json" or "*/*"))
        {
            throw ApiException.UnsupportedMediaType(mediaType, ["application/json"]);
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request) =>
        await HttpJson.ReadBodyAsync(request) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
}
