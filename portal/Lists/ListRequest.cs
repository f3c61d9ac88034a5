using System.Globalization;
using MeshPortal.Portal.Api;

namespace MeshPortal.Portal.Lists;

/// <summary>The paged answer of a list endpoint; <c>next</c> is the cursor (an offset) of the following page.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit, string? Next);

/// <summary>
/// Reads <c>limit</c>, <c>offset</c> or <c>cursor</c>, <c>q</c> and the filters of a list request.
/// A request with none of them keeps the unpaged answer, so scripts written before paging keep working.
/// </summary>
public static class ListRequest
{
    private static readonly string[] Parameters = ["limit", "offset", "cursor", "q", "owner", "health", "service", "order"];

    public static bool IsPaged(HttpRequest request) => Parameters.Any(request.Query.ContainsKey);

    public static (ListQuery? Query, IResult? Problem) Parse(HttpRequest request)
    {
        var q = request.Query;
        var limit = 50;
        if (q.ContainsKey("limit") && (!int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ListQuery.MaxLimit))
        {
            return (null, Problems.Field("limit", $"limit must be a whole number from 1 to {ListQuery.MaxLimit}"));
        }

        var offsetField = q.ContainsKey("cursor") ? "cursor" : "offset";
        var offset = 0;
        if (q.ContainsKey(offsetField) && !int.TryParse(q[offsetField], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return (null, Problems.Field(offsetField, $"{offsetField} must be a whole number of 0 or more (the 'next' of the previous page)"));
        }

        var health = q["health"].ToString();
        if (health.Length > 0 && MeshLists.ParseHealth(health) is null)
        {
            return (null, Problems.Field("health", "health must be one of idle, healthy, degraded, failing"));
        }

        var order = q["order"].ToString();
        if (order.Length > 0 && order is not ("asc" or "desc"))
        {
            return (null, Problems.Field("order", "order must be asc or desc"));
        }

        return (new ListQuery
        {
            Limit = limit,
            Offset = offset,
            Search = Text(q["q"]),
            Owner = Text(q["owner"]),
            Health = Text(health),
            Service = Text(q["service"]),
            Descending = order == "desc",
        }, null);
    }

    public static ListResponse<TOut> Answer<TIn, TOut>(ListPage<TIn> page, Func<TIn, TOut> map) =>
        new([.. page.Items.Select(map)], page.Total, page.Offset, page.Limit, page.Next?.ToString(CultureInfo.InvariantCulture));

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
