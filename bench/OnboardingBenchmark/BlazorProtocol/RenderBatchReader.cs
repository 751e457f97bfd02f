using System.Buffers.Binary;
using System.Text;

namespace OnboardingBenchmark.BlazorProtocol;

// Values of Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrameType and RenderTreeEditType (.NET 10).
public enum FrameType { None, Element, Text, Attribute, Component, Region, ElementReferenceCapture, ComponentReferenceCapture, Markup, ComponentRenderMode, NamedEvent }

public enum EditType { PrependFrame = 1, RemoveFrame, SetAttribute, RemoveAttribute, UpdateText, StepIn, StepOut, UpdateMarkup, PermutationListEntry, PermutationListEnd }

/// <summary>One frame: <see cref="Name"/> is the element or attribute name, <see cref="Value"/> the attribute value,
/// text, markup or element reference id.</summary>
public readonly record struct Frame(FrameType Type, int SubtreeLength, int ComponentId, string? Name, string? Value, ulong EventHandlerId);

/// <summary>One edit; for a PermutationListEntry <see cref="ReferenceFrameIndex"/> is the move-to sibling index
/// (RenderTreeEdit keeps MoveToSiblingIndex at the same offset).</summary>
public readonly record struct Edit(EditType Type, int SiblingIndex, int ReferenceFrameIndex, string? RemovedAttributeName);

public sealed record ComponentDiff(int ComponentId, Edit[] Edits);

public sealed record RenderBatch(ComponentDiff[] UpdatedComponents, Frame[] ReferenceFrames, int[] DisposedComponentIds, ulong[] DisposedEventHandlerIds);

/// <summary>
/// Reads the bytes of a <c>JS.RenderBatch</c> message as RenderBatchWriter (Microsoft.AspNetCore.Components.Server,
/// .NET 10) writes them: the four sections, then a string table, then five int32 offsets at the very end
/// (updated components, reference frames, disposed component ids, disposed event handler ids, string table).
/// Every frame is 20 bytes (int32 type + 16 bytes of fields), every edit 16 bytes; strings are indexes into the
/// table (-1 = null), each table entry a BinaryWriter string (7-bit encoded length, UTF-8).
/// </summary>
public static class RenderBatchReader
{
    private const int FrameSize = 20;
    private const int EditSize = 16;

    public static RenderBatch Read(byte[] data)
    {
        var span = data.AsSpan();
        var end = data.Length - 5 * 4;
        var updatedComponentsAt = Int(span, end);
        var referenceFramesAt = Int(span, end + 4);
        var disposedComponentsAt = Int(span, end + 8);
        var disposedHandlersAt = Int(span, end + 12);
        var stringTableAt = Int(span, end + 16);
        var strings = new StringTable(data, stringTableAt, (end - stringTableAt) / 4);

        // Updated components: count, then that many offsets of the diffs (component id, edit count, edits).
        var diffCount = Int(span, updatedComponentsAt);
        var diffs = new ComponentDiff[diffCount];
        for (var i = 0; i < diffCount; i++)
        {
            var at = Int(span, updatedComponentsAt + 4 + 4 * i);
            var componentId = Int(span, at);
            var edits = new Edit[Int(span, at + 4)];
            for (var e = 0; e < edits.Length; e++)
            {
                var edit = at + 8 + e * EditSize;
                edits[e] = new Edit((EditType)Int(span, edit), Int(span, edit + 4), Int(span, edit + 8), strings[Int(span, edit + 12)]);
            }
            diffs[i] = new ComponentDiff(componentId, edits);
        }

        var frames = new Frame[Int(span, referenceFramesAt)];
        for (var i = 0; i < frames.Length; i++)
            frames[i] = ReadFrame(span, referenceFramesAt + 4 + i * FrameSize, strings);

        var disposedComponents = new int[Int(span, disposedComponentsAt)];
        for (var i = 0; i < disposedComponents.Length; i++) disposedComponents[i] = Int(span, disposedComponentsAt + 4 + 4 * i);
        var disposedHandlers = new ulong[Int(span, disposedHandlersAt)];
        for (var i = 0; i < disposedHandlers.Length; i++)
            disposedHandlers[i] = BinaryPrimitives.ReadUInt64LittleEndian(span[(disposedHandlersAt + 4 + 8 * i)..]);

        return new RenderBatch(diffs, frames, disposedComponents, disposedHandlers);
    }

    private static Frame ReadFrame(ReadOnlySpan<byte> span, int at, StringTable strings)
    {
        var type = (FrameType)Int(span, at);
        return type switch
        {
            FrameType.Attribute => new Frame(type, 0, 0, strings[Int(span, at + 4)], strings[Int(span, at + 8)],
                BinaryPrimitives.ReadUInt64LittleEndian(span[(at + 12)..])),
            FrameType.Component => new Frame(type, Int(span, at + 4), Int(span, at + 8), null, null, 0),
            FrameType.Element => new Frame(type, Int(span, at + 4), 0, strings[Int(span, at + 8)], null, 0),
            FrameType.Region => new Frame(type, Int(span, at + 4), 0, null, null, 0),
            FrameType.Text or FrameType.Markup or FrameType.ElementReferenceCapture => new Frame(type, 0, 0, null, strings[Int(span, at + 4)], 0),
            FrameType.ComponentReferenceCapture or FrameType.ComponentRenderMode or FrameType.NamedEvent => new Frame(type, 0, 0, null, null, 0),
            _ => throw new InvalidDataException($"unsupported frame type {(int)type} at byte {at}"),
        };
    }

    private static int Int(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadInt32LittleEndian(span[at..]);

    /// <summary>Strings decoded on first use: most batches refer to a few of them many times.</summary>
    private sealed class StringTable(byte[] data, int indexAt, int count)
    {
        private readonly string?[] _decoded = new string?[count];

        public string? this[int index]
        {
            get
            {
                if (index < 0) return null;
                if (index >= count) throw new InvalidDataException($"string {index} of {count}");
                return _decoded[index] ??= Decode(BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(indexAt + 4 * index)));
            }
        }

        // BinaryWriter.Write(string): the UTF-8 byte count as a 7-bit encoded integer, then the bytes.
        private string Decode(int at)
        {
            var (length, shift) = (0, 0);
            byte b;
            do
            {
                b = data[at++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return Encoding.UTF8.GetString(data, at, length);
        }
    }
}
