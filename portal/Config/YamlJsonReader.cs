using System.Text.Json.Nodes;
using MeshPortal.Shared.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshPortal.Portal.Config;

/// <summary>Why a YAML text was refused, and where.</summary>
public sealed class YamlInputException(long line, long column, string reason) : Exception(reason)
{
    public long Line { get; } = line;
    public long Column { get; } = column;
}

/// <summary>
/// Reads one YAML document into JSON nodes from YamlDotNet's event stream, without recursion and
/// with limits checked as each event arrives, so no input can exhaust the stack or the memory:
/// depth and node count are bounded, anchors and aliases (which multiply a small text into a huge
/// tree) are refused, as are complex or duplicate keys, tags and a second document.
/// </summary>
public static class YamlJsonReader
{
    /// <summary>A config is 8 levels deep; 32 leaves room for mistakes to be reported as such.</summary>
    public const int MaxDepth = 32;

    public const int MaxNodes = 200_000;

    private const string StringTag = "tag:yaml.org,2002:str";

    private sealed class Frame(JsonNode container, int id)
    {
        public JsonNode Container { get; } = container;
        public int Id { get; } = id;
        public string? PendingKey { get; set; }
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The document as JSON (null for an empty text) with the line of every node.</summary>
    /// <exception cref="YamlInputException">the text is not YAML or breaks a limit.</exception>
    public static (JsonNode? Json, YamlLineMap Lines) Read(string yaml)
    {
        var lines = new YamlLineMap();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return (null, lines);
            }

            parser.Consume<DocumentStart>();
            var json = ReadDocument(parser, lines);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                throw Refuse(second, "only one YAML document is allowed; remove the second '---' and what follows");
            }

            parser.Consume<StreamEnd>();
            return (json, lines);
        }
        catch (YamlException ex)
        {
            // YamlDotNet prefixes its message with both marks; the line and column are reported apart.
            var message = ex.Message;
            var marks = message.IndexOf("): ", StringComparison.Ordinal);
            throw new YamlInputException(ex.Start.Line, ex.Start.Column, marks < 0 ? message : message[(marks + 3)..]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail on some broken inputs with an internal state error
            // instead of a YamlException (found by the fuzz run); it is still the text's fault.
            var after = parser.Current?.End ?? Mark.Empty;
            throw new YamlInputException(after.Line, after.Column, "the YAML could not be read after this point");
        }
    }

    private static JsonNode? ReadDocument(Parser parser, YamlLineMap lines)
    {
        var stack = new Stack<Frame>();
        JsonNode? root = null;
        var nodes = 0;
        do
        {
            var e = parser.Consume<ParsingEvent>();
            if (++nodes > MaxNodes)
            {
                throw Refuse(e, $"the document has more than {MaxNodes} nodes");
            }

            switch (e)
            {
                case AnchorAlias alias:
                    throw Refuse(alias, $"aliases (*{alias.Value}) are not supported; write the value out");
                case NodeEvent { Anchor.IsEmpty: false } anchored:
                    throw Refuse(anchored, $"anchors (&{anchored.Anchor}) are not supported; write the value out");
                case Scalar scalar when stack.TryPeek(out var map) && map.Container is JsonObject && map.PendingKey is null:
                    map.PendingKey = Key(scalar, map);
                    break;
                case Scalar scalar:
                    Attach(stack, ref root, lines, Value(scalar), scalar);
                    break;
                case MappingStart or SequenceStart:
                    var start = (NodeEvent)e;
                    if (stack.TryPeek(out var parent) && parent.Container is JsonObject && parent.PendingKey is null)
                    {
                        throw Refuse(e, "a mapping key must be a plain value, not a list or a mapping");
                    }

                    if (stack.Count >= MaxDepth)
                    {
                        throw Refuse(e, $"nested more than {MaxDepth} levels deep");
                    }

                    RefuseTag(start, start.Tag);
                    JsonNode container = e is MappingStart ? new JsonObject() : new JsonArray();
                    var id = Attach(stack, ref root, lines, container, e);
                    stack.Push(new Frame(container, id));
                    break;
                case MappingEnd or SequenceEnd:
                    stack.Pop();
                    break;
                default:
                    throw Refuse(e, $"unexpected {e.GetType().Name}");
            }
        }
        while (stack.Count > 0);

        return root;
    }

    private static string Key(Scalar scalar, Frame map)
    {
        RefuseTag(scalar, scalar.Tag);
        RefuseControl(scalar);
        if (!map.Keys.Add(scalar.Value))
        {
            throw Refuse(scalar, $"the key '{scalar.Value}' appears twice in the same mapping");
        }

        return scalar.Value;
    }

    private static int Attach(Stack<Frame> stack, ref JsonNode? root, YamlLineMap lines, JsonNode? node, ParsingEvent at)
    {
        var line = (int)at.Start.Line;
        if (!stack.TryPeek(out var parent))
        {
            root = node;
            lines.RootLine = line;
            return YamlLineMap.Root;
        }

        if (parent.Container is JsonArray array)
        {
            array.Add(node);
            return lines.Add(parent.Id, null, array.Count - 1, line);
        }

        var key = parent.PendingKey!;
        parent.PendingKey = null;
        parent.Container.AsObject()[key] = node;
        return lines.Add(parent.Id, key, -1, line);
    }

    private static JsonNode? Value(Scalar scalar)
    {
        RefuseControl(scalar);
        if (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific)
        {
            if (scalar.Style is not ScalarStyle.Plain)
            {
                return JsonValue.Create(scalar.Value);
            }

            return YamlScalars.TryPlain(scalar.Value, out var value)
                ? value
                : throw Refuse(scalar, $"the number {scalar.Value} is out of range");
        }

        RefuseTag(scalar, scalar.Tag);
        return JsonValue.Create(scalar.Value);
    }

    private static void RefuseTag(ParsingEvent e, TagName tag)
    {
        if (!tag.IsEmpty && !tag.IsNonSpecific && tag.Value != StringTag)
        {
            throw Refuse(e, $"tags ({tag.Value}) are not supported");
        }
    }

    private static void RefuseControl(Scalar scalar)
    {
        if (TextRules.Problem(scalar.Value, allowTab: true) is { } problem)
        {
            throw Refuse(scalar, $"the value {problem}");
        }
    }

    private static YamlInputException Refuse(ParsingEvent e, string reason) => new(e.Start.Line, e.Start.Column, reason);
}
