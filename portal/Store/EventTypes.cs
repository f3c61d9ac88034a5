using JasperFx.Events;
using Marten;

namespace MeshPortal.Portal.Store;

/// <summary>
/// The stored names of the event types and the header keys of their metadata. Names are fixed
/// here, never derived from a CLR name, so renaming a record cannot orphan stored events.
/// </summary>
public static class EventTypes
{
    /// <summary>The stream whose version is the mesh revision: every config event is also appended here.</summary>
    public const string MeshStream = "mesh";

    public const string ReasonHeader = "reason";
    public const string ClientAddressHeader = "client_address";
    public const string TimeHeader = "time";
    public const string RevisionHeader = "revision";
    public const string StreamHeader = "stream";
    public const string StreamVersionHeader = "stream_version";

    /// <summary>Stored name, CLR type, and the name the previous (hand-written) store used.</summary>
    private static readonly (string Alias, Type Type, string Legacy)[] All =
    [
        ("service_defined", typeof(ServiceDefined), "ServiceDefined"),
        ("service_removed", typeof(ServiceRemoved), "ServiceRemoved"),
        ("service_access_changed", typeof(ServiceAccessChanged), "ServiceAccessChanged"),
        ("route_defined", typeof(RouteDefined), "RouteDefined"),
        ("route_split_changed", typeof(RouteSplitChanged), "RouteSplitChanged"),
        ("route_removed", typeof(RouteRemoved), "RouteRemoved"),
        ("user_created", typeof(UserCreated), "UserCreated"),
        ("user_role_changed", typeof(UserRoleChanged), "UserRoleChanged"),
        ("user_password_changed", typeof(UserPasswordChanged), "UserPasswordChanged"),
        ("user_deleted", typeof(UserDeleted), "UserDeleted"),
        ("api_key_created", typeof(ApiKeyCreated), "ApiKeyCreated"),
        ("api_key_revoked", typeof(ApiKeyRevoked), "ApiKeyRevoked"),
        ("gateway_token_minted", typeof(GatewayTokenMinted), "GatewayTokenMinted"),
        ("gateway_token_revoked", typeof(GatewayTokenRevoked), "GatewayTokenRevoked"),
        ("join_token_minted", typeof(JoinTokenMinted), "JoinTokenMinted"),
        ("join_token_revoked", typeof(JoinTokenRevoked), "JoinTokenRevoked"),
        ("node_enrolled", typeof(NodeEnrolled), "NodeEnrolled"),
    ];

    private static readonly Dictionary<string, Type> ByLegacyName = All.ToDictionary(t => t.Legacy, t => t.Type);

    public static void Register(StoreOptions options)
    {
        foreach (var (alias, type, _) in All)
        {
            options.Events.MapEventType(type, alias);
        }

        options.Schema.For<StoredSnapshot>().Identity(s => s.Revision);
    }

    /// <summary>The type an event of the previous store's format was stored as, by its old name.</summary>
    public static Type? Legacy(string name) => ByLegacyName.GetValueOrDefault(name);

    /// <summary>A header as text: Marten hands stored header values back as JSON elements.</summary>
    public static string? Header(IEvent e, string key) =>
        e.Headers is { } headers && headers.TryGetValue(key, out var value)
            ? value switch
            {
                null => null,
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } s => s.GetString(),
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null } => null,
                System.Text.Json.JsonElement j => j.GetRawText(),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString(),
            }
            : null;

    public static long? LongHeader(IEvent e, string key) =>
        long.TryParse(Header(e, key), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    public static EventMetadata Metadata(IEvent e) => new()
    {
        Actor = e.UserName ?? "system",
        Reason = Header(e, ReasonHeader),
        CorrelationId = e.CorrelationId,
        ClientAddress = Header(e, ClientAddressHeader),
    };

    /// <summary>When the change was made: the original time of an imported event, else the appender's clock.</summary>
    public static DateTimeOffset Time(IEvent e) =>
        DateTimeOffset.TryParse(Header(e, TimeHeader), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var t)
            ? t
            : e.Timestamp;
}
