namespace OnboardingBenchmark.BlazorProtocol;

public enum NodeKind { Element, Text, Markup, Container }

/// <summary>
/// A node of the model: an element (name, attributes, event handlers by event name), a text, a markup block (kept as
/// a string, not parsed), or a logical container (the place of a component or a root component, as blazor.web.js's
/// "logical elements"). <see cref="ComponentId"/> is the component that rendered the node (for an element, the one
/// whose handlers it carries).
/// </summary>
public sealed class DomNode(NodeKind kind, int componentId, string? name = null)
{
    public NodeKind Kind { get; } = kind;
    public int ComponentId { get; } = componentId;
    public string? Name { get; } = name;
    public string? Text { get; set; }
    public DomNode? Parent { get; set; }
    public List<DomNode> Children { get; } = [];
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ulong> Handlers { get; } = new(StringComparer.Ordinal);

    public string? Attribute(string attributeName) => Attributes.GetValueOrDefault(attributeName);
}

/// <summary>
/// The document as the render batches build it, applied the way blazor.web.js's BrowserRenderer applies them
/// (applyEdits/insertFrame/insertFrameRange): edit sibling indexes count logical children, regions are flattened into
/// their parent, a component frame becomes an empty container that the component's own diffs fill, attribute frames
/// directly after an element frame are its attributes, and an attribute with an event handler id registers a handler
/// for the attribute name without "on". Not thread-safe: the owner serialises access.
/// </summary>
public sealed class DomModel
{
    private readonly Dictionary<int, DomNode> _components = [];
    private readonly List<DomNode> _roots = [];
    private readonly Dictionary<ulong, (DomNode Element, string EventName)> _handlers = [];
    private readonly Dictionary<string, DomNode> _byIdCache = new(StringComparer.Ordinal);

    public int BatchesApplied { get; private set; }

    /// <summary>RemoteRenderer.AttachRootComponentToBrowser sends JS.AttachComponent(componentId, selector) before
    /// the component's first diff; with blazor.web.js the selector is the SSR component id of a prerendered marker.</summary>
    public void AttachRootComponent(int componentId)
    {
        var container = new DomNode(NodeKind.Container, componentId);
        _roots.Add(container);
        _components[componentId] = container;
    }

    public void Apply(RenderBatch batch)
    {
        foreach (var diff in batch.UpdatedComponents)
        {
            if (!_components.TryGetValue(diff.ComponentId, out var container))
                throw new InvalidDataException($"no element is associated with component {diff.ComponentId}");
            ApplyEdits(batch, diff.ComponentId, container, diff.Edits);
        }
        foreach (var id in batch.DisposedComponentIds)
            if (_components.Remove(id, out var container))
                _roots.Remove(container);
        foreach (var handlerId in batch.DisposedEventHandlerIds)
            if (_handlers.Remove(handlerId, out var owner) && owner.Element.Handlers.GetValueOrDefault(owner.EventName) == handlerId)
                owner.Element.Handlers.Remove(owner.EventName);
        BatchesApplied++;
    }

    /// <summary>The element with that id attribute that is in the document now, or null.</summary>
    public DomNode? FindById(string id)
    {
        if (_byIdCache.TryGetValue(id, out var cached) && cached.Attribute("id") == id && IsAttached(cached)) return cached;
        _byIdCache.Remove(id);
        foreach (var root in _roots)
            if (Find(root, id) is { } found)
            {
                _byIdCache[id] = found;
                return found;
            }
        return null;
    }

    /// <summary>Every element in the document, in document order.</summary>
    public IEnumerable<DomNode> Elements()
    {
        var stack = new Stack<DomNode>(Enumerable.Reverse(_roots));
        while (stack.TryPop(out var node))
        {
            if (node.Kind == NodeKind.Element) yield return node;
            for (var i = node.Children.Count - 1; i >= 0; i--) stack.Push(node.Children[i]);
        }
    }

    private static DomNode? Find(DomNode node, string id)
    {
        if (node.Kind == NodeKind.Element && node.Attributes.TryGetValue("id", out var value) && value == id) return node;
        foreach (var child in node.Children)
            if (Find(child, id) is { } found) return found;
        return null;
    }

    private bool IsAttached(DomNode node)
    {
        while (node.Parent is { } parent) node = parent;
        return _roots.Contains(node);
    }

    private void ApplyEdits(RenderBatch batch, int componentId, DomNode container, Edit[] edits)
    {
        var frames = batch.ReferenceFrames;
        var parent = container;
        var depth = 0;
        var childIndexAtDepth = 0;
        List<(int From, int To)>? permutation = null;
        foreach (var edit in edits)
        {
            var index = childIndexAtDepth + edit.SiblingIndex;
            switch (edit.Type)
            {
                case EditType.PrependFrame:
                    InsertFrame(batch, componentId, parent, index, edit.ReferenceFrameIndex);
                    break;
                case EditType.RemoveFrame:
                    Remove(parent, index);
                    break;
                case EditType.SetAttribute:
                    ApplyAttribute(componentId, ElementAt(parent, index), frames[edit.ReferenceFrameIndex]);
                    break;
                case EditType.RemoveAttribute:
                {
                    var element = ElementAt(parent, index);
                    var name = edit.RemovedAttributeName!;
                    element.Attributes.Remove(name);
                    if (name.StartsWith("on", StringComparison.Ordinal)) element.Handlers.Remove(name[2..]);
                    break;
                }
                case EditType.UpdateText:
                    parent.Children[index].Text = frames[edit.ReferenceFrameIndex].Value;
                    break;
                case EditType.UpdateMarkup:
                    Remove(parent, index);
                    InsertFrame(batch, componentId, parent, index, edit.ReferenceFrameIndex);
                    break;
                case EditType.StepIn:
                    parent = parent.Children[index];
                    depth++;
                    childIndexAtDepth = 0;
                    break;
                case EditType.StepOut:
                    parent = parent.Parent ?? throw new InvalidDataException("StepOut above the component's root");
                    depth--;
                    childIndexAtDepth = 0; // the component's children start at 0 of its container at depth 0 too
                    break;
                case EditType.PermutationListEntry:
                    (permutation ??= []).Add((index, childIndexAtDepth + edit.ReferenceFrameIndex));
                    break;
                case EditType.PermutationListEnd:
                    if (permutation is not null)
                    {
                        var moved = permutation.Select(p => parent.Children[p.From]).ToArray();
                        for (var i = 0; i < moved.Length; i++) parent.Children[permutation[i].To] = moved[i];
                        permutation = null;
                    }
                    break;
                default:
                    throw new InvalidDataException($"unknown edit type {(int)edit.Type}");
            }
        }
        if (depth != 0) throw new InvalidDataException($"edits of component {componentId} end at depth {depth}");
    }

    private static DomNode ElementAt(DomNode parent, int index) =>
        parent.Children[index] is { Kind: NodeKind.Element } element ? element
            : throw new InvalidDataException($"child {index} of {parent.Name ?? parent.Kind.ToString()} is not an element");

    /// <summary>Inserts the frame at <paramref name="childIndex"/>; returns how many logical children that made
    /// (regions: their flattened children; reference captures and the like: none).</summary>
    private int InsertFrame(RenderBatch batch, int componentId, DomNode parent, int childIndex, int frameIndex)
    {
        var frame = batch.ReferenceFrames[frameIndex];
        switch (frame.Type)
        {
            case FrameType.Element:
            {
                var element = new DomNode(NodeKind.Element, componentId, frame.Name);
                Insert(parent, childIndex, element);
                var end = frameIndex + frame.SubtreeLength;
                for (var i = frameIndex + 1; i < end; i++)
                {
                    if (batch.ReferenceFrames[i].Type == FrameType.Attribute)
                    {
                        ApplyAttribute(componentId, element, batch.ReferenceFrames[i]);
                        continue;
                    }
                    InsertFrameRange(batch, componentId, element, 0, i, end);
                    break;
                }
                return 1;
            }
            case FrameType.Text:
                Insert(parent, childIndex, new DomNode(NodeKind.Text, componentId) { Text = frame.Value });
                return 1;
            case FrameType.Markup:
                Insert(parent, childIndex, new DomNode(NodeKind.Markup, componentId) { Text = frame.Value });
                return 1;
            case FrameType.Component:
            {
                var container = new DomNode(NodeKind.Container, frame.ComponentId);
                Insert(parent, childIndex, container);
                _components[frame.ComponentId] = container;
                return 1;
            }
            case FrameType.Region:
                return InsertFrameRange(batch, componentId, parent, childIndex, frameIndex + 1, frameIndex + frame.SubtreeLength);
            case FrameType.Attribute:
                throw new InvalidDataException("attribute frames belong directly after their element frame");
            default:
                return 0; // ElementReferenceCapture (an id blazor.web.js puts on the element), component captures, named events
        }
    }

    private int InsertFrameRange(RenderBatch batch, int componentId, DomNode parent, int childIndex, int start, int endExclusive)
    {
        var first = childIndex;
        for (var i = start; i < endExclusive; i++)
        {
            childIndex += InsertFrame(batch, componentId, parent, childIndex, i);
            var frame = batch.ReferenceFrames[i];
            if (frame.Type is FrameType.Element or FrameType.Component or FrameType.Region) i += frame.SubtreeLength - 1;
        }
        return childIndex - first;
    }

    private void ApplyAttribute(int componentId, DomNode element, Frame attribute)
    {
        var name = attribute.Name!;
        if (attribute.EventHandlerId != 0)
        {
            var eventName = name.StartsWith("on", StringComparison.Ordinal) ? name[2..] : name;
            element.Handlers[eventName] = attribute.EventHandlerId;
            _handlers[attribute.EventHandlerId] = (element, eventName);
            return;
        }
        // RenderBatchWriter: a bool attribute is "" when true and null when false; null removes the attribute.
        if (attribute.Value is null) element.Attributes.Remove(name);
        else element.Attributes[name] = attribute.Value;
    }

    private static void Insert(DomNode parent, int index, DomNode child)
    {
        child.Parent = parent;
        parent.Children.Insert(index, child);
    }

    private static void Remove(DomNode parent, int index)
    {
        parent.Children[index].Parent = null;
        parent.Children.RemoveAt(index);
    }
}
