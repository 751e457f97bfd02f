using System.Collections;
using System.Text.Json.Nodes;

namespace KubeEmulator.ServerSideApply;

/// <summary>
/// An immutable set of <see cref="FieldPath"/>s with the FieldsV1 encoding used in metadata.managedFields:
/// <c>{"f:data":{"f:cacert.pem":{}}}</c>. A path that is itself a member and also has members below it is
/// written with a <c>".": {}</c> entry, as kube-apiserver does for list items.
/// </summary>
internal sealed class FieldSet : IEnumerable<FieldPath>
{
    public static readonly FieldSet Empty = new(new HashSet<FieldPath>());

    private readonly HashSet<FieldPath> _paths;

    private FieldSet(HashSet<FieldPath> paths) => _paths = paths;

    public static FieldSet Of(IEnumerable<FieldPath> paths) => new(new HashSet<FieldPath>(paths));

    public int Count => _paths.Count;

    public bool IsEmpty => _paths.Count == 0;

    public bool Contains(FieldPath path) => _paths.Contains(path);

    /// <summary>True when the set has <paramref name="path"/> or any path below it.</summary>
    public bool ContainsOrHasBelow(FieldPath path) => _paths.Any(p => p.StartsWith(path));

    public FieldSet Union(FieldSet other) => Of(_paths.Concat(other._paths));

    public FieldSet Except(FieldSet other) => Of(_paths.Where(p => !other.Contains(p)));

    public FieldSet Intersect(FieldSet other) => Of(_paths.Where(other.Contains));

    public bool SetEquals(FieldSet other) => _paths.SetEquals(other._paths);

    public IEnumerator<FieldPath> GetEnumerator() => _paths.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Sorted display form, handy in test failure messages.</summary>
    public override string ToString() => string.Join(", ", _paths.Select(p => p.ToString()).Order(StringComparer.Ordinal));

    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var path in _paths)
        {
            var node = root;
            foreach (var element in path.Elements)
            {
                node = node.Child(element);
            }

            node.IsMember = true;
        }

        return root.ToJson();
    }

    public static FieldSet FromFieldsV1(JsonObject? fieldsV1)
    {
        var paths = new HashSet<FieldPath>();
        if (fieldsV1 is not null)
        {
            Collect(fieldsV1, FieldPath.Root, paths);
        }

        return new FieldSet(paths);
    }

    private static void Collect(JsonObject node, FieldPath path, HashSet<FieldPath> into)
    {
        foreach (var (key, child) in node)
        {
            if (key == ".")
            {
                into.Add(path);
                continue;
            }

            var childPath = path.Append(key);
            if (child is JsonObject childObject && childObject.Count > 0)
            {
                Collect(childObject, childPath, into);
            }
            else
            {
                into.Add(childPath);
            }
        }
    }

    private sealed class Node
    {
        private readonly SortedDictionary<string, Node> _children = new(StringComparer.Ordinal);

        public bool IsMember { get; set; }

        public Node Child(string element)
        {
            if (!_children.TryGetValue(element, out var child))
            {
                child = new Node();
                _children[element] = child;
            }

            return child;
        }

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (IsMember && _children.Count > 0)
            {
                json["."] = new JsonObject();
            }

            foreach (var (element, child) in _children)
            {
                json[element] = child.ToJson();
            }

            return json;
        }
    }
}
