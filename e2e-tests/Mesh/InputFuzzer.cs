using System.Globalization;
using System.Text;

namespace MeshPortal.E2ETests.Mesh;

/// <summary>One generated request: where it goes, what it carries and how it was made (for the failure message).</summary>
public sealed record FuzzInput(HttpMethod Method, string Path, string ContentType, string Body, string Kind);

/// <summary>
/// Generates hostile documents from a seed: deep, wide, aliased, unicode, NUL, huge numbers,
/// duplicate keys, and random mutations of real documents, for the YAML import and the JSON writes.
/// </summary>
public sealed class InputFuzzer(Random random, string configYaml, string routeJson, string serviceJson)
{
    private const string Yaml = "application/yaml";
    private const string Json = "application/json";

    private static readonly string[] Tokens =
    [
        "\0", "\u0001", "\u001b[31m", "\t", "\r\n", "\u2028", "\uFEFF", "🙂", "e\u0301", "\u202Eevil", "ünïcödé", "中文",
        "1e999", "-1e999", "99999999999999999999999", "-0", "NaN", "Infinity", "0x1F", "1_000", "\"5\"", "'5'",
        "&a", "*a", "!!binary", "!custom", "? ", ": ", "- ", "[", "]", "{", "}", ",", "#", "|", ">", "%YAML 1.2", "---", "...",
        "null", "~", "true", "\"\\0\"", "\"\\uD800\"", "\"\\x01\"", "\\u0000", "\\ud800", "\\udc00x",
    ];

    private static readonly (HttpMethod Method, string Path, int Body)[] JsonEndpoints =
    [
        (HttpMethod.Post, "/api/routes", 0), (HttpMethod.Put, "/api/routes/catalog", 0),
        (HttpMethod.Put, "/api/routes/catalog/split", 2), (HttpMethod.Put, "/api/routes/catalog/policies", 3),
        (HttpMethod.Post, "/api/services", 1), (HttpMethod.Put, "/api/services/catalog", 1),
        (HttpMethod.Post, "/api/services/catalog/instances", 4),
    ];

    public FuzzInput Next() => random.Next(10) switch
    {
        0 => YamlInput("deep", Deep(random.Next(2, 3000), random.Next(2) == 0)),
        1 => YamlInput("wide", Wide(random.Next(1, 20_000))),
        2 => YamlInput("aliases", Aliases(random.Next(1, 10), random.Next(1, 10))),
        3 => YamlInput("duplicate keys", DuplicateKeys()),
        4 or 5 => YamlInput("mutated config", Mutate(configYaml, random.Next(1, 6))),
        _ => JsonInput(),
    };

    private FuzzInput YamlInput(string kind, string body) =>
        new(HttpMethod.Put, "/api/config" + (random.Next(8) == 0 ? "?reason=" + Uri.EscapeDataString(Token()) : ""), Yaml, body, kind);

    private FuzzInput JsonInput()
    {
        var (method, path, bodyKind) = JsonEndpoints[random.Next(JsonEndpoints.Length)];
        var body = bodyKind switch
        {
            0 => routeJson,
            1 => serviceJson,
            2 => """{"backends":[{"service":"catalog","subset":"v1","weight":50},{"service":"catalog","subset":"v2","weight":50}],"reason":"fuzz"}""",
            3 => """{"policies":{"timeoutMs":1000,"loadBalancing":"RoundRobin","retries":{"attempts":1}},"reason":"fuzz"}""",
            _ => """{"subset":"v1","id":"fuzz-1","address":"http://127.0.0.1:9","node":"n1"}""",
        };
        var kind = random.Next(5) switch
        {
            0 => "json deep",
            1 => "json wide",
            _ => "json mutated",
        };
        body = kind switch
        {
            "json deep" => Splice(body, Nested(random.Next(2, 3000))),
            "json wide" => Splice(body, "[" + string.Join(",", Enumerable.Repeat("1", random.Next(1, 20_000))) + "]"),
            _ => Mutate(body, random.Next(1, 5)),
        };
        return new FuzzInput(method, path, Json, body, $"{kind} {method} {path}");
    }

    /// <summary>Replaces a random value position (after a colon) with <paramref name="value"/>.</summary>
    private string Splice(string json, string value)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToArray();
        var at = colons[random.Next(colons.Length)] + 1;
        return json[..at] + value + "," + json[at..];
    }

    private static string Deep(int depth, bool flow)
    {
        if (flow)
        {
            return "routes: " + Nested(depth) + "\n";
        }

        var text = new StringBuilder("routes:\n");
        for (var i = 0; i < depth && text.Length < 500_000; i++)
        {
            text.Append(' ', Math.Min(i, 200)).Append(i % 2 == 0 ? "- " : "k: ").Append('\n');
        }

        return text.ToString();
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string Wide(int count) =>
        "services: []\nroutes: [" + string.Join(",", Enumerable.Range(0, count).Select(i => (i % 3) switch
        {
            0 => i.ToString(CultureInfo.InvariantCulture),
            1 => "{id: r" + i.ToString(CultureInfo.InvariantCulture) + "}",
            _ => "x",
        })) + "]\n";

    private static string Aliases(int levels, int fanOut)
    {
        var text = new StringBuilder($"a0: &a0 [{string.Join(", ", Enumerable.Repeat("lol", fanOut))}]\n");
        for (var i = 1; i < levels; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", fanOut))}]\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"routes: *a{levels - 1}\nservices: []\n").ToString();
    }

    private string DuplicateKeys() => random.Next(3) switch
    {
        0 => "services: []\nroutes: []\nroutes: []\n",
        1 => configYaml + configYaml,
        _ => "routes:\n- id: catalog\n  id: other\n  order: 1\nservices: []\n",
    };

    private string Mutate(string text, int times)
    {
        for (var i = 0; i < times && text.Length > 0; i++)
        {
            var at = random.Next(text.Length);
            var length = Math.Min(random.Next(1, 40), text.Length - at);
            text = random.Next(6) switch
            {
                0 => text.Remove(at, length),
                1 => text.Insert(at, Token()),
                2 => text.Insert(at, text.Substring(at, length)),
                3 => text[..at],
                4 => text.Insert(at, new string(' ', random.Next(1, 8))),
                _ => text.Remove(at, length).Insert(at, Token()),
            };
        }

        return text;
    }

    private string Token() => Tokens[random.Next(Tokens.Length)];
}
