using System.Globalization;
using System.Text;

namespace MeshPortal.Shared.Observability;

/// <summary>Pieces of the Prometheus text exposition format (0.0.4), shared by the portal's and the gateways' <c>/metrics</c>.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Gauge(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, "gauge", help);
        text.Append(name).Append(' ').Append(Number(value)).Append('\n');
    }

    public static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, "counter", help);
        text.Append(name).Append(' ').Append(value).Append('\n');
    }

    public static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
